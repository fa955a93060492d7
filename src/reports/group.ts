// Shared helpers for every report: one order for findings (worst first, then by file and line), the
// severity filter, and permalinks to the reviewed commit.
import { SEVERITIES, type Finding, type Severity } from '../types.js';

/** How every report names a severity. */
export const SEVERITY_LABEL: Readonly<Record<Severity, string>> = {
  critical: '🔴 Critical',
  high: '🟠 High',
  medium: '🟡 Medium',
  low: '🔵 Low',
  info: '⚪ Info',
};

function severityRank(severity: Severity): number {
  const rank = SEVERITIES.indexOf(severity);
  // An unknown severity (should not happen after normalisation) sorts last rather than first.
  return rank === -1 ? SEVERITIES.length : rank;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A new array: severity (critical first), then path, then start line, then end line, then title. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      compareStrings(a.path, b.path) ||
      a.startLine - b.startLine ||
      a.endLine - b.endLine ||
      compareStrings(a.title, b.title),
  );
}

/** Severity → path → findings, both levels in report order; only severities that occur are present. */
export function groupBySeverityThenFile(findings: Finding[]): Map<Severity, Map<string, Finding[]>> {
  const groups = new Map<Severity, Map<string, Finding[]>>();
  for (const finding of sortFindings(findings)) {
    let byFile = groups.get(finding.severity);
    if (!byFile) {
      byFile = new Map();
      groups.set(finding.severity, byFile);
    }
    const list = byFile.get(finding.path);
    if (list) list.push(finding);
    else byFile.set(finding.path, [finding]);
  }
  return groups;
}

/** How many findings of each severity, every severity present (0 when none), worst first. */
export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of findings) {
    if (finding.severity in counts) counts[finding.severity] += 1;
  }
  return counts;
}

/**
 * `<server>/<owner>/<repo>/blob/<sha>/<path>#L<start>-L<end>`, every path segment percent-encoded
 * (a space becomes %20, `#` and `?` cannot cut the path short). A reversed range is put in order.
 */
export function permalink(
  serverUrl: string,
  owner: string,
  repo: string,
  sha: string,
  path: string,
  start: number,
  end: number,
): string {
  const server = serverUrl.replace(/\/+$/, '');
  const encodedPath = path
    .split('/')
    .filter((segment) => segment.length > 0)
    .map(encodeURIComponent)
    .join('/');
  const first = Math.max(1, Math.min(start, end));
  const last = Math.max(1, Math.max(start, end));
  return `${server}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/blob/${encodeURIComponent(sha)}/${encodedPath}#L${first}-L${last}`;
}

/** Whether a finding is at least as severe as `min` (min 'info' keeps everything). */
export function meetsSeverity(finding: Finding, min: Severity): boolean {
  return severityRank(finding.severity) <= severityRank(min);
}

/** `path:start` or `path:start-end`, the readable anchor text of a finding. */
export function lineLabel(finding: Pick<Finding, 'path' | 'startLine' | 'endLine'>): string {
  return finding.endLine > finding.startLine
    ? `${finding.path}:${finding.startLine}-${finding.endLine}`
    : `${finding.path}:${finding.startLine}`;
}
