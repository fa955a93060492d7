// A failed action step writes the job summary too (issue 15, item 2): the run's page says what failed
// and where, not only its log; the line is escaped (no HTML from an error message reaches the page).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { runBundledAction, runnerEnv } from './helpers/runner.js';

const OWNER = 'acme';
const REPO = 'shop';
const TOKEN = 'ghs_runnerfaithfultoken0000000000000000';
const RIGHT_KEY = 'sk-ant-test-the-right-key-0000';

let anthropic: AnthropicEmulator;
let github: GitHubEmulator;
let workspace: string;
let headSha: string;

beforeAll(async () => {
  anthropic = await startAnthropicEmulator({ apiKeys: [RIGHT_KEY] });
  github = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  workspace = join(await mkdtemp(join(tmpdir(), 'overnight-action-fail-')), REPO);
  buildSampleRepository(workspace);
  headSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspace }).toString().trim();
});

afterAll(async () => {
  await anthropic?.close();
  await github?.close();
});

const env = (runId: number) => runnerEnv({ github, owner: OWNER, repo: REPO, sha: headSha, runId });

describe('a failed step', () => {
  it('an API key the API refuses: the step fails and the job summary names the call and the host', async () => {
    const run = await runBundledAction({
      workspace,
      token: TOKEN,
      env: env(1),
      inputs: {
        mode: 'submit',
        since: '24h',
        'anthropic-api-key': 'sk-ant-test-wrong-key-0000',
        'anthropic-base-url': anthropic.url,
      },
    });
    expect(run.code).toBe(1);
    const host = new URL(anthropic.url).host;
    expect(run.summary).toContain('### overnight failed');
    expect(run.summary).toMatch(
      new RegExp(`<pre>(counting tokens|creating a batch) at ${host.replace(/\./g, '\\.')}: Anthropic answered 401`),
    );
    expect(run.summary).not.toContain('sk-ant-test-wrong-key-0000');
  });

  it('a bad input: each problem in the job summary, escaped', async () => {
    const run = await runBundledAction({
      workspace,
      token: TOKEN,
      env: env(2),
      inputs: {
        mode: 'submit',
        task: '<b>code-reveiw</b>',
        'anthropic-api-key': 'sk-ant-test-x-0000',
        'anthropic-base-url': anthropic.url,
      },
    });
    expect(run.code).toBe(1);
    expect(run.summary).toContain('### overnight failed');
    expect(run.summary).toContain('input error: task: unknown value');
    expect(run.summary).toContain('&lt;b&gt;code-reveiw&lt;/b&gt;');
    expect(run.summary).not.toContain('<b>');
  });
});

describe('fail-on-severity in the action', () => {
  it('mode run: the issue is opened first, then the step fails with one line; none (the default) passes', async () => {
    const inputs = {
      mode: 'run',
      task: 'code-review',
      since: '24h',
      'anthropic-api-key': RIGHT_KEY,
      'anthropic-base-url': anthropic.url,
    };
    const passing = await runBundledAction({ workspace, token: TOKEN, env: env(3), inputs });
    expect(passing.code, passing.stdout).toBe(0);
    expect(github.store.issues).toHaveLength(1);
    expect(Number(passing.outputs['findings-count'])).toBeGreaterThan(0);
    const failing = await runBundledAction({
      workspace,
      token: TOKEN,
      env: env(4),
      inputs: { ...inputs, 'fail-on-severity': 'low' },
    });
    expect(failing.code).toBe(1);
    const errors = failing.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      expect.stringMatching(/^::error::fail-on-severity low: \d+ published findings? (is|are) at or above low \(/),
    ]);
    // Published before failing: the issue, the outputs and the job summary are all there.
    expect(github.store.issues.length).toBeGreaterThan(0);
    expect(failing.outputs['findings-count']).toBe(passing.outputs['findings-count']);
    expect(failing.summary).toMatch(/finding/);
  });
});
