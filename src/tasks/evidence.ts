// Evidence before verdict: every finding quotes the code it is about, and the quote, not the cited
// line numbers, decides where the finding goes. A model that cites line 42 for code on line 45 is
// moved to 45; one that quotes code it was not shown (or nothing) is dropped as mislocated and
// counted, never snapped silently onto nearby lines.
import { linesBetween, splitLines } from '../prompt/format.js';
import type { LineRange } from '../types.js';
import { normaliseCode } from './fingerprint.js';

/** Lines of a quote as compared: "N| " / "N+| " prefixes a model copied from <code> stripped, whitespace normalised, blank lines and elisions dropped. */
export function quoteLines(quote: string): string[] {
  return splitLines(quote)
    .map((line) => normaliseCode(line.replace(/^\s*\d+\+?\|\s?/, '')))
    .filter((line) => line !== '' && !/^(\.\.\.|…)$/.test(line));
}

/** Where a finding lands: its lines, and whether they differ from the cited ones (moved). */
export interface Located {
  range: LineRange;
  moved: boolean;
}

/**
 * Letters and digits a quote must hold to be evidence: `}`, `);` or `];` stand on half the lines of
 * any file, and a quote of them would "prove" a finding wherever it was cited.
 */
const MEANINGFUL_CHARS = 3;
const WORD_CHAR = /[\p{L}\p{N}_$]/u;

function isMeaningful(quote: readonly string[]): boolean {
  let count = 0;
  for (const line of quote) for (const char of line) if (/[\p{L}\p{N}]/u.test(char) && ++count >= MEANINGFUL_CHARS) return true;
  return false;
}

const isWordChar = (char: string | undefined): boolean => char !== undefined && WORD_CHAR.test(char);

/**
 * Whether `quote` is in `line` as whole tokens: where either side of the match is a word character, the
 * character beyond it is not (`items.length` is on `const n = items.length;`, `dex = it` is not).
 */
function holdsQuote(line: string, quote: string): boolean {
  for (let at = line.indexOf(quote); at !== -1; at = line.indexOf(quote, at + 1)) {
    const end = at + quote.length;
    const startsClean = !(isWordChar(quote[0]) && isWordChar(line[at - 1]));
    const endsClean = !(isWordChar(quote[quote.length - 1]) && isWordChar(line[end]));
    if (startsClean && endsClean) return true;
  }
  return false;
}

function isSent(line: number, sent: LineRange[]): boolean {
  return sent.some((r) => r.start <= line && line <= r.end);
}

/** Start lines where the quote's lines appear, in order, on consecutive sent lines. */
function matchesOf(quote: string[], lines: string[], sent: LineRange[]): number[] {
  const starts: number[] = [];
  const normalised = new Map<number, string>();
  const at = (n: number): string => {
    let text = normalised.get(n);
    if (text === undefined) {
      text = normaliseCode(lines[n - 1] ?? '');
      normalised.set(n, text);
    }
    return text;
  };
  for (const range of sent) {
    for (let start = range.start; start + quote.length - 1 <= range.end; start++) {
      if (quote.every((q, i) => holdsQuote(at(start + i), q))) starts.push(start);
    }
  }
  return starts;
}

/**
 * The lines a finding is about, decided by its quote:
 * - the quote is on the cited lines (all of them sent): the cited lines;
 * - the quote is elsewhere in the sent lines: the nearest place it is (moved);
 * - no quote, a quote of punctuation alone, or one that is on no sent line as whole tokens: null (mislocated).
 * When the file's text is not known (collect could not read the reviewed commit: blank placeholder
 * lines), the quote cannot be checked: cited lines that were all sent are kept, anything else is null.
 */
export function locateByQuote(content: string, sent: LineRange[], start: number, end: number, quote: string): Located | null {
  const lo = Math.min(start, end);
  const hi = Math.max(start, end);
  const citedSent = lo >= 1 && isSent(lo, sent) && isSent(hi, sent) && sent.some((r) => r.start <= lo && hi <= r.end);
  if (!/\S/.test(content)) return citedSent ? { range: { start: lo, end: hi }, moved: false } : null;
  const wanted = quoteLines(quote);
  if (!isMeaningful(wanted)) return null;
  const span = wanted.length - 1;
  // The usual case, the quote on the cited lines: decided from those lines alone (the answer is the
  // same as below, which would find this match among all of them), not from the whole file's.
  if (citedSent && span <= hi - lo) {
    const cited = linesBetween(content, lo, hi).map(normaliseCode);
    for (let m = lo; m + span <= hi; m++) {
      if (wanted.every((q, i) => holdsQuote(cited[m - lo + i] ?? '', q))) return { range: { start: lo, end: hi }, moved: false };
    }
  }
  // Not on the cited lines (the check above covers every match inside them): wherever else it is.
  const matches = matchesOf(wanted, splitLines(content), sent);
  if (matches.length === 0) return null;
  const distance = (m: number): number => Math.abs(m - lo);
  const best = matches.reduce((a, b) => (distance(b) < distance(a) ? b : a));
  const range = { start: best, end: best + span };
  // Narrowing a range onto the quoted line inside it is not a move; landing elsewhere is.
  const overlaps = range.start <= hi && range.end >= lo;
  return { range, moved: !overlaps };
}
