// Vertex AI's record format and job states, line by line: every output shape overnight reads, and a
// shape it does not know reported as an error naming the keys (the documented shape is unverified).
import { describe, expect, it } from 'vitest';
import { recordLine, resultOfOutputLine } from '../src/providers/vertex/records.js';
import { statusOfJob } from '../src/providers/vertex/status.js';

const message = { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'ok' }], usage: {} };
const errorOf = (doc: Record<string, unknown>) => {
  const result = resultOfOutputLine(doc)!.result as { type: string; error?: { error: { type: string; message: string } } };
  return result.type === 'errored' ? result.error!.error : result.type;
};

describe('Vertex AI records', () => {
  it('a request line is {custom_id, request} with vertex-2023-10-16 and no model or stream', () => {
    const line = JSON.parse(
      recordLine({
        customId: 'code-review-0001-a1',
        params: { model: 'claude-haiku-4-5@20251001', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
      } as never),
    ) as Record<string, Record<string, unknown>>;
    expect(Object.keys(line)).toEqual(['custom_id', 'request']);
    expect(line.request).toEqual({
      anthropic_version: 'vertex-2023-10-16',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  it('reads an answer as the message itself, or wrapped in body (object or JSON text); status "" is no error', () => {
    for (const response of [message, { body: message }, { body: JSON.stringify(message) }]) {
      expect(resultOfOutputLine({ custom_id: 'x', request: {}, response, status: '' })).toEqual({
        custom_id: 'x',
        result: { type: 'succeeded', message },
      });
    }
  });

  it('maps errors: google.rpc status objects, status text, and an Anthropic error body', () => {
    expect(errorOf({ custom_id: 'x', status: { code: 8, message: 'RESOURCE_EXHAUSTED: quota' } })).toEqual({
      type: 'rate_limit_error',
      message: 'Vertex AI 8: RESOURCE_EXHAUSTED: quota',
    });
    expect(errorOf({ custom_id: 'x', status: 'Bad Request: messages: field required (INVALID_ARGUMENT)' })).toMatchObject({
      type: 'invalid_request_error',
    });
    expect(errorOf({ custom_id: 'x', status: { code: 14, message: 'UNAVAILABLE' } })).toMatchObject({ type: 'overloaded_error' });
    expect(
      errorOf({ custom_id: 'x', response: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }),
    ).toEqual({
      type: 'overloaded_error',
      message: 'Vertex AI: Overloaded',
    });
  });

  it('a line without custom_id is not joinable (null); one with neither answer nor status is an error naming its keys', () => {
    expect(resultOfOutputLine({ id: 'x', response: message })).toBeNull();
    expect(errorOf({ custom_id: 'x', prediction: {} })).toEqual({
      type: 'api_error',
      message: 'Vertex AI output line has neither a response message nor a status (keys: custom_id, prediction)',
    });
  });
});

describe('Vertex AI job states', () => {
  const name = 'projects/p/locations/us-east5/batchPredictionJobs/1';
  it('maps JOB_STATE_* onto in_progress, canceling and ended, counts from completionStats (int64 as text)', () => {
    expect(
      statusOfJob({
        name,
        state: 'JOB_STATE_RUNNING',
        labels: { requests: '5' },
        completionStats: { successfulCount: '2', failedCount: '1' },
      }),
    ).toMatchObject({ status: 'in_progress', counts: { processing: 2, succeeded: 2, errored: 1 }, detail: 'RUNNING' });
    expect(statusOfJob({ name, state: 'JOB_STATE_CANCELLING', labels: { requests: '5' } })).toMatchObject({
      status: 'canceling',
    });
    expect(
      statusOfJob({
        name,
        state: 'JOB_STATE_CANCELLED',
        labels: { requests: '5' },
        completionStats: { successfulCount: '3' },
        endTime: '2026-12-06T03:00:00Z',
      }),
    ).toMatchObject({ status: 'ended', counts: { processing: 0, succeeded: 3, canceled: 2 }, endedAt: '2026-12-06T03:00:00Z' });
    expect(statusOfJob({ name, state: 'JOB_STATE_EXPIRED', labels: { requests: '4' } })).toMatchObject({
      status: 'ended',
      counts: { expired: 4 },
    });
    expect(statusOfJob({ name, state: 'JOB_STATE_PENDING' })).toMatchObject({ status: 'in_progress', counts: { processing: 0 } });
  });
});
