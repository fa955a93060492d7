// monthly-budget-usd in the action: the ledger is carried as signed artifacts through the real
// @actions/artifact against the GitHub emulator. Each run adds to the newest trusted ledger; one
// uploaded by a fork's run, or one whose signature fails, is ignored with one warning, and the month's
// spending still counts (a forged "nothing spent" ledger cannot reopen the budget).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOctokit } from '../src/github/octokit.js';
import { StateSigner } from '../src/state/signing.js';
import { emptyLedger, sealLedger, spentIn } from '../src/state/ledger.js';
import type { ArtifactLedgerStore as LedgerStore } from '../src/state/ledger-artifact.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { recordingLogger } from './helpers/engine.js';
import type { uploadAsRun as UploadAsRun } from './helpers/forged-state.js';

const OWNER = 'acme';
const REPO = 'shop';
const signer = StateSigner.fromApiKey('sk-ant-test-ledger-0000')!;
const NOW = new Date('2026-12-06T09:00:00Z');

let github: GitHubEmulator;
let workDir: string;
// Loaded once GITHUB_API_URL points at the emulator (@actions/github reads it when its module loads).
let ArtifactLedgerStore: typeof LedgerStore;
let uploadAsRun: typeof UploadAsRun;
const savedEnv = { ...process.env };

beforeAll(async () => {
  github = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  workDir = await mkdtemp(join(tmpdir(), 'overnight-ledger-'));
  process.env['GITHUB_API_URL'] = github.url;
  process.env['ACTIONS_RESULTS_URL'] = github.resultsUrl;
  delete process.env['GITHUB_SERVER_URL'];
  ({ ArtifactLedgerStore } = await import('../src/state/ledger-artifact.js'));
  ({ uploadAsRun } = await import('./helpers/forged-state.js'));
});

afterAll(async () => {
  process.env = savedEnv;
  expect(github.violations).toEqual([]);
  await github?.close();
  await rm(workDir, { recursive: true, force: true });
});

/** The action's ledger as run `runId` of this repository sees it. */
function ledgerOf(runId: number) {
  const { log, lines } = recordingLogger();
  process.env['ACTIONS_RUNTIME_TOKEN'] = github.runtimeToken(runId, {});
  process.env['GITHUB_RUN_ID'] = String(runId);
  const octokit = createOctokit({ token: 'ghs_ledger', baseUrl: github.url, log, minWriteIntervalMs: 0 });
  const ledger = new ArtifactLedgerStore({
    octokit,
    token: 'ghs_ledger',
    owner: OWNER,
    repo: REPO,
    runId,
    runAttempt: 1,
    stateName: 'overnight-state',
    retentionDays: 7,
    log,
    signer,
    tempDir: workDir,
  });
  const warnings = () => lines.filter((l) => l.level === 'warning').map((l) => l.message);
  return { ledger, warnings };
}

describe('the ledger in artifacts', () => {
  it('is carried from run to run; forged or foreign ledgers are ignored and the spending still counts', async () => {
    await ledgerOf(201).ledger.add({ at: NOW.toISOString(), usd: 1.5, what: 'submit', submission: 'code-review-201' });
    const second = ledgerOf(202);
    expect(spentIn(await second.ledger.read(), NOW)).toBeCloseTo(1.5, 12);
    await second.ledger.add({ at: NOW.toISOString(), usd: 1, what: 'resubmit', submission: 'code-review-201' });

    // Newer, claiming nothing was spent: from a fork's pull_request run (signed, even), and from this
    // repository with a signature made for another name.
    const reset = sealLedger(emptyLedger(), signer, 'overnight-state-ledger-r301a1n1');
    await uploadAsRun(github, 301, { event: 'pull_request', fromFork: true }, 'overnight-state-ledger-r301a1n1', {
      'ledger.json': reset,
    });
    await uploadAsRun(github, 302, {}, 'overnight-state-ledger-r302a1n1', { 'ledger.json': reset });

    const third = ledgerOf(303);
    const read = await third.ledger.read();
    expect(spentIn(read, NOW)).toBeCloseTo(2.5, 12);
    expect(read.months['2026-12']!.entries.map((e) => e.what)).toEqual(['submit', 'resubmit']);
    expect(third.warnings()).toEqual([
      expect.stringMatching(/^ledger artifact overnight-state-ledger-r302a1n1 ignored: it has a signature that does not verify/),
      "ledger artifact overnight-state-ledger-r301a1n1 ignored: run 301 that uploaded it ran another repository's code (a fork's pull request)",
    ]);
  });

  it('adds to what the run read, one artifact per change', async () => {
    const run = ledgerOf(401);
    const before = spentIn(await run.ledger.read(), NOW);
    const after = await run.ledger.add({ at: NOW.toISOString(), usd: 0.25, what: 'deadline' });
    expect(spentIn(after, NOW)).toBeCloseTo(before + 0.25, 12);
    expect(spentIn(await ledgerOf(402).ledger.read(), NOW)).toBeCloseTo(before + 0.25, 12);
  });
});
