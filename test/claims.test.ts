// Claims on collect rounds (src/state/claims.ts): who publishes a round when two collects meet, and
// why a crashed collect never blocks the next one for good.
// - The action's claims are git refs, tested through Octokit against the GitHub emulator.
// - The CLI's are lock files; two engine collects of one state directory publish one report.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOctokit } from '../src/github/octokit.js';
import { CLAIM_TTL_MS, GitRefClaimer, LockFileClaimer, type ClaimResult } from '../src/state/claims.js';
import { submit } from '../src/engine/submit.js';
import { collect } from '../src/engine/collect.js';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { recordingLogger, reportRounds, testConfig, testEngine } from './helpers/engine.js';

const OWNER = 'acme';
const REPO = 'shop';

function held(result: ClaimResult): asserts result is Extract<ClaimResult, { claimed: true }> {
  expect(result.claimed, JSON.stringify(result)).toBe(true);
}

function lost(result: ClaimResult): asserts result is Extract<ClaimResult, { claimed: false }> {
  expect(result.claimed, JSON.stringify(result)).toBe(false);
}

describe('git ref claims (the action)', () => {
  let github: GitHubEmulator;
  beforeAll(async () => {
    github = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  });
  afterAll(async () => {
    await github?.close();
  });

  /** What the claimers logged at error level: a claim's expected answers (404, 422, 403) are not errors. */
  const errors: string[] = [];
  function claimer(runId: number, options: { attempt?: number; now?: () => Date } = {}): GitRefClaimer {
    github.runtimeToken(runId); // The run exists, in progress.
    const { log } = recordingLogger();
    const error = log.error;
    log.error = (message) => {
      errors.push(message);
      error(message);
    };
    const octokit = createOctokit({ token: `ghs_run${runId}`, baseUrl: github.url, log, minWriteIntervalMs: 0, retries: 0 });
    return new GitRefClaimer({
      octokit,
      owner: OWNER,
      repo: REPO,
      runId,
      runAttempt: options.attempt ?? 1,
      log,
      ...(options.now ? { now: options.now } : {}),
    });
  }
  const refOf = (state: string, round: string) => `refs/${GitRefClaimer.refName(state, round)}`;

  it('a claim holds against another run in progress; released, the next collect gets it', async () => {
    const first = await claimer(101).claim('code-review-1', 'aaa');
    held(first);
    expect(first.note).toBeUndefined();
    expect(github.store.git.refs.has(refOf('code-review-1', 'aaa'))).toBe(true);
    const second = await claimer(102).claim('code-review-1', 'aaa');
    lost(second);
    expect(second.holder.label).toBe('run 101 (attempt 1)');
    // Another round of the same state is another claim.
    held(await claimer(102).claim('code-review-1', 'bbb'));
    await first.claim.release();
    expect(github.store.git.refs.has(refOf('code-review-1', 'aaa'))).toBe(false);
    held(await claimer(102).claim('code-review-1', 'aaa'));
  });

  it('a run that ended without releasing (killed) is taken over, and its late release leaves the new claim alone', async () => {
    const crashed = await claimer(111).claim('code-review-2', 'aaa');
    held(crashed);
    lost(await claimer(112).claim('code-review-2', 'aaa'));
    github.completeRun(111);
    const next = await claimer(112).claim('code-review-2', 'aaa');
    held(next);
    expect(next.note).toBe('took over the claim on this round: run 111 (attempt 1) has ended without releasing it');
    await crashed.claim.release();
    expect(github.store.git.refs.has(refOf('code-review-2', 'aaa'))).toBe(true);
    await next.claim.release();
    expect(github.store.git.refs.has(refOf('code-review-2', 'aaa'))).toBe(false);
  });

  it('a re-run attempt of the same run takes its own claim; a claim older than the TTL is taken over whatever its holder says', async () => {
    held(await claimer(121, { attempt: 1 }).claim('code-review-3', 'aaa'));
    const rerun = await claimer(121, { attempt: 2 }).claim('code-review-3', 'aaa');
    held(rerun);
    expect(rerun.note).toContain("it was this run's own (run 121 (attempt 1))");

    held(await claimer(122).claim('code-review-4', 'aaa'));
    const later = () => new Date(Date.now() + CLAIM_TTL_MS + 60_000);
    const late = await claimer(123, { now: later }).claim('code-review-4', 'aaa');
    held(late);
    expect(late.note).toMatch(/run 122 \(attempt 1\) took it \d+ minutes ago/);
  });

  it('two collects taking over one stale claim at once: exactly one wins (a fast-forward from the stale claim only)', async () => {
    held(await claimer(131).claim('code-review-5', 'aaa'));
    github.completeRun(131);
    const results = await Promise.all([claimer(132).claim('code-review-5', 'aaa'), claimer(133).claim('code-review-5', 'aaa')]);
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    const loser = results.find((r) => !r.claimed);
    lost(loser!);
    expect(['run 132 (attempt 1)', 'run 133 (attempt 1)']).toContain(loser.holder.label);
  });

  it('without contents: write (a 403 on the write) the round goes unguarded, and says why', async () => {
    github.setReadOnly(true);
    try {
      const result = await claimer(141).claim('code-review-6', 'aaa');
      held(result);
      expect(result.note).toContain('needs `contents: write`');
      expect(result.note).toContain('concurrency group');
    } finally {
      github.setReadOnly(false);
    }
  });

  // After every test of this group, not in a test of its own (which would pass alone, having seen nothing).
  afterEach(() => {
    expect(errors.splice(0), 'a claim logged an expected answer (404, 422, 403) as an error').toEqual([]);
  });
});

describe('lock file claims (the CLI)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'overnight-locks-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const pathOf = (state: string, round: string) => join(dir, `${state}.json.${round}.lock`);
  const alive = new Set<number>();
  const claimer = (pid: number, now?: () => Date) =>
    new LockFileClaimer({ pathOf, pid, host: 'host-a', isAlive: (p) => alive.has(p), ...(now ? { now } : {}) });

  it('holds against a live process; released, the next one gets it', async () => {
    alive.add(1001).add(1002);
    const first = await claimer(1001).claim('s1', 'r');
    held(first);
    const second = await claimer(1002).claim('s1', 'r');
    lost(second);
    expect(second.holder.label).toBe('pid 1001 on host-a');
    // Another collect inside the same process does not take it either.
    lost(await claimer(1001).claim('s1', 'r'));
    await first.claim.release();
    held(await claimer(1002).claim('s1', 'r'));
  });

  it('a process that is gone is taken over; its late release leaves the new lock alone', async () => {
    alive.add(1011);
    const crashed = await claimer(1011).claim('s2', 'r');
    held(crashed);
    alive.delete(1011);
    alive.add(1012);
    const next = await claimer(1012).claim('s2', 'r');
    held(next);
    expect(next.note).toContain('pid 1011 on host-a is no longer running');
    await crashed.claim.release();
    expect(JSON.parse(await readFile(pathOf('s2', 'r'), 'utf8')).pid).toBe(1012);
  });

  it('a lock of another host is judged by its age; a half-written one too', async () => {
    alive.add(1021).add(1022);
    await writeFile(pathOf('s3', 'r'), JSON.stringify({ pid: 5, host: 'host-b', claimedAt: new Date().toISOString() }));
    lost(await claimer(1021).claim('s3', 'r'));
    const late = await claimer(1021, () => new Date(Date.now() + CLAIM_TTL_MS + 60_000)).claim('s3', 'r');
    held(late);
    expect(late.note).toMatch(/pid 5 on host-b took it \d+ minutes ago/);

    await writeFile(pathOf('s4', 'r'), '');
    lost(await claimer(1022).claim('s4', 'r'));
    const old = new Date(Date.now() - CLAIM_TTL_MS - 60_000);
    await utimes(pathOf('s4', 'r'), old, old);
    held(await claimer(1022).claim('s4', 'r'));
  });
});

describe('two CLI collects of one state directory', () => {
  let anthropic: AnthropicEmulator;
  beforeAll(async () => {
    anthropic = await startAnthropicEmulator({ pollsUntilEnded: 0 });
  });
  afterAll(async () => {
    await anthropic?.close();
  });

  it('publish one report between them; the other leaves it or finds it done', async () => {
    const repoDir = join(await mkdtemp(join(tmpdir(), 'overnight-cli-race-')), 'shop');
    buildSampleRepository(repoDir);
    const one = await testEngine({ repoDir, baseUrl: anthropic.url });
    const two = await testEngine({ repoDir, baseUrl: anthropic.url, workDir: one.workDir });
    try {
      await submit(testConfig({ task: 'code-review', since: '24h' }), one.deps);
      const config = testConfig({ mode: 'collect', task: '' });
      const [a, b] = await Promise.all([collect(config, one.deps), collect(config, two.deps)]);
      expect(a.rounds.length + b.rounds.length).toBe(1);
      const other = a.rounds.length === 1 ? b : a;
      expect(['pending', 'nothing-to-do']).toContain(other.status);
      expect(await reportRounds(one.outputDir)).toHaveLength(1);
      expect((await one.states())[0]!.state.collectedAt).not.toBeNull();
      // No lock is left behind.
      expect((await readdir(one.stateDir)).filter((name) => name.endsWith('.lock'))).toEqual([]);
    } finally {
      await one.cleanup();
    }
  });
});
