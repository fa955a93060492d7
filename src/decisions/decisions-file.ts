// The committed decisions file: `.github/overnight.yml` (or .yaml) at the reviewed commit lists the
// findings a team decided not to hear about again, by fingerprint:
//
//   dismissed:
//     - fingerprint: 3f2a9c1b7d4e     # as shown next to the finding (a prefix of 8+ hex is enough)
//       reason: test fixture, the key is fake
//       expires: 2027-03-31           # optional: reported again (when reviewed) from this day on
//
// Because a fingerprint hashes the code it points at, a dismissal lapses by itself when that code
// changes. The file is read from the trusted commit (a pull request's base, else the reviewed commit)
// in git objects, never the work tree, so a dismissal is a reviewed, committed decision. A broken
// entry is reported (one line each) and skipped; the rest apply.
//
// The same file may choose the known false-positive classes of security findings (tasks/false-positives.ts)
// that need an attack path and confidence `certain` to be posted; absent, all of them:
//
//   false-positive-classes: [denial-of-service, log-spoofing, test-code]   # [] = none
import { parse, YAMLParseError } from 'yaml';
import { entryAt } from '../gather/tree.js';
import { trustedCommitOf } from '../gather/window.js';
import type { PullRequestInfo } from '../types.js';
import { FALSE_POSITIVE_CLASS_NAMES, type FalsePositiveClassName } from '../tasks/false-positives.js';

export const DECISIONS_PATHS = ['.github/overnight.yml', '.github/overnight.yaml'] as const;

export interface Dismissal {
  /** Lowercase hex: the whole fingerprint or a prefix of at least 8 characters. */
  fingerprint: string;
  reason: string;
  /** YYYY-MM-DD: the dismissal applies before this day (UTC) and lapses on it; null = no end. */
  expires: string | null;
}

export interface Decisions {
  /** Where they were read (`.github/overnight.yml@abc1234`), or null when there is no file. */
  source: string | null;
  dismissed: Dismissal[];
  /** One line per entry that could not be read (it is skipped). */
  problems: string[];
  /** The known false-positive classes that apply; absent: all of them (FALSE_POSITIVE_CLASS_NAMES). */
  falsePositiveClasses?: FalsePositiveClassName[];
}

export const NO_DECISIONS: Decisions = { source: null, dismissed: [], problems: [] };

const FINGERPRINT = /^[0-9a-f]{8,64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dateText(value: unknown): string | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value === 'string' && DATE.test(value.trim()) && !Number.isNaN(Date.parse(`${value.trim()}T00:00:00Z`))) {
    return value.trim();
  }
  return null;
}

/** Reads the decisions document; `where` names it in problems. Never throws on bad content. */
export function parseDecisions(text: string, where: string): Decisions {
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
    return { source: where, dismissed: [], problems: [`${where}: not valid YAML (${detail}); no dismissal read from it`] };
  }
  if (doc === null || doc === undefined) return { source: where, dismissed: [], problems };
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    return {
      source: where,
      dismissed: [],
      problems: [`${where}: expected a mapping with a 'dismissed' list; no dismissal read from it`],
    };
  }
  const classes = falsePositiveClassesOf((doc as Record<string, unknown>)['false-positive-classes'], where, problems);
  const withClasses = (decisions: Decisions): Decisions =>
    classes ? { ...decisions, falsePositiveClasses: classes } : decisions;
  return withClasses(parseDismissed((doc as Record<string, unknown>).dismissed, where, problems));
}

/** `false-positive-classes:` as a list of known names; undefined when absent or unreadable (the default applies). */
function falsePositiveClassesOf(value: unknown, where: string, problems: string[]): FalsePositiveClassName[] | undefined {
  if (value === undefined || value === null) return undefined;
  const known = FALSE_POSITIVE_CLASS_NAMES as readonly string[];
  if (!Array.isArray(value)) {
    problems.push(`${where}: 'false-positive-classes' must be a list of ${known.join(', ')}; the default list applies`);
    return undefined;
  }
  const names: FalsePositiveClassName[] = [];
  for (const item of value) {
    const name = String(item).trim();
    if (known.includes(name)) names.push(name as FalsePositiveClassName);
    else problems.push(`${where}: false-positive class '${name.slice(0, 60)}' is not one of ${known.join(', ')}; skipped`);
  }
  return names;
}

function parseDismissed(list: unknown, where: string, problems: string[]): Decisions {
  if (list === undefined || list === null) return { source: where, dismissed: [], problems };
  if (!Array.isArray(list)) {
    return { source: where, dismissed: [], problems: [`${where}: 'dismissed' must be a list of {fingerprint, reason, expires}`] };
  }
  const dismissed: Dismissal[] = [];
  list.forEach((entry: unknown, index) => {
    const at = `${where}: dismissed entry ${index + 1}`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(`${at} is not a mapping with fingerprint and reason; skipped`);
      return;
    }
    const item = entry as Record<string, unknown>;
    const print = String(item.fingerprint ?? '')
      .trim()
      .toLowerCase();
    if (!FINGERPRINT.test(print)) {
      problems.push(`${at}: fingerprint '${String(item.fingerprint ?? '')}' is not 8 to 64 hex characters; skipped`);
      return;
    }
    const reason = typeof item.reason === 'string' ? item.reason.trim() : '';
    if (!reason) {
      problems.push(`${at} (${print}): give a reason, so the next reader knows why; skipped`);
      return;
    }
    let expires: string | null = null;
    if (item.expires !== undefined && item.expires !== null && item.expires !== '') {
      expires = dateText(item.expires);
      if (!expires) {
        problems.push(`${at} (${print}): expires '${String(item.expires)}' is not a date like 2027-03-31; skipped`);
        return;
      }
    }
    dismissed.push({ fingerprint: print, reason, expires });
  });
  return { source: where, dismissed, problems };
}

/**
 * The decisions file at the trusted commit of a submission (trustedCommitOf: a pull request's BASE,
 * so a pull request cannot dismiss what it introduces; the reviewed commit otherwise), read from git
 * objects. A symlink is never followed: it is reported as a problem and no dismissal is read.
 * NO_DECISIONS when there is none (or the commit is not in the checkout).
 */
export async function readDecisions(
  cwd: string,
  at: { headSha: string; pullRequest: Pick<PullRequestInfo, 'baseSha'> | null },
): Promise<Decisions> {
  const sha = trustedCommitOf(at);
  try {
    for (const path of DECISIONS_PATHS) {
      const entry = await entryAt(cwd, sha, path);
      if (entry.kind === 'file') return parseDecisions(entry.data.toString('utf8'), `${path}@${sha.slice(0, 7)}`);
      if (entry.kind === 'symlink') {
        return {
          source: `${path}@${sha.slice(0, 7)}`,
          dismissed: [],
          problems: [`${path} is a symbolic link; decisions are read only from a regular file`],
        };
      }
    }
    return NO_DECISIONS;
  } catch {
    return NO_DECISIONS;
  }
}

/** The dismissal that covers `fingerprint` on `now`, if any (expired ones do not). */
export function dismissalFor(decisions: Decisions, fingerprint: string, now: Date): Dismissal | null {
  const today = now.toISOString().slice(0, 10);
  const print = fingerprint.toLowerCase();
  return (
    decisions.dismissed.find(
      (d) => (d.expires === null || today < d.expires) && (print === d.fingerprint || print.startsWith(d.fingerprint)),
    ) ?? null
  );
}

/** Short form of a fingerprint shown in reports, long enough to be unique in any real repository. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 12);
}
