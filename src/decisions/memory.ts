// What overnight's own issues remember, read back from GitHub: which findings (by fingerprint) each
// report holds, which a team dismissed (issue closed as "not planned", or labelled
// `overnight:dismissed`), and which a later collect already recorded as resolved. Only issues whose
// body starts with overnight's report marker count: a human's issue is never read as a decision and
// never closed.
import type { GitHubContext } from '../github/context.js';
import { findMarkers, readFingerprints } from '../reports/markers.js';
import { TASK_NAMES, type TaskName } from '../types.js';
import type { FindingRef } from './code.js';

/** The label that dismisses every finding of an overnight issue, open or closed. */
export const DISMISS_LABEL = 'overnight:dismissed';

export interface ReportIssue {
  number: number;
  url: string;
  state: 'open' | 'closed';
  stateReason: string | null;
  labels: string[];
  body: string;
  report: { task: string; state: string; round: string; parts: number };
  /** Every fingerprint the report lists (body and continuation comments). */
  fingerprints: string[];
  /** Task, path, category and line count per fingerprint, where the report recorded them. */
  refs: Map<string, FindingRef>;
  /** Fingerprints later collects recorded as resolved on this issue. */
  resolved: Set<string>;
  /** Bodies of its comments when they were read (issues with comments), else []. */
  comments: string[];
}

export interface IssueMemory {
  /** The label overnight's issues carry (issue-labels' first). */
  label: string;
  /** Overnight's report issues, open and closed, newest first. */
  issues: ReportIssue[];
}

export type DismissedBy = { kind: 'not-planned' | 'label'; issue: number };

const REPORT_START = '<!-- overnight:report ';

/** Finding refs recorded by `findingRefMarker` in a body. */
export function readFindingRefs(body: string): FindingRef[] {
  const refs: FindingRef[] = [];
  for (const found of findMarkers(body, 'finding')) {
    const { fp, task, path, cat, lines, cwe } = found.fields;
    if (!fp || !path || !task || !(TASK_NAMES as readonly string[]).includes(task)) continue;
    const count = Number(lines);
    refs.push({
      fingerprint: fp,
      task: task as TaskName,
      path,
      category: cat ?? '',
      lines: Number.isInteger(count) && count > 0 ? count : 1,
      ...(cwe && /^CWE-\d{1,5}$/.test(cwe) ? { cwe } : {}),
    });
  }
  return refs;
}

function labelName(label: string | { name?: string | null }): string {
  return typeof label === 'string' ? label : (label.name ?? '');
}

/**
 * Reads overnight's report issues carrying `label`: open ones with their comments (continuation parts,
 * resolved notes), closed ones with the comments only when they are needed (a dismissed report split
 * over continuation comments).
 */
export async function readIssueMemory(github: GitHubContext, label: string): Promise<IssueMemory> {
  const { octokit, owner, repo } = github;
  const listed = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner,
    repo,
    state: 'all',
    labels: label,
    per_page: 100,
  });
  const issues: ReportIssue[] = [];
  for (const item of listed) {
    if (item.pull_request) continue;
    const body = item.body ?? '';
    if (!body.startsWith(REPORT_START)) continue;
    const report = findMarkers(body, 'report')[0];
    if (!report) continue;
    const labels = item.labels.map(labelName).filter(Boolean);
    const state = item.state === 'closed' ? 'closed' : 'open';
    const stateReason = (item as { state_reason?: string | null }).state_reason ?? null;
    const parts = Number(report.fields.parts ?? 0) || 0;
    const dismissed = stateReason === 'not_planned' || labels.some((l) => l.toLowerCase() === DISMISS_LABEL);
    const needsComments = item.comments > 0 && (state === 'open' || (dismissed && parts > 0));
    const comments = needsComments
      ? (await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: item.number, per_page: 100 })).map(
          (comment) => comment.body ?? '',
        )
      : [];
    const fingerprints = new Set(readFingerprints(body));
    const refs = new Map(readFindingRefs(body).map((ref) => [ref.fingerprint, ref]));
    const resolved = new Set<string>();
    for (const comment of comments) {
      if (findMarkers(comment, 'report-part').length > 0) {
        for (const print of readFingerprints(comment)) fingerprints.add(print);
        for (const ref of readFindingRefs(comment)) refs.set(ref.fingerprint, ref);
      } else if (findMarkers(comment, 'resolved').length > 0) {
        for (const print of readFingerprints(comment)) resolved.add(print);
      }
    }
    issues.push({
      number: item.number,
      url: item.html_url,
      state,
      stateReason,
      labels,
      body,
      report: {
        task: report.fields.task ?? '',
        state: report.fields.state ?? '',
        round: report.fields.round ?? '',
        parts,
      },
      fingerprints: [...fingerprints],
      refs,
      resolved,
      comments,
    });
  }
  issues.sort((a, b) => b.number - a.number);
  return { label, issues };
}

/** Findings a team dismissed through issues: reported in one closed as not planned, or labelled dismissed. */
export function dismissedByIssues(memory: IssueMemory): Map<string, DismissedBy> {
  const dismissed = new Map<string, DismissedBy>();
  for (const issue of memory.issues) {
    const labelled = issue.labels.some((l) => l.toLowerCase() === DISMISS_LABEL);
    const notPlanned = issue.state === 'closed' && issue.stateReason === 'not_planned';
    if (!labelled && !notPlanned) continue;
    for (const print of issue.fingerprints) {
      if (!dismissed.has(print)) dismissed.set(print, { kind: notPlanned ? 'not-planned' : 'label', issue: issue.number });
    }
  }
  return dismissed;
}

/** The fingerprints an open report still stands for: listed, not yet recorded as resolved. */
export function activeFingerprints(issue: ReportIssue): string[] {
  return issue.fingerprints.filter((print) => !issue.resolved.has(print));
}
