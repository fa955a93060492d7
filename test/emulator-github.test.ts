// The GitHub REST emulator driven by the real Octokit: what it stores, what it refuses like GitHub,
// and the OpenAPI violations it records.
import { gzipSync } from 'node:zlib';
import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';

const owner = 'octo-org';
const repo = 'octo-repo';
const BASE_SHA = 'a'.repeat(40);
const HEAD_SHA = 'b'.repeat(40);

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let emulator: GitHubEmulator;
let octokit: Octokit;

beforeEach(async () => {
  emulator = await startGitHubEmulator({ owner, repo, contentCreation: { perWindow: 50 } });
  octokit = new Octokit({ baseUrl: emulator.url, auth: 'ghs_emulated', log: quiet });
});

afterEach(async () => {
  await emulator.close();
});

/** The GitHub error a rejected Octokit call carries. */
async function failure(
  promise: Promise<unknown>,
): Promise<{ status: number; data: { message?: string; errors?: unknown[] }; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as {
      status: number;
      response: { data: { message?: string; errors?: unknown[] }; headers: Record<string, string> };
    };
    return { status: e.status, data: e.response.data, headers: e.response.headers };
  }
  throw new Error('expected the request to fail');
}

describe('issues, labels and comments', () => {
  it('runs a full issue flow with zero OpenAPI violations', async () => {
    const { data: label } = await octokit.rest.issues.createLabel({
      owner,
      repo,
      name: 'overnight',
      color: '5319e7',
      description: 'Found overnight',
    });
    expect(label).toMatchObject({ name: 'overnight', color: '5319e7' });
    const duplicate = await failure(octokit.rest.issues.createLabel({ owner, repo, name: 'Overnight', color: '000000' }));
    expect(duplicate.status).toBe(422);
    expect(duplicate.data).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
    });

    const created = [];
    for (const title of ['first', 'second', 'third']) {
      created.push(
        (
          await octokit.rest.issues.create({
            owner,
            repo,
            title,
            body: `about ${title}`,
            labels: title === 'second' ? [] : ['overnight'],
          })
        ).data,
      );
    }
    expect(created[0]).toMatchObject({
      number: 1,
      state: 'open',
      user: { login: 'github-actions[bot]' },
      html_url: `https://github.com/${owner}/${repo}/issues/1`,
    });
    expect(created[0]?.labels).toMatchObject([{ name: 'overnight' }]);

    const firstPage = await octokit.rest.issues.listForRepo({ owner, repo, labels: 'overnight', per_page: 1 });
    expect(firstPage.data.map((i) => i.title)).toEqual(['third']);
    expect(firstPage.headers.link).toMatch(/rel="next"/);
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      labels: 'overnight',
      per_page: 1,
      direction: 'asc',
    });
    expect(all.map((i) => i.title)).toEqual(['first', 'third']);

    const { data: comment } = await octokit.rest.issues.createComment({ owner, repo, issue_number: 1, body: 'Still there.' });
    expect(comment.html_url).toBe(`https://github.com/${owner}/${repo}/issues/1#issuecomment-${comment.id}`);
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: comment.id, body: 'Still there (updated).' });
    const { data: comments } = await octokit.rest.issues.listComments({ owner, repo, issue_number: 1 });
    expect(comments.map((c) => c.body)).toEqual(['Still there (updated).']);

    await octokit.rest.issues.addLabels({ owner, repo, issue_number: 2, labels: ['stale'] });
    const { data: closed } = await octokit.rest.issues.update({
      owner,
      repo,
      issue_number: 2,
      state: 'closed',
      state_reason: 'not_planned',
    });
    expect(closed).toMatchObject({ state: 'closed', state_reason: 'not_planned', labels: [{ name: 'stale' }] });
    const open = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, state: 'open' });
    expect(open.map((i) => i.number).sort()).toEqual([1, 3]);
    expect(emulator.store.labels.map((l) => l.name)).toEqual(['overnight', 'stale']);
    const { data: found } = await octokit.rest.search.issuesAndPullRequests({
      q: `repo:${owner}/${repo} is:issue is:open label:overnight in:title "third"`,
    });
    expect(found.items.map((i) => i.number)).toEqual([3]);
    expect(emulator.violations).toEqual([]);
  });

  it('refuses a body longer than 65,536 characters and stores nothing', async () => {
    const tooLong = await failure(octokit.rest.issues.create({ owner, repo, title: 'big', body: 'x'.repeat(65_537) }));
    expect(tooLong.status).toBe(422);
    expect(emulator.store.issues).toEqual([]);
    await octokit.rest.issues.create({ owner, repo, title: 'fits', body: 'x'.repeat(65_536) });
    expect(emulator.store.issues).toHaveLength(1);
  });

  it('records a body that breaks the OpenAPI schema and an unknown route as violations', async () => {
    const bad = await failure(
      octokit.request('POST /repos/{owner}/{repo}/issues', { owner, repo, title: 'x', labels: 5 as unknown as string[] }),
    );
    expect(bad.status).toBe(422);
    expect(emulator.store.issues).toEqual([]);
    const unknown = await failure(octokit.request('GET /repos/{owner}/{repo}/overnight-results', { owner, repo }));
    expect(unknown.status).toBe(404);
    await octokit.request('GET /repos/{owner}/{repo}/issues', { owner, repo, label: 'typo-for-labels' });
    expect(emulator.violations).toHaveLength(3);
    expect(emulator.violations[0]).toMatch(/POST \/repos\/\{owner\}\/\{repo\}\/issues: body \/labels must be array/);
    expect(emulator.violations[1]).toMatch(/GET \/repos\/octo-org\/octo-repo\/overnight-results: no such route/);
    expect(emulator.violations[2]).toMatch(/unknown query parameter 'label'/);
  });

  it('answers writes with 403 for a read-only token, and injected faults once', async () => {
    emulator.setReadOnly(true);
    const readOnly = await failure(octokit.rest.issues.create({ owner, repo, title: 'x' }));
    expect(readOnly).toMatchObject({ status: 403, data: { message: 'Resource not accessible by integration' } });
    await octokit.rest.issues.listForRepo({ owner, repo });
    emulator.setReadOnly(false);

    emulator.faults.next(
      { method: 'POST', path: /\/issues$/ },
      {
        status: 403,
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
        headers: { 'retry-after': '1' },
      },
    );
    const limited = await failure(octokit.rest.issues.create({ owner, repo, title: 'x' }));
    expect(limited.status).toBe(403);
    expect(limited.headers['retry-after']).toBe('1');
    expect(emulator.store.issues).toEqual([]);
    await octokit.rest.issues.create({ owner, repo, title: 'x' });
    expect(emulator.store.issues).toHaveLength(1);
  });
});

describe('content creation limit', () => {
  it('blocks the request past the limit within the window with a secondary rate limit and retry-after', async () => {
    await emulator.close();
    emulator = await startGitHubEmulator({ owner, repo, contentCreation: { perWindow: 3, windowMs: 60_000 } });
    octokit = new Octokit({ baseUrl: emulator.url, auth: 'ghs_emulated', log: quiet });
    for (let i = 0; i < 3; i++) await octokit.rest.issues.create({ owner, repo, title: `issue ${i}` });
    const blocked = await failure(octokit.rest.issues.createComment({ owner, repo, issue_number: 1, body: 'one too many' }));
    expect(blocked.status).toBe(403);
    expect(blocked.data.message).toMatch(/secondary rate limit/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(emulator.store.comments).toEqual([]);
    // Reads and label edits do not count.
    await octokit.rest.issues.addLabels({ owner, repo, issue_number: 1, labels: ['x'] });
  });
});

describe('pull requests and reviews', () => {
  const patch = [
    '@@ -1,3 +1,4 @@',
    ' import { a } from "./a.js";',
    '+import { b } from "./b.js";',
    ' ',
    ' export const c = a;',
  ].join('\n');

  beforeEach(() => {
    emulator.seedPullRequest({
      number: 7,
      title: 'Add b',
      base: { ref: 'main', sha: BASE_SHA },
      head: { ref: 'feature/b', sha: HEAD_SHA },
      files: [{ filename: 'src/c.ts', status: 'modified', patch }],
    });
  });

  it('lists the pull request among issues and its files with the patch', async () => {
    const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: 7 });
    expect(pull).toMatchObject({ number: 7, head: { ref: 'feature/b', sha: HEAD_SHA }, base: { ref: 'main', sha: BASE_SHA } });
    const { data: files } = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: 7 });
    expect(files).toMatchObject([{ filename: 'src/c.ts', status: 'modified', additions: 1, deletions: 0, patch }]);
    const { data: issues } = await octokit.rest.issues.listForRepo({ owner, repo });
    expect(issues[0]?.pull_request?.html_url).toBe(`https://github.com/${owner}/${repo}/pull/7`);
    expect(emulator.violations).toEqual([]);
  });

  it('stores a review whose comments are on the diff and refuses the whole review when one is not', async () => {
    const offDiff = await failure(
      octokit.rest.pulls.createReview({
        owner,
        repo,
        pull_number: 7,
        commit_id: HEAD_SHA,
        event: 'COMMENT',
        body: 'Overnight review',
        comments: [
          { path: 'src/c.ts', line: 2, side: 'RIGHT', body: 'on the diff' },
          { path: 'src/c.ts', line: 40, side: 'RIGHT', body: 'far away' },
        ],
      }),
    );
    expect(offDiff.status).toBe(422);
    expect(offDiff.data).toMatchObject({ message: 'Unprocessable Entity', errors: ['Line could not be resolved'] });
    const wrongPath = await failure(
      octokit.rest.pulls.createReview({
        owner,
        repo,
        pull_number: 7,
        event: 'COMMENT',
        body: 'x',
        comments: [{ path: 'src/other.ts', line: 1, body: 'x' }],
      }),
    );
    expect(wrongPath.status).toBe(422);
    expect(emulator.store.reviews).toEqual([]);
    expect(emulator.store.reviewComments).toEqual([]);

    const { data: review } = await octokit.rest.pulls.createReview({
      owner,
      repo,
      pull_number: 7,
      commit_id: HEAD_SHA,
      event: 'COMMENT',
      body: 'Overnight review',
      comments: [{ path: 'src/c.ts', start_line: 1, line: 2, side: 'RIGHT', body: 'Unused import.' }],
    });
    expect(review).toMatchObject({ state: 'COMMENTED', commit_id: HEAD_SHA, body: 'Overnight review' });
    const { data: comments } = await octokit.rest.pulls.listReviewComments({ owner, repo, pull_number: 7 });
    expect(comments).toMatchObject([
      { path: 'src/c.ts', line: 2, start_line: 1, side: 'RIGHT', pull_request_review_id: review.id, body: 'Unused import.' },
    ]);
    expect(comments[0]?.diff_hunk).toContain('+import { b }');
    const { data: reviews } = await octokit.rest.pulls.listReviews({ owner, repo, pull_number: 7 });
    expect(reviews.map((r) => r.id)).toEqual([review.id]);
    expect(emulator.violations).toEqual([]);
  });

  it('never lets an Actions token approve', async () => {
    const approve = await failure(octokit.rest.pulls.createReview({ owner, repo, pull_number: 7, event: 'APPROVE' }));
    expect(approve.status).toBe(422);
    expect(JSON.stringify(approve.data.errors)).toMatch(/not permitted to approve/);
    expect(emulator.store.reviews).toEqual([]);
  });

  it('creates a pull request only once the repository allows it, from an existing head branch', async () => {
    const { data: mainRef } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/main` });
    const { data: blob } = await octokit.rest.git.createBlob({ owner, repo, content: 'export const b = 1;\n' });
    const { data: baseCommit } = await octokit.rest.git.getCommit({ owner, repo, commit_sha: mainRef.object.sha });
    const { data: tree } = await octokit.rest.git.createTree({
      owner,
      repo,
      base_tree: baseCommit.tree.sha,
      tree: [{ path: 'test/b.test.ts', mode: '100644', type: 'blob', sha: blob.sha }],
    });
    const { data: commit } = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: 'Add tests',
      tree: tree.sha,
      parents: [mainRef.object.sha],
    });
    await octokit.rest.git.createRef({ owner, repo, ref: 'refs/heads/overnight/tests', sha: commit.sha });

    const params = {
      owner,
      repo,
      title: 'Overnight: tests',
      head: 'overnight/tests',
      base: 'main',
      body: 'Generated tests',
      draft: true,
    };
    const refused = await failure(octokit.rest.pulls.create(params));
    expect(refused.status).toBe(403);
    expect(refused.data.message).toMatch(/not permitted to create or approve pull requests/);

    emulator.allowActionsToCreatePullRequests(true);
    const missingHead = await failure(octokit.rest.pulls.create({ ...params, head: 'no-such-branch' }));
    expect(missingHead.status).toBe(422);
    const { data: pull } = await octokit.rest.pulls.create(params);
    expect(pull).toMatchObject({ number: 8, draft: true, head: { ref: 'overnight/tests', sha: commit.sha } });
    const { data: files } = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: pull.number });
    expect(files).toMatchObject([{ filename: 'test/b.test.ts', status: 'added', patch: '@@ -0,0 +1 @@\n+export const b = 1;' }]);
    expect(emulator.violations).toEqual([]);
  });
});

describe('contents and git data', () => {
  it('builds a branch with a commit and serves file contents at a ref', async () => {
    emulator.seedFile('main', '.github/overnight/instructions.md', 'Be terse.\n');
    const { data: content } = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: '.github/overnight/instructions.md',
      ref: 'main',
    });
    expect(Array.isArray(content)).toBe(false);
    const file = content as { type: string; encoding: string; content: string };
    expect(file.type).toBe('file');
    expect(Buffer.from(file.content, 'base64').toString('utf8')).toBe('Be terse.\n');
    await expect(octokit.rest.repos.getContent({ owner, repo, path: 'missing.md' })).rejects.toMatchObject({ status: 404 });

    const { data: main } = await octokit.rest.git.getRef({ owner, repo, ref: 'heads/main' });
    const { data: parent } = await octokit.rest.git.getCommit({ owner, repo, commit_sha: main.object.sha });
    const { data: tree } = await octokit.rest.git.createTree({
      owner,
      repo,
      base_tree: parent.tree.sha,
      tree: [
        { path: 'docs/guide.md', mode: '100644', type: 'blob', content: '# Guide\n' },
        {
          path: 'bin/tool.bin',
          mode: '100644',
          type: 'blob',
          sha: (
            await octokit.rest.git.createBlob({
              owner,
              repo,
              content: Buffer.from([0, 1, 2]).toString('base64'),
              encoding: 'base64',
            })
          ).data.sha,
        },
      ],
    });
    const { data: commit } = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: 'Docs',
      tree: tree.sha,
      parents: [main.object.sha],
    });
    expect(commit.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(commit.parents.map((p) => p.sha)).toEqual([main.object.sha]);
    await octokit.rest.git.createRef({ owner, repo, ref: 'refs/heads/overnight/docs', sha: commit.sha });
    const duplicate = await failure(
      octokit.rest.git.createRef({ owner, repo, ref: 'refs/heads/overnight/docs', sha: commit.sha }),
    );
    expect(duplicate).toMatchObject({ status: 422, data: { message: 'Reference already exists' } });

    const { data: recursive } = await octokit.rest.git.getTree({ owner, repo, tree_sha: tree.sha, recursive: 'true' });
    expect(
      recursive.tree
        .filter((e) => e.type === 'blob')
        .map((e) => e.path)
        .sort(),
    ).toEqual(['.github/overnight/instructions.md', 'bin/tool.bin', 'docs/guide.md']);
    const { data: guide } = await octokit.rest.repos.getContent({ owner, repo, path: 'docs/guide.md', ref: 'overnight/docs' });
    expect(Buffer.from((guide as { content: string }).content, 'base64').toString('utf8')).toBe('# Guide\n');

    // Moving the branch back to its parent is not a fast forward unless forced.
    const notForward = await failure(
      octokit.rest.git.updateRef({ owner, repo, ref: 'heads/overnight/docs', sha: main.object.sha }),
    );
    expect(notForward).toMatchObject({ status: 422, data: { message: 'Update is not a fast forward' } });
    await octokit.rest.git.updateRef({ owner, repo, ref: 'heads/overnight/docs', sha: main.object.sha, force: true });
    expect(emulator.store.git.refs.get('refs/heads/overnight/docs')).toBe(main.object.sha);
    expect(emulator.violations).toEqual([]);
  });
});

describe('code scanning', () => {
  const sarif = {
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'overnight' } },
        results: [
          {
            ruleId: 'x',
            message: { text: 'm' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'src/legacy%20code/a.ts' } } }],
          },
        ],
      },
    ],
  };

  it('decodes a gzip-then-base64 SARIF upload and reports it processed', async () => {
    const { data, status } = await octokit.rest.codeScanning.uploadSarif({
      owner,
      repo,
      commit_sha: HEAD_SHA,
      ref: 'refs/pull/7/head',
      sarif: gzipSync(JSON.stringify(sarif)).toString('base64'),
    });
    expect(status).toBe(202);
    expect(emulator.store.sarifUploads[0]?.sarif).toEqual(sarif);
    const { data: processed } = await octokit.rest.codeScanning.getSarif({ owner, repo, sarif_id: data.id as string });
    expect(processed.processing_status).toBe('complete');
    expect(emulator.violations).toEqual([]);
  });

  it('refuses SARIF that is only base64 and fails processing of a raw space in a URI', async () => {
    const plain = await failure(
      octokit.rest.codeScanning.uploadSarif({
        owner,
        repo,
        commit_sha: HEAD_SHA,
        ref: 'refs/heads/main',
        sarif: Buffer.from(JSON.stringify(sarif)).toString('base64'),
      }),
    );
    expect(plain.status).toBe(400);
    const raw = structuredClone(sarif);
    (
      raw.runs[0] as { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }
    ).results[0]!.locations[0]!.physicalLocation.artifactLocation.uri = 'src/legacy code/a.ts';
    const { data } = await octokit.rest.codeScanning.uploadSarif({
      owner,
      repo,
      commit_sha: HEAD_SHA,
      ref: 'refs/heads/main',
      sarif: gzipSync(JSON.stringify(raw)).toString('base64'),
    });
    const { data: processed } = await octokit.rest.codeScanning.getSarif({ owner, repo, sarif_id: data.id as string });
    expect(processed.processing_status).toBe('failed');
    expect(JSON.stringify(processed.errors)).toMatch(/legacy code/);
    const badRef = await failure(
      octokit.rest.codeScanning.uploadSarif({ owner, repo, commit_sha: 'abc', ref: 'main', sarif: 'x' }),
    );
    expect(badRef.status).toBe(422);
    expect(emulator.violations).toHaveLength(1);
    expect(emulator.violations[0]).toMatch(/\/commit_sha must match pattern/);
    expect(emulator.violations[0]).toMatch(/\/ref must match pattern/);
  });
});
