// security-scan on a schedule through the bundled action as a runner runs it, with
// `report: issue,sarif,summary`: the nightly submit (run 1), the collect that sends the verification
// round (run 2) and the collect that publishes (run 3, each another process) write a SARIF 2.1.0 file at `sarif-path`, upload it to code scanning for the reviewed commit and
// branch, open one issue and write the job summary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Log } from 'sarif';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { runBundledAction, runnerEnv } from './helpers/runner.js';

const OWNER = 'acme';
const REPO = 'shop';
const TOKEN = 'ghs_securityscantoken0000000000000000000';
const API_KEY = 'sk-ant-test-security-0000';

let anthropic: AnthropicEmulator;
let github: GitHubEmulator;
let workspace: string;
let headSha: string;

function env(runId: number): Record<string, string> {
  return runnerEnv({ github, owner: OWNER, repo: REPO, sha: headSha, runId });
}

beforeAll(async () => {
  anthropic = await startAnthropicEmulator({ pollsUntilEnded: 0, apiKeys: [API_KEY] });
  workspace = join(await mkdtemp(join(tmpdir(), 'overnight-security-')), REPO);
  buildSampleRepository(workspace);
  headSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspace }).toString().trim();
  github = await startGitHubEmulator({ owner: OWNER, repo: REPO, headSha });
});

afterAll(async () => {
  await anthropic?.close();
  await github?.close();
});

describe('security-scan on schedule with report: issue,sarif,summary (dist/index.js)', () => {
  it('writes SARIF 2.1.0 at sarif-path, uploads it for the reviewed commit and branch, and opens one issue', async () => {
    const inputs = {
      task: 'security-scan',
      since: '24h',
      report: 'issue,sarif,summary',
      'sarif-path': 'reports/overnight.sarif',
      'anthropic-api-key': API_KEY,
      'anthropic-base-url': anthropic.url,
    };
    const submitted = await runBundledAction({ workspace, token: TOKEN, env: env(1), inputs: { ...inputs, mode: 'submit' } });
    expect(submitted.code, submitted.stdout + submitted.stderr).toBe(0);
    expect(submitted.outputs.status).toBe('submitted');
    // The .env file of the sample repository holds a live-looking key: never sent.
    const sent = JSON.stringify(anthropic.batches()[0]!.requests);
    expect(sent).not.toContain('sk_live_demo');

    // security-scan is verified: the first collect (run 2) sends the findings at or above medium to a
    // verification batch and publishes nothing; the next one (run 3, another process) publishes.
    const verifying = await runBundledAction({ workspace, token: TOKEN, env: env(2), inputs: { ...inputs, mode: 'collect' } });
    expect(verifying.code, verifying.stdout + verifying.stderr).toBe(0);
    expect(verifying.outputs.status).toBe('pending');
    expect(github.store.issues).toHaveLength(0);
    expect(github.store.sarifUploads).toHaveLength(0);
    expect(anthropic.batches()).toHaveLength(2);

    const collected = await runBundledAction({ workspace, token: TOKEN, env: env(3), inputs: { ...inputs, mode: 'collect' } });
    expect(collected.code, collected.stdout + collected.stderr).toBe(0);
    expect(collected.outputs.status).toBe('collected');
    expect(collected.summary).toMatch(/\| of which verification \(\d+ requests?: \d+ kept, 0 dropped, 0 unverified\) \|/);
    const findings = Number(collected.outputs['findings-count']);
    expect(findings).toBeGreaterThan(0);

    // The SARIF file, where sarif-path says (resolved in the workspace), named by the output.
    const sarifPath = collected.outputs['sarif-path']!;
    expect(sarifPath).toBe(join(workspace, 'reports', 'overnight.sarif'));
    expect(existsSync(sarifPath)).toBe(true);
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8')) as Log;
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/\/sarif(-schema)?-2\.1\.0\.json$/);
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0]!;
    expect(run.tool.driver.name).toBe('overnight');
    const rules = run.tool.driver.rules ?? [];
    const results = run.results ?? [];
    expect(results).toHaveLength(findings);
    // Every rule carries its CWE the way code scanning reads it; every result points at its rule.
    const cweTags = rules.flatMap((rule) => (rule.properties?.tags ?? []).filter((tag) => /^external\/cwe\/cwe-\d+$/.test(tag)));
    expect(cweTags).toContain('external/cwe/cwe-89');
    for (const result of results) {
      expect(rules[result.ruleIndex!]!.id).toBe(result.ruleId);
      expect(result.message.text).toBeTruthy();
      expect(result.partialFingerprints?.['overnightFingerprint/v1']).toMatch(/^\S+$/);
      const location = result.locations![0]!.physicalLocation!;
      expect(location.artifactLocation!.uriBaseId).toBe('%SRCROOT%');
      // Relative to the repository root, and a file that exists there.
      expect(existsSync(join(workspace, decodeURIComponent(location.artifactLocation!.uri!)))).toBe(true);
      expect(location.region!.startLine).toBeGreaterThanOrEqual(1);
    }
    const fingerprints = results.map((r) => r.partialFingerprints!['overnightFingerprint/v1']);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    const sqlResult = results.find(
      (r) =>
        r.locations![0]!.physicalLocation!.artifactLocation!.uri === 'src/orders.ts' &&
        r.locations![0]!.physicalLocation!.region!.startLine === 11,
    );
    expect(sqlResult).toBeDefined();

    // Code scanning received that same document, for the reviewed commit on its branch, and took it.
    expect(github.store.sarifUploads).toHaveLength(1);
    const upload = github.store.sarifUploads[0]!;
    expect(upload.commit_sha).toBe(headSha);
    expect(upload.ref).toBe('refs/heads/main');
    expect(upload.processing_status).toBe('complete');
    expect(upload.sarif).toEqual(sarif);

    // The issue and the summary, each once.
    const issues = github.store.issues.filter((i) => !i.is_pull_request);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.body).toContain(`blob/${headSha}/src/orders.ts#L11`);
    expect(collected.outputs['issue-url']).toBe(`https://github.com/${OWNER}/${REPO}/issues/${issues[0]!.number}`);
    expect(collected.summary).toContain('overnight security-scan');
    expect(collected.summary).toContain('/security/code-scanning');

    expect(github.violations).toEqual([]);
  });
});
