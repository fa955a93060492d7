// `collect --wait` is not silent (issue 15, item 1): a line per poll while a batch runs, with its
// counts, how long collect has waited and when it looks again; and `--batch-id` with no saved state
// honours --wait too, then exits 3 while the batch still runs (item 3).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleCli } from './helpers/cli.js';

const API_KEY = 'sk-ant-test-wait-0123456789';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const POLL = /^batch (msgbatch_\w+): 0 succeeded, 0 errored, 1 processing; waited (\S+), next check in (\S+)$/;

async function submitted(pollsUntilEnded: number) {
  const sample = await sampleCli(API_KEY, cleanups, { seed: 9, pollsUntilEnded });
  const result = await sample.cli('submit', '--task', 'code-review', '--since', '24h');
  expect(result.code, result.stderr.join('\n')).toBe(0);
  const batchId = /msgbatch_\w+/.exec(result.stdout.join('\n'))![0];
  return { ...sample, batchId };
}

describe('collect --wait', () => {
  it('prints a line per poll while the batch runs, then exits 3 when the wait runs out', async () => {
    const { cli, batchId } = await submitted(1_000);
    const result = await cli('collect', '--wait', '2');
    expect(result.code).toBe(3);
    const polls = result.stdout.filter((line) => POLL.test(line));
    // Polls at 0 s, 30 s, 1m15s (1.5x backoff), then the last look at 2 minutes.
    expect(polls.map((line) => POLL.exec(line)!.slice(1))).toEqual([
      [batchId, '0s', '30s'],
      [batchId, '30s', '45s'],
      [batchId, '1m15s', '45s'],
    ]);
    expect(result.stdout.at(-1)).toMatch(/still pending/);
  });

  it('stops printing once the batch has ended, and publishes', async () => {
    const { cli } = await submitted(2);
    const result = await cli('collect', '--wait', '30');
    expect(result.code, result.stderr.join('\n')).toBe(0);
    expect(result.stdout.filter((line) => POLL.test(line)).length).toBeGreaterThan(0);
    expect(result.stdout.join('\n')).toMatch(/report: .*report\.md/);
  });

  it('--batch-id of a running batch whose state is gone: waits as told, with its poll lines, then exit 3', async () => {
    const { cli, repo, batchId, emulator } = await submitted(1_000);
    await rm(join(repo, '.overnight', 'states'), { recursive: true });
    const before = emulator.calls['batches.retrieve'] ?? 0;
    const result = await cli('collect', '--batch-id', batchId, '--wait', '1');
    expect(result.code).toBe(3);
    expect(result.stdout.filter((line) => POLL.test(line))).toHaveLength(2);
    expect((emulator.calls['batches.retrieve'] ?? 0) - before).toBe(3);
    expect(result.stderr).toEqual([]);
  });
});
