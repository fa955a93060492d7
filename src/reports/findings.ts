// How a finding and a refactor verdict read in every report: report.md, the issue and the job summary
// (a list item under its severity and file), the pull request's comment and inline review comments (a
// heading per finding), and the verdict table. One set of tags, one sanitised explanation, one capped
// fix, one table: the layouts differ only where the place does.
import type { Finding, RefactorVerdict } from '../types.js';
import { lineLabel } from './group.js';
import {
  codeBlock,
  codeCell,
  codeSpan,
  sanitizeInline,
  sanitizeMarkdown,
  suggestionBlock,
  type SanitizeOptions,
} from './sanitize.js';
import { languageFor } from '../gather/language.js';
import { shortFingerprint } from '../decisions/decisions-file.js';

const SEVERITY_ICON: Record<Finding['severity'], string> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '🔵',
  info: '⚪',
};

export interface FindingLimits {
  /** Longest explanation shown (the results document keeps all of it). */
  explanation: number;
  /** Longest suggested fix shown. */
  fix: number;
}

const REPORT_LIMITS: FindingLimits = { explanation: 6_000, fix: 8_000 };
/** What a finding under its own heading (PR comment, inline review comment) shows at most. */
export const DETAIL_LIMITS: FindingLimits = { explanation: 4_000, fix: 4_000 };

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line.length > 0 ? `${prefix}${line}` : line))
    .join('\n');
}

/** Category (a short machine word: anything else is dropped, not escaped), CWE, and the short fingerprint a user copies to dismiss it. */
export function findingTags(finding: Finding): string[] {
  const category = finding.category.replace(/[^A-Za-z0-9_.:/-]+/g, '-').slice(0, 60);
  const tags = category ? [codeSpan(category)] : [];
  if (finding.cwe && /^CWE-\d{1,5}$/.test(finding.cwe)) tags.push(finding.cwe);
  if (/^[0-9a-f]{8,}$/.test(finding.fingerprint)) tags.push(`fp ${codeSpan(shortFingerprint(finding.fingerprint))}`);
  return tags;
}

/**
 * Where the replacement goes: `suggestion` on an inline review comment whose lines are all on the
 * diff's right side (GitHub commits it over exactly those lines); a block in the file's language
 * everywhere else.
 */
export type ReplacementShown = 'suggestion' | 'block';

/**
 * The explanation and the fix's explanation (prose, sanitised), then the replacement code, if any,
 * in a fence nothing can close, all capped. A replacement over the cap is not cut (cut code would be
 * wrong code): the reader is pointed to the results document.
 */
function findingBody(finding: Finding, options: SanitizeOptions, limits: FindingLimits, shown: ReplacementShown): string[] {
  const lines: string[] = [];
  const explanation = sanitizeMarkdown(finding.explanation, { ...options, maxLength: limits.explanation });
  if (explanation) lines.push('', explanation);
  const fix = finding.suggestedFix ? sanitizeMarkdown(finding.suggestedFix, { ...options, maxLength: limits.fix }) : '';
  // On a line of its own: the fix may open with a list or a fenced block of its own.
  if (fix) lines.push('', 'Suggested fix:', '', fix);
  const replacement = finding.replacement;
  if (replacement && replacement.trim()) {
    const range =
      finding.endLine > finding.startLine ? `lines ${finding.startLine}-${finding.endLine}` : `line ${finding.startLine}`;
    if (replacement.length > limits.fix) {
      lines.push('', `_A replacement for ${range} is in the results document (too long to show here)._`);
    } else if (shown === 'suggestion') {
      lines.push('', 'Suggested change:', '', suggestionBlock(replacement));
    } else {
      lines.push('', `Replacement for ${range}:`, '', codeBlock(replacement, languageFor(finding.path)));
    }
  }
  return lines;
}

/**
 * A finding as a list item (report.md, issues, job summary): `- [\`path:line\`](link) **title** (tags)`,
 * then its explanation and fix indented under it. `link` null: the anchor is plain text.
 */
export function findingListItem(finding: Finding, link: string | null, options: SanitizeOptions, marker = ''): string {
  const label = codeSpan(lineLabel(finding));
  const anchor = link ? `[${label}](${link})` : label;
  const head = `- ${anchor} **${sanitizeInline(finding.title, options)}** (${findingTags(finding).join(', ')})${marker ? ` ${marker}` : ''}`;
  return [head, ...findingBody(finding, options, REPORT_LIMITS, 'block').map((line) => indent(line, '  '))].join('\n');
}

/** A finding under its own heading (the pull request comment, an inline review comment). */
export function renderFindingDetails(
  finding: Finding,
  link: string,
  options: SanitizeOptions,
  limits: FindingLimits = DETAIL_LIMITS,
  shown: ReplacementShown = 'block',
): string {
  return [
    `#### ${SEVERITY_ICON[finding.severity]} ${finding.severity} · ${sanitizeInline(finding.title, { ...options, maxLength: 300 })}`,
    [`[${codeSpan(lineLabel(finding))}](${link})`, ...findingTags(finding)].join(' · '),
    ...findingBody(finding, options, limits, shown),
  ].join('\n');
}

/** A severity with its icon, for tables ("🟠 high"). */
export function severityCell(severity: Finding['severity']): string {
  return `${SEVERITY_ICON[severity]} ${severity}`;
}

/** Verdicts in report order: INVALID first, then by path. */
export function sortVerdicts(verdicts: readonly RefactorVerdict[]): RefactorVerdict[] {
  return [...verdicts].sort((a, b) => (a.verdict === b.verdict ? (a.path < b.path ? -1 : 1) : a.verdict === 'INVALID' ? -1 : 1));
}

export const VERDICT_TABLE_HEADER = '| File | Verdict | Problems | Summary |\n|---|---|---|---|';

/** One row of the verdict table (report.md, the issue, the pull request's comment). */
export function verdictRow(verdict: RefactorVerdict, options: SanitizeOptions): string {
  const icon = verdict.verdict === 'VALID' ? '✅ VALID' : '❌ INVALID';
  return `| ${codeCell(verdict.path)} | ${icon} | ${verdict.findings.length} | ${sanitizeInline(verdict.summary, { ...options, maxLength: 400 })} |`;
}
