// submit and collect as two separate CLI runs (as two nightly workflow runs would), against the
// bundled Anthropic emulator through the real SDK: what lands on disk, what the state says, and what
// a collect does while the batch is still being processed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnthropicEmulatorOptions } from '../src/emulator/anthropic/index.js';
import { splitLines } from '../src/prompt/format.js';
import { cliStates, reportRounds } from './helpers/engine.js';
import { sampleCli } from './helpers/cli.js';

const API_KEY = 'sk-ant-test-flow-0123456789';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const setup = (options: AnthropicEmulatorOptions = {}) => sampleCli(API_KEY, cleanups, { seed: 11, ...options });

const resultsDir = (repo: string): string => join(repo, '.overnight', 'results');

/** What each defect of the sample repository looks like on the line a finding cites. */
const DEFECT_LINES: Record<string, RegExp> = {
  'sql-injection': /SELECT \* FROM orders WHERE customer = '" \+ customer/,
  'command-injection': /exec\(`tar czf/,
  'weak-crypto': /createHash\('md5'\)/,
};

describe('submit → collect through the CLI', () => {
  it('writes a report whose findings cite real lines, marks the state collected, and collects once', async () => {
    const { emulator, repo, cli } = await setup();

    const submitted = await cli('submit', '--task', 'code-review', '--since', '24h');
    expect(submitted.stderr).toEqual([]);
    expect(submitted.code).toBe(0);
    expect(emulator.calls['batches.create']).toBe(1);
    const [pending] = await cliStates(repo);
    expect(pending).toBeDefined();
    expect(pending!.collectedAt).toBeNull();
    expect(pending!.batches.map((b) => b.id)).toEqual(emulator.batches().map((b) => b.id));

    const collected = await cli('collect');
    expect(collected.stderr).toEqual([]);
    expect(collected.code).toBe(0);
    const rounds = await reportRounds(resultsDir(repo));
    expect(rounds).toHaveLength(1);
    // It says where the report is, exactly.
    expect(collected.stdout).toContain(`report: ${join(rounds[0]!, 'report.md')}`);
    const report = await readFile(join(rounds[0]!, 'report.md'), 'utf8');
    const results = JSON.parse(await readFile(join(rounds[0]!, 'results.json'), 'utf8')) as {
      findings: { path: string; startLine: number; endLine: number; category: string; title: string }[];
      failures: unknown[];
    };
    expect(results.failures).toEqual([]);
    // Each known defect is found, at a line of the reviewed file that really holds it.
    for (const [category, pattern] of Object.entries(DEFECT_LINES)) {
      const finding = results.findings.find((f) => f.category === category);
      expect(finding, `a ${category} finding`).toBeDefined();
      const lines = splitLines(await readFile(join(repo, finding!.path), 'utf8'));
      const cited = lines.slice(finding!.startLine - 1, finding!.endLine).join('\n');
      expect(cited).toMatch(pattern);
      expect(report).toContain(`${finding!.path}:${finding!.startLine}`);
    }
    for (const finding of results.findings) {
      const lines = splitLines(await readFile(join(repo, finding.path), 'utf8'));
      expect(finding.startLine).toBeGreaterThanOrEqual(1);
      expect(finding.endLine).toBeLessThanOrEqual(lines.length);
    }

    const outputs = JSON.parse(await readFile(join(resultsDir(repo), 'outputs.json'), 'utf8')) as Record<string, string>;
    expect(outputs.status).toBe('collected');
    expect(Number(outputs['findings-count'])).toBe(results.findings.length);
    expect(outputs['failed-count']).toBe('0');

    const [done] = await cliStates(repo);
    expect(done!.collectedAt).not.toBeNull();
    expect(done!.batches.every((b) => b.resultsSaved && b.status === 'ended')).toBe(true);

    // A second collect finds nothing: no API call, no new report.
    const resultsCalls = emulator.calls['batches.results'];
    const again = await cli('collect');
    expect(again.code).toBe(0);
    expect(again.stdout.join('\n')).toMatch(/nothing to collect/);
    expect(emulator.calls['batches.results']).toBe(resultsCalls);
    expect(await reportRounds(resultsDir(repo))).toEqual(rounds);
    expect(await readFile(join(rounds[0]!, 'report.md'), 'utf8')).toBe(report);
  });

  it('a batch still in progress: exit 3 with or without --wait, and a later collect publishes it', async () => {
    const { emulator, repo, clock, cli } = await setup({ pollsUntilEnded: 1000 });
    expect((await cli('submit', '--since', '24h')).code).toBe(0);
    const batchId = emulator.batches()[0]!.id;

    // No --wait means --wait 0: look once, exit 3 at once.
    let retrieves = emulator.calls['batches.retrieve'];
    const once = await cli('collect');
    expect(once.code).toBe(3);
    expect(once.stdout.at(-1)).toMatch(/still pending: run `overnight collect` again later \(or pass --wait MINUTES\)/);
    expect(once.stderr).toEqual([]);
    expect(emulator.calls['batches.retrieve'] - retrieves).toBe(1);
    expect(clock.slept).toBe(0);

    retrieves = emulator.calls['batches.retrieve'];
    expect((await cli('collect', '--wait', '0')).code).toBe(3);
    expect(emulator.calls['batches.retrieve'] - retrieves).toBe(1);

    // --wait 2: polls with growing pauses for two (test-clock) minutes, then gives up with 3.
    retrieves = emulator.calls['batches.retrieve'];
    const waited = await cli('collect', '--wait', '2');
    expect(waited.code).toBe(3);
    expect(emulator.calls['batches.retrieve'] - retrieves).toBeGreaterThan(2);
    expect(clock.slept).toBe(2 * 60_000);
    expect(clock.sleeps[1]!).toBeGreaterThan(clock.sleeps[0]!);

    expect(await reportRounds(resultsDir(repo))).toEqual([]);
    const [state] = await cliStates(repo);
    expect(state!.collectedAt).toBeNull();
    expect(emulator.calls['batches.results']).toBe(0);

    // Once the batch ends, the next collect publishes it.
    emulator.endBatch(batchId);
    const later = await cli('collect');
    expect(later.code).toBe(0);
    expect(await reportRounds(resultsDir(repo))).toHaveLength(1);
    expect((await cliStates(repo))[0]!.collectedAt).not.toBeNull();
  });

  it('--batch-id collects that batch; once collected it says so (exit 0), and an unknown id is bad usage', async () => {
    const { emulator, repo, cli } = await setup();
    expect((await cli('submit', '--since', '24h')).code).toBe(0);
    const batchId = emulator.batches()[0]!.id;

    const collected = await cli('collect', '--batch-id', batchId);
    expect(collected.code).toBe(0);
    expect(await reportRounds(resultsDir(repo))).toHaveLength(1);

    const again = await cli('collect', '--batch-id', batchId);
    expect(again.code).toBe(0);
    expect(again.stdout.join('\n')).toMatch(new RegExp(`batch ${batchId}: already collected`));
    expect(await reportRounds(resultsDir(repo))).toHaveLength(1);

    const unknown = await cli('collect', '--batch-id', 'msgbatch_01NotSubmittedHere');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toHaveLength(1);
    expect(unknown.stderr[0]).toMatch(/no saved state names msgbatch_01NotSubmittedHere/);
  });

  it('--wait returns as soon as the batch ends', async () => {
    const { repo, clock, cli } = await setup({ pollsUntilEnded: 3 });
    expect((await cli('submit', '--since', '24h')).code).toBe(0);
    const collected = await cli('collect', '--wait', '60');
    expect(collected.code).toBe(0);
    expect(clock.sleeps).toHaveLength(3);
    expect(clock.slept).toBeLessThan(60 * 60_000);
    expect(await reportRounds(resultsDir(repo))).toHaveLength(1);
  });
});

describe('overnight status', () => {
  it('shows each submission and where its batches stand: in progress, ready, then collected', async () => {
    const { cli, emulator } = await setup({ pollsUntilEnded: 1 });
    expect((await cli('status')).stdout.join('\n')).toMatch(/no submissions/);
    expect((await cli('submit', '--since', '24h')).code).toBe(0);
    const batchId = emulator.batches()[0]!.id;

    const running = await cli('status');
    expect(running.code).toBe(0);
    expect(running.stdout.join('\n')).toMatch(
      /code-review of shop@[0-9a-f]{7}, [1-9]\d* requests?, submitted .*not collected yet/,
    );
    expect(running.stdout.join('\n')).toContain(`${batchId} (`);
    expect(running.stdout.join('\n')).toMatch(/in_progress \(\d+ processing/);

    // The second status check finds the batch ended (pollsUntilEnded: 1).
    expect((await cli('status')).stdout.join('\n')).toMatch(/ended \(\d+ succeeded.*\), ready to collect/);
    expect((await cli('collect')).code).toBe(0);
    const done = (await cli('status')).stdout.join('\n');
    expect(done).toMatch(/collected 20\d\d-/);
    expect(done).toMatch(new RegExp(`${batchId} \\(\\d+ requests?, attempt 0\\): collected`));
  });
});
