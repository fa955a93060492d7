// Noise control for reports: what a team dismissed (decisions file, issues closed as not planned or
// labelled overnight:dismissed), what is already reported, what got resolved, and how many findings
// one report shows. collect computes this once per published round and hands it to the reporters as
// `noise` on the report context (ReportContext.noise).
import type { Finding } from '../types.js';
import { marker } from '../reports/markers.js';
import type { CodeReader, FindingRef } from './code.js';
import { dismissalFor, type Decisions } from './decisions-file.js';
import { dismissedByIssues, type IssueMemory } from './memory.js';
import { FALSE_POSITIVE_CLASS_NAMES, heldBackClass } from '../tasks/false-positives.js';

export { CodeReader, findGone, locateFinding, type CodeAt, type FindingRef } from './code.js';
export {
  DECISIONS_PATHS,
  dismissalFor,
  NO_DECISIONS,
  parseDecisions,
  readDecisions,
  shortFingerprint,
  type Decisions,
  type Dismissal,
} from './decisions-file.js';
export {
  activeFingerprints,
  dismissedByIssues,
  DISMISS_LABEL,
  readFindingRefs,
  readIssueMemory,
  type IssueMemory,
  type ReportIssue,
} from './memory.js';

/** Findings shown in one issue by default (worst first); the rest are summarised. */
export const DEFAULT_MAX_FINDINGS = 50;

/** A finding left out because someone decided so, and where that decision lives. */
export interface DismissedFinding {
  finding: Finding;
  /** `.github/overnight.yml@abc1234: <reason>`, `#12 closed as not planned`, `#12 labelled overnight:dismissed`. */
  why: string;
}

export interface NoiseOptions {
  /** Findings shown per report, worst first (0 = all). */
  maxFindings: number;
  decisions: Decisions;
  /** Overnight's issues as read at the start of this round (null: not read, e.g. no GitHub). */
  memory: IssueMemory | null;
  /** Findings collect already left out of this round's results (every report), with why. */
  dismissed: DismissedFinding[];
  /** Reads files at the reviewed commit, to tell which earlier findings are gone (null: not checked). */
  code: CodeReader | null;
  now: Date;
}

/** Why a finding of a known false-positive class without an attack path is not reported (followed by the class). */
export const FALSE_POSITIVE_WHY = 'known false-positive class without an attack path and confidence certain:';

/**
 * Splits findings into those to report and those a decision dismissed: a security finding of a known
 * false-positive class without an attack path (tasks/false-positives.ts, the classes the decisions
 * file chose), a dismissal in the decisions file, an issue closed as not planned or labelled dismissed.
 */
export function applyDismissals(
  findings: Finding[],
  decisions: Decisions,
  memory: IssueMemory | null,
  now: Date,
): { kept: Finding[]; dismissed: DismissedFinding[] } {
  const byIssues = memory ? dismissedByIssues(memory) : new Map();
  const kept: Finding[] = [];
  const dismissed: DismissedFinding[] = [];
  const classes = decisions.falsePositiveClasses ?? FALSE_POSITIVE_CLASS_NAMES;
  for (const finding of findings) {
    const heldBack = heldBackClass(finding, classes);
    if (heldBack) {
      dismissed.push({ finding, why: `${FALSE_POSITIVE_WHY} ${heldBack}` });
      continue;
    }
    const fromFile = dismissalFor(decisions, finding.fingerprint, now);
    if (fromFile) {
      dismissed.push({ finding, why: `${decisions.source ?? 'decisions file'}: ${fromFile.reason}` });
      continue;
    }
    const fromIssue = byIssues.get(finding.fingerprint);
    if (fromIssue) {
      dismissed.push({
        finding,
        why:
          fromIssue.kind === 'not-planned'
            ? `#${fromIssue.issue} closed as not planned`
            : `#${fromIssue.issue} labelled overnight:dismissed`,
      });
      continue;
    }
    kept.push(finding);
  }
  return { kept, dismissed };
}

/**
 * "3 findings dismissed earlier, not reported (2 by #12 closed as not planned; 1 by .github/overnight.yml@abc)",
 * then "2 findings of known false-positive classes without an attack path, not reported (2 denial-of-service)".
 */
export function dismissedNote(dismissed: DismissedFinding[]): string | null {
  if (dismissed.length === 0) return null;
  const byWhy = new Map<string, number>();
  const byClass = new Map<string, number>();
  for (const item of dismissed) {
    if (item.why.startsWith(FALSE_POSITIVE_WHY)) {
      const name = item.why.slice(FALSE_POSITIVE_WHY.length).trim();
      byClass.set(name, (byClass.get(name) ?? 0) + 1);
      continue;
    }
    // Decisions-file reasons differ per entry; group them under the file.
    const key = item.why.startsWith('#') ? item.why : item.why.split(': ')[0]!;
    byWhy.set(key, (byWhy.get(key) ?? 0) + 1);
  }
  const count = (n: number, what: string): string => `${n} ${n === 1 ? 'finding' : 'findings'}${what}`;
  const sentences: string[] = [];
  const decided = [...byWhy.values()].reduce((a, b) => a + b, 0);
  if (decided > 0) {
    const parts = [...byWhy].map(([why, n]) => `${n} by ${why}`);
    sentences.push(`${count(decided, ' dismissed earlier')}, not reported (${parts.join('; ')}).`);
  }
  const classed = dismissed.length - decided;
  if (classed > 0) {
    const parts = [...byClass].map(([name, n]) => `${n} ${name}`);
    sentences.push(
      `${count(classed, ' of known false-positive classes')} without an attack path, not reported (${parts.join('; ')}).`,
    );
  }
  return sentences.join(' ');
}

/** What a finding's reference is computed from: a whole Finding, or just the fields it needs. */
type RefSource = Pick<Finding, 'fingerprint' | 'task' | 'path' | 'category' | 'startLine' | 'endLine'> & { cwe?: string | null };

/** The hidden marker a report keeps per finding, so that a later run can check whether its code is gone. */
export function findingRefMarker(finding: RefSource): string {
  const ref = refOf(finding);
  return marker('finding', {
    fp: ref.fingerprint,
    task: ref.task,
    path: ref.path,
    cat: ref.category,
    lines: ref.lines,
    ...(ref.cwe ? { cwe: ref.cwe } : {}),
  });
}

export function refOf(finding: RefSource): FindingRef {
  return {
    fingerprint: finding.fingerprint,
    task: finding.task,
    path: finding.path,
    category: finding.category,
    lines: Math.abs(finding.endLine - finding.startLine) + 1,
    ...(finding.cwe ? { cwe: finding.cwe } : {}),
  };
}
