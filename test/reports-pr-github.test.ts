// The PR reporters against the GitHub emulator: sticky comment, inline reviews, the hand-over between
// them, 422 fallback, read-only tokens.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubContext } from '../src/github/context.js';
import { prCommentReporter } from '../src/reports/pr-comment.js';
import { MAX_COMMENTS_PER_REVIEW, prReviewReporter } from '../src/reports/pr-review.js';
import type { CollectedResults, ReportContext } from '../src/reports/reporter.js';
import { findMarkers, readFingerprints } from '../src/reports/markers.js';
import type { Finding, RefactorVerdict, TaskName } from '../src/types.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import {
  closeFixtureGitHub,
  fixtureContext,
  fixtureFinding,
  fixtureGitHub,
  fixturePullRequest,
  fixtureResults,
  FIXTURE_OWNER as owner,
  FIXTURE_REPO as repo,
  FIXTURE_BASE as BASE,
  FIXTURE_HEAD as HEAD,
} from './helpers/report-fixtures.js';

// src/new.ts is a new 40-line file; src/a.ts has changes around lines 1-4 and 11-12 only.
const NEW_FILE_PATCH = `@@ -0,0 +1,40 @@\n${Array.from({ length: 40 }, (_, i) => `+const v${i + 1} = ${i + 1};`).join('\n')}`;
const A_PATCH = '@@ -1,3 +1,4 @@\n a\n-b\n+c\n+d\n e\n@@ -10,2 +11,2 @@\n x\n-y\n+z';

function finding(path: string, line: number, overrides: Partial<Finding> = {}): Finding {
  return fixtureFinding({
    path,
    startLine: line,
    severity: 'medium',
    category: 'null-dereference',
    title: `Possible null at ${path}:${line}`,
    explanation: 'The value may be `null` here. cc @octocat',
    suggestedFix: 'if (v === null) return;',
    customId: 'rev-1',
    ...overrides,
  });
}

function results(task: TaskName, findings: Finding[], verdicts: RefactorVerdict[] = [], batch = 'msgbatch_01'): CollectedResults {
  return fixtureResults({
    task,
    findings,
    verdicts,
    failures: [{ customId: 'rev-9', paths: ['src/broken.ts'], status: 'errored', reason: 'overloaded_error: try later' }],
    succeeded: 3,
    received: 4,
    batchIds: [batch],
  });
}

let gh: GitHubEmulator;
let github: GitHubContext;

function context(collected: CollectedResults, round = 'r1', overrides: Partial<GitHubContext> = {}): ReportContext {
  return fixtureContext(collected, {
    round,
    github: { ...github, ...overrides },
    state: { headSha: HEAD, pullRequest: fixturePullRequest(7, { baseSha: BASE, headSha: HEAD }) },
  });
}

function stickyComments() {
  return gh.store.comments.filter((c) => findMarkers(c.body, 'sticky').length > 0);
}

beforeEach(async () => {
  gh = await startGitHubEmulator({ owner, repo });
  gh.seedPullRequest({
    number: 7,
    base: { ref: 'main', sha: BASE },
    head: { ref: 'feature', sha: HEAD },
    files: [
      { filename: 'src/new.ts', status: 'added', patch: NEW_FILE_PATCH },
      { filename: 'src/a.ts', status: 'modified', patch: A_PATCH },
    ],
  });
  github = fixtureGitHub(gh.url);
});

afterEach(() => closeFixtureGitHub(gh));

describe('pr-review and pr-comment', () => {
  it('posts inline comments only on diff lines, 30 per review, and hands the rest to one sticky comment', async () => {
    const inDiff = Array.from({ length: 35 }, (_, i) => finding('src/new.ts', i + 1));
    const outside = [finding('src/a.ts', 7, { severity: 'high', title: 'Off the diff' }), finding('src/untouched.ts', 3)];
    const first = context(results('code-review', [...inDiff, ...outside]));

    const review = await prReviewReporter.publish(first);
    const comment = await prCommentReporter.publish(first);

    expect(gh.store.reviews).toHaveLength(2);
    expect(gh.store.reviews.every((r) => r.state === 'COMMENTED' && r.commit_id === HEAD)).toBe(true);
    const perReview = gh.store.reviews.map(
      (r) => gh.store.reviewComments.filter((c) => c.pull_request_review_id === r.id).length,
    );
    expect(perReview).toEqual([MAX_COMMENTS_PER_REVIEW, 5]);
    expect(gh.store.reviewComments.map((c) => c.path)).toEqual(Array(35).fill('src/new.ts'));
    expect(gh.store.reviewComments.every((c) => c.side === 'RIGHT' && readFingerprints(c.body).length === 1)).toBe(true);
    expect(gh.store.reviewComments.some((c) => c.body.includes('@octocat'))).toBe(false);
    expect(review.note).toContain('35 inline comment(s) in 2 review(s)');
    expect(review.note).toContain('2 outside the diff');

    const sticky = stickyComments();
    expect(sticky).toHaveLength(1);
    const body = sticky[0]!.body;
    expect(body).toContain('2 finding(s) not commented inline (outside the diff)');
    expect(body).toContain('#### 🟠 high · Off the diff');
    expect(body).toContain(`https://github.com/${owner}/${repo}/blob/${HEAD}/src/a.ts#L7-L7`);
    expect(body).toContain('src/broken.ts');
    expect(body).toContain('saved $0.0123');
    expect(readFingerprints(body)).toHaveLength(37);
    expect(comment.url).toBe(`https://github.com/${owner}/${repo}/pull/7#issuecomment-${sticky[0]!.id}`);
    expect(comment.note).toMatch(/sticky comment (unchanged|updated)/);
  });

  it('updates the same sticky comment on a later collect and repeats no inline comment', async () => {
    const findings = [finding('src/new.ts', 2), finding('src/new.ts', 9), finding('src/a.ts', 30)];
    const first = context(results('code-review', findings));
    await prCommentReporter.publish(first);
    await prReviewReporter.publish(first);
    expect(stickyComments()).toHaveLength(1);
    expect(gh.store.reviewComments).toHaveLength(2);

    // The same collect again (crashed and re-run): nothing new anywhere.
    const rerun = context(results('code-review', findings));
    const rerunReview = await prReviewReporter.publish(rerun);
    const rerunComment = await prCommentReporter.publish(rerun);
    expect(gh.store.reviewComments).toHaveLength(2);
    expect(rerunReview.note).toContain('2 already on the PR');
    expect(rerunComment.note).toContain('unchanged');

    // A later round brings one more finding in the diff, plus one already posted.
    const later = context(results('code-review', [finding('src/new.ts', 9), finding('src/new.ts', 20)], [], 'msgbatch_02'), 'r2');
    await prReviewReporter.publish(later);
    await prCommentReporter.publish(later);
    expect(gh.store.reviewComments.map((c) => c.line)).toEqual([2, 9, 20]);
    const sticky = stickyComments();
    expect(sticky).toHaveLength(1);
    expect(findMarkers(sticky[0]!.body, 'section').map((m) => m.fields['round'])).toEqual(['r2', 'r1']);
    expect(sticky[0]!.body).toContain('msgbatch_01');
    expect(sticky[0]!.body).toContain('msgbatch_02');
  });

  it('falls back to the sticky comment when GitHub refuses a review with 422', async () => {
    gh.faults.next(
      { method: 'POST', path: /\/pulls\/7\/reviews$/ },
      { status: 422, body: { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] } },
    );
    const collected = context(results('code-review', [finding('src/new.ts', 4, { title: 'Refused inline' })]));
    const review = await prReviewReporter.publish(collected);
    expect(gh.store.reviewComments).toHaveLength(0);
    expect(review.note).toContain('1 put in the sticky comment instead because GitHub refused the review (422');
    const sticky = stickyComments();
    expect(sticky).toHaveLength(1);
    expect(sticky[0]!.body).toContain('GitHub refused the inline review');
    expect(sticky[0]!.body).toContain('Refused inline');
  });

  it('renders refactor verdicts with reasons and comments on their problems', async () => {
    const problem = finding('src/a.ts', 12, {
      task: 'refactor-validation',
      category: 'behaviour-change',
      title: 'Rounding changed',
      severity: 'high',
    });
    const verdicts: RefactorVerdict[] = [
      { path: 'src/a.ts', verdict: 'INVALID', summary: 'Rounding now truncates | differs', findings: [problem] },
      { path: 'src/new.ts', verdict: 'VALID', summary: 'Same behaviour, clearer names.', findings: [] },
    ];
    const collected = context(results('refactor-validation', [], verdicts));
    await prCommentReporter.publish(collected);
    await prReviewReporter.publish(collected);
    const body = stickyComments()[0]!.body;
    expect(body).toContain('**1 of 2 file(s) INVALID**');
    // The same verdict table as report.md: file, verdict, problems, the summary (its pipe escaped).
    expect(body).toContain('| `src/a.ts` | ❌ INVALID | 1 | Rounding now truncates \\| differs |');
    expect(body).toContain('| `src/new.ts` | ✅ VALID | 0 | Same behaviour, clearer names. |');
    expect(gh.store.reviewComments.map((c) => [c.path, c.line])).toEqual([['src/a.ts', 12]]);
    expect(body).toContain('💬');
  });

  it('the sticky comment counts the skipped files by reason, with the list collapsed and capped', async () => {
    // What a pull request can hide from review (a .gitignore entry, an @generated header, vendor/) is
    // said on the pull request itself.
    const skipped = [
      { path: 'src/hidden.ts', reason: 'ignored' },
      { path: 'src/gen/api.ts', reason: 'generated' },
      { path: 'vendor/pkg/index.js', reason: 'vendored' },
      ...Array.from({ length: 400 }, (_, i) => ({ path: `docs/p${i}.md`, reason: 'not-for-task' })),
    ];
    const collected = context(results('code-review', [finding('src/new.ts', 2)]));
    collected.state.skipped = skipped;
    await prCommentReporter.publish(collected);
    const body = stickyComments()[0]!.body;
    expect(body).toContain(
      '**403 changed files not reviewed**: 400 not for this task, 1 generated, 1 ignored by .gitignore, 1 vendored',
    );
    expect(body).toMatch(/<details>\n<summary>Skipped files and why<\/summary>/);
    expect(body).toContain('- **ignored by .gitignore** (1): `src/hidden.ts`');
    expect(body).toContain('- **generated** (1): `src/gen/api.ts`');
    expect(body).toMatch(/- \*\*not for this task\*\* \(400\): .*, and \d+ more/);
    expect(body.length).toBeLessThan(20_000);
  });

  it('writes nothing with a read-only token and says so', async () => {
    const collected = context(results('code-review', [finding('src/new.ts', 1)]), 'r1', { readOnly: true });
    const review = await prReviewReporter.publish(collected);
    const comment = await prCommentReporter.publish(collected);
    expect(review.note).toContain('read-only');
    expect(comment.note).toContain('read-only');
    expect(gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
