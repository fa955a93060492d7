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
      if (quote.every((q, i) => at(start + i).includes(q))) starts.push(start);
    }
  }
  return starts;
}

/**
 * The lines a finding is about, decided by its quote:
 * - the quote is on the cited lines (all of them sent): the cited lines;
 * - the quote is elsewhere in the sent lines: the nearest place it is (moved);
 * - no quote, or a quote that is on no sent line: null (mislocated).
 * When the file's text is not known (collect could not read the reviewed commit: blank placeholder
 * lines), the quote cannot be checked: cited lines that were all sent are kept, anything else is null.
 */
export function locateByQuote(content: string, sent: LineRange[], start: number, end: number, quote: string): Located | null {
  const lo = Math.min(start, end);
  const hi = Math.max(start, end);
  const citedSent = lo >= 1 && isSent(lo, sent) && isSent(hi, sent) && sent.some((r) => r.start <= lo && hi <= r.end);
  if (!/\S/.test(content)) return citedSent ? { range: { start: lo, end: hi }, moved: false } : null;
  const wanted = quoteLines(quote);
  if (wanted.length === 0) return null;
  const span = wanted.length - 1;
  // The usual case, the quote on the cited lines: decided from those lines alone (the answer is the
  // same as below, which would find this match among all of them), not from the whole file's.
  if (citedSent && span <= hi - lo) {
    const cited = linesBetween(content, lo, hi).map(normaliseCode);
    for (let m = lo; m + span <= hi; m++) {
      if (wanted.every((q, i) => (cited[m - lo + i] ?? '').includes(q))) return { range: { start: lo, end: hi }, moved: false };
    }
  }
  const matches = matchesOf(wanted, splitLines(content), sent);
  if (matches.length === 0) return null;
  if (citedSent && matches.some((m) => lo <= m && m + span <= hi)) return { range: { start: lo, end: hi }, moved: false };
  const distance = (m: number): number => Math.abs(m - lo);
  const best = matches.reduce((a, b) => (distance(b) < distance(a) ? b : a));
  const range = { start: best, end: best + span };
  // Narrowing a range onto the quoted line inside it is not a move; landing elsewhere is.
  const overlaps = range.start <= hi && range.end >= lo;
  return { range, moved: !overlaps };
}
