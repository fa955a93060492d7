// Which states are believed (src/state/signing.ts, README "Security"). The action's store, with the
// real @actions/artifact against the GitHub emulator: a state is used only when a run of this
// repository's code uploaded it under its own run id AND its signature verifies; anything else is
// ignored with one warning line, and a forged revision hides nothing (the revision before it is used).
// The CLI's file store: signed when a key is set; a state file that fails is ignored, except one named
// with --state, which is refused (bad signature) or used with a warning (unsigned, from before signing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOctokit } from '../src/github/octokit.js';
import { StateSigner } from '../src/state/signing.js';
import { FileStateStore } from '../src/state/file-store.js';
import type { ArtifactStateStore as ArtifactStore } from '../src/state/artifact-store.js';
import { ConfigError } from '../src/errors.js';
import { startGitHubEmulator, type GitHubEmulator, type SeedWorkflowRun } from './emulators/github/index.js';
import { recordingLogger } from './helpers/engine.js';
import type { forgedState as ForgedState, stateText as StateText, uploadAsRun as UploadAsRun } from './helpers/forged-state.js';

const OWNER = 'acme';
const REPO = 'shop';
const API_KEY = 'sk-ant-test-signing-0000';
const signer = StateSigner.fromApiKey(API_KEY)!;

let github: GitHubEmulator;
let workDir: string;
// Loaded once GITHUB_API_URL points at the emulator (@actions/github reads it when its module loads).
let ArtifactStateStore: typeof ArtifactStore;
let forgedState: typeof ForgedState;
let stateText: typeof StateText;
let uploadAsRun: typeof UploadAsRun;
const savedEnv = { ...process.env };

beforeAll(async () => {
  github = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  workDir = await mkdtemp(join(tmpdir(), 'overnight-trust-'));
  process.env['GITHUB_API_URL'] = github.url;
  process.env['ACTIONS_RESULTS_URL'] = github.resultsUrl;
  delete process.env['GITHUB_SERVER_URL'];
  ({ ArtifactStateStore } = await import('../src/state/artifact-store.js'));
  ({ forgedState, stateText, uploadAsRun } = await import('./helpers/forged-state.js'));
});

afterAll(async () => {
  process.env = savedEnv;
  expect(github.violations).toEqual([]);
  await github?.close();
  await rm(workDir, { recursive: true, force: true });
});

/** The action's store as run `runId` of this repository (scheduled unless `run` says otherwise) sees it. */
function storeOf(runId: number, stateName: string, key: StateSigner | null = signer, run: SeedWorkflowRun = {}) {
  const { log, lines } = recordingLogger();
  process.env['ACTIONS_RUNTIME_TOKEN'] = github.runtimeToken(runId, run);
  process.env['GITHUB_RUN_ID'] = String(runId);
  const octokit = createOctokit({ token: 'ghs_trust', baseUrl: github.url, log, minWriteIntervalMs: 0 });
  const store = new ArtifactStateStore({
    octokit,
    token: 'ghs_trust',
    owner: OWNER,
    repo: REPO,
    runId,
    runAttempt: 1,
    stateName,
    retentionDays: 7,
    log,
    signer: key,
    tempDir: workDir,
  });
  const warnings = () => lines.filter((l) => l.level === 'warning').map((l) => l.message);
  return { store, warnings };
}

const zipDownloads = () => github.requests.filter((r) => /\/actions\/artifacts\/\d+\/zip$/.test(r.path)).length;

describe('the action: states in artifacts', () => {
  it('a signed state round-trips; its collected revision is known without a download', async () => {
    const submit = storeOf(101, 'ok');
    const id = await submit.store.create(forgedState('code-review', { submittedBy: 'run 101' }));
    expect(id).toBe('code-review-101');
    const collect = storeOf(102, 'ok');
    const [listed] = await collect.store.list('code-review');
    expect(listed!.state.submittedBy).toBe('run 101');
    await collect.store.update(id, { ...listed!.state, collectedAt: new Date().toISOString() });
    const later = storeOf(103, 'ok');
    const before = zipDownloads();
    expect(await later.store.list('code-review', { skipCollected: true })).toEqual([]);
    expect(zipDownloads()).toBe(before);
    // Read on purpose (a check after claiming), the collected revision is the one returned.
    const [again] = await later.store.list('code-review');
    expect(again!.state.collectedAt).not.toBeNull();
    expect([...submit.warnings(), ...collect.warnings(), ...later.warnings()]).toEqual([]);
  });

  it('a state saved before states were signed is ignored with a warning that says how to collect it', async () => {
    // Exactly what the previous overnight wrote: the same document, closed by `}}`, no signature.
    await uploadAsRun(github, 111, {}, 'legacy-code-review-111', { 'state.json': stateText(forgedState('code-review')) });
    const { store, warnings } = storeOf(112, 'legacy');
    expect(await store.list()).toEqual([]);
    expect(warnings()).toEqual([
      'state artifact legacy-code-review-111 ignored: it is not signed; if it is a submission of yours still waiting, collect its batch with batch-id',
    ]);
    // A night collected before the upgrade: its submit's state and two collect revisions, all unsigned: one line.
    await uploadAsRun(github, 113, {}, 'legacy-code-review-113', { 'state.json': stateText(forgedState('code-review')) });
    const collectedAt = new Date().toISOString();
    await uploadAsRun(github, 114, {}, 'legacy-code-review-113-r114a1n1', {
      'state.json': stateText(forgedState('code-review')),
    });
    await uploadAsRun(github, 114, {}, 'legacy-code-review-113-r114a1n2c', {
      'state.json': stateText(forgedState('code-review', { collectedAt })),
    });
    const later = storeOf(115, 'legacy');
    const downloads = () =>
      github.requests.filter((r) => r.method === 'GET' && /\/actions\/artifacts\/\d+\/zip/.test(r.path)).length;
    const before = downloads();
    expect(await later.store.list('code-review', { skipCollected: true })).toEqual([]);
    // The `…c` revision without its tag (collected before signing) cannot verify: it is not downloaded,
    // and the line says what its name claims instead of asking for a batch-id collect of a collected night.
    expect(downloads() - before).toBe(3);
    expect(later.warnings().sort()).toEqual([
      'state artifact legacy-code-review-111 ignored: it is not signed; if it is a submission of yours still waiting, collect its batch with batch-id',
      'state artifacts legacy-code-review-113-r114a1n2c, legacy-code-review-113-r114a1n1, legacy-code-review-113 ignored: none is signed; legacy-code-review-113-r114a1n2c says the submission was collected before states were signed: nothing to do if so, else collect its batch with batch-id',
    ]);
  });

  it('a signed state copied under another name, or named for another run, is ignored', async () => {
    const submit = storeOf(121, 'copy');
    await submit.store.create(forgedState('code-review'));
    const real = github.store.artifacts.find((a) => a.name === 'copy-code-review-121')!;
    const text = (await import('./helpers/zip.js')).unzip(github.store.blobs.get(real.blob_key)!.content!).get('state.json')!;
    // A run without the key (a Dependabot pull request's) replays the victim's own signed state as its own…
    await uploadAsRun(github, 122, { event: 'pull_request', head_branch: 'dependabot/x' }, 'copy-code-review-122', {
      'state.json': text.toString(),
    });
    // …and as a run it is not.
    await uploadAsRun(github, 123, {}, 'copy-code-review-120', { 'state.json': text.toString() });
    const { store, warnings } = storeOf(124, 'copy');
    expect((await store.list()).map((s) => s.id)).toEqual(['code-review-121']);
    // What GitHub says about the run is judged while listing, the signature once downloaded.
    expect(warnings()).toEqual([
      'state artifact copy-code-review-120 ignored: its name says run 120 but run 123 uploaded it',
      expect.stringMatching(
        /^state artifact copy-code-review-122 ignored: it has a signature that does not match its content and name \(altered, copied, or signed with another API key\)/,
      ),
    ]);
  });

  it('a forged newer revision hides nothing: the revision before it is used', async () => {
    const submit = storeOf(131, 'rev');
    const id = await submit.store.create(forgedState('code-review', { submittedBy: 'run 131' }));
    const collect = storeOf(132, 'rev');
    const [listed] = await collect.store.list();
    listed!.state.batches[0]!.status = 'ended';
    await collect.store.update(id, listed!.state);
    // Newer, unsigned, from this repository (a dependency's install script in some workflow).
    const forged = forgedState('code-review', { batches: [], submittedBy: 'attacker' });
    await uploadAsRun(github, 133, {}, 'rev-code-review-131-r133a1n1', { 'state.json': stateText(forged) });
    // Newer still, from a fork's pull_request run.
    await uploadAsRun(github, 134, { event: 'pull_request', fromFork: true }, 'rev-code-review-131-r134a1n1', {
      'state.json': stateText(forged),
    });
    const { store, warnings } = storeOf(135, 'rev');
    const [current] = await store.list();
    expect(current!.state.submittedBy).toBe('run 131');
    expect(current!.state.batches[0]!.status).toBe('ended');
    expect(warnings()).toEqual([
      "state artifact rev-code-review-131-r134a1n1 ignored: run 134 that uploaded it ran another repository's code (a fork's pull request)",
      expect.stringMatching(/^state artifact rev-code-review-131-r133a1n1 ignored: it is not signed;/),
    ]);
  });

  it('signed with another API key (a rotated key, or an attacker who made one up): ignored', async () => {
    const submit = storeOf(141, 'rotated', StateSigner.fromApiKey('sk-ant-the-old-key'));
    await submit.store.create(forgedState('code-review'));
    const { store, warnings } = storeOf(142, 'rotated');
    expect(await store.list()).toEqual([]);
    expect(warnings()).toEqual([
      expect.stringMatching(
        /^state artifact rotated-code-review-141 ignored: it has a signature that does not match .*collect its batch with batch-id$/,
      ),
    ]);
  });

  it('without an API key nothing can be checked, so nothing is trusted (one line)', async () => {
    await storeOf(151, 'nokey').store.create(forgedState('code-review'));
    const { store, warnings } = storeOf(152, 'nokey', null);
    expect(await store.list()).toEqual([]);
    expect(warnings()).toEqual(["1 state artifact(s) ignored: without anthropic-api-key no state's signature can be checked"]);
    await expect(store.create(forgedState('code-review'))).rejects.toThrow(/^anthropic-api-key: missing/);
  });
});

describe('the CLI: state files', () => {
  async function dirStore(key: StateSigner | null, file?: string) {
    const dir = await mkdtemp(join(workDir, 'files-'));
    const { log, lines } = recordingLogger();
    const options = { dir: join(dir, 'states'), resultsDir: join(dir, 'results'), signer: key, log };
    const store = new FileStateStore(file ? { ...options, file: join(dir, file) } : options);
    const warnings = () => lines.filter((l) => l.level === 'warning').map((l) => l.message);
    return { dir, store, warnings };
  }

  it('signs with the key; a file altered, unsigned or signed with another key is ignored with a warning', async () => {
    const { dir, store, warnings } = await dirStore(signer);
    const id = await store.create(forgedState('code-review', { headSha: 'a'.repeat(40) }));
    const path = join(dir, 'states', `${id}.json`);
    expect((await readFile(path, 'utf8')).trimEnd().split('\n').at(-1)).toMatch(/^\},"signature":"hmac-sha256:[0-9a-f]{64}"\}$/);
    expect((await store.list()).map((s) => s.id)).toEqual([id]);
    // A repository that ships a `.overnight/states/` saying its HEAD was already reviewed:
    await writeFile(join(dir, 'states', 'committed.json'), stateText(forgedState('code-review')));
    // Another key's state, and the real one with its reviewed commit changed:
    await writeFile(
      join(dir, 'states', 'other-key.json'),
      stateText(forgedState('code-review'), { signer: StateSigner.fromApiKey('sk-ant-other')!, label: 'file' }),
    );
    await writeFile(join(dir, 'states', 'altered.json'), (await readFile(path, 'utf8')).replace('a'.repeat(40), 'b'.repeat(40)));
    // A name made to start a line of its own in the log.
    await writeFile(join(dir, 'states', 'x\n::stop-commands::pwn.json'), stateText(forgedState('code-review')));
    expect((await store.list()).map((s) => s.id)).toEqual([id]);
    expect(warnings()).toEqual([
      expect.stringMatching(/^state file .*altered\.json ignored: it has a signature that does not match/),
      expect.stringMatching(/^state file .*committed\.json ignored: it is not signed; .*--batch-id$/),
      expect.stringMatching(/^state file .*other-key\.json ignored: it has a signature that does not match/),
      expect.stringMatching(/^state file ".*x\\n::stop-commands::pwn\.json" ignored: it is not signed/),
    ]);
    expect(warnings().every((w) => !w.includes('\n'))).toBe(true);
  });

  it('--state FILE: the user names it; unsigned (from before signing) is used with a warning, a bad signature is refused', async () => {
    const named = await dirStore(signer, 'night.json');
    await writeFile(join(named.dir, 'night.json'), stateText(forgedState('code-review', { submittedBy: 'cli pid 7' })));
    expect((await named.store.list()).map((s) => s.state.submittedBy)).toEqual(['cli pid 7']);
    expect(named.warnings()).toEqual([
      expect.stringMatching(
        /^state file .*night\.json is not signed \(saved before overnight signed its states\): used because --state names it$/,
      ),
    ]);
    await writeFile(
      join(named.dir, 'night.json'),
      stateText(forgedState('code-review'), { signer: StateSigner.fromApiKey('sk-ant-other')!, label: 'file' }),
    );
    const error = await named.store.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /^state file .*night\.json has a signature that does not match .*: refusing it; collect its batch with --batch-id instead$/,
    );
  });

  it('without a key, files are read as they are (nothing can be sent without one)', async () => {
    const { dir, store, warnings } = await dirStore(null);
    await mkdir(join(dir, 'states'), { recursive: true });
    await writeFile(join(dir, 'states', 'old.json'), stateText(forgedState('code-review')));
    expect((await store.list()).map((s) => s.id)).toEqual(['old']);
    expect(warnings()).toEqual([]);
  });
});
