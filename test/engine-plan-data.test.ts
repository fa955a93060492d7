// A new data set in the window is accounted for in the plan with the reason 'data', not paid for
// (issue 13 item 5: a 2,738-line JSON data file cost ~16K tokens of a review).
import { afterEach, describe, expect, it } from 'vitest';
import { prepareWork } from '../src/engine/submit.js';
import { makeRepo } from './helpers/git-repo.js';
import { testConfig, testEngine } from './helpers/engine.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function stations(records: number): string {
  const out = ['['];
  for (let i = 0; i < records; i++)
    out.push('  {', `    "id": ${i},`, `    "name": "station ${i}",`, `    "zone": ${i % 5}`, i === records - 1 ? '  }' : '  },');
  out.push(']');
  return `${out.join('\n')}\n`;
}

describe('plan: data files', () => {
  it('skips a new 2,700-line data file with the reason "data" and reviews the code next to it', async () => {
    const repo = await makeRepo();
    await repo.commit({ 'README.md': '# app\n' }, { date: new Date(Date.now() - 72 * 3_600_000) });
    await repo.commit(
      {
        'src/data/stations.json': stations(540),
        'src/stations.ts': "import data from './data/stations.json';\nexport const count = (): number => data.length;\n",
      },
      { date: new Date(Date.now() - 3_600_000) },
    );
    const engine = await testEngine({ repoDir: repo.dir, baseUrl: 'http://127.0.0.1:9' });
    cleanups.push(async () => {
      await engine.cleanup();
      await repo.cleanup();
    });
    const work = await prepareWork(
      testConfig({ mode: 'submit', task: 'code-review', since: '24h', 'dry-run': 'true' }, {}),
      engine.deps,
      false,
    );
    expect(work.changeSet.skipped).toContainEqual({ path: 'src/data/stations.json', reason: 'data' });
    expect(work.requests.flatMap((r) => r.record.paths)).toEqual(['src/stations.ts']);
  });
});
