// The `issue` target: ONE GitHub issue per published round (scheduled code-review and security-scan
// runs; collect merges the submissions of one task it collects together into one round). Exactly once:
// the body carries marker('report', {task, state, round}), and a collect that finds an issue with that
// marker (crashed or repeated collect) creates no other; it only adds continuation comments the first
// attempt did not get to. Bodies stay within GitHub's 65,536 characters: what does not fit goes to
// continuation comments, each marked marker('report-part', …).
//
// Noise control (README "Noise and continuity"): a finding already listed in another open overnight
// issue is referenced, not repeated; one dismissed (its issue closed as not planned or labelled
// overnight:dismissed, or listed in .github/overnight.yml) is left out; at most max-findings are shown,
// worst first, the rest summarised. Every finding carries a hidden marker(`finding`) with what a later
// round needs to check whether its code is gone; such findings are noted as resolved on their issue
// (once: marker('resolved', …)), and a report with nothing left is closed as completed.
import type { Octokit } from '@octokit/rest';
import type { Finding } from '../types.js';
import type { GitHubContext } from '../github/context.js';
import type { ReportContext, ReportResult, Reporter } from './reporter.js';
import { fingerprintsMarker, hasMarker, marker } from './markers.js';
import { capBody, codeSpan, GITHUB_BODY_LIMIT } from './sanitize.js';
import { sortFindings } from './group.js';
import { describeHttpError, httpStatus } from '../github/errors.js';
import { renderReportBlocks, reportTitle, type ReportBlock } from './markdown.js';
import { buildIssueParts, RESULTS_LOCATION, type IssuePart } from './issue-parts.js';
import { formatCount, plural, severityBreakdown } from './format.js';
import {
  activeFingerprints,
  applyDismissals,
  dismissalFor,
  dismissedNote,
  DISMISS_LABEL,
  findGone,
  NO_DECISIONS,
  readIssueMemory,
  shortFingerprint,
  type FindingRef,
  type NoiseOptions,
  type ReportIssue,
} from '../decisions/index.js';

export const DEFAULT_ISSUE_LABELS = ['overnight'];
const LABEL_COLOR = '5319e7';
const LABEL_DESCRIPTION = 'Reported by overnight (Claude via the Message Batches API)';
/** Skipped files an issue names (continuation comments hold them); results.json has them all. */
const MAX_SKIPPED_LISTED = 1_000;

async function ensureLabels(github: GitHubContext, labels: string[]): Promise<void> {
  const { octokit, owner, repo } = github;
  const existing = new Set(
    (await octokit.paginate(octokit.rest.issues.listLabelsForRepo, { owner, repo, per_page: 100 })).map((label) =>
      label.name.toLowerCase(),
    ),
  );
  for (const name of labels) {
    if (existing.has(name.toLowerCase())) continue;
    try {
      await octokit.rest.issues.createLabel({ owner, repo, name, color: LABEL_COLOR, description: LABEL_DESCRIPTION });
    } catch (error) {
      // Created meanwhile by a parallel run: that is what we wanted.
      const status = httpStatus(error);
      const body = JSON.stringify((error as { response?: { data?: unknown } }).response?.data ?? '');
      if (status !== 422 || !body.includes('already_exists')) throw error;
    }
  }
}

async function listComments(octokit: Octokit, owner: string, repo: string, issueNumber: number): Promise<string[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  return comments.map((comment) => comment.body ?? '');
}

function skippedNote(skippedByIssue: Map<number, number>): string | null {
  if (skippedByIssue.size === 0) return null;
  const parts = [...skippedByIssue]
    .sort((a, b) => a[0] - b[0])
    .map(([issueNumber, count]) => `${plural(count, 'finding')} already reported in #${issueNumber}`);
  return `${parts.join(', ')} (not repeated here)`;
}

/** Findings beyond max-findings, summarised by severity and by file (never silently dropped). */
function overflowBlock(overflow: Finding[], shown: number, max: number): ReportBlock[] {
  if (overflow.length === 0) return [];
  const byFile = new Map<string, number>();
  for (const finding of overflow) byFile.set(finding.path, (byFile.get(finding.path) ?? 0) + 1);
  const files = [...byFile].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = files.slice(0, 10).map(([path, n]) => `${codeSpan(path)} (${n})`);
  const more = files.length > 10 ? `, and ${plural(files.length - 10, 'more file')}` : '';
  return [
    {
      text:
        `### ${plural(overflow.length, 'more finding')} not shown\n\n` +
        `This report shows the ${formatCount(shown)} most severe (max-findings: ${formatCount(max)}). ` +
        `The others: ${severityBreakdown(overflow)}; in ${top.join(', ')}${more}. ` +
        `All of them are in results.json in ${RESULTS_LOCATION}.`,
      fingerprints: [],
    },
  ];
}

/** "Resolved since" in the new report: what earlier open reports listed and whose code is gone now. */
function resolvedBlock(resolved: Map<ReportIssue, FindingRef[]>, sha: string): ReportBlock[] {
  if (resolved.size === 0) return [];
  const lines = [...resolved]
    .sort((a, b) => a[0].number - b[0].number)
    .map(([issue, refs]) => `- Since #${issue.number}: ${plural(refs.length, 'finding')} (${refList(refs)})`);
  return [
    {
      text: `## Resolved\n\nThe code these earlier findings pointed at is gone at \`${sha.slice(0, 12)}\`:\n\n${lines.join('\n')}`,
      fingerprints: [],
    },
  ];
}

function refList(refs: FindingRef[], limit = 20): string {
  const shown = refs
    .slice(0, limit)
    .map((ref) => `${codeSpan(ref.path)} ${codeSpan(ref.category)} fp ${codeSpan(shortFingerprint(ref.fingerprint))}`);
  return refs.length > limit ? `${shown.join(', ')}, and ${refs.length - limit} more` : shown.join(', ');
}

/** The comment a later round leaves on an earlier report: which of its findings are resolved, and whether it is done. */
export function resolvedCommentBody(
  identity: { task: string; stateId: string; round: string | number },
  refs: FindingRef[],
  sha: string,
  closing: boolean,
  newReport: string | null,
): string {
  const lines = [
    marker('resolved', { task: identity.task, state: identity.stateId, round: identity.round }),
    fingerprintsMarker(refs.map((ref) => ref.fingerprint)),
    `✅ **${plural(refs.length, 'finding')} of this report resolved** at \`${sha.slice(0, 12)}\`: the code ${refs.length === 1 ? 'it pointed' : 'they pointed'} at is gone.`,
    '',
    ...refs.map(
      (ref) => `- ${codeSpan(ref.path)} · ${codeSpan(ref.category)} · fp ${codeSpan(shortFingerprint(ref.fingerprint))}`,
    ),
  ];
  if (newReport) lines.push('', `Tonight's report: ${newReport}.`);
  if (closing) lines.push('', 'Every finding of this report is now resolved or dismissed: closing it.');
  return capBody(lines.join('\n'), GITHUB_BODY_LIMIT).body;
}

interface Settlement {
  issue: ReportIssue;
  gone: FindingRef[];
  close: boolean;
}

/**
 * Which findings of the other open reports of this task are gone at the reviewed commit, and which of
 * those reports are then fully settled (every finding resolved or dismissed in the decisions file).
 * Findings reported again tonight are present by definition; reports labelled dismissed are left alone.
 */
async function settle(
  issues: ReportIssue[],
  task: string,
  tonight: Set<string>,
  noise: NoiseOptions,
  sha: string,
  log: ReportContext['log'],
): Promise<Settlement[]> {
  const code = noise.code;
  if (!code) return [];
  if (!(await code.hasCommit(sha))) {
    log.debug(`resolved findings: commit ${sha.slice(0, 7)} is not in this checkout; not checked`);
    return [];
  }
  const settlements: Settlement[] = [];
  for (const issue of issues) {
    if (issue.report.task !== task || issue.labels.some((l) => l.toLowerCase() === DISMISS_LABEL)) continue;
    const active = activeFingerprints(issue);
    const refs = active.filter((print) => !tonight.has(print)).flatMap((print) => issue.refs.get(print) ?? []);
    if (refs.length === 0) continue;
    const { gone } = await findGone(code, sha, refs);
    if (gone.length === 0) continue;
    const goneSet = new Set(gone.map((ref) => ref.fingerprint));
    const close = active.every((print) => goneSet.has(print) || dismissalFor(noise.decisions, print, noise.now) !== null);
    settlements.push({ issue, gone, close });
  }
  return settlements;
}

export const issueReporter: Reporter = {
  target: 'issue',
  async publish(context: ReportContext): Promise<ReportResult> {
    const github = context.github;
    if (!github) return { target: 'issue', note: 'skipped: no GitHub token/repository' };
    const results = context.results;
    const noise = context.noise;
    const hasContent = results.findings.length + results.failures.length + results.files.length + results.verdicts.length > 0;
    // With a code reader, a round without findings may still resolve earlier ones.
    const checksResolved = Boolean(noise?.code) && !context.state.pullRequest;
    if (!hasContent && !checksResolved) return { target: 'issue', note: 'no issue created: no findings and no failures' };
    if (github.readOnly) {
      return { target: 'issue', note: 'skipped: the GitHub token is read-only (fork pull request); nothing written' };
    }
    const { octokit, owner, repo } = github;
    const labels = context.issueLabels.length > 0 ? [...new Set(context.issueLabels)] : DEFAULT_ISSUE_LABELS;
    const identity = { task: results.task, stateId: context.stateId, round: context.round };
    const where = `${owner}/${repo}`;
    const now = noise?.now ?? new Date();

    try {
      const memory = noise?.memory && noise.memory.label === labels[0] ? noise.memory : await readIssueMemory(github, labels[0]!);
      const isThisReport = (issue: ReportIssue) =>
        issue.report.task === identity.task &&
        issue.report.state === identity.stateId &&
        issue.report.round === String(identity.round);
      // Ours even when closed quickly by someone after a crashed collect: still not to be repeated.
      const existing = memory.issues.find(isThisReport) ?? null;
      // Duplicates are judged against the other open reports, so a re-run renders exactly what the
      // first attempt did (and can complete its continuation comments). Oldest report first: a finding
      // is referenced where it was first reported.
      const others = memory.issues
        .filter((issue) => issue.state === 'open' && issue !== existing)
        .sort((a, b) => a.number - b.number);
      const reported = new Map<string, number>();
      for (const issue of others) {
        for (const print of activeFingerprints(issue)) if (!reported.has(print)) reported.set(print, issue.number);
      }

      const { kept: undismissed, dismissed } = applyDismissals(results.findings, noise?.decisions ?? NO_DECISIONS, memory, now);
      const allDismissed = [...(noise?.dismissed ?? []), ...dismissed];
      const kept: Finding[] = [];
      const skippedByIssue = new Map<number, number>();
      for (const finding of undismissed) {
        const issueNumber = reported.get(finding.fingerprint);
        if (issueNumber === undefined) kept.push(finding);
        else skippedByIssue.set(issueNumber, (skippedByIssue.get(issueNumber) ?? 0) + 1);
      }
      const skipped = skippedNote(skippedByIssue);
      const skippedCount = undismissed.length - kept.length;

      const tonight = new Set(results.findings.map((finding) => finding.fingerprint));
      const settlements =
        checksResolved && noise ? await settle(others, identity.task, tonight, noise, context.state.headSha, context.log) : [];
      // A re-run of this round finds its resolved notes already posted: nothing is said twice.
      const pendingSettlements = settlements.filter(
        (s) =>
          !s.issue.comments.some((body) =>
            hasMarker(body, 'resolved', { task: identity.task, state: identity.stateId, round: identity.round }),
          ),
      );

      const max = noise && noise.maxFindings > 0 ? noise.maxFindings : Infinity;
      const ordered = sortFindings(kept);
      const shown = ordered.slice(0, max);
      const overflow = ordered.slice(shown.length);

      const dismissedLine = dismissedNote(allDismissed);
      const notes = [
        ...(skipped ? [`${skipped[0]!.toUpperCase()}${skipped.slice(1)}.`] : []),
        ...(dismissedLine ? [dismissedLine] : []),
        ...(noise?.decisions.problems ?? []).map((problem) => `⚠️ ${problem}`),
      ];

      let issueNumber: number | null = existing?.number ?? null;
      let url: string | null = existing?.url ?? null;
      let created = false;
      let posted = 0;
      let parts: IssuePart[] = [];
      const nothingNew = kept.length + results.failures.length + results.files.length + results.verdicts.length === 0;
      if (existing || !nothingNew) {
        const resolvedMap = new Map(pendingSettlements.map((s) => [s.issue, s.gone] as const));
        const blocks = renderReportBlocks(context, {
          findings: shown,
          notes,
          resultsLocation: RESULTS_LOCATION,
          findingMarkers: true,
          runReport: 'compact',
          skipped: { maxPaths: MAX_SKIPPED_LISTED, fullListAt: `results.json in ${RESULTS_LOCATION}` },
          afterFindings: [...overflowBlock(overflow, shown.length, max), ...resolvedBlock(resolvedMap, context.state.headSha)],
        });
        parts = buildIssueParts(blocks, identity);
        if (!existing) {
          await ensureLabels(github, labels);
          const issue = await octokit.rest.issues.create({
            owner,
            repo,
            title: reportTitle(context, kept.length),
            body: parts[0]!.body,
            labels,
          });
          issueNumber = issue.data.number;
          url = issue.data.html_url;
          created = true;
        }
        if (parts.length > 1) {
          const already = created
            ? []
            : existing!.comments.length > 0
              ? existing!.comments
              : await listComments(octokit, owner, repo, issueNumber!);
          for (const part of parts.slice(1)) {
            const present = already.some((body) =>
              hasMarker(body, 'report-part', { state: identity.stateId, round: identity.round, part: part.index }),
            );
            if (present) continue;
            await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber!, body: part.body });
            posted += 1;
          }
        }
      }

      // Earlier reports: note what is resolved, close the ones with nothing left (overnight's own only).
      const closedNumbers: number[] = [];
      for (const settlement of pendingSettlements) {
        const body = resolvedCommentBody(
          identity,
          settlement.gone,
          context.state.headSha,
          settlement.close,
          created && issueNumber ? `#${issueNumber}` : null,
        );
        await octokit.rest.issues.createComment({ owner, repo, issue_number: settlement.issue.number, body });
        if (settlement.close) {
          await octokit.rest.issues.update({
            owner,
            repo,
            issue_number: settlement.issue.number,
            state: 'closed',
            state_reason: 'completed',
          });
          closedNumbers.push(settlement.issue.number);
        }
      }

      const summary: string[] = [];
      if (created) {
        summary.push(
          `created #${issueNumber} with ${plural(kept.length, 'finding')}${kept.length > 0 ? ` (${severityBreakdown(kept)})` : ''}`,
        );
      } else if (existing) {
        summary.push(`already published as #${existing.number}; not created again`);
      } else {
        summary.push(`no issue created: nothing new (${skipped ?? 'no findings'})`);
      }
      if (results.failures.length > 0) summary.push(plural(results.failures.length, 'failure') + ' listed');
      if (skippedCount > 0 && skipped && (created || existing)) summary.push(skipped);
      if (allDismissed.length > 0) summary.push(`${plural(allDismissed.length, 'dismissed finding')} left out`);
      if (overflow.length > 0) summary.push(`${plural(overflow.length, 'finding')} over max-findings summarised`);
      const resolvedCount = pendingSettlements.reduce((n, s) => n + s.gone.length, 0);
      if (resolvedCount > 0) {
        summary.push(
          `${plural(resolvedCount, 'earlier finding')} resolved (noted on ${pendingSettlements.map((s) => `#${s.issue.number}`).join(', ')})` +
            (closedNumbers.length > 0 ? `; closed ${closedNumbers.map((n) => `#${n}`).join(', ')}` : ''),
        );
      }
      if (parts.length > 1) {
        summary.push(
          `${plural(parts.length - 1, 'continuation comment')}${posted < parts.length - 1 ? ` (${posted} posted now)` : ''}; the full list is in ${RESULTS_LOCATION}`,
        );
      }
      return { target: 'issue', ...(url && (created || existing) ? { url } : {}), note: summary.join('; ') };
    } catch (error) {
      const status = httpStatus(error);
      const hint = status === 403 || status === 404 ? ' (the token needs `issues: write`)' : '';
      throw new Error(`issue report for ${where} failed: ${describeHttpError(error)}${hint}`);
    }
  },
};
