// Bedrock's output lines read as results: a shape the documentation did not promise is reported, never dropped.
import { describe, expect, it } from 'vitest';
import { customIdOfRecord, errorTypeOf, recordIdOf, resultOfOutputLine } from '../src/providers/bedrock/records.js';

describe('Bedrock records', () => {
  it('record ids are alphanumeric and read back to the exact custom_id', () => {
    for (const id of ['cr-0123abcd', 'sec-ünïcode-id', 'x']) {
      expect(recordIdOf(id)).toMatch(/^[a-zA-Z0-9]+$/);
      expect(customIdOfRecord(recordIdOf(id))).toBe(id);
    }
    expect(customIdOfRecord('ABC12345678')).toBeNull(); // a record id Bedrock made up: not one of ours
  });

  it('a line with neither modelOutput nor error is an error naming its keys', () => {
    const line = JSON.stringify({ recordId: recordIdOf('cr-1'), modelInput: {}, output: { text: 'hi' } });
    const result = resultOfOutputLine(line)!;
    expect(result.custom_id).toBe('cr-1');
    expect(result.result).toMatchObject({
      type: 'errored',
      error: {
        error: {
          type: 'api_error',
          message: 'Bedrock output line has neither modelOutput nor error (keys: recordId, modelInput, output)',
        },
      },
    });
  });

  it('maps error codes to the kinds collect retries on', () => {
    expect(errorTypeOf(400)).toBe('invalid_request_error');
    expect(errorTypeOf('ValidationException')).toBe('invalid_request_error');
    expect(errorTypeOf('ThrottlingException')).toBe('rate_limit_error');
    expect(errorTypeOf(429)).toBe('rate_limit_error');
    expect(errorTypeOf('ModelTimeoutException')).toBe('timeout_error');
    expect(errorTypeOf('ServiceUnavailableException')).toBe('overloaded_error');
    expect(errorTypeOf(500)).toBe('api_error');
  });
});
