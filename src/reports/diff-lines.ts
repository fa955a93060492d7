// Which lines of a pull request can carry an inline review comment. GitHub rejects a whole review
// (422) when one of its comments points outside the diff, so every inline comment is checked against
// this map before it is posted.
import type { Octokit } from '@octokit/rest';
import parseDiff from 'parse-diff';
import type { Finding } from '../types.js';
import type { CollectedResults, ReportContext } from './reporter.js';

/** Per repository-relative path: the RIGHT-side (head) line numbers that appear in the PR's diff. */
export type DiffLineMap = Map<string, Set<number>>;

/** The part of GET /repos/{o}/{r}/pulls/{n}/files this module reads. */
export interface PullRequestFilePatch {
  filename: string;
  status?: string;
  /** Absent for binary files and for diffs GitHub deems too large to show. */
  patch?: string | null;
}

/**
 * RIGHT-side line numbers of one file's `patch` (hunks only, as GitHub returns them): added lines
 * and context lines. Deleted lines live on the LEFT side and cannot anchor a RIGHT comment.
 */
export function rightSideLines(patch: string | null | undefined): Set<number> {
  const lines = new Set<number>();
  if (!patch) return lines;
  // parse-diff expects file headers; GitHub's `patch` starts at the first hunk, so give it some.
  const text = /^(diff |--- )/.test(patch) ? patch : `--- a/file\n+++ b/file\n${patch}`;
  for (const file of parseDiff(text)) {
    for (const chunk of file.chunks) {
      for (const change of chunk.changes) {
        // "\ No newline at end of file" is reported by parse-diff as a change; it is not a line.
        if (change.content.startsWith('\\')) continue;
        if (change.type === 'add') lines.add(change.ln);
        else if (change.type === 'normal') lines.add(change.ln2);
      }
    }
  }
  return lines;
}

export function buildDiffLineMap(files: readonly PullRequestFilePatch[]): DiffLineMap {
  const map: DiffLineMap = new Map();
  for (const file of files) {
    if (file.status === 'removed') continue;
    map.set(file.filename, rightSideLines(file.patch));
  }
  return map;
}

/** Fetches every file of the pull request (paginated, GitHub caps the list at 3,000 files). */
export async function loadDiffLineMap(octokit: Octokit, owner: string, repo: string, pullNumber: number): Promise<DiffLineMap> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner,
    repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return buildDiffLineMap(files);
}

/**
 * The line to anchor a comment about `start..end` of `path` on: the end line when it is in the
 * diff (GitHub shows the comment under it, after the code it talks about), else the last line of
 * the range that is in the diff, else null (the finding cannot be placed inline).
 */
export function commentableLine(map: DiffLineMap, path: string, start: number, end: number): number | null {
  const lines = map.get(path);
  if (!lines || lines.size === 0) return null;
  const low = Math.min(start, end);
  const high = Math.max(start, end);
  if (lines.has(high)) return high;
  let best: number | null = null;
  // Walk the (small) set rather than the range: a model may report a range of thousands of lines.
  for (const line of lines) {
    if (line >= low && line <= high && (best === null || line > best)) best = line;
  }
  return best;
}

/**
 * Whether every line of `start..end` is on the right side of `path`'s diff: only then can a review
 * comment span them all, and a suggestion on it replace exactly those lines.
 */
export function rangeOnRightSide(map: DiffLineMap, path: string, start: number, end: number): boolean {
  const lines = map.get(path);
  if (!lines || start < 1 || end < start || end - start >= lines.size) return false;
  for (let line = start; line <= end; line++) if (!lines.has(line)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Placement: which findings are inline review comments and which belong in the sticky comment.
//
// One source of truth for both PR reporters: placementFor(context) computes, once per collect (memoised
// on the results object), which findings can be anchored on a line of the diff. pr-review then posts
// those and moves any GitHub refuses (422) to `notInline`; pr-comment renders in full every finding
// that is not inline (or all of them when no review was published in this collect). pr-review hands
// its leftovers to the sticky comment itself (upsertStickyComment), so the order in which the engine
// runs the two reporters does not matter and nothing is lost when `report` names only pr-review.
// ---------------------------------------------------------------------------------------------

export interface InlinePlacement {
  diff: DiffLineMap;
  /** fingerprint → anchored finding: posted (or already present) as an inline review comment. */
  inline: Map<string, { finding: Finding; line: number }>;
  /** fingerprint → finding shown in full in the sticky comment, with why it is not inline. */
  notInline: Map<string, { finding: Finding; reason: string }>;
  /** pr-review ran in this collect: `inline` is what the pull request now shows. */
  reviewPublished: boolean;
  /** pr-comment (or pr-review for it) published the sticky comment in this collect. */
  stickyPublished: boolean;
}

export const OUTSIDE_DIFF = 'outside the diff';

/** Every finding the results carry: plain findings and the problems of refactor verdicts, once each. */
export function reportedFindings(results: Pick<CollectedResults, 'findings' | 'verdicts'>): Finding[] {
  const seen = new Set<string>();
  const all: Finding[] = [];
  for (const finding of [...results.findings, ...results.verdicts.flatMap((verdict) => verdict.findings)]) {
    if (seen.has(finding.fingerprint)) continue;
    seen.add(finding.fingerprint);
    all.push(finding);
  }
  return all;
}

/** Splits findings into those a review can anchor (with the line) and the others. */
export function planPlacement(findings: readonly Finding[], diff: DiffLineMap): InlinePlacement {
  const placement: InlinePlacement = {
    diff,
    inline: new Map(),
    notInline: new Map(),
    reviewPublished: false,
    stickyPublished: false,
  };
  for (const finding of findings) {
    const line = commentableLine(diff, finding.path, finding.startLine, finding.endLine);
    if (line === null) placement.notInline.set(finding.fingerprint, { finding, reason: OUTSIDE_DIFF });
    else placement.inline.set(finding.fingerprint, { finding, line });
  }
  return placement;
}

/** Moves a finding from inline to the sticky comment (GitHub refused its review, or it cannot be posted). */
export function demote(placement: InlinePlacement, fingerprint: string, reason: string): void {
  const entry = placement.inline.get(fingerprint);
  if (!entry) return;
  placement.inline.delete(fingerprint);
  placement.notInline.set(fingerprint, { finding: entry.finding, reason });
}

const placements = new WeakMap<CollectedResults, Promise<InlinePlacement>>();

/**
 * The placement for this collect, computed once. Without a pull request or GitHub nothing can be
 * inline; the diff is read from GET /pulls/{n}/files (paginated).
 */
export function placementFor(context: ReportContext): Promise<InlinePlacement> {
  let placement = placements.get(context.results);
  if (!placement) {
    const findings = reportedFindings(context.results);
    const pull = context.state.pullRequest;
    const github = context.github;
    placement =
      pull && github
        ? loadDiffLineMap(github.octokit, github.owner, github.repo, pull.number).then((diff) => planPlacement(findings, diff))
        : Promise.resolve(planPlacement(findings, new Map()));
    // A failed read is not cached: the next reporter asks again and reports its own error.
    placement.catch(() => placements.delete(context.results));
    placements.set(context.results, placement);
  }
  return placement;
}
