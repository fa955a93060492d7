// The Anthropic emulator, exercised through the real @anthropic-ai/sdk: what it accepts, what it
// refuses (with the real error shape), the batch lifecycle, injected faults and derived usage.
import { request as httpRequest } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  startAnthropicEmulator,
  type AnthropicEmulator,
  type AnthropicEmulatorOptions,
} from '../src/emulator/anthropic/index.js';
import { renderFileBlock } from '../src/prompt/format.js';
import { getTask } from '../src/tasks/index.js';
import type { SourceFile } from '../src/types.js';

const MODEL = 'claude-sonnet-4-6';
const running: AnthropicEmulator[] = [];

async function emulator(options: AnthropicEmulatorOptions = {}): Promise<AnthropicEmulator> {
  const started = await startAnthropicEmulator({ seed: 7, ...options });
  running.push(started);
  return started;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(running.splice(0).map((e) => e.close()));
});

function sdk(emu: AnthropicEmulator, options: ConstructorParameters<typeof Anthropic>[0] = {}): Anthropic {
  return new Anthropic({ apiKey: 'test-key', baseURL: emu.url, maxRetries: 0, timeout: 5_000, ...options });
}

function params(text = 'Say hello.', extra: Record<string, unknown> = {}): MessageCreateParamsNonStreaming {
  return {
    model: MODEL,
    max_tokens: 1024,
    messages: [{ role: 'user', content: text }],
    ...extra,
  } as MessageCreateParamsNonStreaming;
}

async function readAll(client: Anthropic, id: string): Promise<MessageBatchIndividualResponse[]> {
  const lines: MessageBatchIndividualResponse[] = [];
  for await (const line of await client.messages.batches.results(id)) lines.push(line);
  return lines;
}

/** Polls until the batch ends (the emulator ends it after `pollsUntilEnded` polls). */
async function pollToEnd(client: Anthropic, id: string): Promise<Anthropic.Messages.MessageBatch> {
  for (let i = 0; i < 10; i++) {
    const batch = await client.messages.batches.retrieve(id);
    if (batch.processing_status === 'ended') return batch;
  }
  throw new Error(`batch ${id} did not end`);
}

async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Anthropic.APIError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

function expectErrorBody(error: InstanceType<typeof Anthropic.APIError>, status: number, type: string): void {
  expect(error.status).toBe(status);
  expect(error.error).toMatchObject({ type: 'error', error: { type, message: expect.any(String) } });
  const body = error.error as { request_id: string };
  expect(body.request_id).toMatch(/^req_/);
  expect(error.requestID).toBe(body.request_id);
}

function sourceFile(path: string, content: string, language = 'typescript'): SourceFile {
  return {
    path,
    content,
    contentHash: 'hash',
    diff: '',
    changedRanges: [],
    status: 'added',
    language,
    redactions: 0,
    bytes: Buffer.byteLength(content),
  };
}

describe('auth and headers', () => {
  it('accepts Authorization: Bearer (SDK 1.x) and x-api-key (SDK 0.x), refuses a wrong or missing key', async () => {
    const emu = await emulator({ apiKeys: ['right-key'] });
    const bearer = await sdk(emu, { apiKey: 'right-key' }).messages.create(params());
    expect(bearer.type).toBe('message');

    const headerStyle = sdk(emu, { apiKey: null, defaultHeaders: { 'x-api-key': 'right-key' } });
    expect(
      (await headerStyle.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'abcd' }] })).input_tokens,
    ).toBe(1);

    const wrong = await apiError(sdk(emu, { apiKey: 'wrong-key' }).messages.create(params()));
    expect(wrong).toBeInstanceOf(Anthropic.AuthenticationError);
    expectErrorBody(wrong, 401, 'authentication_error');

    const missing = await apiError(
      sdk(emu, { apiKey: null, defaultHeaders: { Authorization: null, 'x-api-key': null } }).messages.create(params()),
    );
    expectErrorBody(missing, 401, 'authentication_error');
  });

  it('requires the anthropic-version header', async () => {
    const emu = await emulator();
    const error = await apiError(sdk(emu, { defaultHeaders: { 'anthropic-version': null } }).messages.create(params()));
    expectErrorBody(error, 400, 'invalid_request_error');
    expect(error.message).toContain('anthropic-version');
  });
});

describe('POST /v1/messages', () => {
  it('answers a real Message object', async () => {
    const emu = await emulator({ responder: () => '{"ok":true}' });
    const message = await sdk(emu).messages.create(params('x'.repeat(400)));
    expect(message).toMatchObject({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      role: 'assistant',
      model: MODEL,
      content: [{ type: 'text', text: '{"ok":true}' }],
      stop_reason: 'end_turn',
      usage: {
        input_tokens: 100,
        output_tokens: 3,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      },
    });
    expect(emu.calls.messages).toBe(1);
  });

  it.each([
    ['temperature', { temperature: 0.2 }, /temperature.*not supported/],
    ['top_p', { top_p: 0.9 }, /top_p.*not supported/],
    ['top_k', { top_k: 5 }, /top_k.*not supported/],
    ['max_tokens 0', { max_tokens: 0 }, /max_tokens/],
    ['stream', { stream: true }, /stream/],
    ['an unknown parameter', { output_format: {} }, /output_format: Extra inputs/],
    [
      'an object schema without additionalProperties: false',
      { output_config: { format: { type: 'json_schema', schema: { type: 'object', properties: {} } } } },
      /additionalProperties/,
    ],
  ])('refuses %s with 400 invalid_request_error', async (_name, extra, message) => {
    const emu = await emulator();
    const error = await apiError(sdk(emu).messages.create(params('hi', extra)));
    expectErrorBody(error, 400, 'invalid_request_error');
    expect(error.message).toMatch(message);
  });

  it('refuses a request without model, max_tokens or messages, and an unknown model with 404', async () => {
    const emu = await emulator();
    const client = sdk(emu);
    for (const key of ['model', 'max_tokens', 'messages']) {
      const body: Record<string, unknown> = { ...params() };
      delete body[key];
      const error = await apiError(client.messages.create(body as never));
      expectErrorBody(error, 400, 'invalid_request_error');
      expect(error.message).toContain(`${key}: Field required`);
    }
    const unknown = await apiError(client.messages.create(params('hi', { model: 'gpt-5' })));
    expectErrorBody(unknown, 404, 'not_found_error');
  });

  it('cuts an answer at max_tokens with stop_reason max_tokens', async () => {
    const emu = await emulator({ responder: () => JSON.stringify({ summary: 'y'.repeat(200) }) });
    const message = await sdk(emu).messages.create(params('hi', { max_tokens: 10 }));
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(10);
    const text = (message.content[0] as Anthropic.TextBlock).text;
    expect(text).toHaveLength(40);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('count_tokens uses the same count as usage', async () => {
    const emu = await emulator();
    const client = sdk(emu);
    const request = {
      model: MODEL,
      system: 'You are terse.',
      messages: [{ role: 'user' as const, content: 'Count these words please.' }],
    };
    const counted = await client.messages.countTokens(request);
    const message = await client.messages.create({ ...request, max_tokens: 100 });
    expect(counted.input_tokens).toBe(Math.ceil(('You are terse.'.length + 'Count these words please.'.length) / 4));
    expect(message.usage.input_tokens).toBe(counted.input_tokens);
    expect(emu.calls.count_tokens).toBe(1);
  });
});

describe('batch creation limits', () => {
  it('refuses an invalid or duplicate custom_id at create time, naming it', async () => {
    const emu = await emulator();
    const client = sdk(emu);
    const invalid = await apiError(
      client.messages.batches.create({
        requests: [
          { custom_id: 'ok-1', params: params() },
          { custom_id: 'src/app.ts', params: params() },
        ],
      }),
    );
    expectErrorBody(invalid, 400, 'invalid_request_error');
    expect(invalid.message).toContain('src/app.ts');

    const tooLong = await apiError(
      client.messages.batches.create({ requests: [{ custom_id: 'a'.repeat(65), params: params() }] }),
    );
    expectErrorBody(tooLong, 400, 'invalid_request_error');

    const duplicate = await apiError(
      client.messages.batches.create({
        requests: [
          { custom_id: 'same', params: params() },
          { custom_id: 'same', params: params() },
        ],
      }),
    );
    expectErrorBody(duplicate, 400, 'invalid_request_error');
    expect(duplicate.apiMessage).toContain('"same"');

    const empty = await apiError(client.messages.batches.create({ requests: [] }));
    expectErrorBody(empty, 400, 'invalid_request_error');
    expect(emu.batches()).toHaveLength(0);
  });

  it('refuses 100,001 requests with 413 request_too_large', async () => {
    const emu = await emulator();
    const shared = { model: MODEL, max_tokens: 1, messages: [{ role: 'user' as const, content: 'x' }] };
    const requests = Array.from({ length: 100_001 }, (_, i) => ({ custom_id: `r${i}`, params: shared }));
    const error = await apiError(sdk(emu).messages.batches.create({ requests }));
    expectErrorBody(error, 413, 'request_too_large');
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(emu.batches()).toHaveLength(0);
  });

  it('refuses a body declared over 256 MB before reading it', async () => {
    const emu = await emulator();
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${emu.url}/v1/messages/batches`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(256 * 1024 * 1024 + 1),
          'x-api-key': 'k',
          'anthropic-version': '2023-06-01',
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: text });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.write('{"requests": [');
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
  });

  it('counts streamed bytes when no Content-Length is sent', async () => {
    const emu = await emulator({ limits: { maxBatchBytes: 4096 } });
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${emu.url}/v1/messages/batches`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'transfer-encoding': 'chunked',
          'x-api-key': 'k',
          'anthropic-version': '2023-06-01',
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write(' '.repeat(1000));
    });
    expect(status).toBe(413);
  });
});

describe('batch lifecycle', () => {
  it('stays in_progress with zero counts until ended, then exposes results_url and complete, shuffled results', async () => {
    const emu = await emulator({ pollsUntilEnded: 2 });
    const client = sdk(emu);
    const ids = Array.from({ length: 30 }, (_, i) => `req-${i}`);
    const created = await client.messages.batches.create({
      requests: ids.map((id) => ({ custom_id: id, params: params(`question ${id}`) })),
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^msgbatch_/),
      type: 'message_batch',
      processing_status: 'in_progress',
      request_counts: { processing: 30, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: null,
      cancel_initiated_at: null,
      archived_at: null,
      results_url: null,
    });
    expect(Date.parse(created.expires_at) - Date.parse(created.created_at)).toBe(24 * 60 * 60 * 1000);

    for (let poll = 0; poll < 2; poll++) {
      const batch = await client.messages.batches.retrieve(created.id);
      expect(batch.processing_status).toBe('in_progress');
      expect(batch.request_counts).toEqual({ processing: 30, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
      const early = await apiError(client.get(`/v1/messages/batches/${created.id}/results`));
      expect([400, 404]).toContain(early.status);
    }

    const ended = await client.messages.batches.retrieve(created.id);
    expect(ended.processing_status).toBe('ended');
    expect(ended.request_counts).toEqual({ processing: 0, succeeded: 30, errored: 0, canceled: 0, expired: 0 });
    expect(ended.results_url).toBe(`${emu.url}/v1/messages/batches/${created.id}/results`);
    expect(ended.ended_at).not.toBeNull();

    const lines = await readAll(client, created.id);
    const order = lines.map((l) => l.custom_id);
    expect([...order].sort()).toEqual([...ids].sort());
    expect(order).not.toEqual(ids);
    for (const line of lines) {
      expect(line.result.type).toBe('succeeded');
      if (line.result.type === 'succeeded') expect(line.result.message.usage.service_tier).toBe('batch');
    }
    // Two refused early downloads, then the real one.
    expect(emu.calls['batches.results']).toBe(3);
  });

  it('orders results the same way for the same seed', async () => {
    const orders: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const emu = await emulator({ seed: 42, pollsUntilEnded: 0 });
      const client = sdk(emu);
      const batch = await client.messages.batches.create({
        requests: Array.from({ length: 12 }, (_, i) => ({ custom_id: `c${i}`, params: params() })),
      });
      orders.push((await readAll(client, batch.id)).map((l) => l.custom_id));
    }
    expect(orders[0]).toEqual(orders[1]);
  });

  it('validates params asynchronously: bad requests become errored invalid_request_error results', async () => {
    const emu = await emulator({ pollsUntilEnded: 0 });
    const client = sdk(emu);
    const bad: Record<string, Record<string, unknown>> = {
      'no-model': { max_tokens: 10, messages: [{ role: 'user', content: 'x' }] },
      'zero-max': { ...params(), max_tokens: 0 },
      'no-max': { model: MODEL, messages: [{ role: 'user', content: 'x' }] },
      streaming: { ...params(), stream: true },
      temperature: { ...params(), temperature: 0 },
      'top-p': { ...params(), top_p: 0.5 },
      'top-k': { ...params(), top_k: 3 },
      'other-vendor': { ...params(), model: 'gpt-4o' },
    };
    const requests = [
      { custom_id: 'good', params: params() },
      ...Object.entries(bad).map(([custom_id, p]) => ({ custom_id, params: p as unknown as MessageCreateParamsNonStreaming })),
    ];
    const batch = await client.messages.batches.create({ requests });
    expect(batch.processing_status).toBe('in_progress');
    const ended = await pollToEnd(client, batch.id);
    expect(ended.request_counts).toMatchObject({ succeeded: 1, errored: Object.keys(bad).length });
    const byId = new Map((await readAll(client, batch.id)).map((l) => [l.custom_id, l.result]));
    expect(byId.get('good')?.type).toBe('succeeded');
    for (const id of Object.keys(bad)) {
      expect(byId.get(id)).toMatchObject({ type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error' } } });
    }
  });

  it('lists batches newest first with limit, after_id and before_id', async () => {
    const emu = await emulator();
    const client = sdk(emu);
    const created: string[] = [];
    for (let i = 0; i < 5; i++)
      created.push((await client.messages.batches.create({ requests: [{ custom_id: `b${i}`, params: params() }] })).id);
    const newestFirst = [...created].reverse();

    const first = await client.messages.batches.list({ limit: 2 });
    expect(first.data.map((b) => b.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.has_more).toBe(true);
    expect(first.first_id).toBe(newestFirst[0]);
    expect(first.last_id).toBe(newestFirst[1]);

    const all: string[] = [];
    for await (const batch of client.messages.batches.list({ limit: 2 })) all.push(batch.id);
    expect(all).toEqual(newestFirst);

    const before = await client.messages.batches.list({ before_id: newestFirst[3]!, limit: 2 });
    expect(before.data.map((b) => b.id)).toEqual(newestFirst.slice(1, 3));
    const last = await client.messages.batches.list({ after_id: newestFirst[3]!, limit: 2 });
    expect(last.data.map((b) => b.id)).toEqual([newestFirst[4]]);
    expect(last.has_more).toBe(false);

    const defaults = await client.messages.batches.list();
    expect(defaults.data).toHaveLength(5);
    for (const limit of [0, 1001]) {
      expectErrorBody(await apiError(client.messages.batches.list({ limit })), 400, 'invalid_request_error');
    }
  });

  it('cancels: canceling, then ended with the remaining requests canceled', async () => {
    const emu = await emulator({ pollsUntilEnded: 5 });
    const client = sdk(emu);
    const batch = await client.messages.batches.create({
      requests: [
        { custom_id: 'a', params: params() },
        { custom_id: 'b', params: params() },
      ],
    });
    const canceling = await client.messages.batches.cancel(batch.id);
    expect(canceling.processing_status).toBe('canceling');
    expect(canceling.cancel_initiated_at).not.toBeNull();
    const ended = await client.messages.batches.retrieve(batch.id);
    expect(ended.processing_status).toBe('ended');
    expect(ended.request_counts).toEqual({ processing: 0, succeeded: 0, errored: 0, canceled: 2, expired: 0 });
    expect((await readAll(client, batch.id)).map((l) => l.result.type)).toEqual(['canceled', 'canceled']);
    expect(emu.calls['batches.cancel']).toBe(1);
  });

  it('deletes only ended batches; unknown and deleted ids are 404', async () => {
    const emu = await emulator({ pollsUntilEnded: 0 });
    const client = sdk(emu);
    const batch = await client.messages.batches.create({ requests: [{ custom_id: 'a', params: params() }] });
    expectErrorBody(await apiError(client.messages.batches.delete(batch.id)), 400, 'invalid_request_error');
    await pollToEnd(client, batch.id);
    expect(await client.messages.batches.delete(batch.id)).toEqual({ id: batch.id, type: 'message_batch_deleted' });
    expectErrorBody(await apiError(client.messages.batches.retrieve(batch.id)), 404, 'not_found_error');
    expectErrorBody(await apiError(client.get(`/v1/messages/batches/${batch.id}/results`)), 404, 'not_found_error');
    expectErrorBody(await apiError(client.messages.batches.delete('msgbatch_nope')), 404, 'not_found_error');
    expect((await client.messages.batches.list()).data).toHaveLength(0);
  });

  it('expires and archives batches on demand', async () => {
    const emu = await emulator({ pollsUntilEnded: 5 });
    const client = sdk(emu);
    const batch = await client.messages.batches.create({
      requests: [
        { custom_id: 'a', params: params() },
        { custom_id: 'b', params: params() },
      ],
    });
    emu.expireBatch(batch.id);
    const expired = await client.messages.batches.retrieve(batch.id);
    expect(expired.request_counts).toMatchObject({ expired: 2, processing: 0 });
    expect((await readAll(client, batch.id)).every((l) => l.result.type === 'expired')).toBe(true);
    emu.archiveBatch(batch.id);
    expect((await client.messages.batches.retrieve(batch.id)).archived_at).not.toBeNull();
    expectErrorBody(await apiError(client.get(`/v1/messages/batches/${batch.id}/results`)), 404, 'not_found_error');
  });
});

describe('time and answers', () => {
  it('expires unfinished requests at 24 h and archives results at 29 days', async () => {
    const emu = await emulator({ pollsUntilEnded: 100 });
    const client = sdk(emu);
    const batch = await client.messages.batches.create({ requests: [{ custom_id: 'a', params: params() }] });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(batch.created_at) + 24 * 60 * 60 * 1000 + 1);
    const expired = await client.messages.batches.retrieve(batch.id);
    expect(expired.processing_status).toBe('ended');
    expect(expired.request_counts).toMatchObject({ expired: 1, processing: 0 });
    vi.setSystemTime(Date.parse(batch.created_at) + 29 * 24 * 60 * 60 * 1000 + 1);
    expect((await client.messages.batches.retrieve(batch.id)).archived_at).not.toBeNull();
    expectErrorBody(await apiError(client.get(`/v1/messages/batches/${batch.id}/results`)), 404, 'not_found_error');
  });

  it('results are not readable until resultsDelayMs after the end', async () => {
    const emu = await emulator({ pollsUntilEnded: 0, resultsDelayMs: 60_000 });
    const client = sdk(emu);
    const batch = await client.messages.batches.create({ requests: [{ custom_id: 'a', params: params() }] });
    emu.endBatch(batch.id);
    const ended = await client.messages.batches.retrieve(batch.id);
    expect(ended.results_url).not.toBeNull();
    expectErrorBody(await apiError(client.get(`/v1/messages/batches/${batch.id}/results`)), 404, 'not_found_error');
  });

  it('a responder that throws is an api_error: 500 interactively, an errored result in a batch', async () => {
    const emu = await emulator({
      pollsUntilEnded: 0,
      responder: (p) => {
        if (JSON.stringify(p.messages).includes('explode')) throw new Error('responder exploded');
        return '{}';
      },
    });
    const client = sdk(emu);
    expectErrorBody(await apiError(client.messages.create(params('explode'))), 500, 'api_error');
    const batch = await client.messages.batches.create({
      requests: [
        { custom_id: 'boom', params: params('explode') },
        { custom_id: 'fine', params: params('calm') },
      ],
    });
    await pollToEnd(client, batch.id);
    const results = new Map((await readAll(client, batch.id)).map((l) => [l.custom_id, l.result]));
    expect(results.get('boom')).toMatchObject({ type: 'errored', error: { error: { type: 'api_error' } } });
    expect(results.get('fine')?.type).toBe('succeeded');
  });
});

describe('fault injection', () => {
  it('a 429 with retry-after is retried by the SDK and then succeeds', async () => {
    const emu = await emulator();
    emu.faults.http('batches.create', { status: 429, type: 'rate_limit_error', retryAfterSeconds: 1 });
    const seen = await apiError(sdk(emu).messages.batches.create({ requests: [{ custom_id: 'a', params: params() }] }));
    expectErrorBody(seen, 429, 'rate_limit_error');
    expect(seen.headers?.get('retry-after')).toBe('1');

    // retry-after 0 lets the SDK use its own (sub-second) backoff, keeping the test fast.
    emu.faults.http('batches.create', { status: 429, type: 'rate_limit_error', retryAfterSeconds: 0 });
    const batch = await sdk(emu, { maxRetries: 2 }).messages.batches.create({ requests: [{ custom_id: 'a', params: params() }] });
    expect(batch.processing_status).toBe('in_progress');
    expect(emu.calls['batches.create']).toBe(3);
    expect(emu.batches()).toHaveLength(1);
  });

  it('a 529 overloaded and a 500 are typed errors with the error body', async () => {
    const emu = await emulator();
    emu.faults.http('messages', { status: 529, type: 'overloaded_error' });
    emu.faults.http('*', { status: 500, type: 'api_error', message: 'boom' });
    expectErrorBody(await apiError(sdk(emu).messages.create(params())), 529, 'overloaded_error');
    const internal = await apiError(sdk(emu).messages.batches.list());
    expectErrorBody(internal, 500, 'api_error');
    expect(internal.message).toContain('boom');
    expect(emu.faults.pending()).toBe(0);
  });

  it('the spend cap is a 429 with error_code enforced_spend_limit_reached and no retry-after', async () => {
    const emu = await emulator();
    emu.faults.spendCap('batches.create');
    const error = await apiError(sdk(emu).messages.batches.create({ requests: [{ custom_id: 'a', params: params() }] }));
    expectErrorBody(error, 429, 'rate_limit_error');
    expect(error.errorCode).toBe('enforced_spend_limit_reached');
    expect(error).toBeInstanceOf(Anthropic.EnforcedSpendLimitReachedError);
    expect(error.headers?.get('retry-after')).toBeNull();
  });

  it('a dropped connection is a connection error; the SDK retry then succeeds', async () => {
    const emu = await emulator();
    const batch = await sdk(emu).messages.batches.create({ requests: [{ custom_id: 'a', params: params() }] });
    emu.faults.dropConnection('batches.retrieve');
    await expect(sdk(emu).messages.batches.retrieve(batch.id)).rejects.toBeInstanceOf(Anthropic.APIConnectionError);
    emu.faults.dropConnection('batches.retrieve');
    const retried = await sdk(emu, { maxRetries: 1 }).messages.batches.retrieve(batch.id);
    expect(retried.id).toBe(batch.id);
    expect(emu.calls['batches.retrieve']).toBe(3);
  });

  it('a truncated results stream fails mid-way; the next download is complete', async () => {
    const emu = await emulator({ pollsUntilEnded: 0 });
    const client = sdk(emu);
    const batch = await client.messages.batches.create({
      requests: Array.from({ length: 6 }, (_, i) => ({ custom_id: `t${i}`, params: params() })),
    });
    await pollToEnd(client, batch.id);
    emu.faults.truncateResults(batch.id, 2);
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const line of await client.messages.batches.results(batch.id)) received.push(line.custom_id);
      })(),
    ).rejects.toThrow();
    expect(received).toHaveLength(2);
    expect(await readAll(client, batch.id)).toHaveLength(6);
  });

  it('scripted per-request outcomes, consumed so a resubmission succeeds', async () => {
    const emu = await emulator({ pollsUntilEnded: 0, responder: () => '{"summary":"fine","findings":[]}' });
    const client = sdk(emu);
    emu.faults.result('err', { type: 'errored', errorType: 'overloaded_error' });
    emu.faults.result('exp', { type: 'expired' });
    emu.faults.result('can', { type: 'canceled' });
    emu.faults.result('bad', { type: 'malformed' });
    const ids = ['err', 'exp', 'can', 'bad', 'ok'];
    const first = await client.messages.batches.create({ requests: ids.map((custom_id) => ({ custom_id, params: params() })) });
    expect((await pollToEnd(client, first.id)).request_counts).toEqual({
      processing: 0,
      succeeded: 2,
      errored: 1,
      canceled: 1,
      expired: 1,
    });
    const results = new Map((await readAll(client, first.id)).map((l) => [l.custom_id, l.result]));
    expect(results.get('err')).toMatchObject({ type: 'errored', error: { error: { type: 'overloaded_error' } } });
    expect(results.get('exp')?.type).toBe('expired');
    expect(results.get('can')?.type).toBe('canceled');
    const malformed = results.get('bad');
    expect(malformed?.type).toBe('succeeded');
    if (malformed?.type === 'succeeded') {
      expect(() => JSON.parse((malformed.message.content[0] as Anthropic.TextBlock).text)).toThrow();
    }

    const again = await client.messages.batches.create({ requests: ids.map((custom_id) => ({ custom_id, params: params() })) });
    expect((await pollToEnd(client, again.id)).request_counts.succeeded).toBe(5);
  });
});

describe('prompt caching usage', () => {
  const longContext = 'Project rules. '.repeat(400); // 6,000 chars = 1,500 tokens
  const cachedSystem = [
    { type: 'text' as const, text: 'You review code.' },
    { type: 'text' as const, text: longContext, cache_control: { type: 'ephemeral' as const, ttl: '1h' as const } },
  ];
  const prefixTokens = Math.ceil(('You review code.'.length + longContext.length) / 4);

  it('writes the cached prefix the first time (1h) and reads it afterwards', async () => {
    const emu = await emulator();
    const client = sdk(emu);
    const first = await client.messages.create({ ...params('first file'), system: cachedSystem });
    expect(first.usage).toMatchObject({
      cache_creation_input_tokens: prefixTokens,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_1h_input_tokens: prefixTokens, ephemeral_5m_input_tokens: 0 },
      input_tokens: Math.ceil('first file'.length / 4),
    });
    const second = await client.messages.create({ ...params('second file'), system: cachedSystem });
    expect(second.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: prefixTokens });
    const counted = await client.messages.countTokens({
      model: MODEL,
      system: cachedSystem,
      messages: [{ role: 'user', content: 'second file' }],
    });
    expect(second.usage.input_tokens + (second.usage.cache_read_input_tokens ?? 0)).toBe(counted.input_tokens);
  });

  it('does not cache a prefix shorter than the model minimum (haiku-4-5: 4096 tokens)', async () => {
    const emu = await emulator();
    const client = sdk(emu);
    for (let i = 0; i < 2; i++) {
      const message = await client.messages.create({ ...params(), model: 'claude-haiku-4-5', system: cachedSystem });
      expect(message.usage.cache_creation_input_tokens).toBe(0);
      expect(message.usage.cache_read_input_tokens).toBe(0);
      expect(message.usage.input_tokens).toBe(prefixTokens + Math.ceil('Say hello.'.length / 4));
    }
  });

  it('in a batch, the first request with the prefix writes it and the others read it', async () => {
    const emu = await emulator({ pollsUntilEnded: 0 });
    const client = sdk(emu);
    const batch = await client.messages.batches.create({
      requests: ['one', 'two', 'three'].map((id) => ({
        custom_id: id,
        params: { ...params(`file ${id}`), system: cachedSystem },
      })),
    });
    await pollToEnd(client, batch.id);
    const usage = new Map(
      (await readAll(client, batch.id)).map((l) => [l.custom_id, l.result.type === 'succeeded' ? l.result.message.usage : null]),
    );
    expect(usage.get('one')).toMatchObject({ cache_creation_input_tokens: prefixTokens, cache_read_input_tokens: 0 });
    expect(usage.get('two')).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: prefixTokens });
    expect(usage.get('three')).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: prefixTokens });
    expect(emu.batches()[0]!.requests[0]!.params.system).toEqual(cachedSystem);
  });
});

describe('default answers', () => {
  // The schema overnight sends for a review.
  const findingsSchema = getTask('code-review').outputSchema;

  it('findings validate against the schema and point at the lines holding each defect', async () => {
    const lines = [
      "import { exec } from 'node:child_process';",
      "import { createHash } from 'node:crypto';",
      '',
      "const dbPassword = 'correct-horse-battery';",
      '',
      'export function findUser(db, id) {',
      '  return db.query("SELECT * FROM users WHERE id = " + id);',
      '}',
      '',
      'export function runScript(req) {',
      '  eval(req.body.script);',
      '  exec(`convert ${req.query.file} out.png`);',
      '}',
      '',
      'export function hashPassword(password) {',
      "  return createHash('md5').update(password).digest('hex');",
      '}',
      '',
      'export function sumAll(arr) {',
      '  let total = 0;',
      '  for (let i = 0; i <= arr.length; i++) total += arr[i];',
      '  if (total == null) return 0;',
      '  return total;',
      '}',
      '',
      'export function render(el, html) {',
      '  el.innerHTML = html;',
      '  try { JSON.parse(html); } catch (e) {}',
      '  // TODO: sanitise',
      '  const sessionToken = Math.random().toString(36);',
      '  return sessionToken;',
      '}',
    ];
    const file = sourceFile('src/users.ts', `${lines.join('\n')}\n`);
    const emu = await emulator();
    const message = await sdk(emu).messages.create({
      model: MODEL,
      max_tokens: 8000,
      system: 'You are a code reviewer.',
      messages: [{ role: 'user', content: `Review this file.\n\n${renderFileBlock(file)}` }],
      output_config: { format: { type: 'json_schema', schema: findingsSchema } },
    });
    expect(message.stop_reason).toBe('end_turn');
    const answer = JSON.parse((message.content[0] as Anthropic.TextBlock).text) as {
      findings: {
        path: string;
        start_line: number;
        end_line: number;
        category: string;
        severity: string;
        cwe: string | null;
        explanation: string;
      }[];
    };
    const validate = new Ajv({ strict: false }).compile(findingsSchema);
    expect(validate(answer), JSON.stringify(validate.errors)).toBe(true);

    const expected: [string, string, string | null, RegExp][] = [
      ['hardcoded-credentials', 'high', 'CWE-798', /dbPassword = '/],
      ['sql-injection', 'high', 'CWE-89', /SELECT \* FROM users/],
      ['code-injection', 'critical', 'CWE-95', /eval\(/],
      ['command-injection', 'critical', 'CWE-78', /exec\(`convert/],
      ['weak-crypto', 'high', 'CWE-327', /createHash\('md5'\)/],
      ['off-by-one', 'medium', null, /i <= arr\.length/],
      ['loose-equality', 'low', null, /total == null/],
      ['xss', 'high', 'CWE-79', /innerHTML = html/],
      ['swallowed-error', 'medium', null, /catch \(e\) \{\}/],
      ['weak-randomness', 'medium', 'CWE-338', /Math\.random/],
    ];
    for (const [category, severity, cwe, linePattern] of expected) {
      const finding = answer.findings.find((f) => f.category === category);
      expect(finding, `missing ${category}`).toBeDefined();
      expect(finding).toMatchObject({ path: 'src/users.ts', severity, cwe });
      expect(lines[finding!.start_line - 1]).toMatch(linePattern);
      expect(finding!.explanation).toContain(lines[finding!.start_line - 1]!.trim());
    }
    // info left the findings tasks: a TODO is not a defect, and the answers carry no info finding.
    expect(answer.findings.map((f) => f.severity)).not.toContain('info');
    for (const finding of answer.findings) {
      expect(finding.start_line).toBeGreaterThanOrEqual(1);
      expect(finding.end_line).toBeLessThanOrEqual(lines.length);
    }
  });

  it('a clean file gets no findings', async () => {
    const emu = await emulator();
    const file = sourceFile('src/add.ts', 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
    const message = await sdk(emu).messages.create({
      ...params(renderFileBlock(file)),
      output_config: { format: { type: 'json_schema', schema: findingsSchema } },
    });
    expect(JSON.parse((message.content[0] as Anthropic.TextBlock).text).findings).toEqual([]);
  });
});
