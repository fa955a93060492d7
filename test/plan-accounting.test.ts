// Every changed file is accounted for in the plan: sent, or skipped with a reason; and the task's own
// filter comes before max-files, so prose docs do not eat code-review's slots silently.
import { afterEach, describe, expect, it } from 'vitest';
import { prepareWork } from '../src/engine/submit.js';
import { makeRepo, type TestRepo } from './helpers/git-repo.js';
import { testConfig, testEngine, type TestEngine } from './helpers/engine.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

const lines = (n: number, label = 'line'): string => Array.from({ length: n }, (_, i) => `${label} ${i + 1}`).join('\n') + '\n';

async function setup(): Promise<{ repo: TestRepo; engine: TestEngine; first: string }> {
  const repo = await makeRepo();
  cleanups.push(repo.cleanup);
  const engine = await testEngine({ repoDir: repo.dir, baseUrl: 'http://127.0.0.1:9' });
  cleanups.push(engine.cleanup);
  const first = await repo.commit({ 'src/old.ts': lines(3), 'src/gone.ts': 'x\n' });
  return { repo, engine, first };
}

describe('the plan accounts for every changed file', () => {
  it('code-review with docs and a small max-files: docs are not-for-task, the cap goes to code', async () => {
    const { repo, engine, first } = await setup();
    const changed = {
      'docs/guide.md': lines(90),
      'docs/api.md': lines(80),
      'README.md': lines(70),
      'src/a.ts': lines(5, 'a'),
      'src/b.ts': lines(4, 'b'),
      'src/c.ts': lines(3, 'c'),
      'src/old.ts': lines(4),
      'package-lock.json': '{"lockfileVersion": 3}\n',
      'src/gone.ts': null,
    };
    await repo.commit(changed);
    const config = testConfig({ task: 'code-review', since: first, 'max-files': '3', 'dry-run': 'true' }, {});
    const work = await prepareWork(config, engine.deps, false);
    const sent = [...new Set(work.requests.flatMap((r) => r.record.paths))].sort();
    expect(sent).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts']);
    const reasons = Object.fromEntries(work.changeSet.skipped.map((s) => [s.path, s.reason]));
    expect(reasons).toEqual({
      'docs/guide.md': 'not-for-task',
      'docs/api.md': 'not-for-task',
      'README.md': 'not-for-task',
      'src/old.ts': 'max-files',
      'package-lock.json': 'lockfile',
      'src/gone.ts': 'deleted',
    });
    expect(work.changeSet.skipped.find((s) => s.path === 'README.md')?.detail).toBe('code-review');
    // Each changed file exactly once: sent or skipped.
    expect([...sent, ...Object.keys(reasons)].sort()).toEqual(Object.keys(changed).sort());
  });

  it('refactor-validation: a file the task declines after gathering (added) is listed, not dropped silently', async () => {
    const { repo, engine, first } = await setup();
    await repo.commit({ 'src/new.ts': lines(4, 'n'), 'src/old.ts': lines(5) });
    const config = testConfig({ task: 'refactor-validation', since: first, 'dry-run': 'true' }, {});
    const work = await prepareWork(config, engine.deps, false);
    expect(work.requests.flatMap((r) => r.record.paths)).toEqual(['src/old.ts']);
    expect(work.changeSet.skipped).toContainEqual(expect.objectContaining({ path: 'src/new.ts', reason: 'not-for-task' }));
    expect(work.changeSet.files.map((f) => f.path)).toEqual(['src/old.ts']);
  });
});
