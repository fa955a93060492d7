// A submission larger than one batch may hold (100,000 requests or 256 MB) is split into several
// batches, in order, each within the limits, and every batch is recorded in the state.
import { afterEach, describe, expect, it } from 'vitest';
import { BATCH_LIMITS, splitIntoBatches } from '../src/batch/client.js';
import { collect } from '../src/engine/collect.js';
import { sendBatches, submit } from '../src/engine/submit.js';
import type { RunState } from '../src/state/state.js';
import { startAnthropicEmulator } from '../src/emulator/anthropic/index.js';
import type { PlannedRequest } from '../src/types.js';
import { makeRepo } from './helpers/git-repo.js';
import { spendCapAtCreate } from './helpers/faults.js';
import { echoResponder, plannedRequest, testConfig, testEngine } from './helpers/engine.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function planned(index: number, text = 'x'): PlannedRequest {
  return plannedRequest(`cr-${index.toString(16).padStart(40, '0')}`, `src/f${index}.ts`, text, 1024);
}

/** The create body's size for one batch, as the SDK sends it. */
function bodyBytes(group: PlannedRequest[]): number {
  return Buffer.byteLength(JSON.stringify({ requests: group.map((r) => ({ custom_id: r.customId, params: r.params })) }));
}

describe('splitIntoBatches', () => {
  it('keeps the API limits as defaults', () => {
    expect(BATCH_LIMITS).toEqual({ maxRequests: 100_000, maxBytes: 256 * 1024 * 1024 });
  });

  it('splits 100,001 small requests into 100,000 + 1, keeping their order', () => {
    const requests = Array.from({ length: 100_001 }, (_, i) => planned(i));
    const batches = splitIntoBatches(requests);
    expect(batches.map((b) => b.requests.length)).toEqual([100_000, 1]);
    expect(batches.flatMap((b) => b.requests)).toEqual(requests);
    expect(batches[1]!.requests[0]!.customId).toBe(requests[100_000]!.customId);
  });

  it('exactly 100,000 requests stay one batch', () => {
    const requests = Array.from({ length: 100_000 }, (_, i) => planned(i));
    expect(splitIntoBatches(requests).map((b) => b.requests.length)).toEqual([100_000]);
  });

  it('splits on bytes with a few large requests, each batch body within the limit', () => {
    const large = Array.from({ length: 5 }, (_, i) => planned(i, 'y'.repeat(10_000)));
    const one = bodyBytes([large[0]!]);
    const limits = { maxRequests: 100_000, maxBytes: 2 * one + 200 };
    const batches = splitIntoBatches(large, limits);
    expect(batches.map((b) => b.requests.length)).toEqual([2, 2, 1]);
    for (const group of batches) expect(bodyBytes(group.requests)).toBeLessThanOrEqual(limits.maxBytes);
    expect(batches.flatMap((b) => b.requests)).toEqual(large);
    // Counted in bytes, not characters: multi-byte text fills a batch sooner.
    const wide = Array.from({ length: 4 }, (_, i) => planned(i, 'é'.repeat(5_000)));
    for (const group of splitIntoBatches(wide, limits)) {
      expect(bodyBytes(group.requests)).toBeLessThanOrEqual(limits.maxBytes);
      // The length the split measured is the create body's content-length: exact, or the upload fails.
      expect(group.bodyBytes).toBe(bodyBytes(group.requests));
    }
  });

  it('refuses a single request larger than a whole batch, naming it', () => {
    const huge = planned(7, 'z'.repeat(5_000));
    expect(() => splitIntoBatches([huge], { maxRequests: 10, maxBytes: 1_000 })).toThrow(new RegExp(huge.customId));
  });
});

describe('submit over the limit', () => {
  it('creates several batches, all recorded in the state, and collect reads them all', async () => {
    const emulator = await startAnthropicEmulator({ seed: 3, pollsUntilEnded: 0, responder: echoResponder });
    const repo = await makeRepo();
    cleanups.push(
      () => repo.cleanup(),
      () => emulator.close(),
    );
    const modules = ['a', 'b', 'c', 'd', 'e'];
    await repo.commit(Object.fromEntries(modules.map((m) => [`${m}/index.ts`, `export const ${m} = '${m}';\n`])), {
      date: new Date(Date.now() - 3_600_000),
    });
    const engine = await testEngine({
      repoDir: repo.dir,
      baseUrl: emulator.url,
      batchLimits: { maxRequests: 2, maxBytes: BATCH_LIMITS.maxBytes },
    });
    cleanups.push(engine.cleanup);

    const submitted = await submit(testConfig({ mode: 'submit', task: 'code-review', since: '24h' }), engine.deps);
    expect(submitted.requestCount).toBe(5);
    expect(submitted.batchIds).toHaveLength(3);
    expect(engine.outputs['batch-ids']).toBe(submitted.batchIds.join(','));

    const received = emulator.batches();
    expect(received.map((b) => b.id)).toEqual(submitted.batchIds);
    expect(received.map((b) => b.requests.length)).toEqual([2, 2, 1]);

    const [{ state }] = await engine.states();
    expect(state.batches.map((b) => [b.id, b.requestCount, b.attempt])).toEqual(
      received.map((b) => [b.id, b.requests.length, 0]),
    );
    // Every request points at the batch that really carries it.
    for (const batch of received) {
      for (const request of batch.requests) expect(state.requests[request.custom_id]!.batchId).toBe(batch.id);
    }
    expect(Object.keys(state.requests)).toHaveLength(5);

    const collected = await collect(testConfig({ mode: 'collect', task: '' }), engine.deps);
    expect(collected.status).toBe('collected');
    expect(collected.states[0]!.results!.findings.map((f) => f.path).sort()).toEqual(modules.map((m) => `${m}/index.ts`));
    expect(collected.states[0]!.results!.batchIds).toEqual(submitted.batchIds);
    const [{ state: after }] = await engine.states();
    expect(after.collectedAt).not.toBeNull();
    expect(after.batches.every((b) => b.resultsSaved)).toBe(true);
  });

  it('serialises each request once to size it and once to send it', async () => {
    const emulator = await startAnthropicEmulator({ seed: 5, pollsUntilEnded: 0, responder: echoResponder });
    const repo = await makeRepo();
    cleanups.push(
      () => repo.cleanup(),
      () => emulator.close(),
    );
    const engine = await testEngine({
      repoDir: repo.dir,
      baseUrl: emulator.url,
      batchLimits: { maxRequests: 2, maxBytes: 1 << 20 },
    });
    cleanups.push(engine.cleanup);
    // Each request's text counts the times JSON.stringify reaches it.
    let serialised = 0;
    const requests = Array.from({ length: 3 }, (_, i) => {
      const request = planned(i);
      const text = `file ${i}`;
      request.params.messages[0]!.content = { toJSON: () => (serialised++, text) } as never;
      return request;
    });
    const state = { requests: {}, batches: [] } as unknown as RunState;
    const created = await sendBatches(state, requests, engine.deps, 0);
    expect(created.map((b) => b.requestCount)).toEqual([2, 1]);
    expect(
      emulator
        .batches()
        .flatMap((b) => b.requests.map((r) => (r.params as { messages: { content: unknown }[] }).messages[0]!.content)),
    ).toEqual(['file 0', 'file 1', 'file 2']);
    // Sized once by the split, once more as the body streams out; never a third time for its length.
    expect(serialised).toBe(2 * requests.length);
  });

  it('a create that fails part-way keeps the batches already created in the state', async () => {
    const emulator = await startAnthropicEmulator({ seed: 4, pollsUntilEnded: 0, responder: echoResponder });
    const repo = await makeRepo();
    cleanups.push(
      () => repo.cleanup(),
      () => emulator.close(),
    );
    await repo.commit(Object.fromEntries(['a', 'b', 'c'].map((m) => [`${m}/index.ts`, `export const ${m} = 1;\n`])), {
      date: new Date(Date.now() - 3_600_000),
    });
    const engine = await testEngine({
      repoDir: repo.dir,
      baseUrl: emulator.url,
      batchLimits: { maxRequests: 1, maxBytes: BATCH_LIMITS.maxBytes },
    });
    cleanups.push(engine.cleanup);
    // The first batch is created; the second create hits the spend cap.
    spendCapAtCreate(engine, emulator, 2);
    await expect(submit(testConfig({ mode: 'submit', task: 'code-review', since: '24h' }), engine.deps)).rejects.toThrow(
      /spend limit/,
    );
    const states = await engine.states();
    expect(states).toHaveLength(1);
    expect(states[0]!.state.batches.map((b) => b.id)).toEqual([emulator.batches()[0]!.id]);
  });
});
