// A model stand-in for the collect benchmark: answers a code review of `{"path", "lines"}` (the tiny
// request the benchmark sends) with a realistically sized JSON answer: a summary of two or three
// sentences and 0-3 findings (mean 1.0) with a paragraph of explanation and a suggested fix, so
// 100,000 answers make a results stream of a few hundred MB, like real reviews.
import type { Responder } from '../src/emulator/anthropic/index.js';
import { seeded } from './lib.js';

const SEVERITIES = ['critical', 'high', 'medium', 'medium', 'low', 'low', 'low'] as const;
const CONFIDENCES = ['certain', 'likely', 'likely', 'likely', 'possible'] as const;
const TRIGGER = 'an empty string from the request body → scale() takes the padding branch → a zero-filled key poisons the cache';
const CATEGORIES = [
  'null-dereference',
  'error-handling',
  'injection',
  'race-condition',
  'resource-leak',
  'naming',
  'performance',
];

const EXPLANATION =
  'When the input is empty the function falls through to the padding branch and returns a string ' +
  'of zeros instead of signalling the problem, so callers that check for an empty result never see ' +
  'the failure. The same value is also used as a cache key two lines below, which means one bad ' +
  'request poisons the entry for every later caller until the process restarts. Validate the ' +
  'argument before scaling it and return early with an explicit error, or document that zero is a ' +
  'valid sentinel and make every caller handle it.';
const FIX_EXPLANATION = 'Reject an empty value before scaling, with a RangeError that names the argument.';
const FIX = "if (value === undefined || value.length === 0) {\n  throw new RangeError('value must not be empty');\n}";

export const benchResponder: Responder = (params) => {
  const content = params.messages[0]?.content;
  const text = typeof content === 'string' ? content : '';
  let unit: { path: string; lines: number; seed: number; quotable: { line: number; text: string }[] };
  try {
    unit = JSON.parse(text) as typeof unit;
  } catch {
    return JSON.stringify({ summary: 'Nothing to review.', findings: [] });
  }
  const random = seeded(unit.seed);
  const roll = random();
  const count = roll < 0.4 ? 0 : roll < 0.7 ? 1 : roll < 0.9 ? 2 : 3;
  const findings = Array.from({ length: Math.min(count, unit.quotable.length) }, (_, i) => {
    // Cites and quotes one line of the file, as the schema asks (evidence before verdict).
    const { line, text: quote } = unit.quotable[i]!;
    return {
      path: unit.path,
      start_line: line,
      end_line: line,
      quote: quote.trim(),
      trigger: TRIGGER,
      severity: SEVERITIES[Math.floor(random() * SEVERITIES.length)],
      confidence: CONFIDENCES[Math.floor(random() * CONFIDENCES.length)],
      category: CATEGORIES[Math.floor(random() * CATEGORIES.length)],
      title: `Unchecked empty input reaches the scaling branch (${i + 1})`,
      explanation: EXPLANATION.slice(0, 250 + Math.floor(random() * (EXPLANATION.length - 250))),
      // One roll for both fields: the bench's random sequence (and so its answers) stays as it was.
      ...(random() < 0.7 ? { fix_explanation: FIX_EXPLANATION, replacement: FIX } : { fix_explanation: null, replacement: null }),
      cwe: null,
    };
  });
  return JSON.stringify({
    summary:
      `Reviewed ${unit.path} (${unit.lines} lines). The module is small and mostly pure; ` +
      `${count === 0 ? 'no problems stand out' : `${count} place(s) need attention`}. ` +
      'Error handling relies on callers checking for sentinel values, which the surrounding code does not always do.',
    findings,
  });
};
