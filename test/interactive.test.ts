// src/batch/interactive.ts: one batch request sent through POST /v1/messages with the real SDK against
// the emulator, retried like every other call, answered in the batch results' shape; a request the API
// refuses becomes an errored result of the API's error type, a refused key stops everything.
import { afterEach, describe, expect, it } from 'vitest';
import { BatchClient } from '../src/batch/client.js';
import { AnthropicProvider } from '../src/providers/anthropic.js';
import { answerAllInteractively, answerInteractively } from '../src/batch/interactive.js';
import { FatalApiError } from '../src/batch/retry.js';
import { startAnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { TEST_API_KEY, TestClock, echoResponder, quietLog } from './helpers/engine.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const emulator = await startAnthropicEmulator({ seed: 2, responder: echoResponder, apiKeys: [TEST_API_KEY] });
  cleanups.push(() => emulator.close());
  const clock = new TestClock();
  // Through the provider, as the deadline fallback calls it.
  const client = (apiKey = TEST_API_KEY) =>
    new AnthropicProvider(
      new BatchClient({
        apiKey,
        baseURL: emulator.url,
        log: quietLog,
        retry: { retries: 3, baseDelayMs: 10, maxDelayMs: 60_000, sleep: clock.sleep },
      }),
    );
  return { emulator, clock, client };
}

const params = (text: string, maxTokens = 256) => ({
  model: 'claude-sonnet-4-6',
  max_tokens: maxTokens,
  messages: [{ role: 'user' as const, content: `<file path="src/${text}.ts">\n1: export const ${text} = 1;\n</file>` }],
});

describe('answerInteractively', () => {
  it('answers in the shape of a batch result line, after retrying a 529 like every other call', async () => {
    const { emulator, clock, client } = await setup();
    emulator.faults.http('messages', { status: 529, type: 'overloaded_error', retryAfterSeconds: 2 });
    const line = await answerInteractively(client(), { custom_id: 'cr-one', params: params('one') });
    expect(line.custom_id).toBe('cr-one');
    expect(line.result.type).toBe('succeeded');
    if (line.result.type === 'succeeded') {
      expect(line.result.message.usage.output_tokens).toBeGreaterThan(0);
      // Interactive, not batch: the service tier the API reports.
      expect(line.result.message.usage.service_tier).toBe('standard');
    }
    expect(emulator.calls.messages).toBe(2);
    expect(clock.sleeps).toEqual([2000]);
  });

  it('a request the API refuses (400) is an errored invalid_request_error result, not retried', async () => {
    const { emulator, client } = await setup();
    const line = await answerInteractively(client(), { custom_id: 'cr-bad', params: params('bad', 0) });
    expect(line.result.type).toBe('errored');
    const error = (line.result as { error: { error: { type: string; message: string } } }).error.error;
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toMatch(/400/);
    expect(emulator.calls.messages).toBe(1);
  });

  it('a refused key stops every request: thrown, not one errored result each', async () => {
    const { emulator, client } = await setup();
    const requests = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ custom_id: `cr-${name}`, params: params(name) }));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const line of answerAllInteractively(client('sk-ant-wrong-key-000000'), requests, 2))
          seen.push(line.custom_id);
      })(),
    ).rejects.toThrow(FatalApiError);
    expect(seen).toEqual([]);
    // The two in flight were sent; nothing after them.
    expect(emulator.calls.messages).toBe(2);
  });

  it('answers every request once with several in flight', async () => {
    const { emulator, client } = await setup();
    const requests = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => ({ custom_id: `cr-${name}`, params: params(name) }));
    const ids: string[] = [];
    for await (const line of answerAllInteractively(client(), requests, 3)) {
      expect(line.result.type).toBe('succeeded');
      ids.push(line.custom_id);
    }
    expect(ids.sort()).toEqual(requests.map((r) => r.custom_id));
    expect(emulator.calls.messages).toBe(7);
  });
});
