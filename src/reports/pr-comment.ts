// The 'pr-comment' target: ONE sticky comment per pull request and task, found again by its hidden
// `<!-- overnight:sticky task=… -->` marker and edited in place on every collect, never duplicated.
//
// The comment is made of sections, one per collected state and round, newest first, each between
// `<!-- overnight:section state=… round=… -->` and `<!-- overnight:section-end -->`. A collect replaces
// its own section (a repeated or crashed collect rewrites the same section) and keeps the others, so
// the retries received by a later round, or the review of a later push, do not wipe what an earlier
// collect reported. When the comment would pass GitHub's 65,536 characters the oldest sections go
// first, then capBody cuts. An unchanged body is not written again.
//
// A section lists every finding (worst first, with a permalink to the reviewed commit) or, for
// refactor-validation, the VALID/INVALID verdict per file with its reason; the findings that are not
// inline review comments (outside the diff, refused by GitHub, or no review in this collect) are
// folded in below in full; then the failed requests and the cost line.
import type { Finding } from '../types.js';
import type { GitHubContext } from '../github/context.js';
import { countBySeverity, lineLabel, permalink, sortFindings } from './group.js';
import { fingerprintsMarker, hasMarker, marker, readFingerprints } from './markers.js';
import { placementFor, reportedFindings, type InlinePlacement } from './diff-lines.js';
import type { Reporter, ReportContext, ReportResult } from './reporter.js';
import { collapsedSkipped, skippedOf } from './skipped.js';
import { httpStatus } from '../github/errors.js';
import { sanitizeOptionsFor, taskTitle } from './format.js';
import { renderFindingDetails, severityCell, sortVerdicts, verdictRow, VERDICT_TABLE_HEADER } from './findings.js';
import { capBody, codeCell, codeSpan, GITHUB_BODY_LIMIT, sanitizeInline } from './sanitize.js';

const SECTION_END = marker('section-end');
const SECTION_PATTERN = /<!-- overnight:section (?:[^\n]*?) -->[\s\S]*?<!-- overnight:section-end -->/g;

export function stickyMarker(task: string): string {
  return marker('sticky', { task });
}

function costLine(context: ReportContext): string {
  const { usage, received, resubmitted, duplicatesSkipped, belowSeverity, batchIds } = context.results;
  const parts = [
    `${received} request(s) answered`,
    `cost $${usage.costUsd.toFixed(4)}`,
    `$${usage.interactiveUsd.toFixed(4)} interactively`,
    `saved $${usage.savingsUsd.toFixed(4)}`,
  ];
  if (usage.cacheHitRate > 0) parts.push(`cache hits ${Math.round(usage.cacheHitRate * 100)}%`);
  if (resubmitted > 0) parts.push(`${resubmitted} resubmitted (reported by a later collect)`);
  if (duplicatesSkipped > 0) parts.push(`${duplicatesSkipped} already reported`);
  if (belowSeverity > 0) parts.push(`${belowSeverity} below min-severity`);
  const batches = batchIds.length > 0 ? ` · batch ${batchIds.map(codeSpan).join(', ')}` : '';
  return `<sub>${parts.join(' · ')}${batches}</sub>`;
}

/** This collect's section of the sticky comment. */
export function renderSection(context: ReportContext, github: GitHubContext, placement: InlinePlacement): string {
  const { results, state } = context;
  const options = sanitizeOptionsFor(context);
  const sha = state.pullRequest?.headSha ?? state.headSha;
  const link = (f: Finding) => permalink(github.serverUrl, github.owner, github.repo, sha, f.path, f.startLine, f.endLine);
  const findings = sortFindings(reportedFindings(results));
  const lines: string[] = [marker('section', { state: context.stateId, round: context.round })];
  const heading = `### ${taskTitle(results.task).toLowerCase()} of \`${sha.slice(0, 7)}\``;
  lines.push(heading, '');

  if (results.verdicts.length > 0) {
    const invalid = results.verdicts.filter((v) => v.verdict === 'INVALID').length;
    lines.push(
      invalid > 0
        ? `**${invalid} of ${results.verdicts.length} file(s) INVALID**: the refactor changes behaviour.`
        : `**All ${results.verdicts.length} file(s) VALID**: behaviour kept.`,
      '',
      VERDICT_TABLE_HEADER,
    );
    for (const verdict of sortVerdicts(results.verdicts)) lines.push(verdictRow(verdict, options));
    lines.push('');
  }

  if (findings.length === 0) {
    if (results.verdicts.length === 0) lines.push(results.succeeded > 0 ? 'No findings.' : 'No answers in this collect.', '');
  } else {
    const counts = countBySeverity(findings);
    const summary = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([severity, n]) => `${n} ${severity}`)
      .join(' · ');
    lines.push(`**${findings.length} finding(s)**: ${summary}`, '', '| | Where | Finding |', '|---|---|---|');
    for (const finding of findings) {
      const inline = placement.reviewPublished && placement.inline.has(finding.fingerprint) ? ' 💬' : '';
      lines.push(
        `| ${severityCell(finding.severity)} | [${codeCell(lineLabel(finding))}](${link(finding)})${inline} | ${sanitizeInline(finding.title, { ...options, maxLength: 200 })} |`,
      );
    }
    lines.push('');
    const shownInFull = placement.reviewPublished ? findings.filter((f) => placement.notInline.has(f.fingerprint)) : findings;
    if (placement.reviewPublished && placement.inline.size > 0) lines.push('💬 = inline review comment on the diff.', '');
    if (shownInFull.length > 0) {
      const reasons = [...new Set(shownInFull.map((f) => placement.notInline.get(f.fingerprint)?.reason).filter(Boolean))];
      const summaryText = placement.reviewPublished
        ? `${shownInFull.length} finding(s) not commented inline (${reasons.join('; ')})`
        : `Details of ${shownInFull.length} finding(s)`;
      lines.push('<details>', `<summary>${summaryText.replace(/</g, '&lt;')}</summary>`, '');
      for (const finding of shownInFull) lines.push(renderFindingDetails(finding, link(finding), options), '');
      lines.push('</details>', '');
    }
  }

  if (results.failures.length > 0) {
    lines.push('<details>', `<summary>⚠️ ${results.failures.length} request(s) failed</summary>`, '');
    for (const failure of results.failures) {
      lines.push(
        `- ${failure.paths.map(codeSpan).join(', ')}: **${failure.status}**, ${sanitizeInline(failure.reason, { ...options, maxLength: 300 })}`,
      );
    }
    lines.push('', '</details>', '');
  }
  lines.push(...collapsedSkipped(skippedOf(state)));
  lines.push(costLine(context), SECTION_END);
  return lines.join('\n');
}

/** The whole comment: markers first (capBody never cuts them), this section, then the kept ones. */
export function composeStickyBody(
  task: string,
  currentSection: string,
  existingBody: string | null,
  currentFingerprints: string[],
  limit = GITHUB_BODY_LIMIT,
): string {
  const kept: string[] = [];
  const ownMarker = currentSection.split('\n', 1)[0]!;
  for (const match of (existingBody ?? '').matchAll(SECTION_PATTERN)) {
    if (match[0].split('\n', 1)[0] !== ownMarker) kept.push(match[0]);
  }
  const fingerprints = fingerprintsMarker([...readFingerprints(existingBody ?? ''), ...currentFingerprints]);
  const head = [stickyMarker(task), fingerprints, `## 🌙 overnight · ${taskTitle(task).toLowerCase()}`, '']
    .filter((l, i) => i === 3 || l)
    .join('\n');
  const sections = [currentSection, ...kept];
  // Oldest sections go first when the comment is too long; the current one always stays.
  while (sections.length > 1 && head.length + sections.join('\n\n').length > limit) sections.pop();
  return capBody(`${head}\n${sections.join('\n\n')}\n`, limit).body;
}

/**
 * Creates or updates the sticky comment for this collect. Returns its URL, whether it was created,
 * and whether anything was written. Needs a writable token and a pull request.
 */
export async function upsertStickyComment(
  context: ReportContext,
): Promise<{ url: string; action: 'created' | 'updated' | 'unchanged' }> {
  const github = context.github;
  const pull = context.state.pullRequest;
  if (!github || !pull) throw new Error('the sticky comment needs GitHub and a pull request');
  const { octokit, owner, repo } = github;
  const task = context.results.task;
  const placement = await placementFor(context);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: pull.number,
    per_page: 100,
  });
  const existing = comments.find((comment) => hasMarker(comment.body ?? '', 'sticky', { task }));
  const section = renderSection(context, github, placement);
  const body = composeStickyBody(
    task,
    section,
    existing?.body ?? null,
    reportedFindings(context.results).map((f) => f.fingerprint),
  );
  placement.stickyPublished = true;
  if (existing) {
    if (existing.body === body) return { url: existing.html_url, action: 'unchanged' };
    const updated = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { url: updated.data.html_url, action: 'updated' };
  }
  const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: pull.number, body });
  return { url: created.data.html_url, action: 'created' };
}

export const prCommentReporter: Reporter = {
  target: 'pr-comment',
  async publish(context: ReportContext): Promise<ReportResult> {
    if (!context.github) return { target: 'pr-comment', note: 'no GitHub token or repository: no PR comment' };
    if (!context.state.pullRequest) return { target: 'pr-comment', note: 'not a pull request run: no PR comment' };
    if (context.github.readOnly) {
      return { target: 'pr-comment', note: 'read-only token (e.g. a fork PR): no PR comment written; see the job summary' };
    }
    try {
      const { url, action } = await upsertStickyComment(context);
      const count = reportedFindings(context.results).length;
      const what = context.results.verdicts.length > 0 ? `${context.results.verdicts.length} verdict(s)` : `${count} finding(s)`;
      return { target: 'pr-comment', url, note: `sticky comment ${action} on #${context.state.pullRequest.number} with ${what}` };
    } catch (error) {
      if (httpStatus(error) === 403) {
        return {
          target: 'pr-comment',
          note: 'GitHub answered 403: the workflow needs `permissions: pull-requests: write` to comment',
        };
      }
      throw error;
    }
  },
};
