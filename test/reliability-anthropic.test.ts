// Reliability under Anthropic faults (docs/RELIABILITY.md, items 1 and 2): transient failures on
// create, retrieve, the results stream and the interactive API are retried with capped exponential
// backoff that honours retry-after (asserted on a test clock, so no real waiting); a results stream
// that breaks half-way is read again without counting anything twice; faults no retry can fix end the
// run at once with one line; a batch whose results are gone is reported once and closed; the report
// gives the first-pass success rate.
import Anthropic from '@anthropic-ai/sdk';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchClient } from '../src/batch/client.js';
import { collect } from '../src/engine/collect.js';
import { run } from '../src/engine/run.js';
import { submit } from '../src/engine/submit.js';
import { runCli } from '../src/cli/index.js';
import {
  startAnthropicEmulator,
  type AnthropicEmulator,
  type HttpFaultSpec,
  type ResultFaultSpec,
  type RouteName,
} from '../src/emulator/anthropic/index.js';
import type { RunState } from '../src/state/state.js';
import { makeRepo } from './helpers/git-repo.js';
import {
  TEST_API_KEY,
  TestClock,
  cliStates,
  echoResponder,
  recordingIO,
  reportRounds,
  testConfig,
  testEngine,
  type TestEngine,
} from './helpers/engine.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One file per directory: one request each. */
const MODULES = ['api', 'billing', 'cart', 'search', 'users', 'mail'] as const;
const source = (name: string): string =>
  `export function ${name}Handler(input: string): string {\n  return input.trim() + '${name}';\n}\n`;

/** Production-like backoff (1 s doubling, capped at 60 s) on the test clock: waits are asserted, not slept. */
const REAL_POLICY = { retries: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 };

async function setup(): Promise<{ emulator: AnthropicEmulator; engine: TestEngine; repoDir: string }> {
  const emulator = await startAnthropicEmulator({ seed: 11, pollsUntilEnded: 0, responder: echoResponder });
  const repo = await makeRepo();
  cleanups.push(
    () => repo.cleanup(),
    () => emulator.close(),
  );
  await repo.commit(Object.fromEntries(MODULES.map((m) => [`src/${m}/index.ts`, source(m)])), {
    date: new Date(Date.now() - 3_600_000),
  });
  const engine = await testEngine({ repoDir: repo.dir, baseUrl: emulator.url });
  cleanups.push(engine.cleanup);
  engine.deps.anthropic = () =>
    new BatchClient({
      apiKey: TEST_API_KEY,
      baseURL: emulator.url,
      log: engine.deps.log,
      timeoutMs: 10_000,
      retry: { ...REAL_POLICY, sleep: engine.clock.sleep },
    });
  return { emulator, engine, repoDir: repo.dir };
}

const submitConfig = () => testConfig({ mode: 'submit', task: 'code-review', since: '24h' });
const collectConfig = (maxRetries = '0') => testConfig({ mode: 'collect', task: '', 'max-retries': maxRetries });

interface JsonlLine {
  customId: string;
  status: string;
  final: boolean;
  attempt: number;
}

async function readJsonl(path: string): Promise<JsonlLine[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JsonlLine);
}

/** Sleeps the clock recorded from index `from` on. */
const sleepsSince = (engine: TestEngine, from: number): number[] => engine.clock.sleeps.slice(from);

describe('transient faults are retried with capped backoff that honours retry-after', () => {
  it('create: a 529 overloaded_error with retry-after 5 is waited out for 5 s, then the batch is created once', async () => {
    const { emulator, engine } = await setup();
    emulator.faults.http('batches.create', { status: 529, type: 'overloaded_error', retryAfterSeconds: 5 });
    const submitted = await submit(submitConfig(), engine.deps);
    expect(submitted.requestCount).toBe(MODULES.length);
    expect(emulator.calls['batches.create']).toBe(2);
    expect(emulator.batches()).toHaveLength(1);
    expect(engine.clock.sleeps).toEqual([5_000]);
    expect(
      engine.logs.some((l) => l.level === 'warning' && /creating a batch: 529 overloaded_error.*retry 1 in 5s/.test(l.message)),
    ).toBe(true);
  });

  it('retrieve: a 529 with retry-after 4, then a dropped connection, are waited out (4 s, then 2 s backoff) and the collect completes', async () => {
    const { emulator, engine } = await setup();
    await submit(submitConfig(), engine.deps);
    emulator.faults.http('batches.retrieve', { status: 529, type: 'overloaded_error', retryAfterSeconds: 4 });
    emulator.faults.dropConnection('batches.retrieve');
    const before = engine.clock.sleeps.length;
    const collected = await collect(collectConfig(), engine.deps);
    expect(collected.status).toBe('collected');
    const retries = engine.logs.filter(
      (l) => l.level === 'warning' && /^checking batch msgbatch_\S+: .*; retry \d in \d+s$/.test(l.message),
    );
    expect(retries.map((l) => l.message.replace(/^.*?: /, ''))).toEqual([
      expect.stringMatching(/^529 overloaded_error .*retry 1 in 4s$/),
      expect.stringMatching(/^connection failed .*retry 2 in 2s$/),
    ]);
    // The server's 4 s, then the second step of the doubling backoff (1 s · 2¹).
    expect(sleepsSince(engine, before)).toEqual([4_000, 2_000]);
    expect(collected.states[0]!.results!.succeeded).toBe(MODULES.length);
  });

  it('a retry-after longer than the cap is capped at 60 s, and backoff without one doubles from 1 s', async () => {
    const { emulator, engine } = await setup();
    await submit(submitConfig(), engine.deps);
    emulator.faults.http('batches.retrieve', { status: 429, type: 'rate_limit_error', retryAfterSeconds: 3_600 });
    emulator.faults.http('batches.retrieve', { status: 503, type: 'api_error', times: 2 });
    const before = engine.clock.sleeps.length;
    await collect(collectConfig(), engine.deps);
    expect(sleepsSince(engine, before)).toEqual([60_000, 2_000, 4_000]);
  });

  it('results: a 500 before the stream starts is retried, and every result is read once', async () => {
    const { emulator, engine } = await setup();
    await submit(submitConfig(), engine.deps);
    emulator.faults.http('batches.results', { status: 500, type: 'api_error', retryAfterSeconds: 3 });
    const before = engine.clock.sleeps.length;
    const collected = await collect(collectConfig(), engine.deps);
    expect(sleepsSince(engine, before)).toEqual([3_000]);
    expect(emulator.calls['batches.results']).toBe(2);
    expect(collected.states[0]!.results!.received).toBe(MODULES.length);
  });

  it('results: a stream cut mid-way through its 3rd of 6 lines is read again from the start without double-counting', async () => {
    const { emulator, engine } = await setup();
    await submit(submitConfig(), engine.deps);
    const batchId = emulator.batches()[0]!.id;
    emulator.faults.truncateResults(batchId, 2);
    const collected = await collect(collectConfig(), engine.deps);
    expect(emulator.calls['batches.results']).toBe(2);
    const results = collected.states[0]!.results!;
    expect(results.received).toBe(MODULES.length);
    expect(results.succeeded).toBe(MODULES.length);
    // One finding per file (the echo model), not 6 + 2.
    expect(results.findings.map((f) => f.path).sort()).toEqual(MODULES.map((m) => `src/${m}/index.ts`).sort());
    const lines = await readJsonl(results.resultsPath);
    expect(lines).toHaveLength(MODULES.length);
    expect(new Set(lines.map((l) => l.customId)).size).toBe(MODULES.length);
    expect(
      engine.logs.some((l) => l.level === 'warning' && /reading the results of batch .* after 2 results/.test(l.message)),
    ).toBe(true);
  });

  it('results: a stream that keeps breaking stops with one line, nothing is marked collected, and the next collect publishes each result once', async () => {
    const { emulator, engine, repoDir } = await setup();
    void repoDir;
    await submit(submitConfig(), engine.deps);
    emulator.faults.truncateResults('*', 3, REAL_POLICY.retries + 1);
    await expect(collect(collectConfig(), engine.deps)).rejects.toThrow(
      /^reading the results of batch msgbatch_\S+ at 127\.0\.0\.1:\d+: still failing \(.*\); run collect again later$/,
    );
    const [stored] = await engine.states();
    expect(stored!.state.collectedAt).toBeNull();
    expect(stored!.state.batches.every((b) => !b.resultsSaved)).toBe(true);

    const again = await collect(collectConfig(), engine.deps);
    expect(again.status).toBe('collected');
    const rounds = await reportRounds(engine.outputDir);
    expect(rounds).toHaveLength(1);
    const lines = await readJsonl(join(rounds[0]!, 'results.jsonl'));
    expect(lines.map((l) => l.customId).sort()).toEqual(Object.keys(stored!.state.requests).sort());
    expect((await engine.states())[0]!.state.collectedAt).not.toBeNull();
  });

  it('run (interactive API): a dropped connection and a 529 on a message are retried; every file is reviewed', async () => {
    const { emulator, engine } = await setup();
    emulator.faults.dropConnection('messages');
    emulator.faults.http('messages', { status: 529, type: 'overloaded_error', retryAfterSeconds: 2 });
    const result = await run(testConfig({ mode: 'run', task: 'code-review', since: '24h' }), engine.deps);
    expect(result.status).toBe('collected');
    const results = result.collected!.results!;
    expect(results.failures).toEqual([]);
    expect(results.succeeded).toBe(MODULES.length);
    expect(emulator.calls.messages).toBe(MODULES.length + 2);
    expect(engine.clock.sleeps).toContain(2_000);
  });

  it('collect never lists batches: the state names each one, so a failing list endpoint cannot block it', async () => {
    const { emulator, engine } = await setup();
    await submit(submitConfig(), engine.deps);
    emulator.faults.http('batches.list', { status: 500, type: 'api_error', times: 10 });
    const collected = await collect(collectConfig(), engine.deps);
    expect(collected.status).toBe('collected');
    expect(emulator.calls['batches.list']).toBe(0);
  });
});

describe('faults no retry can fix: one line, exit 1, no wait', () => {
  async function cliSetup() {
    const emulator = await startAnthropicEmulator({ seed: 12, pollsUntilEnded: 0, responder: echoResponder });
    const repo = await makeRepo();
    cleanups.push(
      () => repo.cleanup(),
      () => emulator.close(),
    );
    await repo.commit(
      { 'src/cart.ts': source('cart'), 'src/mail.ts': source('mail') },
      { date: new Date(Date.now() - 3_600_000) },
    );
    const clock = new TestClock();
    const key = 'sk-ant-test-fatal-0123456789';
    const cli = async (...argv: string[]) => {
      const io = recordingIO(repo.dir, { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: emulator.url }, clock);
      const code = await runCli(argv, io);
      return { code, stdout: io.stdout, stderr: io.stderr };
    };
    return { emulator, repoDir: repo.dir, clock, cli };
  }

  const cases: { name: string; route: RouteName; spec: HttpFaultSpec | 'spend-cap'; says: RegExp }[] = [
    {
      name: '402 billing_error on create',
      route: 'batches.create',
      spec: { status: 402, type: 'billing_error' },
      says: /creating a batch at 127\.0\.0\.1:\d+: Anthropic answered 402 billing_error.*check the plan and credit balance/,
    },
    {
      name: '403 permission_error on create',
      route: 'batches.create',
      spec: { status: 403, type: 'permission_error' },
      says: /creating a batch at 127\.0\.0\.1:\d+: Anthropic answered 403 permission_error.*workspace permissions/,
    },
    {
      name: '413 request_too_large on create',
      route: 'batches.create',
      spec: { status: 413, type: 'request_too_large' },
      says: /creating a batch at 127\.0\.0\.1:\d+: Anthropic answered 413 request_too_large.*256 MB/,
    },
    {
      name: '401 authentication_error on retrieve (collect)',
      route: 'batches.retrieve',
      spec: { status: 401, type: 'authentication_error' },
      says: /checking batch msgbatch_\S+ at 127\.0\.0\.1:\d+: Anthropic answered 401.*ANTHROPIC_API_KEY/,
    },
    {
      name: 'the spend cap (429 enforced_spend_limit_reached) on retrieve (collect)',
      route: 'batches.retrieve',
      spec: 'spend-cap',
      says: /checking batch msgbatch_\S+ at 127\.0\.0\.1:\d+: the monthly spend limit .* reached/,
    },
    {
      name: 'the spend cap on the results stream (collect)',
      route: 'batches.results',
      spec: 'spend-cap',
      says: /reading the results of batch msgbatch_\S+ at 127\.0\.0\.1:\d+: the monthly spend limit .* reached/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { emulator, repoDir, clock, cli } = await cliSetup();
      const isCollect = c.route !== 'batches.create';
      if (isCollect) expect((await cli('submit', '--since', '24h')).code).toBe(0);
      const sleptBefore = clock.sleeps.length;
      const callsBefore = emulator.calls[c.route] ?? 0;
      if (c.spec === 'spend-cap') emulator.faults.spendCap(c.route, 5);
      else emulator.faults.http(c.route, { ...c.spec, times: 5 });
      const result = await cli(isCollect ? 'collect' : 'submit', ...(isCollect ? [] : ['--since', '24h']));
      expect(result.code).toBe(1);
      expect(result.stderr).toHaveLength(1);
      expect(result.stderr[0]).toMatch(/^error: /);
      expect(result.stderr[0]).toMatch(c.says);
      expect(result.stderr[0]).not.toContain('\n');
      expect(emulator.calls[c.route]! - callsBefore).toBe(1);
      expect(clock.sleeps.length).toBe(sleptBefore);
      const states = await cliStates(repoDir);
      if (isCollect) expect(states[0]!.collectedAt).toBeNull();
      else expect(states).toEqual([]);
    });
  }

  it('a create that keeps failing with 500 backs off 1, 2, 4, 8, 16, 32 s, then stops with one line and saves no state', async () => {
    const { emulator, repoDir, clock, cli } = await cliSetup();
    emulator.faults.http('batches.create', { status: 500, type: 'api_error', times: 20 });
    const result = await cli('submit', '--since', '24h');
    expect(result.code).toBe(1);
    expect(emulator.calls['batches.create']).toBe(7);
    expect(clock.sleeps).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000]);
    const errors = result.stderr.filter((l) => l.startsWith('error:'));
    expect(errors).toEqual([
      expect.stringMatching(
        /^error: creating a batch at 127\.0\.0\.1:\d+: still failing after 7 attempts \(500 api_error .*\); try again later$/,
      ),
    ]);
    expect(await cliStates(repoDir)).toEqual([]);
  });
});

describe('results that are gone are reported once, not retried forever', () => {
  it('an archived batch (results past 29 days): every request is reported failed once and the state completes', async () => {
    const { emulator, engine } = await setup();
    await submit(submitConfig(), engine.deps);
    const batchId = emulator.batches()[0]!.id;
    emulator.endBatch(batchId);
    emulator.archiveBatch(batchId);
    const collected = await collect(collectConfig('2'), engine.deps);
    const state = collected.states[0]!;
    expect(state.error).toMatch(/are gone/);
    expect(state.results!.failures).toHaveLength(MODULES.length);
    for (const failure of state.results!.failures) expect(failure.reason).toMatch(/archived after 29 days or deleted/);
    // A 404 is not retried: one results call, no resubmission of requests the API already dropped.
    expect(emulator.calls['batches.results']).toBe(1);
    expect(emulator.calls['batches.create']).toBe(1);
    expect(engine.outputs['failed-count']).toBe(String(MODULES.length));
    expect((await engine.states())[0]!.state.collectedAt).not.toBeNull();
    const report = await readFile(join((await reportRounds(engine.outputDir))[0]!, 'report.md'), 'utf8');
    expect(report).toMatch(/## Failures \(6: 6 expired\)/);

    const again = await collect(collectConfig('2'), engine.deps);
    expect(again.status).toBe('nothing-to-do');
    expect(emulator.calls['batches.results']).toBe(1);
  });

  it('a deleted batch (retrieve answers 404): reported once with the reason, the state completes, the next collect has nothing to do', async () => {
    const { emulator, engine } = await setup();
    await submit(submitConfig(), engine.deps);
    const batchId = emulator.batches()[0]!.id;
    emulator.endBatch(batchId);
    await new Anthropic({ apiKey: TEST_API_KEY, baseURL: emulator.url, maxRetries: 0 }).messages.batches.delete(batchId);
    const collected = await collect(collectConfig(), engine.deps);
    expect(collected.status).toBe('collected');
    expect(collected.states[0]!.results!.failures).toHaveLength(MODULES.length);
    expect(engine.logs.some((l) => l.level === 'warning' && l.message.includes(`batch ${batchId} was not found (404)`))).toBe(
      true,
    );
    expect((await engine.states())[0]!.state.collectedAt).not.toBeNull();
    const retrievesBefore = emulator.calls['batches.retrieve'];
    expect((await collect(collectConfig(), engine.deps)).status).toBe('nothing-to-do');
    expect(emulator.calls['batches.retrieve']).toBe(retrievesBefore);
  });
});

describe('partial failures: first-pass success rate and what finally failed', () => {
  function idOf(state: RunState, module: string): string {
    return Object.entries(state.requests).find(([, r]) => r.paths.includes(`src/${module}/index.ts`))![0];
  }

  it('the round that received the first pass gives its success rate; the retry round does not repeat it', async () => {
    const { emulator, engine } = await setup();
    await submit(submitConfig(), engine.deps);
    const [stored] = await engine.states();
    const faults: Record<string, ResultFaultSpec> = {
      api: { type: 'errored', errorType: 'overloaded_error' }, // retryable: resubmitted, then succeeds
      cart: { type: 'canceled' }, // reported, never retried
      search: { type: 'malformed' }, // reported with its file
    };
    for (const [module, spec] of Object.entries(faults)) emulator.faults.result(idOf(stored!.state, module), spec);

    await collect(collectConfig('1'), engine.deps);
    const [first] = await reportRounds(engine.outputDir);
    const report = await readFile(join(first!, 'report.md'), 'utf8');
    expect(report).toContain('First-pass success rate: 50% (3 of 6 requests answered usefully on the first try).');
    const summary = await readFile(join(first!, 'summary.md'), 'utf8');
    expect(summary).toContain('First-pass success rate: 50%');
    expect(report).toMatch(/`src\/cart\/index\.ts`: \*\*canceled\*\*/);
    expect(report).toMatch(/`src\/search\/index\.ts`: \*\*malformed\*\*/);
    expect(emulator.batches()[1]!.requests.map((r) => r.custom_id)).toEqual([idOf(stored!.state, 'api')]);

    await collect(collectConfig('1'), engine.deps);
    const second = (await reportRounds(engine.outputDir)).find((r) => r !== first)!;
    const retryReport = await readFile(join(second, 'report.md'), 'utf8');
    expect(retryReport).not.toContain('First-pass success rate');
    expect(retryReport).toMatch(/1 answer received, 1 succeeded, 0 failed/);
  });

  it('a retryable failure whose files cannot be read back (commit not in the checkout) is reported once, final, and not resubmitted', async () => {
    const { emulator, engine, repoDir } = await setup();
    await submit(submitConfig(), engine.deps);
    const [stored] = await engine.states();
    const apiId = idOf(stored!.state, 'api');
    emulator.faults.result(apiId, { type: 'errored', errorType: 'overloaded_error' });
    // The reviewed commit is gone from this checkout (as in a shallow clone of another commit).
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repoDir, stdio: 'ignore' });
    git('checkout', '-q', '--orphan', 'elsewhere');
    git('commit', '-q', '-m', 'unrelated');
    git('branch', '-D', 'main');
    git('reflog', 'expire', '--expire=now', '--all');
    git('gc', '-q', '--prune=now');

    const collected = await collect(collectConfig('2'), engine.deps);
    const results = collected.states[0]!.results!;
    expect(emulator.batches()).toHaveLength(1);
    expect(results.resubmitted).toBe(0);
    expect(results.failures.map((f) => f.customId)).toEqual([apiId]);
    expect(results.failures[0]!.reason).toMatch(
      /overloaded_error.*could not resubmit: src\/api\/index\.ts at [0-9a-f]{7} is not in this checkout \(use fetch-depth: 0\)/,
    );
    const line = (await readJsonl(results.resultsPath)).find((l) => l.customId === apiId)!;
    expect(line.final).toBe(true);
    expect(line.status).toBe('errored');
    // Reported for good: the state completes and the next collect has nothing to do.
    expect((await collect(collectConfig('2'), engine.deps)).status).toBe('nothing-to-do');
  });

  it('an interactive run gives the rate of its single pass', async () => {
    const { emulator, engine } = await setup();
    // The run's requests are unknown before it starts: fail every message of one file by its content.
    emulator.faults.http('messages', { status: 400, type: 'invalid_request_error', message: 'injected bad request' });
    const result = await run(testConfig({ mode: 'run', task: 'code-review', since: '24h' }), engine.deps);
    const rounds = await reportRounds(engine.outputDir);
    const report = await readFile(join(rounds[0]!, 'report.md'), 'utf8');
    expect(result.collected!.results!.failures).toHaveLength(1);
    expect(report).toContain('First-pass success rate: 83.3% (5 of 6 requests answered usefully on the first try).');
  });
});
