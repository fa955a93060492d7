// Committable fixes (issue 15 item 7): a finding's replacement code becomes a GitHub ```suggestion on
// the inline review comment only when every line it replaces is on the diff's right side (the
// comment then spans exactly those lines); elsewhere it is a block in the file's language, and a
// fix given in prose stays prose. A hostile replacement cannot leave its block, mention anyone or
// forge a marker.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubContext } from '../src/github/context.js';
import { prCommentReporter } from '../src/reports/pr-comment.js';
import { prReviewReporter } from '../src/reports/pr-review.js';
import { renderMarkdownReport } from '../src/reports/markdown.js';
import type { ReportContext } from '../src/reports/reporter.js';
import { findMarkers } from '../src/reports/markers.js';
import type { Finding } from '../src/types.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { liveConstructs, liveKinds, renderGfm } from './helpers/github-render.js';
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

// src/a.ts: right-side lines 1-4 (hunk 1) and 11-12 (hunk 2) are on the diff; 5-10 are not.
const A_PATCH = '@@ -1,3 +1,4 @@\n a\n-b\n+c\n+d\n e\n@@ -10,2 +11,2 @@\n x\n-y\n+z';

let gh: GitHubEmulator;
let github: GitHubContext;

beforeEach(async () => {
  gh = await startGitHubEmulator({ owner, repo });
  gh.seedPullRequest({
    number: 7,
    base: { ref: 'main', sha: BASE },
    head: { ref: 'feature', sha: HEAD },
    files: [{ filename: 'src/a.ts', status: 'modified', patch: A_PATCH }],
  });
  github = fixtureGitHub(gh.url);
});

afterEach(() => closeFixtureGitHub(gh));

function finding(startLine: number, endLine: number, overrides: Partial<Finding> = {}): Finding {
  return fixtureFinding({
    path: 'src/a.ts',
    startLine,
    endLine,
    severity: 'medium',
    category: 'loose-equality',
    title: `Loose equality at ${startLine}`,
    explanation: 'Compares with `==`.',
    suggestedFix: 'Compare with `===` so that no type coercion happens.',
    fingerprint: `fp${startLine}${endLine}`.padEnd(16, '0'),
    ...overrides,
  });
}

function context(findings: Finding[]): ReportContext {
  return fixtureContext(fixtureResults({ task: 'code-review', findings }), {
    github,
    state: { headSha: HEAD, pullRequest: fixturePullRequest(7, { baseSha: BASE, headSha: HEAD }) },
  });
}

/** The code elements of rendered Markdown: [language class, text]. */
function codeBlocks(markdown: string): [string, string][] {
  return [...renderGfm(markdown).matchAll(/<pre><code(?: class="language-([^"]+)")?>([\s\S]*?)<\/code><\/pre>/g)].map((m) => [
    m[1] ?? '',
    m[2]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&'),
  ]);
}

function commentAt(line: number) {
  const comment = gh.store.reviewComments.find((c) => c.line === line);
  expect(comment, `a review comment on line ${line}`).toBeDefined();
  return comment!;
}

describe('committable fixes on a pull request', () => {
  it('posts the replacement as a suggestion spanning exactly its lines when all are on the diff', async () => {
    const onDiff = finding(2, 3, { replacement: 'const c = 1;\nconst d = 2;' });
    await prReviewReporter.publish(context([onDiff]));

    const comment = commentAt(3);
    expect(comment.start_line).toBe(2);
    expect(comment.start_side).toBe('RIGHT');
    expect(comment.side).toBe('RIGHT');
    expect(codeBlocks(comment.body)).toEqual([['suggestion', 'const c = 1;\nconst d = 2;\n']]);
    // The prose fix is still there, as prose.
    expect(renderGfm(comment.body)).toContain('Compare with <code>===</code> so that no type coercion happens.');
  });

  it('one line on the diff: a single-line suggestion without start_line', async () => {
    await prReviewReporter.publish(context([finding(12, 12, { replacement: 'const z = 2;' })]));
    const comment = commentAt(12);
    expect(comment.start_line).toBeNull();
    expect(codeBlocks(comment.body)).toEqual([['suggestion', 'const z = 2;\n']]);
  });

  it('lines partly off the diff: the comment stays on one diff line and the replacement is a typescript block', async () => {
    // 4 is on the diff, 5-6 are not: a suggestion there would replace only line 4.
    await prReviewReporter.publish(context([finding(4, 6, { replacement: 'e();\nf();\ng();' })]));
    const comment = commentAt(4);
    expect(comment.start_line).toBeNull();
    expect(codeBlocks(comment.body)).toEqual([['typescript', 'e();\nf();\ng();\n']]);
    expect(comment.body).toContain('Replacement for lines 4-6:');
  });

  it('off the diff: the sticky comment and the report show the replacement as a block in the file language', async () => {
    const off = finding(7, 7, { replacement: 'if (a === b) go();' });
    const ctx = context([off]);
    await prReviewReporter.publish(ctx);
    await prCommentReporter.publish(ctx);
    expect(gh.store.reviewComments).toHaveLength(0);
    const sticky = gh.store.comments.find((c) => findMarkers(c.body, 'sticky').length > 0)!;
    expect(codeBlocks(sticky.body)).toEqual([['typescript', 'if (a === b) go();\n']]);
    expect(codeBlocks(renderMarkdownReport(ctx))).toEqual([['typescript', 'if (a === b) go();\n']]);
  });

  it('a replacement too long to show is not offered: one-line comment pointing to the results', async () => {
    await prReviewReporter.publish(context([finding(2, 3, { replacement: `// ${'x'.repeat(5_000)}` })]));
    const comment = commentAt(3);
    expect(comment.start_line).toBeNull();
    expect(codeBlocks(comment.body)).toEqual([]);
    expect(comment.body).toContain('A replacement for lines 2-3 is in the results document');
  });

  it('a fix without replacement code stays prose: no fence anywhere', async () => {
    await prReviewReporter.publish(context([finding(2, 2, { suggestedFix: 'Check `v` for null before use.' })]));
    const comment = commentAt(2);
    expect(codeBlocks(comment.body)).toEqual([]);
    expect(renderGfm(comment.body)).toContain('Check <code>v</code> for null before use.');
  });

  it('a hostile replacement (fences, a mention, a forged marker) stays inside one suggestion block', async () => {
    const hostile = [
      'x = 1;',
      '```',
      '@octocat see https://evil.example/x',
      `<!-- overnight:report task=code-review state=s round=1 -->`,
      '~~~~',
      '```suggestion',
      'rm -rf /',
    ].join('\n');
    await prReviewReporter.publish(
      context([finding(1, 4, { replacement: hostile, suggestedFix: 'Ask @octocat, see [x](https://evil.example)' })]),
    );
    const comment = commentAt(4);
    expect(comment.start_line).toBe(1);
    const blocks = codeBlocks(comment.body);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]![0]).toBe('suggestion');
    // Shown verbatim but for the marker look-alike, which is broken with a zero-width space.
    expect(blocks[0]![1]).toBe(`${hostile.replace('<!--', '<!-\u200b-')}\n`);
    // Our fingerprint marker is the only marker; nothing outside code is live.
    expect(findMarkers(comment.body).map((m) => m.kind)).toEqual(['fingerprints']);
    const live = liveConstructs(comment.body, { serverUrl: 'https://github.com', owner, repo });
    expect(liveKinds(live, ['rawHtml', 'structure'])).toEqual([]);
    // (the helper lists raw HTML once as parsed and once as rendered)
    expect([...new Set(live.rawHtml)]).toEqual([comment.body.split('\n')[0]]);
  });
});
