// The Batches API has no idempotency key: when the answer to a create is lost after the batch was
// made, the retry must adopt that batch instead of creating (and paying for) a second one.
import { afterEach, describe, expect, it } from 'vitest';
import { APIConnectionError } from '@anthropic-ai/sdk';
import { BatchClient } from '../src/batch/client.js';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import type { PlannedRequest } from '../src/types.js';
import { plannedRequest, recordingLogger, TEST_API_KEY } from './helpers/engine.js';

let emulator: AnthropicEmulator;
afterEach(async () => emulator?.close());

const planned = (id: string): PlannedRequest => plannedRequest(id, `${id}.ts`, `review ${id}`, 100);

function client(): { client: BatchClient; lines: ReturnType<typeof recordingLogger>['lines'] } {
  const { log, lines } = recordingLogger();
  const c = new BatchClient({ apiKey: TEST_API_KEY, baseURL: emulator.url, log, retry: { sleep: async () => undefined } });
  return { client: c, lines };
}

describe('creating a batch whose answer is lost', () => {
  it('adopts the batch that was made instead of creating a second one', async () => {
    emulator = await startAnthropicEmulator({ seed: 1 });
    const { client: c, lines } = client();
    const create = c.sdk.messages.batches.create.bind(c.sdk.messages.batches);
    let calls = 0;
    // The first create reaches the API, then the connection drops before the answer arrives.
    c.sdk.messages.batches.create = ((...args: Parameters<typeof create>) => {
      calls++;
      if (calls === 1) {
        return create(...args).then(() => {
          throw new APIConnectionError({ message: 'socket hang up' });
        });
      }
      return create(...args);
    }) as typeof create;
    const batch = await c.createBatch([planned('a'), planned('b')]);
    expect(emulator.batches()).toHaveLength(1);
    expect(batch.id).toBe(emulator.batches()[0]!.id);
    expect(calls).toBe(1);
    expect(lines.some((l) => l.level === 'warning' && /created although the answer was lost/.test(l.message))).toBe(true);
  });

  it('never adopts a batch it created itself earlier, even of the same size', async () => {
    emulator = await startAnthropicEmulator({ seed: 2 });
    const { client: c } = client();
    const first = await c.createBatch([planned('a'), planned('b')]);
    const create = c.sdk.messages.batches.create.bind(c.sdk.messages.batches);
    let calls = 0;
    c.sdk.messages.batches.create = ((...args: Parameters<typeof create>) => {
      calls++;
      // Dropped before reaching the API this time: nothing was made, so a new batch must be created.
      if (calls === 1) return Promise.reject(new APIConnectionError({ message: 'socket hang up' }));
      return create(...args);
    }) as typeof create;
    const second = await c.createBatch([planned('c'), planned('d')]);
    expect(second.id).not.toBe(first.id);
    expect(emulator.batches()).toHaveLength(2);
  });
});
