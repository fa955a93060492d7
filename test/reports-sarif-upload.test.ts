// Uploading SARIF to the GitHub emulator: gzip + base64, the reviewed commit and the PR ref.
import { gunzipSync } from 'node:zlib';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubContext } from '../src/github/context.js';
import { sarifReporter } from '../src/reports/sarif.js';
import type { GitHubEmulator } from './emulators/github/index.js';
import type { ReportContext } from '../src/reports/reporter.js';
import {
  startFixtureGitHub,
  closeFixtureGitHub,
  fixtureContext,
  fixtureFinding,
  fixturePullRequest,
  fixtureResults,
  FIXTURE_OWNER as owner,
  FIXTURE_REPO as repo,
  FIXTURE_BASE as BASE,
  FIXTURE_HEAD as HEAD,
} from './helpers/report-fixtures.js';

const finding = fixtureFinding({
  task: 'security-scan',
  path: 'src/legacy code/a.ts',
  startLine: 3,
  endLine: 5,
  title: 'SQL built from request input',
  explanation: 'Use a parameterised query.',
  cwe: 'CWE-89',
  fingerprint: 'fp-1',
  customId: 'sec-1',
});

let gh: GitHubEmulator;
let github: GitHubContext;

function context(pullRequest: boolean, overrides: Partial<GitHubContext> = {}): ReportContext {
  const dir = mkdtempSync(join(tmpdir(), 'overnight-sarif-up-'));
  return fixtureContext(fixtureResults({ task: 'security-scan', findings: [finding], batchIds: ['msgbatch_1'] }), {
    stateId: 's',
    round: 'r',
    outputDir: dir,
    sarifPath: join(dir, 'overnight.sarif'),
    github: { ...github, ...overrides },
    state: pullRequest
      ? { headSha: 'c'.repeat(40), baseSha: BASE, pullRequest: fixturePullRequest(7, { baseSha: BASE, headSha: HEAD }) }
      : { headSha: HEAD, baseSha: BASE },
  });
}

beforeEach(async () => {
  ({ gh, github } = await startFixtureGitHub());
});

afterEach(() => closeFixtureGitHub(gh));

describe('sarif upload', () => {
  it('uploads gzip+base64 SARIF for the PR head commit under refs/pull/N/head', async () => {
    const result = await sarifReporter.publish(context(true));
    expect(result.note).toContain('uploaded to code scanning for refs/pull/7/head');
    expect(result.url).toBe(`https://github.com/${owner}/${repo}/security/code-scanning?query=pr%3A7`);
    const upload = gh.store.sarifUploads[0]!;
    expect(upload).toMatchObject({ commit_sha: HEAD, ref: 'refs/pull/7/head', processing_status: 'complete', errors: null });
    const request = gh.requests.find((r) => r.method === 'POST' && r.path.endsWith('/code-scanning/sarifs'))!;
    const sent = JSON.parse(gunzipSync(Buffer.from((request.body as { sarif: string }).sarif, 'base64')).toString('utf8'));
    const run = sent.runs[0];
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('src/legacy%20code/a.ts');
    expect(run.results[0].partialFingerprints).toEqual({ 'overnightFingerprint/v1': 'fp-1' });
    expect(run.tool.driver.rules[0].properties.tags).toEqual(expect.arrayContaining(['security', 'external/cwe/cwe-89']));
  });

  it('uses the branch ref and head SHA outside pull requests', async () => {
    await sarifReporter.publish(context(false));
    expect(gh.store.sarifUploads[0]).toMatchObject({ commit_sha: HEAD, ref: 'refs/heads/main' });
  });

  it('keeps the file and explains the missing permission on 403', async () => {
    gh.setReadOnly(true);
    const ctx = context(false);
    const result = await sarifReporter.publish(ctx);
    expect(result.path).toBe(ctx.sarifPath);
    expect(result.note).toContain('security-events: write');
    expect(gh.store.sarifUploads).toEqual([]);
  });

  it('does not upload with a read-only token', async () => {
    const result = await sarifReporter.publish(context(true, { readOnly: true }));
    expect(result.note).toContain('not uploaded (read-only token');
    expect(gh.requests).toEqual([]);
  });
});
