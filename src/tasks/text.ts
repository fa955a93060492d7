// Model text as reports show it: caps, control characters stripped, categories and CWE ids in one form.
import { unsafeChars } from '../io/safe-text.js';

export const LIMITS = {
  summary: 2000,
  title: 200,
  trigger: 400,
  explanation: 4000,
  suggestedFix: 4000,
  /** A longer replacement is dropped, not cut: a cut one would commit broken code. */
  replacement: 8000,
  category: 64,
  description: 1000,
  /** A generated file larger than this is not a reviewable change. */
  generatedFileBytes: 256 * 1024,
} as const;

/**
 * Control characters (ESC, C1, CR...), bidi overrides, zero-width and other format characters never
 * belong in a report or a log; tab and newline do in multi-line text.
 */
const UNSAFE_TEXT_CHARS = unsafeChars('\t\n');

/** Trims, strips unsafe characters, caps at `max` characters (marking the cut with "…"). */
export function cleanText(value: string, max: number): string {
  const text = value.replace(/\r\n?/g, '\n').replace(UNSAFE_TEXT_CHARS, '').trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/** cleanText on one line: titles and other one-line fields. */
export function cleanLine(value: string, max: number): string {
  return cleanText(value.replace(/\s+/g, ' '), max);
}

export function cleanNullable(value: string | null, max: number): string | null {
  if (value === null) return null;
  const text = cleanText(value, max);
  return text === '' ? null : text;
}

/**
 * Code the model wrote to be committed: unsafe characters stripped and line ends normalised, but
 * indentation kept (cleanText's trim would shift the first line). Null when blank or over `max`
 * (a truncated replacement is wrong code).
 */
export function cleanCode(value: string | null, max: number): string | null {
  if (value === null) return null;
  const code = value
    .replace(/\r\n?/g, '\n')
    .replace(UNSAFE_TEXT_CHARS, '')
    .replace(/^(?:[ \t]*\n)+|\s+$/g, '');
  return code.trim() === '' || code.length > max ? null : code;
}

/** kebab-case category ("SQL Injection" → "sql-injection"); "other" when nothing is left. */
export function normaliseCategory(value: string): string {
  const slug = value
    .toLowerCase()
    .replace(/[^a-z0-9.+#/]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, LIMITS.category)
    .replace(/-$/, '');
  return slug || 'other';
}

/**
 * "CWE-89", "cwe-89", "CWE 89", "89" → "CWE-89". Null when absent or unreadable: a CWE we cannot read
 * is dropped rather than failing an otherwise useful finding.
 */
export function normaliseCwe(value: string | null): string | null {
  if (value === null) return null;
  const match = /^\s*(?:cwe)?[\s_:-]*0*(\d{1,5})\s*$/i.exec(value);
  if (!match || Number(match[1]) === 0) return null;
  return `CWE-${Number(match[1])}`;
}
