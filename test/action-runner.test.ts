// The bundled action (dist/index.js) run as a GitHub runner runs it, against the three emulators:
// a nightly submit (run 1, schedule) and later collects (runs 2-4) in separate processes and
// workflow runs, handing the state over through the artifact service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { runBundledAction, runnerNode, runnerEnv } from './helpers/runner.js';

const OWNER = 'acme';
const REPO = 'shop';
const TOKEN = 'ghs_runnerfaithfultoken0000000000000000';
const API_KEY = 'sk-ant-test-runner-0000';

let anthropic: AnthropicEmulator;
let github: GitHubEmulator;
let workspace: string;
let headSha: string;

function runEnv(runId: number): Record<string, string> {
  return runnerEnv({ github, owner: OWNER, repo: REPO, sha: headSha, runId });
}

const collectInputs = { mode: 'collect', 'anthropic-api-key': '', 'anthropic-base-url': '' };

beforeAll(async () => {
  // One status check answers in_progress: the first collect sees the batch still running.
  anthropic = await startAnthropicEmulator({ pollsUntilEnded: 1, apiKeys: [API_KEY] });
  github = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  workspace = join(await mkdtemp(join(tmpdir(), 'overnight-action-')), REPO);
  buildSampleRepository(workspace);
  headSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspace }).toString().trim();
  collectInputs['anthropic-api-key'] = API_KEY;
  collectInputs['anthropic-base-url'] = anthropic.url;
});

afterAll(async () => {
  await anthropic?.close();
  await github?.close();
});

describe(`dist/index.js under ${runnerNode() === process.execPath ? 'this Node (tools/node24 not installed)' : 'Node 24'}`, () => {
  it('submits on schedule, stays pending while the batch runs, opens exactly one issue, then has nothing to do', async () => {
    const submitted = await runBundledAction({
      workspace,
      token: TOKEN,
      env: runEnv(1),
      inputs: {
        mode: 'submit',
        task: 'code-review',
        since: '24h',
        'anthropic-api-key': API_KEY,
        'anthropic-base-url': anthropic.url,
      },
    });
    expect(submitted.stderr).toBe('');
    expect(submitted.code, submitted.stdout).toBe(0);
    expect(submitted.outputs.status).toBe('submitted');
    expect(submitted.outputs['batch-ids']).toMatch(/^msgbatch_/);
    expect(Number(submitted.outputs['request-count'])).toBeGreaterThan(0);
    expect(submitted.summary).toContain('code-review');
    // The key is masked first thing, and never printed otherwise (the runner consumes ::add-mask:: lines).
    const log = submitted.stdout.split('\n');
    expect(log.some((l) => l === `::add-mask::${API_KEY}`)).toBe(true);
    expect(log.filter((l) => !l.startsWith('::add-mask::')).join('\n')).not.toContain(API_KEY);
    const stateArtifacts = github.store.artifacts.filter((a) => a.name === 'overnight-state-code-review-1');
    expect(stateArtifacts).toHaveLength(1);
    expect(anthropic.batches()).toHaveLength(1);

    const pending = await runBundledAction({ workspace, token: TOKEN, env: runEnv(2), inputs: collectInputs });
    expect(pending.code, pending.stdout + pending.stderr).toBe(0);
    expect(pending.outputs.status).toBe('pending');
    expect(github.store.issues).toHaveLength(0);

    const collected = await runBundledAction({ workspace, token: TOKEN, env: runEnv(3), inputs: collectInputs });
    expect(collected.code, collected.stdout + collected.stderr).toBe(0);
    expect(collected.outputs.status).toBe('collected');
    expect(github.store.issues).toHaveLength(1);
    const issue = github.store.issues[0]!;
    expect(issue.title).toMatch(/^overnight code-review: \d+ findings? \(\d{4}-\d{2}-\d{2}\)$/);
    expect(issue.labels.map((l: { name: string } | string) => (typeof l === 'string' ? l : l.name))).toContain('overnight');
    // Findings link to the reviewed lines at the reviewed commit.
    expect(issue.body).toContain(`https://github.com/${OWNER}/${REPO}/blob/${headSha}/src/orders.ts#L11`);
    expect(Number(collected.outputs['findings-count'])).toBeGreaterThan(0);
    expect(collected.outputs['issue-url']).toBe(`https://github.com/${OWNER}/${REPO}/issues/${issue.number}`);
    expect(Number(collected.outputs['cost-usd'])).toBeGreaterThan(0);
    // Batch prices: half of the same tokens interactively, so the saving equals the cost.
    expect(Number(collected.outputs['savings-usd'])).toBeCloseTo(Number(collected.outputs['cost-usd']), 3);
    expect(existsSync(join(workspace, collected.outputs['results-path']!))).toBe(true);
    expect(collected.summary).toContain('finding');
    // Results were saved as an artifact of the collect run before the issue was posted: the upload of
    // the results artifact is finalised before the issue is created (the order GitHub received them).
    expect(github.store.artifacts.some((a) => a.name.startsWith('overnight-results-code-review-1-'))).toBe(true);
    const resultsSaved = github.requests.findIndex(
      (r) =>
        r.method === 'POST' &&
        /ArtifactService\/FinalizeArtifact$/.test(r.path) &&
        String((r.body as { name?: string } | null)?.name).startsWith('overnight-results-code-review-1-'),
    );
    const issuePosted = github.requests.findIndex((r) => r.method === 'POST' && r.path === `/repos/${OWNER}/${REPO}/issues`);
    expect(resultsSaved).toBeGreaterThanOrEqual(0);
    expect(issuePosted).toBeGreaterThan(resultsSaved);

    // The collected revision says so in its name, with a tag only the key makes, so the hourly collects
    // after it skip it unread.
    expect(
      github.store.artifacts.filter((a) => /^overnight-state-code-review-1-r3a1n\d+c[0-9a-f]{32}$/.test(a.name)),
    ).toHaveLength(1);
    const requestsBefore = github.requests.length;
    const again = await runBundledAction({ workspace, token: TOKEN, env: runEnv(4), inputs: collectInputs });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.outputs.status).toBe('nothing-to-do');
    const downloads = (from: number, to?: number) =>
      github.requests.slice(from, to).filter((r) => /\/actions\/artifacts\/\d+\/zip$/.test(r.path));
    expect(downloads(0, requestsBefore).length).toBeGreaterThan(0); // the earlier collects did download the state
    expect(downloads(requestsBefore)).toEqual([]);
    expect(github.store.issues).toHaveLength(1);
    expect(github.store.comments).toHaveLength(0);

    expect(github.violations).toEqual([]);
  });

  it('state-name names the state artifacts; a collect under another state-name does not see them', async () => {
    const own = await startGitHubEmulator({ owner: OWNER, repo: REPO });
    try {
      const env = (runId: number) => runnerEnv({ github: own, owner: OWNER, repo: REPO, sha: headSha, runId });
      const submitted = await runBundledAction({
        workspace,
        token: TOKEN,
        env: env(1),
        inputs: { ...collectInputs, mode: 'submit', task: 'code-review', since: '24h', 'state-name': 'nightly-review' },
      });
      expect(submitted.code, submitted.stdout + submitted.stderr).toBe(0);
      expect(own.store.artifacts.map((a) => a.name)).toEqual(['nightly-review-code-review-1']);

      const other = await runBundledAction({ workspace, token: TOKEN, env: env(2), inputs: collectInputs });
      expect(other.code, other.stdout + other.stderr).toBe(0);
      expect(other.outputs.status).toBe('nothing-to-do');

      // The batch answers in_progress once (pollsUntilEnded: 1), then ends.
      const named = { ...collectInputs, 'state-name': 'nightly-review' };
      const pending = await runBundledAction({ workspace, token: TOKEN, env: env(3), inputs: named });
      expect(pending.outputs.status, pending.stdout + pending.stderr).toBe('pending');
      const collected = await runBundledAction({ workspace, token: TOKEN, env: env(4), inputs: named });
      expect(collected.code, collected.stdout + collected.stderr).toBe(0);
      expect(collected.outputs.status).toBe('collected');
      expect(own.store.issues).toHaveLength(1);
      const names = own.store.artifacts.map((a) => a.name);
      expect(names.filter((n) => n.startsWith('overnight-state'))).toEqual([]);
      expect(names.filter((n) => /^nightly-review-code-review-1-r4a1n\d+c[0-9a-f]{32}$/.test(n))).toHaveLength(1);
      expect(own.violations).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('dry-run plans and prices the same requests but sends nothing, saves no state and writes only the job summary', async () => {
    const batchesBefore = anthropic.batches().length;
    const artifactsBefore = github.store.artifacts.length;
    const writesBefore = github.requests.filter((r) => r.method !== 'GET').length;
    const dry = await runBundledAction({
      workspace,
      token: TOKEN,
      env: runEnv(6),
      inputs: {
        mode: 'submit',
        task: 'code-review',
        since: '24h',
        'dry-run': 'true',
        'anthropic-api-key': API_KEY,
        'anthropic-base-url': anthropic.url,
      },
    });
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.outputs.status).toBe('dry-run');
    // The same count the real submit of run 1 made (same window, same repository).
    expect(Number(dry.outputs['request-count'])).toBe(anthropic.batches()[0]!.requests.length);
    expect(Number(dry.outputs['estimated-cost-usd'])).toBeGreaterThan(0);
    expect(dry.summary).toMatch(/dry-run|Dry run/i);
    expect(anthropic.batches()).toHaveLength(batchesBefore);
    expect(github.store.artifacts).toHaveLength(artifactsBefore);
    expect(github.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
  });

  it('fails with one clear line and no API call on a bad input', async () => {
    const before = { ...anthropic.calls };
    const bad = await runBundledAction({
      workspace,
      token: TOKEN,
      env: runEnv(5),
      inputs: { mode: 'submit', task: 'code-reveiw', 'anthropic-api-key': API_KEY, 'anthropic-base-url': anthropic.url },
    });
    expect(bad.code).toBe(1);
    const errors = bad.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("task: unknown value 'code-reveiw'");
    expect(anthropic.calls).toEqual(before);
  });
});
