// code-review of a pull request from a FORK, through the bundled action as a runner runs it. On
// `pull_request` GitHub hands a fork's run a read-only GITHUB_TOKEN, and no collect trusts a state
// such a run saves (README "Security"): a batch submit is refused before anything is paid, and
// `mode: run` reviews the PR within the run without attempting a single write to GitHub; the job
// summary carries the findings and says why nothing was posted. On `pull_request_target` the run is
// the base repository's, the token can write, and the same fork PR gets its sticky comment.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { startGitHubEmulator, type GitHubEmulator, type StoredPullFile } from './emulators/github/index.js';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { runBundledAction, runnerEnv } from './helpers/runner.js';
import { pullRequestEvent, pullRequestFiles } from './helpers/pull-request.js';

const OWNER = 'acme';
const REPO = 'shop';
const FORK_OWNER = 'mallory';
const TOKEN = 'ghs_forkpullrequesttoken00000000000000';
const API_KEY = 'sk-ant-test-fork-0000';
const PR_NUMBER = 12;

let anthropic: AnthropicEmulator;
let workspace: string;
let baseSha: string;
let headSha: string;
let mergeSha: string;
let pullFiles: StoredPullFile[];

const git = (...args: string[]): string => execFileSync('git', args, { cwd: workspace }).toString().trim();

type PullEvent = 'pull_request' | 'pull_request_target';

function env(github: GitHubEmulator, runId: number, event: PullEvent): Record<string, string> {
  // pull_request runs on the merge ref; pull_request_target on the base branch.
  const merge = event === 'pull_request';
  return runnerEnv({
    github,
    owner: OWNER,
    repo: REPO,
    runId,
    event,
    sha: merge ? mergeSha : baseSha,
    ref: merge ? `refs/pull/${PR_NUMBER}/merge` : 'refs/heads/main',
    headRef: 'patch-1',
    baseRef: 'main',
    // GitHub records a fork's pull_request run as running the fork's code; pull_request_target runs the base's.
    fromFork: merge,
  });
}

const forkEvent = (): unknown =>
  pullRequestEvent({
    owner: OWNER,
    repo: REPO,
    number: PR_NUMBER,
    action: 'opened',
    base: { sha: baseSha, ref: 'main' },
    head: { sha: headSha, ref: 'patch-1' },
    forkOwner: FORK_OWNER,
  });

async function emulatorWithPullRequest(): Promise<GitHubEmulator> {
  const github = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  github.seedPullRequest({
    number: PR_NUMBER,
    title: 'Orders page',
    base: { ref: 'main', sha: baseSha },
    head: { ref: 'patch-1', sha: headSha },
    files: pullFiles,
  });
  return github;
}

const isRestWrite = (r: { method: string; path: string }): boolean =>
  !['GET', 'HEAD'].includes(r.method) && !r.path.startsWith('/twirp/') && !r.path.startsWith('/_artifact-blobs/');

beforeAll(async () => {
  anthropic = await startAnthropicEmulator({ pollsUntilEnded: 0, apiKeys: [API_KEY] });
  workspace = join(await mkdtemp(join(tmpdir(), 'overnight-fork-')), REPO);
  buildSampleRepository(workspace);
  // The fork's branch holds the last two commits; main stays at the first one.
  headSha = git('rev-parse', 'HEAD');
  baseSha = git('rev-parse', 'HEAD~2');
  git('checkout', '-q', '--detach', baseSha);
  git('-c', 'user.name=GitHub', '-c', 'user.email=noreply@github.com', 'merge', '-q', '--no-ff', '--no-edit', headSha);
  mergeSha = git('rev-parse', 'HEAD');
  pullFiles = await pullRequestFiles(git, baseSha, headSha);
});

afterAll(async () => {
  await anthropic?.close();
});

// Each case has its own GitHub; they run side by side.
describe.concurrent('code-review of a fork pull request (dist/index.js)', () => {
  const inputs = (mode: string) => ({
    mode,
    task: 'code-review',
    'anthropic-api-key': API_KEY,
    'anthropic-base-url': anthropic.url,
  });

  it('on pull_request (read-only token): writes nothing to GitHub, puts the findings and the reason in the job summary', async ({
    expect,
  }) => {
    const github = await emulatorWithPullRequest();
    github.setReadOnly(true);
    try {
      const submitted = await runBundledAction({
        workspace,
        token: TOKEN,
        env: env(github, 1, 'pull_request'),
        inputs: inputs('submit'),
        event: forkEvent(),
      });
      // Refused up front: its state would be the fork's artifact, which no collect uses.
      expect(submitted.code).toBe(1);
      expect(submitted.stdout).toMatch(/^::error::mode: submit on a fork's pull_request run: no collect would trust the state/m);
      expect(submitted.outputs['batch-ids']).toBeUndefined();
      expect(github.store.artifacts).toHaveLength(0);

      const collected = await runBundledAction({
        workspace,
        token: TOKEN,
        env: env(github, 2, 'pull_request'),
        inputs: inputs('run'),
        event: forkEvent(),
      });
      expect(collected.code, collected.stdout + collected.stderr).toBe(0);
      expect(Number(collected.outputs['findings-count'])).toBeGreaterThan(0);

      // Not one write was even attempted (a 403 would mean the action tried).
      expect(github.requests.filter(isRestWrite)).toEqual([]);
      expect(github.store.comments).toHaveLength(0);
      expect(github.store.reviews).toHaveLength(0);
      expect(github.store.issues.filter((i) => !i.is_pull_request)).toHaveLength(0);

      // The summary is where the review went: the findings, linked to the PR head, and why.
      expect(collected.summary).toContain(`https://github.com/${OWNER}/${REPO}/blob/${headSha}/src/orders.ts#L11`);
      expect(collected.summary).toMatch(/SQL/i);
      expect(collected.summary).toMatch(/read-only token/);
      expect(collected.stdout).not.toMatch(/^::error/m);
      expect(github.violations).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('on pull_request, auto above sync-threshold still answers within the run: no batch whose state nothing would trust', async ({
    expect,
  }) => {
    const github = await emulatorWithPullRequest();
    github.setReadOnly(true);
    try {
      const auto = await runBundledAction({
        workspace,
        token: TOKEN,
        env: env(github, 1, 'pull_request'),
        inputs: { ...inputs('auto'), 'sync-threshold': '1' },
        event: forkEvent(),
      });
      expect(auto.code, auto.stdout + auto.stderr).toBe(0);
      expect(auto.stdout).toContain("auto on a fork's pull_request run: every request goes through the interactive API");
      expect(auto.outputs['batch-ids'] ?? '').toBe('');
      expect(github.store.artifacts.filter((a) => a.name.startsWith('overnight-state-'))).toEqual([]);
      expect(Number(auto.outputs['findings-count'])).toBeGreaterThan(0);
      expect(github.violations).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('on pull_request_target (writable token): the same fork PR gets its sticky comment and review', async ({ expect }) => {
    const github = await emulatorWithPullRequest();
    try {
      const submitted = await runBundledAction({
        workspace,
        token: TOKEN,
        env: env(github, 1, 'pull_request_target'),
        inputs: inputs('submit'),
        event: forkEvent(),
      });
      expect(submitted.code, submitted.stdout + submitted.stderr).toBe(0);
      const collected = await runBundledAction({
        workspace,
        token: TOKEN,
        env: env(github, 2, 'pull_request_target'),
        inputs: inputs('collect'),
        event: forkEvent(),
      });
      expect(collected.code, collected.stdout + collected.stderr).toBe(0);
      expect(collected.outputs.status).toBe('collected');
      const comments = github.store.comments.filter((c) => c.issue_number === PR_NUMBER);
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toContain('overnight:sticky task=code-review');
      expect(github.store.reviewComments.length).toBeGreaterThan(0);
      expect(github.store.reviewComments.every((c) => c.commit_id === headSha)).toBe(true);
      expect(github.violations).toEqual([]);
    } finally {
      await github.close();
    }
  });
});
