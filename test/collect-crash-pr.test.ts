// Exactly once under crashes, for the reports that live on pull requests, through the bundled action
// as a runner runs it. Each collect is SIGKILLed right after a write took effect on GitHub (before it
// could learn that it did), and run again as a new workflow run, until one completes:
// - refactor-validation on a PR: the inline review, then the sticky comment, then the state revision;
// - test-generation: the draft PR's branch, then the draft PR itself.
// At the end each report exists exactly once and the state is collected.
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { testGenerationModel } from './helpers/engine.js';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { findMarkers, readFingerprints } from '../src/reports/markers.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { makeRepo } from './helpers/git-repo.js';
import { runBundledAction, runnerEnv } from './helpers/runner.js';
import { pullRequestEvent, pullRequestFiles, refactorPricing } from './helpers/pull-request.js';
import { artifactFinalized, claimRefs, newestState, runKilledAt, type KillPoint } from './helpers/crash.js';

const OWNER = 'acme';
const REPO = 'shop';
const TOKEN = 'ghs_crashprtoken0000000000000000000000';
const API_KEY = 'sk-ant-test-crash-pr-0000';
const PR_NUMBER = 7;

const BASE_PRICING = [
  'export const TAX_RATE = 0.2;',
  '',
  'export function roundCents(value: number): number {',
  '  return Math.round(value);',
  '}',
  '',
  'export function priceWithTax(amount: number, rate: number): number {',
  '  return roundCents(amount * (1 + rate));',
  '}',
  '',
].join('\n');
const HEAD_PRICING = refactorPricing(BASE_PRICING);

const CART = ['export function lineTotal(price: number, quantity: number): number {', '  return price * quantity;', '}', ''].join(
  '\n',
);
const CART_TEST = [
  "import { expect, it } from 'vitest';",
  "import { lineTotal } from '../src/cart.js';",
  '',
  "it('multiplies', () => expect(lineTotal(250, 2)).toBe(500));",
  '',
].join('\n');

/** test-generation answers with one test; everything else as the default model would. */
const responder = testGenerationModel(() => [
  { path: 'test/cart.test.ts', content: CART_TEST, description: 'Checks line totals.' },
]);

let anthropic: AnthropicEmulator;

beforeAll(async () => {
  anthropic = await startAnthropicEmulator({ pollsUntilEnded: 0, apiKeys: [API_KEY], responder });
});

afterAll(async () => {
  await anthropic?.close();
});

function runEnv(github: GitHubEmulator, runId: number, event: 'pull_request' | 'schedule', sha: string): Record<string, string> {
  const ref = event === 'pull_request' ? `refs/pull/${PR_NUMBER}/merge` : 'refs/heads/main';
  return runnerEnv({ github, owner: OWNER, repo: REPO, runId, event, sha, ref });
}

/** Kills a collect at each point in turn (new run each time), then runs it to the end; returns the final run. */
async function crashThrough(
  expect: ExpectStatic,
  github: GitHubEmulator,
  points: KillPoint[],
  firstRunId: number,
  options: (runId: number) => Parameters<typeof runBundledAction>[0],
) {
  let runId = firstRunId;
  for (const point of points) {
    const { run, reached } = await runKilledAt(github, point, runId, options(runId));
    expect(reached, `run ${runId} reached: ${point.name}\n${run.stdout}${run.stderr}`).toBe(true);
    expect(run.signal, point.name).toBe('SIGKILL');
    runId += 1;
  }
  const final = await runBundledAction(options(runId));
  expect(final.code, final.stdout + final.stderr).toBe(0);
  return { final, runId };
}

describe.concurrent('collects killed on pull request reports, then re-run (dist/index.js)', () => {
  it('refactor-validation: one review per inline finding, one sticky comment with one section, the state collected', async ({
    expect,
  }) => {
    const repo = await makeRepo();
    const github = await startGitHubEmulator({ owner: OWNER, repo: REPO });
    try {
      await repo.commit({ 'src/pricing.ts': BASE_PRICING, 'README.md': '# shop\n' });
      const baseSha = await repo.git('rev-parse', 'HEAD');
      await repo.git('checkout', '-q', '-b', 'refactor-pricing');
      const headSha = await repo.commit({ 'src/pricing.ts': HEAD_PRICING }, { message: 'Refactor pricing' });
      await repo.git('checkout', '-q', '--detach', headSha);
      github.seedPullRequest({
        number: PR_NUMBER,
        title: 'Refactor pricing',
        base: { ref: 'main', sha: baseSha },
        head: { ref: 'refactor-pricing', sha: headSha },
        files: await pullRequestFiles(repo.git, baseSha, headSha),
      });
      const event = pullRequestEvent({
        owner: OWNER,
        repo: REPO,
        number: PR_NUMBER,
        action: 'synchronize',
        base: { sha: baseSha, ref: 'main' },
        head: { sha: headSha, ref: 'refactor-pricing' },
      });
      const inputs = { task: 'refactor-validation', 'anthropic-api-key': API_KEY, 'anthropic-base-url': anthropic.url };
      const submitted = await runBundledAction({
        workspace: repo.dir,
        token: TOKEN,
        env: runEnv(github, 1, 'pull_request', headSha),
        inputs: { ...inputs, mode: 'submit' },
        event,
      });
      expect(submitted.code, submitted.stdout + submitted.stderr).toBe(0);
      github.completeRun(1);

      const points: KillPoint[] = [
        { name: 'the inline review is posted', match: { method: 'POST', path: new RegExp(`/pulls/${PR_NUMBER}/reviews$`) } },
        { name: 'the sticky comment is created', match: { method: 'POST', path: new RegExp(`/issues/${PR_NUMBER}/comments$`) } },
        artifactFinalized('the state revision is uploaded', /^overnight-state-refactor-validation-1-r/),
      ];
      const { final } = await crashThrough(expect, github, points, 2, (runId) => ({
        workspace: repo.dir,
        token: TOKEN,
        env: runEnv(github, runId, 'schedule', headSha),
        inputs: { ...inputs, mode: 'collect' },
      }));
      expect(final.outputs.status).toBe('nothing-to-do');
      expect(newestState(github, 'refactor-validation-1').collectedAt).not.toBeNull();

      // One review, each inline finding once.
      expect(github.store.reviews).toHaveLength(1);
      const prints = github.store.reviewComments.flatMap((c) => readFingerprints(c.body));
      expect(prints.length).toBeGreaterThan(0);
      expect(new Set(prints).size).toBe(prints.length);
      // One sticky comment, holding this round's section once.
      expect(github.store.comments).toHaveLength(1);
      const sections = findMarkers(github.store.comments[0]!.body, 'section');
      expect(sections.map((s) => s.fields.state)).toEqual(['refactor-validation-1']);
      expect(github.store.comments[0]!.body).toMatch(/`src\/pricing\.ts` \| ❌ INVALID/);
      expect(claimRefs(github).length).toBeLessThanOrEqual(1);
      expect(github.violations).toEqual([]);
    } finally {
      await github.close();
      await repo.cleanup();
    }
  }, 120_000);

  it('test-generation: one branch and one draft pull request, the state collected', async ({ expect }) => {
    const repo = await makeRepo();
    const now = Date.now();
    await repo.commit(
      { 'package.json': '{\n  "name": "shop",\n  "type": "module",\n  "devDependencies": { "vitest": "^4.0.0" }\n}\n' },
      { date: new Date(now - 72 * 3_600_000), message: 'Package' },
    );
    const headSha = await repo.commit({ 'src/cart.ts': CART }, { date: new Date(now - 2 * 3_600_000), message: 'Cart' });
    // The GitHub side: main at the same commit, holding the same files.
    const github = await startGitHubEmulator({ owner: OWNER, repo: REPO, headSha });
    try {
      for (const path of (await repo.git('ls-tree', '-r', '--name-only', headSha)).split('\n')) {
        github.seedFile(headSha, path, `${await repo.git('show', `${headSha}:${path}`)}\n`);
      }
      github.allowActionsToCreatePullRequests(true);
      const inputs = { task: 'test-generation', since: '24h', 'anthropic-api-key': API_KEY, 'anthropic-base-url': anthropic.url };
      const submitted = await runBundledAction({
        workspace: repo.dir,
        token: TOKEN,
        env: runEnv(github, 1, 'schedule', headSha),
        inputs: { ...inputs, mode: 'submit' },
      });
      expect(submitted.code, submitted.stdout + submitted.stderr).toBe(0);
      github.completeRun(1);

      const branchRef = (r: { body: unknown }) => String((r.body as { ref?: string } | undefined)?.ref).startsWith('refs/heads/');
      const points: KillPoint[] = [
        { name: "the draft PR's branch is created", match: { method: 'POST', path: /\/git\/refs$/, where: branchRef } },
        { name: 'the draft PR is opened', match: { method: 'POST', path: new RegExp(`/repos/${OWNER}/${REPO}/pulls$`) } },
      ];
      const { final } = await crashThrough(expect, github, points, 2, (runId) => ({
        workspace: repo.dir,
        token: TOKEN,
        env: runEnv(github, runId, 'schedule', headSha),
        inputs: { ...inputs, mode: 'collect' },
      }));
      expect(final.outputs.status).toBe('collected');
      expect(final.outputs['pull-request-url']).toMatch(/\/pull\/\d+$/);
      expect(newestState(github, 'test-generation-1').collectedAt).not.toBeNull();

      expect(github.store.pulls).toHaveLength(1);
      expect(github.store.pulls[0]!.draft).toBe(true);
      expect(github.store.pulls[0]!.files.map((f) => f.filename)).toEqual(['test/cart.test.ts']);
      const branches = [...github.store.git.refs.keys()].filter((ref) => ref.startsWith('refs/heads/overnight'));
      expect(branches).toHaveLength(1);
      // The last run completed: it released its claim; the killed runs' claims were taken over and released.
      expect(claimRefs(github)).toEqual([]);
      expect(github.violations).toEqual([]);
    } finally {
      await github.close();
      await repo.cleanup();
    }
  }, 120_000);
});
