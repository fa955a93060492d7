// The verification round (issue 19 item 7), end to end against the Anthropic and GitHub emulators: a
// night of security-scan over three files, each with a high finding (and one low one). The collect
// that receives the first answers publishes nothing: it sends the high findings to a verification
// batch. The next collect publishes the night once: the finding the verifier dropped is absent from
// the issue and the SARIF but in the results with its reason; the kept one is posted; the one whose
// verification request errored is posted, marked unverified; the low one is posted without a check;
// the verification has its own cost line. A collect that dies between creating the verification batch
// and saving it leaves a record the next collect resumes by adopting that batch, not paying twice.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Log } from 'sarif';
import {
  isVerificationRequest,
  startAnthropicEmulator,
  verifyingResponder,
  type AnthropicEmulator,
  type Responder,
} from '../src/emulator/anthropic/index.js';
import { createOctokit } from '../src/github/octokit.js';
import { submit } from '../src/engine/submit.js';
import { collect } from '../src/engine/collect.js';
import type { RunState } from '../src/state/state.js';
import { FatalApiError } from '../src/batch/retry.js';
import { makeRepo } from './helpers/git-repo.js';
import { filesUnder, firstLineFindings, quietLog, TestClock, testConfig, testEngine, type TestEngine } from './helpers/engine.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { buildSecretsCorpus } from './helpers/secrets-corpus.js';

const owner = 'acme';
const repo = 'shop';

const file = (name: string): string =>
  [
    `export function ${name}(db, req) {`,
    `  const id = req.query.id;`,
    `  return db.query("SELECT * FROM ${name} WHERE id = " + id);`,
    '}',
    '',
  ].join('\n');

const FILES = { 'src/kept.js': file('kept'), 'src/dropped.js': file('dropped'), 'src/errored.js': file('errored') };

/** The first pass: a high SQL injection on each file's first line; kept.js also gets a low finding on its second. */
const firstPass: Responder = (params) => {
  const findings = firstLineFindings(params, (block) => ({
    trigger: 'req.query.id → db.query → read any row',
    severity: 'high',
    confidence: 'certain',
    category: 'sql-injection',
    cwe: 'CWE-89',
    title: `Injection in ${block.path}`,
    explanation: 'The id goes into the SQL text.',
    suggested_fix: null,
  }));
  const kept = findings.find((f) => f.path === 'src/kept.js');
  if (kept) {
    findings.push({
      ...kept,
      start_line: 2,
      end_line: 2,
      quote: '  const id = req.query.id;',
      severity: 'low',
      category: 'unvalidated-input',
      cwe: 'CWE-20',
      title: 'Unvalidated id in src/kept.js',
    });
  }
  return JSON.stringify({ summary: 'checked', findings });
};

/** A token the verifier repeats in a reason: scanned out like any text a model writes. */
const TOKEN = buildSecretsCorpus(19).secrets.find((s) => s.kind === 'github-pat')!.value;

/** The verifier drops the finding on dropped.js and keeps the rest (quoting a token in one reason). */
const model = verifyingResponder(
  (finding) =>
    finding.title.includes('dropped.js')
      ? { decision: 'drop', reason: 'id is cast to a number two lines up; the query cannot be injected', confidence: 'certain' }
      : finding.title.includes('kept.js')
        ? { decision: 'keep', reason: `line 3 builds the query from req.query.id (deploy token ${TOKEN})`, confidence: 'certain' }
        : 'keep',
  firstPass,
);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Night {
  anthropic: AnthropicEmulator;
  gh: GitHubEmulator;
  engine: TestEngine;
  clock: TestClock;
  newEngine(): Promise<TestEngine>;
}

async function night(submitInputs: Record<string, string> = {}): Promise<Night> {
  const anthropic = await startAnthropicEmulator({ seed: 7, pollsUntilEnded: 0, responder: model });
  const gh = await startGitHubEmulator({ owner, repo });
  const git = await makeRepo();
  const clock = new TestClock(new Date('2026-11-02T02:00:00Z'));
  const newEngine = async (workDir?: string): Promise<TestEngine> => {
    const engine = await testEngine({ repoDir: git.dir, baseUrl: anthropic.url, clock, ...(workDir ? { workDir } : {}) });
    engine.deps.github = {
      octokit: createOctokit({ token: 'ghs_test', baseUrl: gh.url, log: quietLog, minWriteIntervalMs: 0 }),
      owner,
      repo,
      serverUrl: 'https://github.com',
      readOnly: false,
    };
    return engine;
  };
  const engine = await newEngine();
  sarifDir = engine.workDir;
  cleanups.push(
    git.cleanup,
    () => anthropic.close(),
    () => gh.close(),
    engine.cleanup,
  );
  await git.commit({ 'README.md': '# shop\n' }, { date: new Date(clock.now().getTime() - 3 * 86_400_000) });
  await git.commit(FILES, { date: new Date(clock.now().getTime() - 3_600_000) });
  expect((await submit(testConfig({ mode: 'submit', task: 'security-scan', ...submitInputs }), engine.deps)).status).toBe(
    'submitted',
  );
  return { anthropic, gh, engine, clock, newEngine: () => newEngine(engine.workDir) };
}

let sarifDir = '';
const collectConfig = (extra: Record<string, string> = {}) =>
  testConfig({
    mode: 'collect',
    task: 'security-scan',
    report: 'issue,sarif,summary',
    'sarif-path': join(sarifDir, 'overnight.sarif'),
    ...extra,
  });

async function onlyState(engine: TestEngine): Promise<RunState> {
  const states = await engine.states();
  expect(states).toHaveLength(1);
  return states[0]!.state;
}

const verificationBatches = (anthropic: AnthropicEmulator) =>
  anthropic.batches().filter((b) => b.requests.some((r) => isVerificationRequest(r.params as never)));

describe('the verification round', () => {
  it('first collect sends the verification; the second publishes once: dropped off GitHub but in the results, kept and errored posted, with a cost line', async () => {
    const { anthropic, gh, engine } = await night();

    const first = await collect(collectConfig(), engine.deps);
    expect(first.status).toBe('pending');
    expect(first.rounds).toHaveLength(0);
    expect(gh.store.issues).toHaveLength(0);
    const held = await onlyState(engine);
    expect(held.verification?.batchIds).toHaveLength(1);
    // One request per file, each with its high finding; the low finding is not sent.
    expect(
      Object.values(held.verification!.requests)
        .map((r) => r.path)
        .sort(),
    ).toEqual(['src/dropped.js', 'src/errored.js', 'src/kept.js']);
    expect(Object.values(held.verification!.requests).every((r) => r.findings.length === 1)).toBe(true);
    const [verifyBatch] = verificationBatches(anthropic);
    expect(verifyBatch!.requests).toHaveLength(3);
    // The whole file goes with the finding.
    const keptRequest = verifyBatch!.requests.find((r) => JSON.stringify(r.params).includes('src/kept.js'))!;
    expect(JSON.stringify(keptRequest.params)).toContain('SELECT * FROM kept WHERE id');
    // The verification request of errored.js fails when its batch ends.
    const erroredId = Object.entries(held.verification!.requests).find(([, r]) => r.path === 'src/errored.js')![0];
    anthropic.faults.result(erroredId, { type: 'errored', errorType: 'api_error' });

    const second = await collect(collectConfig(), engine.deps);
    expect(second.status).toBe('collected');
    expect(second.rounds).toHaveLength(1);
    const round = second.rounds[0]!;

    // GitHub: one issue, without the dropped finding.
    expect(gh.store.issues).toHaveLength(1);
    const body = gh.store.issues[0]!.body ?? '';
    expect(body).toContain('Injection in src/kept.js');
    expect(body).toContain('Injection in src/errored.js');
    expect(body).toContain('Unvalidated id in src/kept.js');
    expect(body).not.toContain('Injection in src/dropped.js');
    expect(body).toContain('1 finding dropped by the verification pass');
    // SARIF: the same three.
    const sarif = JSON.parse(readFileSync(engine.outputs['sarif-path']!, 'utf8')) as Log;
    const messages = sarif.runs[0]!.results!.map((r) => r.message.text ?? '');
    expect(messages.some((m) => m.includes('src/dropped.js'))).toBe(false);
    expect(messages.filter((m) => /Injection in src\/(kept|errored)\.js/.test(m))).toHaveLength(2);

    // The results keep the dropped finding, with the verifier's reason.
    const jsonl = readFileSync(round.results.resultsPath, 'utf8');
    expect(jsonl).toContain('Injection in src/dropped.js');
    expect(jsonl).toContain('id is cast to a number two lines up');
    const resultsJson = JSON.parse(readFileSync(join(dirname(round.results.resultsPath), 'results.json'), 'utf8')) as {
      runReport: { units: { planned: number; unaccounted: number }; retries: { firstPass: { total: number } | null } };
      verification: { dropped: { finding: { path: string }; reason: string }[] };
    };
    // The run report counts the night's one request (the three files), not the verification's three
    // checks as units of the night too (it said 4 planned, 3 with no answer).
    expect(resultsJson.runReport.units.planned).toBe(1);
    expect(resultsJson.runReport.units.unaccounted).toBe(0);
    expect(resultsJson.runReport.retries.firstPass?.total).toBe(1);
    expect(resultsJson.verification.dropped).toMatchObject([
      { finding: { path: 'src/dropped.js' }, reason: 'id is cast to a number two lines up; the query cannot be injected' },
    ]);
    // The kept finding carries the verifier's reason, the token in it redacted everywhere.
    const kept = round.results.findings.find((f) => f.path === 'src/kept.js' && f.severity === 'high');
    expect(kept?.verification).toMatchObject({ decision: 'kept', reason: expect.stringContaining('line 3 builds the query') });
    for (const path of await filesUnder(engine.workDir)) expect(readFileSync(path, 'utf8')).not.toContain(TOKEN);
    const verification = round.results.verification!;
    expect(verification.dropped.map((d) => d.finding.path)).toEqual(['src/dropped.js']);
    expect(verification.kept).toBe(1);
    expect(verification.unverified).toBe(1);
    const errored = round.results.findings.find((f) => f.path === 'src/errored.js' && f.severity === 'high');
    expect(errored?.verification?.decision).toBe('unverified');
    const low = round.results.findings.find((f) => f.severity === 'low');
    expect(low?.verification).toBeUndefined();

    // The job summary: a cost line for verification, and the dropped finding at the tail with why.
    const summary = readFileSync(round.reports.find((r) => r.target === 'summary')!.path!, 'utf8');
    expect(summary).toMatch(/\| of which verification \(3 requests: 1 kept, 1 dropped, 1 unverified\) \| \$\d/);
    const tail = summary.slice(summary.indexOf('Dropped by verification, not posted (1)'));
    expect(summary).toContain('Dropped by verification, not posted (1)');
    expect(tail).toContain('Injection in src/dropped.js');
    expect(tail).toContain('id is cast to a number two lines up');
    expect(verification.usage.costUsd).toBeGreaterThan(0);
    expect(round.results.usage.costUsd).toBeGreaterThan(verification.usage.costUsd);

    // Published once: the state is collected and the next collect has nothing to do.
    const done = await onlyState(engine);
    expect(done.collectedAt).not.toBeNull();
    expect(done.verification).toBeUndefined();
    expect((await collect(collectConfig(), engine.deps)).status).toBe('nothing-to-do');
    expect(gh.store.issues).toHaveLength(1);
    expect(verificationBatches(anthropic)).toHaveLength(1);
  });

  it('a collect that dies after creating the verification batch, before saving it, is resumed by adopting that batch', async () => {
    const { anthropic, gh, engine, newEngine } = await night();
    // The store refuses the revision that records the verification batch: the process dies there.
    const update = engine.store.update.bind(engine.store);
    engine.deps.store = Object.assign(Object.create(engine.store) as typeof engine.store, {
      update: async (id: string, state: RunState) => {
        if (state.verification && state.verification.batchIds.length > 0) throw new Error('killed');
        return update(id, state);
      },
    });
    await expect(collect(collectConfig(), engine.deps)).rejects.toThrow('killed');
    expect(verificationBatches(anthropic)).toHaveLength(1);
    const saved = await onlyState(engine);
    expect(saved.verification?.batchIds).toEqual([]);

    const rerun = await newEngine();
    const resumed = await collect(collectConfig(), rerun.deps);
    expect(resumed.status).toBe('pending');
    // Adopted, not sent again.
    expect(verificationBatches(anthropic)).toHaveLength(1);
    expect((await onlyState(rerun)).verification?.batchIds).toEqual([verificationBatches(anthropic)[0]!.id]);

    const published = await collect(collectConfig(), rerun.deps);
    expect(published.status).toBe('collected');
    expect(gh.store.issues).toHaveLength(1);
    expect(gh.store.issues[0]!.body).not.toContain('Injection in src/dropped.js');
    expect(verificationBatches(anthropic)).toHaveLength(1);
  });

  it('a verification batch whose results are gone publishes its findings, all unverified', async () => {
    const { gh, engine } = await night();
    expect((await collect(collectConfig(), engine.deps)).status).toBe('pending');
    const [verifyBatch] = (await onlyState(engine)).verification!.batchIds;
    const make = engine.deps.anthropic;
    engine.deps.anthropic = () => {
      const client = make();
      const read = client.results.bind(client);
      client.results = (id: string) => {
        if (id === verifyBatch) throw new FatalApiError(`results of ${id} not found (404)`, 404);
        return read(id);
      };
      return client;
    };
    const published = await collect(collectConfig(), engine.deps);
    expect(published.status).toBe('collected');
    const verification = published.rounds[0]!.results.verification!;
    expect(verification).toMatchObject({ checked: 0, kept: 0, dropped: [], unverified: 3 });
    const body = gh.store.issues[0]!.body ?? '';
    for (const name of ['kept', 'dropped', 'errored']) expect(body).toContain(`Injection in src/${name}.js`);
  });

  it('with verify: false, or over max-cost-usd, the first collect publishes at once; over budget it says why', async () => {
    const off = await night();
    const unverified = await collect(collectConfig({ verify: 'false' }), off.engine.deps);
    expect(unverified.status).toBe('collected');
    expect(verificationBatches(off.anthropic)).toHaveLength(0);
    expect(off.gh.store.issues[0]!.body).toContain('Injection in src/dropped.js');

    const tight = await night();
    const overBudget = await collect(collectConfig({ 'max-cost-usd': '0.000001' }), tight.engine.deps);
    expect(overBudget.status).toBe('collected');
    expect(verificationBatches(tight.anthropic)).toHaveLength(0);
    expect(overBudget.rounds[0]!.results.verification?.skipped).toMatch(/it would pass the budget: max-cost-usd/);
    const summary = readFileSync(overBudget.rounds[0]!.reports.find((r) => r.target === 'summary')!.path!, 'utf8');
    // (the summary escapes `$` for GitHub's math rendering)
    expect(summary).toMatch(
      /Verification skipped: it would pass the budget: max-cost-usd .+ already committed tonight\) leaves /,
    );
  });
  it('counts the verification against the night and the month: what it commits is added to what the submit committed', async () => {
    const { anthropic, engine } = await night({ 'max-cost-usd': '10', 'monthly-budget-usd': '100' });
    const submitted = (await onlyState(engine)).budget!.committedUsd;
    expect(submitted).toBeGreaterThan(0);
    expect((await collect(collectConfig(), engine.deps)).status).toBe('pending');
    expect(verificationBatches(anthropic)).toHaveLength(1);
    const state = await onlyState(engine);
    expect(state.budget!.committedUsd).toBeGreaterThan(submitted);
    expect(state.budget!.committedUsd).toBeCloseTo(submitted + state.verification!.estimatedUsd, 9);
  });

  it('past deliver-by, the night is published by the collect that receives it, not held for a second batch', async () => {
    const { anthropic, gh, engine, clock } = await night({ 'deliver-by': '1h' });
    await clock.sleep(2 * 3_600_000);
    const collected = await collect(collectConfig(), engine.deps);
    expect(collected.status).toBe('collected');
    expect(verificationBatches(anthropic)).toHaveLength(0);
    expect(collected.rounds[0]!.results.verification?.skipped).toMatch(/^deliver-by 1h has passed/);
    expect(gh.store.issues).toHaveLength(1);
  });
});
