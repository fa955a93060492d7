// The pull request's check run (issue 15, item 1), through the bundled action as a runner runs it: the
// PR workflow's submit opens "overnight code-review" on the PR's head commit, queued, saying by when
// the results come; the hourly collect (another run, another process, nothing handed over but the
// state) finds it again by name and commit and completes it with the verdict, the counts and a link
// to the review. A job without `checks: write` degrades to a commit status, or to nothing, with ONE
// line naming the permission to grant, and the review is published all the same.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import {
  startGitHubEmulator,
  type GitHubEmulator,
  type StoredPullFile,
  type TokenPermissions,
} from './emulators/github/index.js';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { runBundledAction, runnerEnv } from './helpers/runner.js';
import { pullRequestEvent, pullRequestFiles } from './helpers/pull-request.js';

const OWNER = 'acme';
const REPO = 'shop';
const TOKEN = 'ghs_checkrunpullrequesttoken0000000000';
const API_KEY = 'sk-ant-test-checkrun-0000';
const PR_NUMBER = 21;
const CHECK_NAME = 'overnight code-review';

let anthropic: AnthropicEmulator;
let workspace: string;
let baseSha: string;
let headSha: string;
let mergeSha: string;
let pullFiles: StoredPullFile[];

const git = (...args: string[]): string => execFileSync('git', args, { cwd: workspace }).toString().trim();

function env(github: GitHubEmulator, runId: number, event: 'pull_request' | 'schedule'): Record<string, string> {
  const pull = event === 'pull_request';
  return runnerEnv({
    github,
    owner: OWNER,
    repo: REPO,
    runId,
    event,
    sha: pull ? mergeSha : baseSha,
    ...(pull ? { ref: `refs/pull/${PR_NUMBER}/merge`, headRef: 'orders-page', baseRef: 'main' } : {}),
  });
}

const prEvent = (): unknown =>
  pullRequestEvent({
    owner: OWNER,
    repo: REPO,
    number: PR_NUMBER,
    action: 'synchronize',
    base: { sha: baseSha, ref: 'main' },
    head: { sha: headSha, ref: 'orders-page' },
  });

async function emulatorWithPullRequest(): Promise<GitHubEmulator> {
  const github = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  github.seedPullRequest({
    number: PR_NUMBER,
    title: 'Orders page',
    base: { ref: 'main', sha: baseSha },
    head: { ref: 'orders-page', sha: headSha },
    files: pullFiles,
  });
  return github;
}

const inputs = (mode: string, extra: Record<string, string> = {}) => ({
  mode,
  task: 'code-review',
  'anthropic-api-key': API_KEY,
  'anthropic-base-url': anthropic.url,
  ...extra,
});

/** The `::warning::` lines a run printed (each one an annotation on the run's page). */
const warnings = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('::warning'));

beforeAll(async () => {
  anthropic = await startAnthropicEmulator({ pollsUntilEnded: 0, apiKeys: [API_KEY] });
  workspace = join(await mkdtemp(join(tmpdir(), 'overnight-checkrun-')), REPO);
  buildSampleRepository(workspace);
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

// Two action runs per case, three cases side by side on a shared machine: more than the default 30 s.
describe.concurrent('the pull request check run (dist/index.js)', { timeout: 120_000 }, () => {
  it('submit opens it queued on the head commit; collect completes the same run with the verdict and a link to the review', async ({
    expect,
  }) => {
    const github = await emulatorWithPullRequest();
    try {
      const submitted = await runBundledAction({
        workspace,
        token: TOKEN,
        env: env(github, 1, 'pull_request'),
        inputs: inputs('submit'),
        event: prEvent(),
      });
      expect(submitted.code, submitted.stdout + submitted.stderr).toBe(0);
      expect(github.store.checkRuns).toHaveLength(1);
      const queued = { ...github.store.checkRuns[0]!, output: { ...github.store.checkRuns[0]!.output } };
      expect(queued).toMatchObject({ name: CHECK_NAME, head_sha: headSha, status: 'queued', conclusion: null });
      // The batch's worst case: 24 hours after it was submitted, to the minute.
      const due = /^overnight: code review queued, results by (\d{4}-\d\d-\d\d \d\d:\d\d) UTC$/.exec(queued.output.title ?? '');
      expect(due, queued.output.title ?? '').not.toBeNull();
      const dueMs = Date.parse(`${due![1]!.replace(' ', 'T')}:00Z`);
      const createdMs = Date.parse(queued.started_at);
      expect(dueMs - createdMs).toBeGreaterThan(23.9 * 3600_000);
      expect(dueMs - createdMs).toBeLessThanOrEqual(24 * 3600_000);
      expect(queued.output.summary).toMatch(/requests? sent in 1 batch/);
      expect(queued.details_url).toBe(`https://github.com/${OWNER}/${REPO}/actions/runs/1`);
      expect(warnings(submitted.stdout)).toEqual([]);

      const collected = await runBundledAction({
        workspace,
        token: TOKEN,
        env: env(github, 2, 'schedule'),
        inputs: inputs('collect', { 'fail-on-severity': 'low' }),
      });
      // The findings trip fail-on-severity: the step fails after publishing, and so does the check.
      expect(collected.code, collected.stdout + collected.stderr).toBe(1);
      expect(collected.outputs.status).toBe('collected');
      expect(github.store.checkRuns).toHaveLength(1);
      const done = github.store.checkRuns[0]!;
      expect(done).toMatchObject({ id: queued.id, status: 'completed', conclusion: 'failure', updates: 1 });
      expect(done.completed_at).not.toBeNull();
      const findings = Number(collected.outputs['findings-count']);
      expect(findings).toBeGreaterThan(0);
      expect(done.output.title).toMatch(new RegExp(`^overnight: ${findings} findings? \\(`));
      expect(done.output.summary).toContain('The step failed: fail-on-severity low:');
      // A link to the review that was posted, and the check's details lead there.
      const review = github.store.reviews.find((r) => r.pull_number === PR_NUMBER);
      expect(review).toBeDefined();
      const reviewUrl = `https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#pullrequestreview-${review!.id}`;
      expect(done.output.summary).toContain(`[pr-review](${reviewUrl})`);
      expect(done.details_url).toBe(reviewUrl);
      expect(collected.stdout).toMatch(/^check-run: check run 'overnight code-review' completed \(failure\)$/m);
      expect(github.store.commitStatuses).toEqual([]);
      expect(github.violations).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('without `checks: write`: a commit status instead, then nothing, each said in one line naming the permission', async ({
    expect,
  }) => {
    const github = await emulatorWithPullRequest();
    try {
      // What each job grants: submit may write statuses but not checks; collect neither.
      const submitPermissions: TokenPermissions = {
        contents: 'read',
        'pull-requests': 'read',
        actions: 'read',
        statuses: 'write',
      };
      const collectPermissions: TokenPermissions = {
        contents: 'read',
        'pull-requests': 'write',
        issues: 'write',
        actions: 'read',
      };
      github.setPermissions(submitPermissions);
      const submitted = await runBundledAction({
        workspace,
        token: TOKEN,
        env: env(github, 1, 'pull_request'),
        inputs: inputs('submit'),
        event: prEvent(),
      });
      expect(submitted.code, submitted.stdout + submitted.stderr).toBe(0);
      expect(submitted.outputs.status).toBe('submitted');
      expect(github.store.checkRuns).toEqual([]);
      expect(github.store.commitStatuses).toHaveLength(1);
      expect(github.store.commitStatuses[0]).toMatchObject({ sha: headSha, state: 'pending', context: CHECK_NAME });
      expect(github.store.commitStatuses[0]!.description).toMatch(/^code review queued, results by .* UTC$/);
      expect(warnings(submitted.stdout)).toEqual([
        "::warning::check run 'overnight code-review': the token may not write checks; posted a commit status instead (grant `checks: write` to this job for the check run)",
      ]);

      github.setPermissions(collectPermissions);
      const collected = await runBundledAction({
        workspace,
        token: TOKEN,
        env: env(github, 2, 'schedule'),
        inputs: inputs('collect'),
      });
      expect(collected.code, collected.stdout + collected.stderr).toBe(0);
      expect(collected.outputs.status).toBe('collected');
      // The review is published all the same; the pull request keeps the submit's pending status.
      expect(github.store.reviews.filter((r) => r.pull_number === PR_NUMBER)).toHaveLength(1);
      expect(github.store.checkRuns).toEqual([]);
      expect(github.store.commitStatuses).toHaveLength(1);
      expect(warnings(collected.stdout)).toEqual([
        "::warning::check-run: check run 'overnight code-review': the token may write neither checks nor commit statuses, so the pull request shows no status from overnight; grant `checks: write` to this job",
      ]);
      // GitHub's 403s were asked for (the collect's claim on the round too: it has no `contents: write`), and
      // no request broke the API's description.
      const refused = github.requests.filter((r) => r.status === 403 && /\/(check-runs|statuses)\b/.test(r.path));
      expect(refused.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
        `GET /repos/${OWNER}/${REPO}/commits/${headSha}/check-runs`,
        `GET /repos/${OWNER}/${REPO}/commits/${headSha}/check-runs`,
        `POST /repos/${OWNER}/${REPO}/statuses/${headSha}`,
      ]);
      expect(github.violations).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('a submit that could show nothing leaves it to the collect, which creates the run completed', async ({ expect }) => {
    const github = await emulatorWithPullRequest();
    try {
      github.setPermissions({ contents: 'read', 'pull-requests': 'read', actions: 'read' });
      const submitted = await runBundledAction({
        workspace,
        token: TOKEN,
        env: env(github, 1, 'pull_request'),
        inputs: inputs('submit'),
        event: prEvent(),
      });
      expect(submitted.code, submitted.stdout + submitted.stderr).toBe(0);
      expect(github.store.checkRuns).toEqual([]);
      expect(github.store.commitStatuses).toEqual([]);
      expect(warnings(submitted.stdout)).toEqual([
        "::warning::check run 'overnight code-review': the token may write neither checks nor commit statuses, so the pull request shows no status from overnight; grant `checks: write` to this job",
      ]);

      github.setPermissions({ contents: 'write', actions: 'read', 'pull-requests': 'write', issues: 'write', checks: 'write' });
      const collected = await runBundledAction({
        workspace,
        token: TOKEN,
        env: env(github, 2, 'schedule'),
        inputs: inputs('collect'),
      });
      expect(collected.code, collected.stdout + collected.stderr).toBe(0);
      expect(github.store.checkRuns).toHaveLength(1);
      // Findings without fail-on-severity: there is something to read, nothing failed the step.
      expect(github.store.checkRuns[0]).toMatchObject({
        name: CHECK_NAME,
        head_sha: headSha,
        status: 'completed',
        conclusion: 'neutral',
        updates: 0,
      });
      expect(warnings(collected.stdout)).toEqual([]);
      expect(github.violations).toEqual([]);
    } finally {
      await github.close();
    }
  });
});
