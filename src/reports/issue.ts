// The `issue` target: one GitHub issue per collected round of a state (scheduled code-review and
// security-scan runs). Exactly once: the body carries marker('report', {task, state, round}), and a
// collect that finds an issue with that marker (crashed or repeated collect) creates no other; it only
// adds continuation comments the first attempt did not get to. Findings whose fingerprint is already
// in an open overnight issue are left out and counted. Bodies stay within GitHub's 65,536 characters:
// what does not fit goes to continuation comments, each marked marker('report-part', …).
import type { Octokit } from '@octokit/rest';
import type { Finding } from '../types.js';
import type { GitHubContext } from '../github/context.js';
import type { ReportContext, ReportResult, Reporter } from './reporter.js';
import { findMarkers, fingerprintsMarker, hasMarker, marker, readFingerprints } from './markers.js';
import { capBody, GITHUB_BODY_LIMIT } from './sanitize.js';
import { joinBlocks, plural, renderReportBlocks, reportTitle, severityBreakdown, type ReportBlock } from './markdown.js';

export const DEFAULT_ISSUE_LABELS = ['overnight'];
const LABEL_COLOR = '5319e7';
const LABEL_DESCRIPTION = 'Reported by overnight (Claude via the Message Batches API)';
/** Room kept in every part for markers, the continuation heading and notices. */
const PART_RESERVE = 3_000;
const RESULTS_LOCATION = 'the results artifact of the collect run';

export interface IssuePart {
  /** 0 is the issue body; 1..n are continuation comments. */
  index: number;
  body: string;
  fingerprints: string[];
}

interface OpenIssue {
  number: number;
  body: string;
  url: string;
}

/** Splits blocks into parts of at most `budget` characters, cutting only between blocks. */
export function packBlocks(blocks: ReportBlock[], budget: number): ReportBlock[][] {
  const parts: ReportBlock[][] = [[]];
  let size = 0;
  const textOf = (block: ReportBlock, first: boolean) =>
    first && block.continuation ? `${block.continuation}\n\n${block.text}` : block.text;
  for (const block of blocks) {
    let current = parts[parts.length - 1]!;
    const added = textOf(block, current.length === 0).length + (current.length > 0 ? 2 : 0);
    if (current.length > 0 && size + added > budget) {
      // Headings travel with what they introduce.
      const carried: ReportBlock[] = [];
      while (current.length > 1 && current[current.length - 1]!.heading) carried.unshift(current.pop()!);
      current = [...carried];
      parts.push(current);
      size = current.reduce((sum, item, i) => sum + textOf(item, i === 0).length + (i > 0 ? 2 : 0), 0);
    }
    current.push(block);
    size += textOf(block, current.length === 1).length + (current.length > 1 ? 2 : 0);
  }
  return parts.filter((part) => part.length > 0);
}

function partText(blocks: ReportBlock[]): string {
  if (blocks.length === 0) return '';
  const [first, ...rest] = blocks;
  const head: ReportBlock = first!.continuation
    ? { ...first!, text: `${first!.continuation}${first!.tight ? '\n' : '\n\n'}${first!.text}`, tight: false }
    : { ...first!, tight: false };
  return joinBlocks([head, ...rest]);
}

/**
 * The issue body and its continuation comments, each within `limit`. Markers go first, so that a
 * cut can never remove them.
 */
export function buildIssueParts(
  blocks: ReportBlock[],
  identity: { task: string; stateId: string; round: string | number },
  limit: number = GITHUB_BODY_LIMIT,
): IssuePart[] {
  let budget = limit - PART_RESERVE;
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const packed = packBlocks(blocks, Math.max(1_000, budget));
    const continuationCount = packed.length - 1;
    const parts = packed.map((partBlocks, index): IssuePart => {
      const fingerprints = partBlocks.flatMap((block) => block.fingerprints);
      const header =
        index === 0
          ? marker('report', { task: identity.task, state: identity.stateId, round: identity.round, parts: continuationCount })
          : marker('report-part', { state: identity.stateId, round: identity.round, part: index });
      const lines = [header];
      const fingerprintLine = fingerprintsMarker(fingerprints);
      if (fingerprintLine) lines.push(fingerprintLine);
      if (index > 0) lines.push(`_Continued (${index} of ${continuationCount})._`, '');
      lines.push(partText(partBlocks));
      if (index === 0 && continuationCount > 0) {
        lines.push(
          '',
          `_The report continues in ${plural(continuationCount, 'comment')} below; the full list is also in ${RESULTS_LOCATION}._`,
        );
      }
      return { index, body: lines.join('\n'), fingerprints };
    });
    const overshoot = Math.max(0, ...parts.map((part) => part.body.length - limit));
    if (overshoot === 0 || budget <= 2_000) {
      return parts.map((part) => ({ ...part, body: capBody(part.body, limit).body }));
    }
    budget -= overshoot + 500;
  }
  throw new Error('could not fit the issue report into GitHub size limits');
}

function describeError(error: unknown): string {
  const status = (error as { status?: number }).status;
  const message = error instanceof Error ? error.message : String(error);
  return status ? `${status} ${message}` : message;
}

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
      const status = (error as { status?: number }).status;
      const body = JSON.stringify((error as { response?: { data?: unknown } }).response?.data ?? '');
      if (status !== 422 || !body.includes('already_exists')) throw error;
    }
  }
}

async function listLabelledIssues(
  octokit: Octokit,
  owner: string,
  repo: string,
  label: string,
  state: 'open' | 'closed',
  since?: string,
): Promise<OpenIssue[]> {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner,
    repo,
    state,
    labels: label,
    per_page: 100,
    ...(since ? { since } : {}),
  });
  return issues
    .filter((issue) => !issue.pull_request)
    .map((issue) => ({ number: issue.number, body: issue.body ?? '', url: issue.html_url }));
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

/** Fingerprint → issue number, over the given issues (body plus continuation comments). */
async function reportedFingerprints(
  github: GitHubContext,
  issues: OpenIssue[],
): Promise<Map<string, number>> {
  const reported = new Map<string, number>();
  for (const issue of issues) {
    for (const fingerprint of readFingerprints(issue.body)) reported.set(fingerprint, issue.number);
    const report = findMarkers(issue.body, 'report')[0];
    if (!report || Number(report.fields.parts ?? 0) <= 0) continue;
    for (const comment of await listComments(github.octokit, github.owner, github.repo, issue.number)) {
      if (findMarkers(comment, 'report-part').length === 0) continue;
      for (const fingerprint of readFingerprints(comment)) {
        if (!reported.has(fingerprint)) reported.set(fingerprint, issue.number);
      }
    }
  }
  return reported;
}

function skippedNote(skippedByIssue: Map<number, number>): string | null {
  if (skippedByIssue.size === 0) return null;
  const parts = [...skippedByIssue]
    .sort((a, b) => a[0] - b[0])
    .map(([issueNumber, count]) => `${plural(count, 'finding')} already reported in #${issueNumber}`);
  return `${parts.join(', ')} (not repeated here)`;
}

export const issueReporter: Reporter = {
  target: 'issue',
  async publish(context: ReportContext): Promise<ReportResult> {
    const github = context.github;
    if (!github) return { target: 'issue', note: 'skipped: no GitHub token/repository' };
    const results = context.results;
    const hasContent =
      results.findings.length + results.failures.length + results.files.length + results.verdicts.length > 0;
    if (!hasContent) return { target: 'issue', note: 'no issue created: no findings and no failures' };
    if (github.readOnly) {
      return { target: 'issue', note: 'skipped: the GitHub token is read-only (fork pull request); nothing written' };
    }
    const { octokit, owner, repo } = github;
    const labels = context.issueLabels.length > 0 ? [...new Set(context.issueLabels)] : DEFAULT_ISSUE_LABELS;
    const identity = { task: results.task, stateId: context.stateId, round: context.round };
    const where = `${owner}/${repo}`;

    try {
      const openIssues = await listLabelledIssues(octokit, owner, repo, labels[0]!, 'open');
      const isThisReport = (issue: OpenIssue) =>
        hasMarker(issue.body, 'report', { task: identity.task, state: identity.stateId, round: identity.round });
      let existing = openIssues.find(isThisReport) ?? null;
      if (!existing) {
        // Closed quickly by someone after a crashed collect: still ours, still not to be repeated.
        const closed = await listLabelledIssues(octokit, owner, repo, labels[0]!, 'closed', context.state.createdAt);
        existing = closed.find(isThisReport) ?? null;
      }

      // Duplicates are judged against the other open reports, so a re-run renders exactly what the
      // first attempt did (and can complete its continuation comments).
      const reported = await reportedFingerprints(
        github,
        openIssues.filter((issue) => issue.number !== existing?.number),
      );
      const kept: Finding[] = [];
      const skippedByIssue = new Map<number, number>();
      for (const finding of results.findings) {
        const issueNumber = reported.get(finding.fingerprint);
        if (issueNumber === undefined) kept.push(finding);
        else skippedByIssue.set(issueNumber, (skippedByIssue.get(issueNumber) ?? 0) + 1);
      }
      const skipped = skippedNote(skippedByIssue);
      const skippedCount = results.findings.length - kept.length;

      if (!existing && kept.length + results.failures.length + results.files.length + results.verdicts.length === 0) {
        return { target: 'issue', note: `no issue created: nothing new (${skipped ?? 'no findings'})` };
      }

      const blocks = renderReportBlocks(context, {
        findings: kept,
        notes: skipped ? [`${skipped[0]!.toUpperCase()}${skipped.slice(1)}.`] : [],
        resultsLocation: RESULTS_LOCATION,
      });
      const parts = buildIssueParts(blocks, identity);

      let issueNumber: number;
      let url: string;
      let created = false;
      if (existing) {
        issueNumber = existing.number;
        url = existing.url;
      } else {
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

      let posted = 0;
      if (parts.length > 1) {
        const already = created ? [] : await listComments(octokit, owner, repo, issueNumber);
        for (const part of parts.slice(1)) {
          const present = already.some((body) =>
            hasMarker(body, 'report-part', { state: identity.stateId, round: identity.round, part: part.index }),
          );
          if (present) continue;
          await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: part.body });
          posted += 1;
        }
      }

      const summary: string[] = [];
      if (created) {
        summary.push(
          `created #${issueNumber} with ${plural(kept.length, 'finding')}${kept.length > 0 ? ` (${severityBreakdown(kept)})` : ''}`,
        );
      } else {
        summary.push(`already published as #${issueNumber}; not created again`);
      }
      if (results.failures.length > 0) summary.push(plural(results.failures.length, 'failure') + ' listed');
      if (skippedCount > 0 && skipped) summary.push(skipped);
      if (parts.length > 1) {
        summary.push(
          `${plural(parts.length - 1, 'continuation comment')}${posted < parts.length - 1 ? ` (${posted} posted now)` : ''}; the full list is in ${RESULTS_LOCATION}`,
        );
      }
      return { target: 'issue', url, note: summary.join('; ') };
    } catch (error) {
      const status = (error as { status?: number }).status;
      const hint = status === 403 || status === 404 ? ' (the token needs `issues: write`)' : '';
      throw new Error(`issue report for ${where} failed: ${describeError(error)}${hint}`);
    }
  },
};
