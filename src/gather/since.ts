// `since`: which window of history to review. Parsing is pure; resolving a revision to a commit is
// gather.ts's job (it needs git).
import { UsageError } from '../errors.js';

export type Since = { kind: 'duration'; ms: number; text: string } | { kind: 'revision'; rev: string } | { kind: 'last' };

export const UNIT_MS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

// Revision suffixes users type after a ref or SHA (HEAD~3, main^, v1.2^2); the rest of git's
// revision grammar (ranges, @{...}, :path) is refused because it does not name one commit.
const ANCESTRY_SUFFIX = /(?:[~^]\d*)*$/;

function refused(text: string): UsageError {
  return new UsageError(`--since: cannot read '${text}'; use 24h, 7d, last, a commit SHA or a ref`);
}

/**
 * Whether `name` is a plausible ref name, following `git check-ref-format --allow-onelevel` rules.
 * A leading '-' is refused too: the value ends up in git's argument list and must never read as an option.
 */
export function isValidRefName(name: string): boolean {
  if (name.length === 0 || name === '@' || name.startsWith('-') || name.startsWith('/')) return false;
  if (name.endsWith('/') || name.endsWith('.')) return false;
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return false;
  // Control characters, space and DEL, then the characters git reserves for revision syntax.
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return false;
  }
  if (/[~^:?*[\\]/.test(name)) return false;
  return name.split('/').every((part) => part.length > 0 && !part.startsWith('.') && !part.endsWith('.lock'));
}

/** Reads a --since / `since:` value: 24h, 90m, 7d, 2w, last, a SHA (7-64 hex) or a ref (optionally with ~N / ^N). */
export function parseSince(text: string): Since {
  const value = text.trim();
  if (value === '') throw refused(text);
  if (value.toLowerCase() === 'last') return { kind: 'last' };
  const duration = /^(\d+)\s*([mhdw])$/i.exec(value);
  if (duration) {
    const amount = Number(duration[1]);
    if (!Number.isSafeInteger(amount) || amount === 0) throw refused(text);
    const unit = duration[2]!.toLowerCase();
    return { kind: 'duration', ms: amount * UNIT_MS[unit]!, text: `${amount}${unit}` };
  }
  if (/^[0-9a-f]{7,64}$/i.test(value)) return { kind: 'revision', rev: value };
  const suffix = ANCESTRY_SUFFIX.exec(value)?.[0] ?? '';
  const name = value.slice(0, value.length - suffix.length);
  if (isValidRefName(name)) return { kind: 'revision', rev: value };
  throw refused(text);
}

/** Human form of a duration window for messages ("24h"). */
export function describeSince(since: Since): string {
  switch (since.kind) {
    case 'duration':
      return since.text;
    case 'revision':
      return since.rev;
    case 'last':
      return 'last';
  }
}
