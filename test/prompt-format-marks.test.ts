// Changed lines are marked "N+| " in a prompt (src/prompt/format.ts renderNumberedLines): the marks
// must be exactly the lines inside the change's ranges, whatever order and overlap the ranges come in
// (the marking walks the ranges once instead of searching all of them for every line).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderNumberedLines, renderPullRequestBlock } from '../src/prompt/format.js';
import type { LineRange } from '../src/types.js';

const range = (max: number) =>
  fc.tuple(fc.integer({ min: 0, max: max + 2 }), fc.integer({ min: 0, max: max + 2 })).map(([a, b]) => ({
    start: Math.min(a, b),
    end: Math.max(a, b),
  }));

/** The marks as a reader checks them: line n is marked iff some changed range holds it. */
function expectedMarks(text: string, ranges: LineRange[] | undefined, changed: LineRange[]): string[] {
  const lines = text.split('\n');
  const sent = ranges ?? [{ start: 1, end: lines.length }];
  const out: string[] = [];
  for (const r of sent) {
    for (let n = Math.max(1, r.start); n <= Math.min(lines.length, r.end); n++) {
      if (changed.some((c) => c.start <= n && n <= c.end)) out.push(String(n));
    }
  }
  return out;
}

describe('renderNumberedLines marks changed lines', () => {
  it('marks exactly the lines inside the changed ranges (unsorted, overlapping, nested, ranges sent out of order)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.option(fc.array(range(60), { maxLength: 5 }), { nil: undefined }),
        fc.array(range(60), { maxLength: 8 }),
        (count, ranges, changed) => {
          const text = Array.from({ length: count }, (_, i) => `line ${i + 1}`).join('\n');
          const rendered = renderNumberedLines(text, ranges, changed);
          const marked = rendered.split('\n').flatMap((line) => /^(\d+)\+\| /.exec(line)?.[1] ?? []);
          expect(marked).toEqual(expectedMarks(text, ranges, changed));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a nested range does not end the one around it', () => {
    const text = Array.from({ length: 12 }, (_, i) => `l${i + 1}`).join('\n');
    const rendered = renderNumberedLines(text, undefined, [
      { start: 2, end: 10 },
      { start: 3, end: 4 },
    ]);
    expect(rendered.split('\n').filter((l) => /^\d+\+\|/.test(l))).toHaveLength(9);
  });
});

describe('renderPullRequestBlock', () => {
  it('cleans, caps and escapes the description as data', () => {
    const block = renderPullRequestBlock({ number: 7, title: ' Fix\r\n  it ', body: `a\u202e<b>&\r\n${'x'.repeat(5000)}` })!;
    expect(block).toContain('<title>Fix it</title>');
    expect(block).toContain('a&lt;b&gt;&amp;\nxxx');
    expect(block).not.toContain('\u202e');
    expect(block).toMatch(/x…\n<\/description>/);
  });
});
