// The GitHub emulator's check runs, commit statuses and token permissions, driven by the real Octokit:
// what GitHub stores and refuses, with zero OpenAPI violations for what a client sends right.
import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';

const owner = 'octo-org';
const repo = 'octo-repo';
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let emulator: GitHubEmulator;
let octokit: Octokit;
let sha: string;

beforeEach(async () => {
  emulator = await startGitHubEmulator({ owner, repo });
  octokit = new Octokit({ baseUrl: emulator.url, auth: 'ghs_emulated', log: quiet });
  sha = emulator.seedFile('main', 'a.ts', 'export const a = 1;\n');
});

afterEach(async () => {
  await emulator.close();
});

async function failure(promise: Promise<unknown>): Promise<{ status: number; message: string; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status: number; response: { data: { message: string }; headers: Record<string, string> } };
    return { status: e.status, message: e.response.data.message, headers: e.response.headers };
  }
  throw new Error('expected the request to fail');
}

describe('check runs', () => {
  it('creates queued, finds the newest run of a name on a commit, completes it in place', async () => {
    const output = { title: 'queued', summary: 'waiting' };
    const { data: first } = await octokit.rest.checks.create({
      owner,
      repo,
      name: 'overnight code-review',
      head_sha: sha,
      output,
    });
    expect(first).toMatchObject({ status: 'queued', conclusion: null, head_sha: sha, app: { slug: 'github-actions' } });
    const { data: second } = await octokit.rest.checks.create({
      owner,
      repo,
      name: 'overnight code-review',
      head_sha: sha,
      output,
    });
    await octokit.rest.checks.create({ owner, repo, name: 'other', head_sha: sha, status: 'in_progress' });

    const { data: latest } = await octokit.rest.checks.listForRef({ owner, repo, ref: sha, check_name: 'overnight code-review' });
    expect(latest.check_runs.map((r) => r.id)).toEqual([second.id]);
    const { data: all } = await octokit.rest.checks.listForRef({ owner, repo, ref: 'main', filter: 'all' });
    expect(all.total_count).toBe(3);

    const { data: done } = await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: second.id,
      conclusion: 'failure',
      output: { title: 'done', summary: '1 finding' },
    });
    expect(done).toMatchObject({ id: second.id, status: 'completed', conclusion: 'failure', output: { title: 'done' } });
    expect(done.completed_at).not.toBeNull();
    expect(emulator.violations).toEqual([]);
  });

  it('refuses what GitHub refuses: completed without a conclusion, an unknown commit, an unknown run, a bad conclusion', async () => {
    const completed = await failure(octokit.rest.checks.create({ owner, repo, name: 'x', head_sha: sha, status: 'completed' }));
    expect(completed.status).toBe(422);
    expect(emulator.store.checkRuns).toEqual([]);
    expect((await failure(octokit.rest.checks.create({ owner, repo, name: 'x', head_sha: 'f'.repeat(40) }))).status).toBe(422);
    expect((await failure(octokit.rest.checks.update({ owner, repo, check_run_id: 1, status: 'in_progress' }))).status).toBe(404);
    const bad = await failure(
      octokit.request('POST /repos/{owner}/{repo}/check-runs', {
        owner,
        repo,
        name: 'x',
        head_sha: sha,
        conclusion: 'passed' as 'success' /* not a conclusion GitHub knows */,
      }),
    );
    expect(bad.status).toBe(422);
    expect(emulator.violations).toEqual([expect.stringContaining('POST /repos/{owner}/{repo}/check-runs: body /conclusion')]);
  });
});

describe('commit statuses', () => {
  it('stores a status on a commit, newest first, and refuses a description over 140 characters', async () => {
    await octokit.rest.repos.createCommitStatus({ owner, repo, sha, state: 'pending', context: 'overnight code-review' });
    await octokit.rest.repos.createCommitStatus({
      owner,
      repo,
      sha,
      state: 'success',
      context: 'overnight code-review',
      description: 'no findings',
      target_url: 'https://github.com/octo-org/octo-repo/pull/1',
    });
    const { data } = await octokit.rest.repos.listCommitStatusesForRef({ owner, repo, ref: sha });
    expect(data.map((s) => s.state)).toEqual(['success', 'pending']);
    const long = await failure(
      octokit.rest.repos.createCommitStatus({ owner, repo, sha, state: 'success', description: 'x'.repeat(141) }),
    );
    expect(long.status).toBe(422);
    expect(emulator.violations).toEqual([]);
  });
});

describe('token permissions', () => {
  it("answers 403 outside the job's permissions, naming what would have been enough, and nothing is written", async () => {
    emulator.setPermissions({ contents: 'read', checks: 'read', issues: 'write' });
    const { data } = await octokit.rest.checks.listForRef({ owner, repo, ref: sha });
    expect(data.total_count).toBe(0);
    const create = await failure(octokit.rest.checks.create({ owner, repo, name: 'x', head_sha: sha }));
    expect(create).toMatchObject({ status: 403, message: 'Resource not accessible by integration' });
    expect(create.headers['x-accepted-github-permissions']).toBe('checks=write');
    const status = await failure(octokit.rest.repos.createCommitStatus({ owner, repo, sha, state: 'pending' }));
    expect(status.headers['x-accepted-github-permissions']).toBe('statuses=write');
    expect(emulator.store.checkRuns).toEqual([]);
    expect(emulator.store.commitStatuses).toEqual([]);
    // What the job does grant still works; undefined is a token with every permission again.
    await octokit.rest.issues.create({ owner, repo, title: 'allowed' });
    emulator.setPermissions(undefined);
    await octokit.rest.checks.create({ owner, repo, name: 'x', head_sha: sha });
    expect(emulator.store.checkRuns).toHaveLength(1);
    expect(emulator.violations).toEqual([]);
  });
});
