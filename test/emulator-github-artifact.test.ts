// The real @actions/artifact 6 against the emulator's artifact service (Twirp + blob) and REST API,
// across two workflow runs of one repository.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';

type ArtifactModule = typeof import('@actions/artifact');

const OWNER = 'octo-org';
const REPO = 'octo-repo';
const TOKEN = 'ghs_emulated_token';

let emulator: GitHubEmulator;
let artifactModule: ArtifactModule;
let workDir: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  emulator = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  workDir = await mkdtemp(join(tmpdir(), 'overnight-artifact-'));
  process.env['ACTIONS_RESULTS_URL'] = emulator.resultsUrl;
  // @actions/github reads GITHUB_API_URL when its module loads, so it is set before the import below.
  process.env['GITHUB_API_URL'] = emulator.url;
  process.env['GITHUB_WORKSPACE'] = workDir;
  process.env['GITHUB_REPOSITORY'] = `${OWNER}/${REPO}`;
  // A loopback GITHUB_SERVER_URL would make the client treat this as GHES and refuse.
  delete process.env['GITHUB_SERVER_URL'];
  artifactModule = await import('@actions/artifact');
});

afterAll(async () => {
  process.env = savedEnv;
  await emulator?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function actAsRun(runId: number): void {
  process.env['GITHUB_RUN_ID'] = String(runId);
  process.env['ACTIONS_RUNTIME_TOKEN'] = emulator.runtimeToken(runId);
}

describe('artifact service with the real @actions/artifact', () => {
  it('uploads in run 1 and lists, downloads and deletes it from run 2 through the REST API', async () => {
    const content = `{"state":"batch submitted","batch":"msgbatch_01"}\n${'x'.repeat(5000)}\n`;
    const file = join(workDir, 'state.json');
    await writeFile(file, content);
    const findBy = { token: TOKEN, workflowRunId: 1, repositoryOwner: OWNER, repositoryName: REPO };

    actAsRun(1);
    const client = new artifactModule.DefaultArtifactClient();
    const uploaded = await client.uploadArtifact('overnight-state', [file], workDir, { retentionDays: 7 });
    if (uploaded.id === undefined) throw new Error('uploadArtifact returned no id');
    const artifactId = uploaded.id;
    const stored = emulator.store.artifacts.find((a) => a.id === artifactId);
    expect(stored).toMatchObject({ name: 'overnight-state', workflow_run_id: 1, finalized: true, size_in_bytes: uploaded.size });
    expect(stored?.digest).toBe(`sha256:${uploaded.digest}`);
    const retentionDays = (Date.parse(stored?.expires_at ?? '') - Date.now()) / 86_400_000;
    expect(retentionDays).toBeGreaterThan(6.9);
    expect(retentionDays).toBeLessThanOrEqual(7);
    // Inside the same run the client finds it through the Twirp service.
    const sameRun = await client.getArtifact('overnight-state');
    expect(sameRun.artifact.id).toBe(artifactId);

    actAsRun(2);
    const fromRun2 = new artifactModule.DefaultArtifactClient();
    const inRun2 = await fromRun2.listArtifacts();
    expect(inRun2.artifacts).toEqual([]);
    const listed = await fromRun2.listArtifacts({ findBy });
    expect(listed.artifacts.map((a) => [a.id, a.name, a.size])).toEqual([[artifactId, 'overnight-state', uploaded.size]]);
    const found = await fromRun2.getArtifact('overnight-state', { findBy });
    expect(found.artifact.id).toBe(artifactId);

    const downloadDir = join(workDir, 'download');
    const downloaded = await fromRun2.downloadArtifact(artifactId, {
      path: downloadDir,
      findBy,
      expectedHash: `sha256:${uploaded.digest}`,
    });
    expect(downloaded.digestMismatch).toBe(false);
    expect(await readFile(join(downloadDir, 'state.json'), 'utf8')).toBe(content);
    // The zip route answered with a redirect to a signed blob URL, then the blob served the zip.
    const zipRequest = emulator.requests.find((r) => r.path.endsWith(`/actions/artifacts/${artifactId}/zip`));
    expect(zipRequest?.status).toBe(302);

    const octokit = new Octokit({ baseUrl: emulator.url, auth: TOKEN });
    const { data: repoWide } = await octokit.rest.actions.listArtifactsForRepo({
      owner: OWNER,
      repo: REPO,
      name: 'overnight-state',
    });
    expect(repoWide.total_count).toBe(1);
    expect(repoWide.artifacts[0]?.workflow_run?.id).toBe(1);
    expect(repoWide.artifacts[0]?.expired).toBe(false);

    const deleted = await fromRun2.deleteArtifact('overnight-state', { findBy });
    expect(deleted.id).toBe(artifactId);
    expect(emulator.store.artifacts).toEqual([]);
    await expect(octokit.rest.actions.getArtifact({ owner: OWNER, repo: REPO, artifact_id: artifactId })).rejects.toMatchObject({
      status: 404,
    });
    expect(emulator.violations).toEqual([]);
  });

  it('keeps runs apart, refuses a duplicate name and a tampered blob URL, and downloads within a run by signed URL', async () => {
    const file = join(workDir, 'report.md');
    await writeFile(file, '# Report\n');
    actAsRun(3);
    const client = new artifactModule.DefaultArtifactClient();
    const { id: firstId } = await client.uploadArtifact('report', [file], workDir);
    if (firstId === undefined) throw new Error('uploadArtifact returned no id');
    await expect(client.uploadArtifact('report', [file], workDir)).rejects.toThrow(/already exists/);

    const downloadDir = join(workDir, 'same-run');
    await client.downloadArtifact(firstId, { path: downloadDir });
    expect(await readFile(join(downloadDir, 'report.md'), 'utf8')).toBe('# Report\n');

    actAsRun(4);
    await expect(new artifactModule.DefaultArtifactClient().getArtifact('report')).rejects.toThrow(/not found/i);

    const octokit = new Octokit({ baseUrl: emulator.url, auth: TOKEN, request: { redirect: 'manual' } });
    const zip = await octokit.rest.actions.downloadArtifact({
      owner: OWNER,
      repo: REPO,
      artifact_id: firstId,
      archive_format: 'zip',
    });
    const location = String(zip.headers.location);
    const ok = await fetch(location);
    const bytes = Buffer.from(await ok.arrayBuffer());
    expect(ok.headers.get('content-type')).toBe('application/zip');
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(
      emulator.store.artifacts.find((a) => a.id === firstId)?.digest,
    );
    const tampered = new URL(location);
    tampered.searchParams.set('sp', 'rw');
    expect((await fetch(tampered, { method: 'PUT', body: 'overwrite', headers: { 'x-ms-blob-type': 'BlockBlob' } })).status).toBe(
      403,
    );
    expect(emulator.violations).toEqual([]);
  });
});
