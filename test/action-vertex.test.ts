// A night on Google Vertex AI through the bundled action (dist/index.js) as a runner runs it: the
// submit run stages the requests in Cloud Storage and creates the batch prediction job with
// Application Default Credentials (the external_account file google-github-actions/auth leaves), the
// collect run reads the job's prediction files and opens the issue, the state handed over as a signed
// artifact; no Anthropic key anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { runBundledAction, runnerEnv } from './helpers/runner.js';
import { GCP_LOCATION, GCP_PROJECT, GCS_BUCKET, VERTEX_MODEL, startGcpEmulators, type GcpEmulators } from './helpers/gcp.js';

const OWNER = 'acme';
const REPO = 'shop';
const TOKEN = 'ghs_vertexrunnertoken0000000000000000000';
const STATE_KEY = 'overnight-state-signing-key-for-tests-0123456789';

let gcp: GcpEmulators;
let github: GitHubEmulator;
let workspace: string;
let headSha: string;

const inputs = {
  provider: 'vertex',
  'gcp-project': GCP_PROJECT,
  'gcp-location': GCP_LOCATION,
  'vertex-bucket': GCS_BUCKET,
  'state-signing-key': STATE_KEY,
  model: VERTEX_MODEL,
};

beforeAll(async () => {
  gcp = await startGcpEmulators({ pollsUntilEnded: 1 });
  github = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  workspace = join(await mkdtemp(join(tmpdir(), 'overnight-vertex-action-')), REPO);
  buildSampleRepository(workspace);
  headSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspace }).toString().trim();
});

afterAll(async () => {
  await gcp?.close();
  await github?.close();
});

const runEnv = (runId: number, env: Record<string, string> = gcp.env): Record<string, string> => ({
  ...runnerEnv({ github, owner: OWNER, repo: REPO, sha: headSha, runId }),
  ...env,
});

describe('dist/index.js with provider: vertex', () => {
  it('without Google credentials: fails with one line naming the refused permission, and saves no state', async () => {
    const run = await runBundledAction({
      workspace,
      token: TOKEN,
      env: runEnv(1, gcp.envWithoutCredentials),
      inputs: { ...inputs, mode: 'submit', task: 'code-review', since: '24h' },
    });
    expect(run.code).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /provider vertex: no Google credentials for storage\.objects\.create on gs:\/\/acme-overnight-batches\/.*google-github-actions\/auth/,
    );
    expect(gcp.vertex.jobs).toHaveLength(0);
    expect(github.store.artifacts.filter((a) => a.name.startsWith('overnight-state'))).toHaveLength(0);
  });

  it('without a state-signing-key (no API key to sign with): one line before any Google call', async () => {
    const { 'state-signing-key': _key, ...unsigned } = inputs;
    void _key;
    const run = await runBundledAction({
      workspace,
      token: TOKEN,
      env: runEnv(1),
      inputs: { ...unsigned, mode: 'submit', task: 'code-review', since: '24h' },
    });
    expect(run.code).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/state-signing-key: provider vertex needs a secret to sign state artifacts with/);
    expect(gcp.gcs.calls).toHaveLength(0);
    expect(gcp.vertex.jobs).toHaveLength(0);
  });

  it('submits a Vertex AI batch prediction job, stays pending while it runs, then opens one issue from its output', async () => {
    const submitted = await runBundledAction({
      workspace,
      token: TOKEN,
      env: runEnv(2),
      inputs: { ...inputs, mode: 'submit', task: 'code-review', since: '24h' },
    });
    expect(submitted.stderr).toBe('');
    expect(submitted.code, submitted.stdout).toBe(0);
    expect(submitted.outputs.status).toBe('submitted');
    expect(gcp.vertex.jobs).toHaveLength(1);
    expect(submitted.outputs['batch-ids']).toBe(gcp.vertex.jobs[0]!.name);
    // The signing key is a secret: masked first thing, never printed.
    const log = submitted.stdout.split('\n');
    expect(log.some((l) => l === `::add-mask::${STATE_KEY}`)).toBe(true);
    expect(log.filter((l) => !l.startsWith('::add-mask::')).join('\n')).not.toContain(STATE_KEY);
    expect(github.store.artifacts.filter((a) => a.name === 'overnight-state-code-review-2')).toHaveLength(1);

    const collectInputs = { ...inputs, mode: 'collect' };
    const pending = await runBundledAction({ workspace, token: TOKEN, env: runEnv(3), inputs: collectInputs });
    expect(pending.code, pending.stdout + pending.stderr).toBe(0);
    expect(pending.outputs.status).toBe('pending');
    expect(github.store.issues).toHaveLength(0);

    const collected = await runBundledAction({ workspace, token: TOKEN, env: runEnv(4), inputs: collectInputs });
    expect(collected.code, collected.stdout + collected.stderr).toBe(0);
    expect(collected.outputs.status).toBe('collected');
    expect(github.store.issues).toHaveLength(1);
    const issue = github.store.issues[0]!;
    expect(issue.title).toMatch(/^overnight code-review: \d+ findings? \(\d{4}-\d{2}-\d{2}\)$/);
    expect(issue.body).toContain(`https://github.com/${OWNER}/${REPO}/blob/${headSha}/src/orders.ts#L11`);
    expect(Number(collected.outputs['findings-count'])).toBeGreaterThan(0);
    expect(Number(collected.outputs['failed-count'])).toBe(0);

    const again = await runBundledAction({ workspace, token: TOKEN, env: runEnv(5), inputs: collectInputs });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.outputs.status).toBe('nothing-to-do');
    expect(github.store.issues).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });
});
