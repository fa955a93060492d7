// Failed results and fatal API errors through the CLI: errored, expired, malformed and canceled
// results are reported with their file and reason (never dropped, never failing the collect); the
// retryable ones are resubmitted within max-retries and published by the collect that receives them;
// a wrong key or the monthly spend cap ends the run at once with one line.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { startAnthropicEmulator, type AnthropicEmulatorOptions, type ResultFaultSpec } from '../src/emulator/anthropic/index.js';
import type { RunState } from '../src/state/state.js';
import { makeRepo } from './helpers/git-repo.js';
import { TestClock, cliStates, echoResponder, recordingIO, reportRounds } from './helpers/engine.js';

const API_KEY = 'sk-ant-test-failures-0123456789';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One file per directory, so every file is its own request. */
const MODULES = ['api', 'billing', 'cart', 'search', 'users', 'mail'] as const;
const source = (name: string, version: number): string =>
  `export function ${name}Handler(input: string): string {\n  return input.trim() + '${name}-v${version}';\n}\n`;

async function setup(options: AnthropicEmulatorOptions = {}, env: Record<string, string> = {}) {
  const emulator = await startAnthropicEmulator({ seed: 5, pollsUntilEnded: 0, responder: echoResponder, ...options });
  const repo = await makeRepo();
  cleanups.push(
    () => repo.cleanup(),
    () => emulator.close(),
  );
  // Modified within the window: every request carries a diff (and a resubmission must carry it too).
  await repo.commit(Object.fromEntries(MODULES.map((m) => [`src/${m}/index.ts`, source(m, 1)])), {
    date: new Date(Date.now() - 72 * 3_600_000),
  });
  await repo.commit(Object.fromEntries(MODULES.map((m) => [`src/${m}/index.ts`, source(m, 2)])), {
    date: new Date(Date.now() - 3_600_000),
  });
  const clock = new TestClock();
  const cli = async (...argv: string[]) => {
    const io = recordingIO(repo.dir, { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: emulator.url, ...env }, clock);
    const code = await runCli(argv, io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  };
  return { emulator, repo: repo.dir, clock, cli };
}

/** custom_id of the request that carries `src/<module>/index.ts`. */
function idOf(state: RunState, module: string): string {
  const path = `src/${module}/index.ts`;
  const found = Object.entries(state.requests).find(([, r]) => r.paths.includes(path));
  if (!found) throw new Error(`no request for ${path}`);
  return found[0];
}

interface JsonlLine {
  customId: string;
  status: string;
  reason?: string;
  paths: string[];
  attempt: number;
  final: boolean;
}

async function readRound(round: string) {
  const report = await readFile(join(round, 'report.md'), 'utf8');
  const json = JSON.parse(await readFile(join(round, 'results.json'), 'utf8')) as {
    findings: { path: string; title: string }[];
    failures: { customId: string; paths: string[]; status: string; reason: string }[];
  };
  const jsonl = (await readFile(join(round, 'results.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JsonlLine);
  return { report, json, jsonl };
}

async function outputsOf(repo: string): Promise<Record<string, string>> {
  return JSON.parse(await readFile(join(repo, '.overnight', 'results', 'outputs.json'), 'utf8')) as Record<string, string>;
}

describe('failed results', () => {
  it('with --max-retries 0, errored, expired, malformed and canceled are reported with file and reason', async () => {
    const { emulator, repo, cli } = await setup();
    expect((await cli('submit', '--since', '24h')).code).toBe(0);
    const [state] = await cliStates(repo);
    expect(Object.keys(state!.requests)).toHaveLength(MODULES.length);
    const faults: Record<string, ResultFaultSpec> = {
      api: { type: 'errored', errorType: 'api_error', message: 'injected api failure' },
      billing: { type: 'expired' },
      cart: { type: 'malformed' },
      search: { type: 'canceled' },
    };
    for (const [module, spec] of Object.entries(faults)) emulator.faults.result(idOf(state!, module), spec);

    const collected = await cli('collect', '--max-retries', '0');
    expect(collected.code).toBe(0);
    expect(emulator.calls['batches.create']).toBe(1);

    const [round] = await reportRounds(join(repo, '.overnight', 'results'));
    const { report, json, jsonl } = await readRound(round!);
    const expected: Record<string, { status: string; reason: RegExp }> = {
      api: { status: 'errored', reason: /api_error: injected api failure/ },
      billing: { status: 'expired', reason: /24 hours/ },
      cart: { status: 'malformed', reason: /./ },
      search: { status: 'canceled', reason: /canceled/ },
    };
    expect(json.failures).toHaveLength(4);
    for (const [module, want] of Object.entries(expected)) {
      const path = `src/${module}/index.ts`;
      const failure = json.failures.find((f) => f.paths.includes(path));
      expect(failure, path).toMatchObject({ customId: idOf(state!, module), status: want.status });
      expect(failure!.reason).toMatch(want.reason);
      // The report's failure list names the file and the status.
      const line = report.split('\n').find((l) => l.includes(path) && l.includes(`**${want.status}**`));
      expect(line, `report line for ${path}`).toBeDefined();
      const record = jsonl.find((l) => l.customId === idOf(state!, module));
      expect(record).toMatchObject({ status: want.status, paths: [path], final: true, attempt: 0 });
    }
    // The two files that answered are reviewed; the failed ones are not.
    expect(json.findings.map((f) => f.path).sort()).toEqual(['src/mail/index.ts', 'src/users/index.ts']);
    expect(jsonl).toHaveLength(MODULES.length);

    const outputs = await outputsOf(repo);
    expect(outputs['failed-count']).toBe('4');
    expect(outputs['findings-count']).toBe('2');
    expect((await cliStates(repo))[0]!.collectedAt).not.toBeNull();
  });

  it('with --max-retries 1, only api_error and expired are resubmitted, and the next collect publishes them', async () => {
    const { emulator, repo, cli } = await setup();
    expect((await cli('submit', '--since', '24h')).code).toBe(0);
    const [state] = await cliStates(repo);
    const faults: Record<string, ResultFaultSpec> = {
      api: { type: 'errored', errorType: 'api_error', times: 1 },
      billing: { type: 'expired', times: 1 },
      cart: { type: 'malformed', times: 1 },
      search: { type: 'canceled', times: 1 },
      users: { type: 'errored', errorType: 'invalid_request_error', times: 1 },
    };
    for (const [module, spec] of Object.entries(faults)) emulator.faults.result(idOf(state!, module), spec);
    const firstBatch = state!.batches[0]!.id;

    const first = await cli('collect', '--max-retries', '1');
    expect(first.code).toBe(0);
    expect(emulator.calls['batches.create']).toBe(2);
    const retryBatch = emulator.batches()[1]!;
    const retried = [idOf(state!, 'api'), idOf(state!, 'billing')].sort();
    expect(retryBatch.requests.map((r) => r.custom_id).sort()).toEqual(retried);
    // The resubmitted requests are the originals, byte for byte (status, diff and all).
    const original = emulator.batches()[0]!.requests;
    expect(JSON.stringify(retryBatch.requests[0]!.params)).toMatch(/status=\\"modified\\"[\s\S]*<diff>/);
    for (const request of retryBatch.requests) {
      expect(request.params).toEqual(original.find((r) => r.custom_id === request.custom_id)!.params);
    }

    const afterFirst = (await cliStates(repo))[0]!;
    expect(afterFirst.collectedAt).toBeNull();
    expect(afterFirst.batches.map((b) => [b.id, b.attempt, b.resultsSaved])).toEqual([
      [firstBatch, 0, true],
      [retryBatch.id, 1, false],
    ]);
    for (const id of retried) expect(afterFirst.requests[id]).toMatchObject({ attempt: 1, batchId: retryBatch.id });
    for (const module of ['cart', 'search', 'users', 'mail']) {
      expect(afterFirst.requests[idOf(state!, module)]).toMatchObject({ attempt: 0, batchId: firstBatch });
    }

    const [round1] = await reportRounds(join(repo, '.overnight', 'results'));
    const one = await readRound(round1!);
    expect(one.json.failures.map((f) => [f.paths[0], f.status]).sort()).toEqual([
      ['src/cart/index.ts', 'malformed'],
      ['src/search/index.ts', 'canceled'],
      ['src/users/index.ts', 'errored'],
    ]);
    expect(one.json.failures.find((f) => f.paths[0] === 'src/users/index.ts')!.reason).toMatch(/invalid_request_error/);
    expect(one.json.findings.map((f) => f.path)).toEqual(['src/mail/index.ts']);
    expect(
      one.jsonl
        .filter((l) => !l.final)
        .map((l) => l.customId)
        .sort(),
    ).toEqual(retried);
    expect(one.report).toMatch(/2 requests resubmitted after a retryable failure/);
    expect((await outputsOf(repo))['failed-count']).toBe('3');

    // The next collect receives the retried results and publishes them.
    const second = await cli('collect', '--max-retries', '1');
    expect(second.code).toBe(0);
    expect(emulator.calls['batches.create']).toBe(2);
    const rounds = await reportRounds(join(repo, '.overnight', 'results'));
    expect(rounds).toHaveLength(2);
    const round2 = rounds.find((r) => r !== round1)!;
    const two = await readRound(round2);
    expect(two.json.failures).toEqual([]);
    expect(two.json.findings.map((f) => f.path).sort()).toEqual(['src/api/index.ts', 'src/billing/index.ts']);
    expect(two.jsonl.map((l) => [l.customId, l.attempt, l.final]).sort()).toEqual(retried.map((id) => [id, 1, true]));
    const outputs = await outputsOf(repo);
    expect(outputs['failed-count']).toBe('0');
    expect(outputs['findings-count']).toBe('2');
    expect((await cliStates(repo))[0]!.collectedAt).not.toBeNull();

    const third = await cli('collect');
    expect(third.code).toBe(0);
    expect(third.stdout.join('\n')).toMatch(/nothing to collect/);
  });

  it('a retryable failure that keeps failing stops at max-retries and is then reported', async () => {
    const { emulator, repo, cli } = await setup();
    expect((await cli('submit', '--since', '24h')).code).toBe(0);
    const id = idOf((await cliStates(repo))[0]!, 'api');
    emulator.faults.result(id, { type: 'errored', errorType: 'overloaded_error', times: 10 });
    for (let i = 0; i < 3; i++) expect((await cli('collect', '--max-retries', '2')).code).toBe(0);
    // The first batch plus two resubmissions, then the failure is final.
    expect(emulator.calls['batches.create']).toBe(3);
    const state = (await cliStates(repo))[0]!;
    expect(state.collectedAt).not.toBeNull();
    expect(state.requests[id]).toMatchObject({ attempt: 2 });
    const rounds = await reportRounds(join(repo, '.overnight', 'results'));
    const finals = (await Promise.all(rounds.map(readRound))).flatMap((r) => r.json.failures);
    expect(finals).toEqual([expect.objectContaining({ customId: id, status: 'errored', paths: ['src/api/index.ts'] })]);
  });
});

describe('fatal API errors: one line, exit 1, no long retry', () => {
  it('a wrong key (401) names the key', async () => {
    const { emulator, repo, clock, cli } = await setup({ apiKeys: ['sk-ant-the-right-key-000000'] });
    const result = await cli('submit', '--since', '24h');
    expect(result.code).toBe(1);
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(/^error: .*401.*ANTHROPIC_API_KEY/);
    expect(result.stderr[0]).not.toContain(API_KEY);
    // The free token count of the estimate is refused first: nothing is created.
    expect(emulator.calls['count_tokens']).toBe(1);
    expect(emulator.calls['batches.create']).toBe(0);
    expect(clock.slept).toBe(0);
    expect(await cliStates(repo)).toEqual([]);
  });

  it('the monthly spend cap (429 enforced_spend_limit_reached) stops at once', async () => {
    const { emulator, repo, clock, cli } = await setup();
    emulator.faults.spendCap('batches.create', 5);
    const result = await cli('submit', '--since', '24h');
    expect(result.code).toBe(1);
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(/^error: .*spend limit/);
    expect(emulator.calls['batches.create']).toBe(1);
    expect(clock.slept).toBe(0);
    expect(await cliStates(repo)).toEqual([]);
  });

  it('an ordinary 429 with retry-after is waited out and retried (unlike the spend cap)', async () => {
    const { emulator, repo, clock, cli } = await setup();
    emulator.faults.http('batches.create', { status: 429, type: 'rate_limit_error', retryAfterSeconds: 7, times: 2 });
    const result = await cli('submit', '--since', '24h');
    expect(result.code).toBe(0);
    expect(emulator.calls['batches.create']).toBe(3);
    expect(clock.sleeps).toEqual([7_000, 7_000]);
    expect(result.stderr.filter((l) => l.startsWith('warning:'))).toHaveLength(2);
    expect(await cliStates(repo)).toHaveLength(1);
  });
});
