// Two collects racing on one submission, through the bundled action as a runner runs it (two processes,
// two workflow runs, one GitHub): the report is published once.
// - In lock-step: the first to claim the round is held right after its claim until the second has
//   tried to claim it too; the second finds the claim of a run still in progress, leaves the round to
//   it (status pending, one line why) and streams, resubmits and posts nothing.
// - Late: the second read the state before the first finished, and claims only after the first
//   released its claim; it reads the state again, finds it collected, and posts nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { startGitHubEmulator, type GitHubEmulator, type RecordedRequest } from './emulators/github/index.js';
import { runBundledAction, type ActionRun, runnerEnv } from './helpers/runner.js';
import { claimRefs, newestState } from './helpers/crash.js';

const OWNER = 'acme';
const REPO = 'shop';
const TOKEN = 'ghs_racetoken000000000000000000000000000';
const API_KEY = 'sk-ant-test-race-0000';

let anthropic: AnthropicEmulator;
let workspace: string;
let headSha: string;

beforeAll(async () => {
  anthropic = await startAnthropicEmulator({ pollsUntilEnded: 0, apiKeys: [API_KEY] });
  workspace = join(await mkdtemp(join(tmpdir(), 'overnight-race-')), REPO);
  buildSampleRepository(workspace);
  headSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspace }).toString().trim();
});

afterAll(async () => {
  await anthropic?.close();
});

function runEnv(github: GitHubEmulator, runId: number): Record<string, string> {
  return runnerEnv({ github, owner: OWNER, repo: REPO, sha: headSha, runId });
}

const inputs = () => ({ task: 'code-review', since: '24h', 'anthropic-api-key': API_KEY, 'anthropic-base-url': anthropic.url });
const isClaim = (r: RecordedRequest) =>
  String((r.body as { ref?: string } | undefined)?.ref).startsWith('refs/overnight/claims/');

async function submitted(github: GitHubEmulator): Promise<void> {
  const run = await runBundledAction({
    workspace,
    token: TOKEN,
    env: runEnv(github, 1),
    inputs: { ...inputs(), mode: 'submit' },
  });
  expect(run.code, run.stdout + run.stderr).toBe(0);
  github.completeRun(1);
}

function collectRun(github: GitHubEmulator, runId: number, onSpawn?: (child: ChildProcess) => void): Promise<ActionRun> {
  return runBundledAction({
    workspace,
    token: TOKEN,
    env: runEnv(github, runId),
    inputs: { ...inputs(), mode: 'collect' },
    ...(onSpawn ? { onSpawn } : {}),
  });
}

describe('two collects on one submission (dist/index.js)', () => {
  it('in lock-step: one claims and publishes; the other finds the claim, leaves the round to it and posts nothing', async () => {
    const github = await startGitHubEmulator({ owner: OWNER, repo: REPO });
    try {
      await submitted(github);
      const resultsBefore = anthropic.calls['batches.results'] ?? 0;
      let secondTried!: () => void;
      const tried = new Promise<void>((resolve) => (secondTried = resolve));
      // The winner's claim is answered only once the loser's attempt (422) has been answered.
      github.onRequest({ method: 'POST', path: /\/git\/refs$/, where: (r) => isClaim(r) && r.status === 201 }, () => tried);
      github.onRequest({ method: 'POST', path: /\/git\/refs$/, where: (r) => isClaim(r) && r.status === 422 }, () =>
        secondTried(),
      );

      const runs = await Promise.all([collectRun(github, 2), collectRun(github, 3)]);
      for (const run of runs) expect(run.code, run.stdout + run.stderr).toBe(0);
      const winner = runs.find((r) => r.outputs.status === 'collected')!;
      const loser = runs.find((r) => r.outputs.status === 'pending')!;
      expect(winner, runs.map((r) => r.stdout).join('\n')).toBeDefined();
      expect(loser, runs.map((r) => r.stdout).join('\n')).toBeDefined();
      const winnerRun = runs.indexOf(winner) + 2;
      expect(loser.stdout).toMatch(
        new RegExp(`code-review-1: round \\w+ is being published by another collect \\(run ${winnerRun} \\(attempt 1\\)`),
      );
      // Not a failure, and the answers a claim expects (404, 422) are not errors: no annotation at all.
      for (const run of runs) expect(run.stdout).not.toMatch(/^::(warning|error)::/m);

      expect(github.store.issues).toHaveLength(1);
      expect(github.store.labels.filter((l) => l.name === 'overnight')).toHaveLength(1);
      // Only the winner streamed the results and saved them; only its revision exists.
      expect((anthropic.calls['batches.results'] ?? 0) - resultsBefore).toBe(1);
      expect(github.store.artifacts.filter((a) => a.name.startsWith('overnight-results-'))).toHaveLength(1);
      expect(github.store.artifacts.filter((a) => a.name.startsWith('overnight-state-code-review-1-r'))).toHaveLength(1);
      expect(newestState(github, 'code-review-1').collectedAt).not.toBeNull();
      expect(claimRefs(github)).toEqual([]);
      expect(github.violations).toEqual([]);
    } finally {
      await github.close();
    }
  }, 60_000);

  it('late: one read the state before the other finished; it claims after the release, re-reads the state and posts nothing', async () => {
    const github = await startGitHubEmulator({ owner: OWNER, repo: REPO });
    try {
      await submitted(github);
      const resultsBefore = anthropic.calls['batches.results'] ?? 0;
      let first!: ChildProcess;
      let firstClaimed!: () => void;
      const claimed = new Promise<void>((resolve) => (firstClaimed = resolve));
      github.onRequest({ method: 'POST', path: /\/git\/refs$/, where: (r) => isClaim(r) && r.status === 201 }, () =>
        firstClaimed(),
      );
      const firstRun = collectRun(github, 2, (child) => (first = child));
      await claimed;
      // The second collect lists and reads the state now (the first has not published yet), and its
      // claim waits until the first collect has finished altogether.
      const firstExit = once(first, 'exit');
      github.onRequest({ method: 'POST', path: /\/git\/commits$/ }, async () => {
        await firstExit;
      });
      const secondRun = collectRun(github, 3);
      const [one, two] = await Promise.all([firstRun, secondRun]);
      expect(one.code, one.stdout + one.stderr).toBe(0);
      expect(one.outputs.status).toBe('collected');
      expect(two.code, two.stdout + two.stderr).toBe(0);
      expect(two.outputs.status, two.stdout).toBe('nothing-to-do');
      expect(two.stdout).toContain('code-review-1: published meanwhile by another collect; nothing left to do');

      expect(github.store.issues).toHaveLength(1);
      expect((anthropic.calls['batches.results'] ?? 0) - resultsBefore).toBe(1);
      expect(github.store.artifacts.filter((a) => a.name.startsWith('overnight-results-'))).toHaveLength(1);
      expect(claimRefs(github)).toEqual([]);
      expect(github.violations).toEqual([]);
    } finally {
      await github.close();
    }
  }, 60_000);
});
