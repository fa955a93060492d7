// The draft pull request for generated files, against the GitHub emulator; the patch when it cannot be made.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubContext } from '../src/github/context.js';
import { branchName, createPullRequestReporter, pullRequestReporter } from '../src/reports/pull-request.js';
import { checkGeneratedFile } from '../src/tasks/paths.js';
import type { ReportContext } from '../src/reports/reporter.js';
import type { GeneratedFile } from '../src/types.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import {
  closeFixtureGitHub,
  fixtureContext,
  fixtureGitHub,
  fixtureResults,
  FIXTURE_OWNER as owner,
  FIXTURE_REPO as repo,
} from './helpers/report-fixtures.js';

const SOURCE = 'export function add(a: number, b: number) {\n  return a + b;\n}\n';

// Judged by the path rules, as the test-generation normaliser judges every answer's files.
const files: GeneratedFile[] = [
  {
    path: '../../.github/workflows/x.yml',
    content: 'on: push\njobs: {}\n',
    description: 'A workflow to run the tests',
    sourcePath: 'src/add.ts',
  },
  {
    path: 'test/add.test.ts',
    content:
      "import { expect, it } from 'vitest';\nimport { add } from '../src/add.js';\n\nit('adds', () => expect(add(1, 2)).toBe(3));\n",
    description: 'Covers add() with small integers; see @octocat',
    sourcePath: 'src/add.ts',
  },
].map((file) => checkGeneratedFile('test-generation', file));

let gh: GitHubEmulator;
let github: GitHubContext;
let baseSha: string;

function context(
  task: 'test-generation' | 'docs-update',
  generated: GeneratedFile[],
  overrides: Partial<GitHubContext> | null = {},
): ReportContext {
  return fixtureContext(fixtureResults({ task, files: generated, batchIds: ['msgbatch_42'] }), {
    stateId: 'overnight-state-test-generation-123',
    round: 'a1b2c3',
    outputDir: mkdtempSync(join(tmpdir(), 'overnight-pr-')),
    sarifPath: '/tmp/unused.sarif',
    github: overrides === null ? null : { ...github, ...overrides },
    state: { headSha: baseSha, window: 'since 24h (3 commits)' },
  });
}

beforeEach(async () => {
  gh = await startGitHubEmulator({ owner, repo });
  baseSha = gh.seedFile('main', 'src/add.ts', SOURCE);
  github = fixtureGitHub(gh.url);
});

afterEach(() => closeFixtureGitHub(gh));

describe('pull-request', () => {
  it('refuses a path into .github and opens exactly one draft PR with the valid test', async () => {
    gh.allowActionsToCreatePullRequests(true);
    const ctx = context('test-generation', files);
    const result = await pullRequestReporter.publish(ctx);
    expect(result.note).toContain('opened draft pull request');
    expect(result.note).toContain('refused 1: ../../.github/workflows/x.yml (path escapes the repository)');

    expect(gh.store.pulls).toHaveLength(1);
    const pull = gh.store.pulls[0]!;
    expect(pull).toMatchObject({ draft: true, base: { ref: 'main' }, head: { ref: branchName(ctx) } });
    expect(pull.head.ref).toBe('overnight/test-generation/overnight-state-test-generation-123-ra1b2c3');
    expect(pull.files.map((f) => f.filename)).toEqual(['test/add.test.ts']);
    expect(result.url).toBe(`https://github.com/${owner}/${repo}/pull/${pull.number}`);
    expect(pull.body).toContain('`test/add.test.ts`');
    expect(pull.body).toContain('msgbatch_42');
    expect(pull.body).toContain('`../../.github/workflows/x.yml`');
    expect(pull.body).not.toContain('@octocat');
    // The branch's commit sits on the base commit and carries the source plus the test, nothing under .github.
    const head = gh.store.git.get(gh.store.git.refs.get(`refs/heads/${pull.head.ref}`)!, 'commit')!;
    expect(head.parents).toEqual([baseSha]);
    expect([...gh.store.git.flatten(head.tree).keys()].sort()).toEqual(['src/add.ts', 'test/add.test.ts']);

    // A repeated collect finds the PR and opens no second one.
    const again = await pullRequestReporter.publish(context('test-generation', files));
    expect(again.note).toContain('already open');
    expect(again.url).toBe(result.url);
    expect(gh.store.pulls).toHaveLength(1);
  });

  it('reuses a branch left by a crashed run', async () => {
    // Actions may not create pull requests: the branch is pushed, then POST /pulls answers 403.
    const ctx = context('test-generation', files);
    const failed = await pullRequestReporter.publish(ctx);
    expect(failed.path).toBeDefined();
    const branchSha = gh.store.git.refs.get(`refs/heads/${branchName(ctx)}`);
    expect(branchSha).toBeDefined();
    gh.allowActionsToCreatePullRequests(true);
    const retried = await pullRequestReporter.publish(context('test-generation', files));
    expect(retried.note).toContain('opened draft pull request');
    expect(gh.store.git.refs.get(`refs/heads/${branchName(ctx)}`)).toBe(branchSha);
    expect(gh.store.pulls).toHaveLength(1);
  });

  it('writes a patch when GitHub refuses to create the pull request (403)', async () => {
    const ctx = context('test-generation', files);
    const result = await pullRequestReporter.publish(ctx);
    expect(gh.store.pulls).toEqual([]);
    expect(result.path).toBe(join(ctx.outputDir, 'overnight-test-generation.patch'));
    expect(result.note).toContain('403');
    expect(result.note).toContain('Allow GitHub Actions to create and approve pull requests');
    const patch = readFileSync(result.path!, 'utf8');
    expect(patch).toContain(
      'diff --git a/test/add.test.ts b/test/add.test.ts\nnew file mode 100644\n--- /dev/null\n+++ b/test/add.test.ts\n@@ -0,0 +1,4 @@\n',
    );
    expect(patch).not.toMatch(/^diff --git a\/\.\.\//m);
  });

  it('patches a documented source file against its base content when asked for the artifact', async () => {
    const documented = `/** Adds two numbers. */\n${SOURCE}`;
    const ctx = context('docs-update', [
      checkGeneratedFile('docs-update', {
        path: 'src/add.ts',
        content: documented,
        description: 'Doc comment',
        sourcePath: 'src/add.ts',
      }),
    ]);
    const result = await createPullRequestReporter({ preferPatch: true }).publish(ctx);
    const patch = readFileSync(result.path!, 'utf8');
    expect(patch).toContain(
      '--- a/src/add.ts\n+++ b/src/add.ts\n@@ -1,3 +1,4 @@\n+/** Adds two numbers. */\n export function add',
    );
    expect(gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('writes a patch without GitHub or with a read-only token', async () => {
    const noGitHub = await pullRequestReporter.publish(context('test-generation', files, null));
    expect(noGitHub.note).toContain('no GitHub token');
    const readOnly = await pullRequestReporter.publish(context('test-generation', files, { readOnly: true }));
    expect(readOnly.note).toContain('read-only');
    expect(gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
