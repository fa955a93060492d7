// The 'pr-review' target: inline review comments pinned to the reviewed commit (commit_id = the PR
// head the state reviewed), event COMMENT (overnight never approves nor requests changes).
//
// - Only lines in the diff: every finding is checked with diff-lines (placementFor) before posting;
//   GitHub refuses a whole review (422) when one comment is off the diff.
// - At most 30 comments per review; more findings make more reviews.
// - Each comment starts with a hidden fingerprints marker. Before posting, the PR's existing review
//   comments are listed and any finding whose fingerprint is already there is skipped, so a repeated
//   or crashed collect repeats nothing.
// - Findings that cannot be inline (outside the diff) and those of a review GitHub still refuses
//   (422) are handed to the sticky comment: this reporter updates it itself (upsertStickyComment), so
//   nothing is lost whatever order the engine runs the reporters in, or when `report` lacks pr-comment.
import type { Finding } from '../types.js';
import {
  demote,
  OUTSIDE_DIFF,
  placementFor,
  rangeOnRightSide,
  reportedFindings,
  type DiffLineMap,
  type InlinePlacement,
} from './diff-lines.js';
import { fingerprintsMarker, marker, readFingerprints } from './markers.js';
import { upsertStickyComment } from './pr-comment.js';
import { DETAIL_LIMITS, renderFindingDetails } from './findings.js';
import { permalink } from './group.js';
import type { Reporter, ReportContext, ReportResult } from './reporter.js';
import { capBody, type SanitizeOptions } from './sanitize.js';
import { errorMessage, httpStatus } from '../github/errors.js';
import { sanitizeOptionsFor } from './format.js';

export const MAX_COMMENTS_PER_REVIEW = 30;

/**
 * The body of one inline comment: fingerprint marker first, then the finding in full; its replacement
 * as a committable suggestion when `committable` (the comment spans exactly the replaced lines).
 */
export function inlineCommentBody(finding: Finding, link: string, options: SanitizeOptions, committable = false): string {
  const details = renderFindingDetails(finding, link, options, undefined, committable ? 'suggestion' : 'block');
  return capBody(`${fingerprintsMarker([finding.fingerprint])}\n${details}`).body;
}

/**
 * The review comment for one finding. With a replacement and every line of the finding on the diff's
 * right side, the comment spans start..end and carries a suggestion (GitHub replaces the commented
 * lines with it); otherwise it sits on one line and the replacement is shown as code.
 */
function reviewComment(finding: Finding, line: number, diff: DiffLineMap, link: string, options: SanitizeOptions) {
  // A replacement too long to show is not offered: the comment would span lines it does not change.
  const committable =
    finding.replacement !== undefined &&
    finding.replacement.length <= DETAIL_LIMITS.fix &&
    rangeOnRightSide(diff, finding.path, finding.startLine, finding.endLine);
  const span =
    committable && finding.startLine < finding.endLine ? { start_line: finding.startLine, start_side: 'RIGHT' as const } : {};
  return {
    path: finding.path,
    line: committable ? finding.endLine : line,
    side: 'RIGHT' as const,
    ...span,
    body: inlineCommentBody(finding, link, options, committable),
  };
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

interface ReviewOutcome {
  posted: number;
  reviews: number;
  alreadyThere: number;
  refused: number;
  refusedReason: string | null;
  firstUrl: string | null;
}

async function postReviews(context: ReportContext, placement: InlinePlacement): Promise<ReviewOutcome> {
  const github = context.github!;
  const pull = context.state.pullRequest!;
  const { octokit, owner, repo } = github;
  const options = sanitizeOptionsFor(context);
  const sha = pull.headSha;

  const existing = await octokit.paginate(octokit.rest.pulls.listReviewComments, {
    owner,
    repo,
    pull_number: pull.number,
    per_page: 100,
  });
  const present = new Set(existing.flatMap((comment) => readFingerprints(comment.body ?? '')));

  const outcome: ReviewOutcome = { posted: 0, reviews: 0, alreadyThere: 0, refused: 0, refusedReason: null, firstUrl: null };
  const toPost: { finding: Finding; line: number }[] = [];
  for (const [fingerprint, entry] of placement.inline) {
    if (present.has(fingerprint)) outcome.alreadyThere += 1;
    else toPost.push(entry);
  }
  // Worst first, so that when a later review fails the most important comments are already up.
  const order = new Map(reportedFindings(context.results).map((f, i) => [f.fingerprint, i]));
  toPost.sort((a, b) => (order.get(a.finding.fingerprint) ?? 0) - (order.get(b.finding.fingerprint) ?? 0));

  const parts = chunk(toPost, MAX_COMMENTS_PER_REVIEW);
  for (const [index, part] of parts.entries()) {
    const header = marker('review', {
      task: context.results.task,
      state: context.stateId,
      round: context.round,
      part: index + 1,
    });
    const body = `${header}\n🌙 overnight ${context.results.task}: ${part.length} comment(s) on \`${sha.slice(0, 7)}\`${parts.length > 1 ? ` (review ${index + 1} of ${parts.length})` : ''}. The summary is in the overnight comment on this pull request.`;
    try {
      const review = await octokit.rest.pulls.createReview({
        owner,
        repo,
        pull_number: pull.number,
        commit_id: sha,
        event: 'COMMENT',
        body,
        comments: part.map(({ finding, line }) =>
          reviewComment(
            finding,
            line,
            placement.diff,
            permalink(github.serverUrl, owner, repo, sha, finding.path, finding.startLine, finding.endLine),
            options,
          ),
        ),
      });
      outcome.posted += part.length;
      outcome.reviews += 1;
      outcome.firstUrl ??= review.data.html_url;
    } catch (error) {
      const status = httpStatus(error);
      if (status !== 422 && status !== 403) throw error;
      const reason =
        status === 422
          ? `GitHub refused the review (422: ${errorMessage(error)})`
          : 'GitHub answered 403 to the review (the workflow needs `pull-requests: write`)';
      context.log.warning(`pr-review: ${reason}; ${part.length} finding(s) go to the sticky comment`);
      outcome.refusedReason ??= reason;
      for (const { finding } of part)
        demote(placement, finding.fingerprint, status === 422 ? 'GitHub refused the inline review' : 'no permission to review');
      outcome.refused += part.length;
      if (status === 403) {
        // The next reviews would be refused too: hand everything left to the sticky comment.
        for (const rest of parts.slice(index + 1)) {
          for (const { finding } of rest) demote(placement, finding.fingerprint, 'no permission to review');
          outcome.refused += rest.length;
        }
        break;
      }
    }
  }
  return outcome;
}

export const prReviewReporter: Reporter = {
  target: 'pr-review',
  async publish(context: ReportContext): Promise<ReportResult> {
    const github = context.github;
    const pull = context.state.pullRequest;
    if (!github) return { target: 'pr-review', note: 'no GitHub token or repository: no review' };
    if (!pull) return { target: 'pr-review', note: 'not a pull request run: no review' };
    if (github.readOnly) {
      return { target: 'pr-review', note: 'read-only token (e.g. a fork PR): no review written; see the job summary' };
    }
    const placement = await placementFor(context);
    if (placement.inline.size === 0 && placement.notInline.size === 0) {
      placement.reviewPublished = true;
      return { target: 'pr-review', note: 'no findings: no review' };
    }
    const outcome = await postReviews(context, placement);
    placement.reviewPublished = true;

    const outside = [...placement.notInline.values()].filter((entry) => entry.reason === OUTSIDE_DIFF).length;
    let stickyNote = '';
    // Hand the leftovers over (and refresh a sticky comment written before the review went up).
    if (placement.notInline.size > 0 || placement.stickyPublished) {
      try {
        const sticky = await upsertStickyComment(context);
        stickyNote = placement.notInline.size > 0 ? ` (in the sticky comment ${sticky.url})` : '';
      } catch (error) {
        stickyNote = ` (the sticky comment could not be written: ${errorMessage(error)})`;
      }
    }
    const parts = [`${outcome.posted} inline comment(s) in ${outcome.reviews} review(s) on ${pull.headSha.slice(0, 7)}`];
    if (outcome.alreadyThere > 0) parts.push(`${outcome.alreadyThere} already on the PR`);
    if (outside > 0) parts.push(`${outside} outside the diff${stickyNote}`);
    if (outcome.refused > 0) {
      parts.push(
        `${outcome.refused} put in the sticky comment instead because ${outcome.refusedReason}${outside > 0 ? '' : stickyNote}`,
      );
    }
    const result: ReportResult = { target: 'pr-review', note: parts.join('; ') };
    if (outcome.firstUrl) result.url = outcome.firstUrl;
    return result;
  },
};
