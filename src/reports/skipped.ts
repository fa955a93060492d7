// Every changed file that was not sent, with why: the one table of human labels for the reason codes
// gather, the task filter, the budget and submit give, and how every plan and report lists them.
// A code this table does not know (a newer gatherer, an older state) is shown as the code itself,
// reduced to a plain word, never dropped: PRODUCT.md "every changed file's fate is accounted for".
import type { RunState } from '../state/state.js';
import { codeSpan } from './sanitize.js';
import type { ReportBlock } from './markdown.js';

export interface SkippedEntry {
  path: string;
  reason: string;
}

/** How the plan and every report name a skip reason. */
const SKIP_REASON_LABEL: Readonly<Record<string, string>> = {
  'not-for-task': 'not for this task',
  docs: 'documentation',
  data: 'data file',
  credential: 'credential data (never read)',
  binary: 'binary',
  'not-utf8': 'not UTF-8 text',
  'too-large': 'too large',
  minified: 'minified',
  generated: 'generated',
  vendored: 'vendored',
  lockfile: 'lockfile',
  excluded: 'excluded by include/exclude',
  ignored: 'ignored by .gitignore',
  deleted: 'deleted',
  symlink: 'symbolic link',
  'max-files': 'over max-files',
  cap: 'over max-files',
  budget: 'over max-cost-usd',
  'already-reviewed': 'already reviewed by an earlier submit',
  'not-sent': 'not sent (the submit failed part-way)',
};

/** The human label of a skip reason; an unknown code reads as itself, as a plain word. */
export function skipReasonLabel(reason: string): string {
  const known = Object.hasOwn(SKIP_REASON_LABEL, reason) ? SKIP_REASON_LABEL[reason] : undefined;
  if (known) return known;
  const plain = reason
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .slice(0, 40);
  return plain || 'unknown reason';
}

export interface SkippedGroup {
  label: string;
  paths: string[];
}

/** Skipped files by reason label, the largest group first (then by label); paths in order, each once per label. */
export function groupSkipped(skipped: readonly SkippedEntry[]): SkippedGroup[] {
  const groups = new Map<string, Set<string>>();
  for (const entry of skipped) {
    const label = skipReasonLabel(entry.reason);
    const paths = groups.get(label);
    if (paths) paths.add(entry.path);
    else groups.set(label, new Set([entry.path]));
  }
  return [...groups]
    .map(([label, paths]) => ({ label, paths: [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) }))
    .sort((a, b) => b.paths.length - a.paths.length || (a.label < b.label ? -1 : 1));
}

/** "30 not for this task, 4 lockfile" (counts by reason, largest first), or '' when nothing was skipped. */
export function skippedCounts(skipped: readonly SkippedEntry[]): string {
  return groupSkipped(skipped)
    .map((group) => `${group.paths.length.toLocaleString('en-US')} ${group.label}`)
    .join(', ');
}

/**
 * What a state left unsent: the files skipped before planning and the requests dropped to fit
 * max-cost-usd (recorded with the estimate), each path once.
 */
export function skippedOf(state: Pick<RunState, 'skipped' | 'estimate'>): SkippedEntry[] {
  const entries: SkippedEntry[] = [...(state.skipped ?? [])];
  for (const dropped of state.estimate?.dropped ?? []) {
    for (const path of dropped.paths) entries.push({ path, reason: 'budget' });
  }
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = `${entry.reason}\0${entry.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The skipped files of several submissions published as one round: a file some submission sent is
 * not skipped; the newest submission's reason wins for the others.
 */
export function mergeSkipped(states: readonly Pick<RunState, 'skipped' | 'estimate' | 'requests'>[]): SkippedEntry[] {
  const sent = new Set(states.flatMap((state) => Object.values(state.requests).flatMap((record) => record.paths)));
  const byPath = new Map<string, SkippedEntry>();
  for (const state of states) {
    for (const entry of skippedOf(state)) if (!sent.has(entry.path)) byPath.set(entry.path, entry);
  }
  return [...byPath.values()];
}

export interface SkippedListOptions {
  /** Paths listed at most (the rest are counted, and named in `fullListAt`). */
  maxPaths?: number;
  /** Where the full list is, said when `maxPaths` cut it ("results.json in the results artifact"). */
  fullListAt?: string;
}

/**
 * One Markdown line per reason: `- **generated** (3): \`a\`, \`b\`, \`c\``. Paths are code spans;
 * past `maxPaths` the rest of each group is counted instead of listed.
 */
export function skippedLines(skipped: readonly SkippedEntry[], options: SkippedListOptions = {}): string[] {
  const groups = groupSkipped(skipped);
  // A fair share of the room for each reason, the smallest groups first: a rare reason (credential,
  // generated) is never crowded out by a thousand docs.
  const listed = new Map<SkippedGroup, number>();
  let room = options.maxPaths ?? Infinity;
  const ascending = [...groups].sort((a, b) => a.paths.length - b.paths.length);
  ascending.forEach((group, index) => {
    const share = Math.min(group.paths.length, Math.floor(room / (ascending.length - index)));
    listed.set(group, share);
    room -= share;
  });
  let cut = 0;
  const lines = groups.map((group) => {
    const names = group.paths.slice(0, listed.get(group)).map(codeSpan).join(', ');
    const rest = group.paths.length - (listed.get(group) ?? 0);
    cut += rest;
    const more = rest > 0 ? `${names ? ', and ' : ''}${rest.toLocaleString('en-US')} more` : '';
    return `- **${group.label}** (${group.paths.length.toLocaleString('en-US')}): ${names}${more}`;
  });
  if (cut > 0 && options.fullListAt) lines.push(`- _The full list is in ${options.fullListAt}._`);
  return lines;
}

/**
 * The "Skipped files" section of a report as blocks (one line per reason, so a size-limited target
 * cuts between reasons): heading, then every file by reason, past `maxPaths` counted instead.
 */
export function skippedBlocks(
  skipped: readonly SkippedEntry[],
  headingLevel: number,
  options: SkippedListOptions = {},
): ReportBlock[] {
  if (skipped.length === 0) return [];
  const h = '#'.repeat(headingLevel);
  const count = new Set(skipped.map((entry) => entry.path)).size;
  const heading = `${h} Skipped files (${count.toLocaleString('en-US')})`;
  return [
    { text: `${heading}\n\nChanged files not sent for review, and why.`, fingerprints: [], heading: true },
    ...skippedLines(skipped, options).map((text, index) => ({
      text,
      fingerprints: [],
      tight: index > 0,
      continuation: `${h} Skipped files (continued)`,
    })),
  ];
}

/** Skipped files a pull request comment names (the comment is shared by every round). */
const COLLAPSED_MAX_PATHS = 200;

/** For a comment: the counts by reason on one line, the files in a collapsed list (capped). */
export function collapsedSkipped(
  skipped: readonly SkippedEntry[],
  fullListAt = 'results.json in the results artifact',
): string[] {
  if (skipped.length === 0) return [];
  const count = new Set(skipped.map((entry) => entry.path)).size;
  return [
    `**${count.toLocaleString('en-US')} changed file${count === 1 ? '' : 's'} not reviewed**: ${skippedCounts(skipped)}`,
    '',
    '<details>',
    '<summary>Skipped files and why</summary>',
    '',
    ...skippedLines(skipped, { maxPaths: COLLAPSED_MAX_PATHS, fullListAt }),
    '',
    '</details>',
    '',
  ];
}
