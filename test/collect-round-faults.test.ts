// Three faults of collect's rounds, each against the Anthropic emulator:
// - two nights collected together as one report, where the newer night's review of a file failed: the
//   older night's findings on that file are not superseded by a review that has no answer;
// - a results stream that answers 404 part-way through: the results already read are counted once,
//   and only the requests not yet seen are reported as lost;
// - a resubmission of requests at different attempts: each keeps its own attempt count (one failing
//   for the first time is not charged a retry it never had).
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { echoResponder, quietLog, TEST_API_KEY, testConfig, testEngine, type TestEngine } from './helpers/engine.js';
import { makeRepo } from './helpers/git-repo.js';
import { startAnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { submit } from '../src/engine/submit.js';
import { collect } from '../src/engine/collect.js';
import { resubmit } from '../src/engine/resubmit.js';
import { FileSource } from '../src/engine/file-source.js';
import { ResultsWriter } from '../src/engine/results.js';
import { getTask } from '../src/tasks/index.js';
import { FatalApiError } from '../src/batch/retry.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A source file of `lines` lines: big enough that two of them are two requests (units pack up to 600 lines). */
const source = (name: string, lines: number, change = ''): string =>
  [`export const ${name} = 1;`, ...Array.from({ length: lines - 1 }, (_, i) => `export const ${name}${i} = ${i}${change};`)].join(
    '\n',
  ) + '\n';

/** A repository with a README from three days ago and `changed` an hour ago, an echo model and an engine. */
async function echoEngine(changed: Record<string, string>) {
  const repo = await makeRepo();
  const emulator = await startAnthropicEmulator({
    apiKeys: [TEST_API_KEY],
    pollsUntilEnded: 0,
    responder: echoResponder,
    seed: 11,
  });
  await repo.commit({ 'README.md': '# app\n' }, { date: new Date(Date.now() - 72 * 3_600_000) });
  await repo.commit(changed, { date: new Date(Date.now() - 3_600_000) });
  const engine = await testEngine({ repoDir: repo.dir, baseUrl: emulator.url });
  cleanups.push(async () => {
    await engine.cleanup();
    await emulator.close();
    await repo.cleanup();
  });
  return { repo, emulator, engine };
}

const newestStateOf = async (engine: TestEngine) => (await engine.states()).at(-1)!;

describe('collect rounds', () => {
  it('a newer night whose review of a file failed does not erase the older night’s findings on it', async () => {
    const { repo, emulator, engine } = await echoEngine({ 'src/app.ts': source('app', 20) });
    const config = { mode: 'submit', task: 'code-review', since: '24h' };
    expect((await submit(testConfig(config), engine.deps)).status).toBe('submitted');
    // The next night: the file changed below its first line (the older finding's code is still there).
    await repo.commit({ 'src/app.ts': source('app', 20, ' + 1') });
    expect((await submit(testConfig({ ...config, since: 'last' }), engine.deps)).status).toBe('submitted');
    const newer = await newestStateOf(engine);
    const [newerId] = Object.keys(newer.state.requests);
    emulator.faults.result(newerId!, { type: 'errored', errorType: 'invalid_request_error', message: 'prompt is too long' });

    const collected = await collect(testConfig({ mode: 'collect', task: 'code-review' }), engine.deps);
    expect(collected.rounds).toHaveLength(1);
    const round = collected.rounds[0]!;
    expect(round.stateIds).toHaveLength(2);
    expect(round.results.failures.map((f) => f.customId)).toEqual([newerId]);
    // The older night's finding is the only review of the file that came back: it is reported.
    expect(round.results.findings.map((f) => f.title)).toEqual(['echo src/app.ts']);
  });

  it('a results stream that answers 404 part-way counts what it read once and reports only the rest as lost', async () => {
    const { engine } = await echoEngine({
      'src/a.ts': source('a', 400),
      'src/b.ts': source('b', 400),
      'src/c.ts': source('c', 400),
    });
    expect((await submit(testConfig({ mode: 'submit', task: 'code-review', since: '24h' }), engine.deps)).status).toBe(
      'submitted',
    );
    const make = engine.deps.anthropic;
    engine.deps.anthropic = () => {
      const client = make();
      const read = client.results.bind(client);
      // The batch's results are deleted after the first line was read.
      client.results = async function* (id: string) {
        let lines = 0;
        for await (const line of read(id)) {
          if (lines++ === 1) throw new FatalApiError(`results of ${id} not found (404)`, 404);
          yield line;
        }
      };
      return client;
    };
    const collected = await collect(testConfig({ mode: 'collect', task: 'code-review' }), engine.deps);
    const results = collected.rounds[0]!.results;
    expect(results.received).toBe(3);
    expect(results.succeeded).toBe(1);
    expect(results.failures).toHaveLength(2);
    expect(results.findings).toHaveLength(1);
    const lines = readFileSync(results.resultsPath, 'utf8').trim().split('\n');
    expect(new Set(lines.map((l) => (JSON.parse(l) as { customId: string }).customId)).size).toBe(3);
    expect(lines).toHaveLength(3);
  });

  it('resubmitting requests at different attempts keeps each one’s own attempt number', async () => {
    const { repo, engine } = await echoEngine({ 'src/a.ts': source('a', 400), 'src/b.ts': source('b', 400) });
    expect((await submit(testConfig({ mode: 'submit', task: 'code-review', since: '24h' }), engine.deps)).status).toBe(
      'submitted',
    );
    const stored = await newestStateOf(engine);
    const ids = Object.keys(stored.state.requests).sort();
    expect(ids).toHaveLength(2);
    const [once, first] = ids as [string, string];
    // `once` was resubmitted before and failed again; `first` fails for the first time.
    stored.state.requests[once]!.attempt = 1;
    const config = testConfig({ mode: 'collect', task: 'code-review', 'max-retries': '2' });
    const files = new FileSource(repo.dir, quietLog, new Set());
    const writer = new ResultsWriter(
      `${engine.workDir}/r.jsonl`,
      'code-review',
      { severity: 'low', confidence: 'possible' },
      {},
      true,
    );
    try {
      await resubmit(stored, [once, first], {
        task: getTask('code-review'),
        files,
        results: writer.results,
        config,
        deps: engine.deps,
      });
    } finally {
      files.close();
      await writer.close();
    }
    const saved = (await engine.states()).find((s) => s.id === stored.id)!.state;
    expect(saved.requests[once]!.attempt).toBe(2);
    expect(saved.requests[first]!.attempt).toBe(1);
    // Each in a batch of its own attempt.
    const batchOf = (id: string) => saved.batches.find((b) => b.id === saved.requests[id]!.batchId)!;
    expect(batchOf(once).attempt).toBe(2);
    expect(batchOf(first).attempt).toBe(1);
  });
});
