// Batch results arrive in any order (API-NOTES.md): the engine must attach each answer to the request
// it belongs to by custom_id, never by position. The emulator serves results in a seeded shuffle and a
// scripted model echoes the path and the first line it was sent, so a mix-up shows as a finding on
// the wrong file (or a lost one).
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '../src/engine/collect.js';
import { submit } from '../src/engine/submit.js';
import { startAnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { makeRepo } from './helpers/git-repo.js';
import { echoResponder, testConfig, testEngine } from './helpers/engine.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MODULES = [
  'auth',
  'billing',
  'cart',
  'catalog',
  'checkout',
  'email',
  'inventory',
  'orders',
  'payments',
  'reports',
  'search',
  'users',
];

describe('results in any order map back to their files', () => {
  it('every finding lands on the file whose request it answered', async () => {
    const emulator = await startAnthropicEmulator({ seed: 20261122, pollsUntilEnded: 0, responder: echoResponder });
    const repo = await makeRepo();
    cleanups.push(
      () => repo.cleanup(),
      () => emulator.close(),
    );
    // One file per directory, so none are packed together: one request each. The first line of each
    // file names its module, which the echoed finding quotes back.
    await repo.commit(
      Object.fromEntries(
        MODULES.map((m) => [
          `src/${m}/service.ts`,
          `export const module_${m} = '${m}';\nexport function run(): string {\n  return module_${m};\n}\n`,
        ]),
      ),
      { date: new Date(Date.now() - 3_600_000) },
    );
    const engine = await testEngine({ repoDir: repo.dir, baseUrl: emulator.url });
    cleanups.push(engine.cleanup);

    const submitted = await submit(testConfig({ mode: 'submit', task: 'code-review', since: '24h' }), engine.deps);
    expect(submitted.requestCount).toBe(MODULES.length);

    const collected = await collect(testConfig({ mode: 'collect', task: '', 'max-retries': '0' }), engine.deps);
    expect(collected.status).toBe('collected');
    const results = collected.states[0]!.results!;

    // The order really was shuffled (else this test would prove nothing).
    const [batch] = emulator.batches();
    const sentOrder = batch!.requests.map((r) => r.custom_id);
    const servedOrder = batch!.results!.map((r) => r.custom_id);
    expect(servedOrder).not.toEqual(sentOrder);
    expect([...servedOrder].sort()).toEqual([...sentOrder].sort());

    const [{ state }] = await engine.states();
    expect(results.failures).toEqual([]);
    expect(results.findings).toHaveLength(MODULES.length);
    expect(results.findings.map((f) => f.path).sort()).toEqual(MODULES.map((m) => `src/${m}/service.ts`).sort());
    for (const finding of results.findings) {
      const module = /^src\/([a-z]+)\/service\.ts$/.exec(finding.path)![1]!;
      // The answer's own words name this file: it came from this file's request.
      expect(finding.title).toBe(`echo ${finding.path}`);
      expect(finding.explanation).toContain(`module_${module} = '${module}'`);
      expect(finding.startLine).toBe(1);
      // And the custom_id it carries is the request that sent this file.
      expect(state.requests[finding.customId]!.paths).toEqual([finding.path]);
      const sent = batch!.requests.find((r) => r.custom_id === finding.customId)!;
      expect(JSON.stringify(sent.params)).toContain(`<file path=\\"${finding.path}\\"`);
    }

    // results.jsonl: one line per request, each with the paths of its own request.
    const lines = (await readFile(results.resultsPath, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { customId: string; paths: string[] });
    expect(lines.map((l) => l.customId)).toEqual(servedOrder);
    for (const line of lines) expect(line.paths).toEqual(state.requests[line.customId]!.paths);
  });
});
