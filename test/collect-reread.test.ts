// After claiming a round, collect checks the state again (another collect may have saved a revision
// between the listing and the claim). It reads a state in full again only when it was saved since:
// a revision saved in between is used, not overwritten with the stale copy; an unchanged state is not
// read a second time (at 100,000 requests that second read was ~200 MB of allocation).
import { afterEach, describe, expect, it } from 'vitest';
import { startAnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { submit } from '../src/engine/submit.js';
import { collect } from '../src/engine/collect.js';
import type { ListOptions, StateStore } from '../src/state/store.js';
import type { RunState } from '../src/state/state.js';
import { makeRepo } from './helpers/git-repo.js';
import { echoResponder, testConfig, testEngine, TestClock } from './helpers/engine.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function submitted() {
  const emulator = await startAnthropicEmulator({ seed: 3, pollsUntilEnded: 0, responder: echoResponder });
  const repo = await makeRepo();
  const engine = await testEngine({
    repoDir: repo.dir,
    baseUrl: emulator.url,
    clock: new TestClock(new Date('2026-11-20T02:00:00Z')),
  });
  cleanups.push(repo.cleanup, () => emulator.close(), engine.cleanup);
  await repo.commit({ 'README.md': '# x\n' }, { date: new Date('2026-11-10T00:00:00Z') });
  await repo.commit(Object.fromEntries(['a', 'b'].map((m) => [`${m}/index.ts`, `export const ${m} = 1;\n`])), {
    date: new Date('2026-11-19T20:00:00Z'),
  });
  await submit(testConfig({ mode: 'submit', task: 'code-review' }), engine.deps);
  return engine;
}

/**
 * The engine's store, recording for each listing whose requests were read in full; after the first
 * listing, `between` runs (another collect saving a revision, or nothing).
 */
function watchedStore(store: StateStore, between: () => Promise<void>) {
  const listings: boolean[][] = [];
  const watched = Object.create(store) as StateStore;
  watched.list = async (task, options: ListOptions = {}) => {
    const read: boolean[] = [];
    listings.push(read);
    const listed = await store.list(task, {
      withRequests: (head) => {
        const full = options.withRequests?.(head) ?? true;
        read.push(full);
        return full;
      },
    });
    if (listings.length === 1) await between();
    return listed;
  };
  return { watched, listings };
}

describe('collect after its claim', () => {
  it('uses a revision another collect saved between the listing and the claim', async () => {
    const engine = await submitted();
    const [{ id, state }] = (await engine.states()) as [{ id: string; state: RunState }];
    const { watched, listings } = watchedStore(engine.store, async () => {
      await engine.store.update(id, { ...state, published: { 'earlier:note': 'saved by another collect' } });
    });
    engine.deps.store = watched;
    const collected = await collect(testConfig({ mode: 'collect', task: 'code-review' }), engine.deps);
    expect(collected.status).toBe('collected');
    // The second listing read the changed state in full, and the final revision kept what the other saved.
    expect(listings[1]).toEqual([true]);
    const [after] = await engine.states();
    expect(after!.state.collectedAt).not.toBeNull();
    expect(after!.state.published['earlier:note']).toBe('saved by another collect');
    expect(Object.keys(after!.state.requests)).toHaveLength(Object.keys(state.requests).length);
  });

  it('does not read an unchanged state a second time', async () => {
    const engine = await submitted();
    const { watched, listings } = watchedStore(engine.store, async () => {});
    engine.deps.store = watched;
    const collected = await collect(testConfig({ mode: 'collect', task: 'code-review' }), engine.deps);
    expect(collected.status).toBe('collected');
    expect(listings.slice(0, 2)).toEqual([[true], [false]]);
    expect(collected.states[0]!.results!.succeeded).toBeGreaterThan(0);
  });
});
