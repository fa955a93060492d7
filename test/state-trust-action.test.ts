// Poisoned states (issue 12 item 4), through the bundled action as a runner runs it: an artifact named
// like a state but uploaded by a run an attacker controls (a fork's pull_request run; a run of this
// repository without secrets, such as a Dependabot pull request's) must change nothing a real night
// does. Each is ignored with one warning line naming the artifact and why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { StateSigner } from '../src/state/signing.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { runBundledAction, runnerEnv, type ActionRun } from './helpers/runner.js';
import { forgedState, stateText, uploadAsRun } from './helpers/forged-state.js';
import { unzip } from './helpers/zip.js';

const OWNER = 'acme';
const REPO = 'shop';
const TOKEN = 'ghs_statetrusttoken00000000000000000000';
const API_KEY = 'sk-ant-test-trust-0000';

let anthropic: AnthropicEmulator;
let workspace: string;
let headSha: string;

const FORK_PR_RUN = { event: 'pull_request', head_branch: 'patch-1', fromFork: true };
/** A Dependabot pull request's run: this repository's branch, but no Actions secrets. */
const DEPENDABOT_RUN = { event: 'pull_request', head_branch: 'dependabot/npm_and_yarn/left-pad-1.3.1' };

/** The bundled action as run `runId` of this repository at HEAD, with the victim's key. */
function runAction(github: GitHubEmulator, runId: number, inputs: Record<string, string>): Promise<ActionRun> {
  return runBundledAction({
    workspace,
    token: TOKEN,
    env: runnerEnv({ github, owner: OWNER, repo: REPO, sha: headSha, runId }),
    inputs: { ...inputs, 'anthropic-api-key': API_KEY, 'anthropic-base-url': anthropic.url },
  });
}

/** Runs `body` against a fresh GitHub emulator, which must have seen no request the real API refuses. */
async function withGitHub(body: (github: GitHubEmulator) => Promise<void>): Promise<void> {
  const github = await startGitHubEmulator({ owner: OWNER, repo: REPO });
  try {
    await body(github);
    expect(github.violations).toEqual([]);
  } finally {
    await github.close();
  }
}

/** The paths a batch's requests sent, from the prompts' `<file path="…">` blocks. */
function sentPaths(batch: { requests: unknown[] }): string[] {
  return [...JSON.stringify(batch.requests).matchAll(/<file path=\\"([^"\\]+)\\"/g)].map((m) => m[1]!);
}

beforeAll(async () => {
  anthropic = await startAnthropicEmulator({ pollsUntilEnded: 0, apiKeys: [API_KEY] });
  workspace = join(await mkdtemp(join(tmpdir(), 'overnight-trust-')), REPO);
  buildSampleRepository(workspace);
  headSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspace }).toString().trim();
});

afterAll(async () => {
  await anthropic?.close();
});

describe('states uploaded by runs an attacker controls (dist/index.js)', () => {
  it("a fork pull_request run's state saying everything up to HEAD was scanned: the nightly `since: last` scan still sends the command injection", async () => {
    await withGitHub(async (github) => {
      // Unsigned, and signed with a key the attacker made up: neither is the victim's.
      const poison = forgedState('security-scan', { headSha, createdAt: new Date(Date.now() - 3_600_000).toISOString() });
      await uploadAsRun(github, 5, FORK_PR_RUN, 'overnight-state-security-scan-5', { 'state.json': stateText(poison) });
      await uploadAsRun(github, 6, DEPENDABOT_RUN, 'overnight-state-security-scan-6', {
        'state.json': stateText(poison, {
          signer: StateSigner.fromApiKey('sk-ant-attacker')!,
          label: 'overnight-state-security-scan-6',
        }),
      });
      const batchesBefore = anthropic.batches().length;

      const night = await runAction(github, 10, { mode: 'submit', task: 'security-scan', since: 'last' });
      expect(night.code, night.stdout + night.stderr).toBe(0);
      expect(night.outputs.status, night.stdout).toBe('submitted');
      const batch = anthropic.batches()[batchesBefore]!;
      expect(sentPaths(batch)).toContain('src/backup.ts');
      // No earlier submit is believed: the window is the last 24h, not "since HEAD".
      expect(night.stdout).toContain('since: last found no earlier submit of security-scan');
      const warnings = night.stdout.split('\n').filter((l) => l.startsWith('::warning::'));
      expect(warnings).toContain(
        "::warning::state artifact overnight-state-security-scan-5 ignored: run 5 that uploaded it ran another repository's code (a fork's pull request)",
      );
      expect(warnings.filter((w) => w.includes('overnight-state-security-scan-6'))).toEqual([
        expect.stringMatching(
          /^::warning::state artifact overnight-state-security-scan-6 ignored: it has a signature that does not match its content and name/,
        ),
      ]);
    });
  }, 60_000);

  it('a forged "collected" revision (fork run, or a same-repository run without the key) does not stop the real collect', async () => {
    await withGitHub(async (github) => {
      const submitted = await runAction(github, 1, { mode: 'submit', task: 'code-review', since: '24h' });
      expect(submitted.code, submitted.stdout + submitted.stderr).toBe(0);
      const collected = stateText(forgedState('code-review', { collectedAt: new Date().toISOString() }));
      // Named exactly as a real collect names its collected revision; the second with a made-up tag.
      await uploadAsRun(github, 7, FORK_PR_RUN, 'overnight-state-code-review-1-r7a1n1c', { 'state.json': collected });
      await uploadAsRun(github, 8, DEPENDABOT_RUN, `overnight-state-code-review-1-r8a1n1c${'0f'.repeat(16)}`, {
        'state.json': collected,
      });

      const collect = await runAction(github, 9, { mode: 'collect' });
      expect(collect.code, collect.stdout + collect.stderr).toBe(0);
      expect(collect.outputs.status, collect.stdout).toBe('collected');
      expect(github.store.issues).toHaveLength(1);
      expect(Number(collect.outputs['findings-count'])).toBeGreaterThan(0);
      const warnings = collect.stdout.split('\n').filter((l) => l.startsWith('::warning::'));
      expect(warnings).toEqual([
        "::warning::state artifact overnight-state-code-review-1-r7a1n1c ignored: run 7 that uploaded it ran another repository's code (a fork's pull request)",
        expect.stringMatching(
          new RegExp(
            `^::warning::state artifact overnight-state-code-review-1-r8a1n1c${'0f'.repeat(16)} ignored: it is not signed; `,
          ),
        ),
      ]);
      // The real collect's own revision is the one that says collected.
      expect(
        github.store.artifacts.filter((a) => /^overnight-state-code-review-1-r9a1n\d+c[0-9a-f]{32}$/.test(a.name)),
      ).toHaveLength(1);
    });
  }, 60_000);

  it('a state saved before states were signed: ignored with a warning, and collected with batch-id as it says', async () => {
    await withGitHub(async (github) => {
      const submitted = await runAction(github, 1, { mode: 'submit', task: 'code-review', since: '24h' });
      expect(submitted.code, submitted.stdout + submitted.stderr).toBe(0);
      // What the previous overnight uploaded: the same document, closed by `}}`, no signature.
      const index = github.store.artifacts.findIndex((a) => a.name === 'overnight-state-code-review-1');
      const [signed] = github.store.artifacts.splice(index, 1);
      const text = unzip(github.store.blobs.get(signed!.blob_key)!.content!).get('state.json')!.toString();
      const lines = text.trimEnd().split('\n');
      expect(lines.at(-1)).toMatch(/^\},"signature":"hmac-sha256:[0-9a-f]{64}"\}$/);
      const legacy = `${[...lines.slice(0, -1), '}}'].join('\n')}\n`;
      await uploadAsRun(github, 1, {}, 'overnight-state-code-review-1', { 'state.json': legacy });

      const collect = await runAction(github, 2, { mode: 'collect' });
      expect(collect.code, collect.stdout + collect.stderr).toBe(0);
      expect(collect.outputs.status).toBe('nothing-to-do');
      expect(collect.stdout.split('\n').filter((l) => l.startsWith('::warning::'))).toEqual([
        '::warning::state artifact overnight-state-code-review-1 ignored: it is not signed; if it is a submission of yours still waiting, collect its batch with batch-id',
      ]);
      expect(github.store.issues).toHaveLength(0);

      const byBatch = await runAction(github, 3, { mode: 'collect', 'batch-id': submitted.outputs['batch-ids']! });
      expect(byBatch.code, byBatch.stdout + byBatch.stderr).toBe(0);
      expect(byBatch.outputs.status).toBe('collected');
      expect(github.store.issues).toHaveLength(1);
    });
  }, 60_000);
});
