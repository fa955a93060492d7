// Finding fingerprints: stable identities that let collect (and later runs) recognise the same problem
// again after the code around it moved. They hash what the finding is about (task, file, category and
// the code it points at), never where it is (line numbers), so a problem shifted down by an edit above
// it or re-indented by a formatter keeps its fingerprint.
import { createHash } from 'node:crypto';
import { linesBetween } from '../prompt/format.js';
import type { TaskName } from '../types.js';

export interface FingerprintInput {
  task: TaskName;
  path: string;
  category: string;
  /** The text of the lines the finding points at (see codeAt). */
  code: string;
  /**
   * A recognised weakness: when set, the fingerprint is the weakness's (path, CWE, code), whatever the
   * task and its wording of the category, so code-review's and security-scan's finding of the same
   * weakness on the same code are one finding, reported once (reports skip a fingerprint already posted).
   */
  cwe?: string | null;
}

/** Whitespace-insensitive form of a code excerpt: runs of whitespace (newlines included) become one space. */
export function normaliseCode(code: string): string {
  return code.replace(/\s+/g, ' ').trim();
}

/** 32 hex characters (128 bits of sha256): plenty to avoid collisions, short enough for HTML markers. */
export function fingerprint(input: FingerprintInput): string {
  const material = input.cwe
    ? JSON.stringify(['cwe', input.path, input.cwe.trim().toUpperCase(), normaliseCode(input.code)])
    : JSON.stringify([input.task, input.path, input.category.trim().toLowerCase(), normaliseCode(input.code)]);
  return createHash('sha256').update(material).digest('hex').slice(0, 32);
}

/**
 * The code a fingerprint hashes for the n-th (n ≥ 2) of several lines that read the same, when each is
 * a problem of its own (a redacted secret repeated with another value: tasks/redaction-findings.ts);
 * decisions/code.ts finds such a twin again the same way.
 */
export function twinCode(code: string, n: number): string {
  return `${code}\n#${n}`;
}

/** Lines `start`..`end` (1-based, inclusive, clamped to the file) of `content`, joined by newlines. */
export function codeAt(content: string, start: number, end: number): string {
  const from = Math.max(1, Math.min(start, end));
  const to = Math.max(start, end);
  if (from > to) return '';
  return linesBetween(content, from, to).join('\n');
}
