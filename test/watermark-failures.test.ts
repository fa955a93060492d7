// The watermark (`since: last`) must never step over work that was not done: requests a failed submit
// never sent, and requests whose answers failed for good, are sent again by the next submit.
import { afterEach, describe, expect, it } from 'vitest';
import { BATCH_LIMITS } from '../src/batch/client.js';
import { startAnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { submit } from '../src/engine/submit.js';
import { collect } from '../src/engine/collect.js';
import { makeRepo } from './helpers/git-repo.js';
import { spendCapAtCreate } from './helpers/faults.js';
import { echoResponder, testConfig, testEngine, TestClock } from './helpers/engine.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(maxRequests = BATCH_LIMITS.maxRequests) {
  const emulator = await startAnthropicEmulator({ seed: 9, pollsUntilEnded: 0, responder: echoResponder });
  const repo = await makeRepo();
  const clock = new TestClock(new Date('2026-11-20T02:00:00Z'));
  const engine = await testEngine({
    repoDir: repo.dir,
    baseUrl: emulator.url,
    clock,
    batchLimits: { maxRequests, maxBytes: BATCH_LIMITS.maxBytes },
  });
  cleanups.push(repo.cleanup, () => emulator.close(), engine.cleanup);
  await repo.commit({ 'README.md': '# x\n' }, { date: new Date('2026-11-10T00:00:00Z') });
  await repo.commit(Object.fromEntries(['a', 'b', 'c'].map((m) => [`${m}/index.ts`, `export const ${m} = 1;\n`])), {
    date: new Date('2026-11-19T20:00:00Z'),
  });
  return { emulator, engine, clock };
}

const sentPaths = (batches: { requests: { params: unknown }[] }[]): string[] =>
  batches
    .flatMap((b) => b.requests.map((r) => JSON.stringify(r.params)))
    .flatMap((text) => [...text.matchAll(/path=\\"([^"\\]+)\\"/g)].map((m) => m[1]!))
    .sort();

describe('since: last after a failure', () => {
  it('sends next time what a submit that failed part-way never sent', async () => {
    const { emulator, engine, clock } = await setup(1);
    const plainClient = spendCapAtCreate(engine, emulator, 2);
    await expect(submit(testConfig({ mode: 'submit', task: 'code-review' }), engine.deps)).rejects.toThrow(/spend limit/);
    const first = (await engine.states())[0]!.state;
    expect(Object.keys(first.requests)).toHaveLength(1);
    expect(first.skipped.filter((s) => s.reason === 'not-sent').map((s) => s.path)).toHaveLength(2);
    const sentFirst = sentPaths(emulator.batches());

    plainClient();
    await clock.sleep(86_400_000);
    await submit(testConfig({ mode: 'submit', task: 'code-review' }), engine.deps);
    const all = sentPaths(emulator.batches());
    // Every file sent exactly once across both nights.
    expect(all).toEqual(['a/index.ts', 'b/index.ts', 'c/index.ts']);
    expect(sentFirst).toHaveLength(1);
  });

  it('sends again the file whose answer failed for good', async () => {
    const { emulator, engine, clock } = await setup();
    await submit(testConfig({ mode: 'submit', task: 'code-review' }), engine.deps);
    const state = (await engine.states())[0]!.state;
    const [malformedId] = Object.entries(state.requests).find(([, r]) => r.paths.includes('b/index.ts'))!;
    emulator.faults.result(malformedId, { type: 'malformed' });
    // The fault applies to results read from now on: end and collect the batch.
    await collect(testConfig({ mode: 'collect', task: '' }), engine.deps);
    const collected = (await engine.states())[0]!.state;
    expect(collected.requests[malformedId]!.failed).toBe(true);

    await clock.sleep(86_400_000);
    const second = await submit(testConfig({ mode: 'submit', task: 'code-review' }), engine.deps);
    expect(second.requestCount).toBe(1);
    expect(sentPaths([emulator.batches().at(-1)!])).toEqual(['b/index.ts']);
  });
});
