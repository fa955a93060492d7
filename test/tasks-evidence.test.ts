// A finding's quote is its evidence (src/tasks/evidence.ts): it must say something (not `}` or `);`,
// which are on half the lines of any file) and match whole tokens of a sent line (`dex = it` is not on
// `const index = items.length;`), else the finding is dropped as mislocated, not "proved" anywhere.
import { describe, expect, it } from 'vitest';
import { locateByQuote } from '../src/tasks/evidence.js';

const FILE = [
  'function total(items) {', // 1
  '  const index = items.length;', // 2
  '  if (index > 0) {', // 3
  '    return items[index - 1];', // 4
  '  }', // 5
  '  return 0;', // 6
  '}', // 7
  '// line 30', // 8
].join('\n');
const ALL = [{ start: 1, end: 8 }];

describe('locateByQuote: what counts as evidence', () => {
  it('a quote of punctuation alone proves nothing', () => {
    expect(locateByQuote(FILE, ALL, 5, 5, '}')).toBeNull();
    expect(locateByQuote(FILE, ALL, 7, 7, '}')).toBeNull();
    expect(locateByQuote(FILE, ALL, 4, 4, '];')).toBeNull();
    expect(locateByQuote(FILE, ALL, 5, 7, '  }\n  \n}')).toBeNull();
  });

  it('a quote must match whole tokens of the line, not the inside of a word', () => {
    expect(locateByQuote(FILE, ALL, 2, 2, 'dex = item')).toBeNull();
    expect(locateByQuote(FILE, ALL, 8, 8, '// line 3')).toBeNull();
    expect(locateByQuote(FILE, ALL, 1, 1, 'tal(items')).toBeNull();
  });

  it('a quote of whole tokens, a whole line or several lines still places the finding', () => {
    expect(locateByQuote(FILE, ALL, 2, 2, 'items.length')).toEqual({ range: { start: 2, end: 2 }, moved: false });
    expect(locateByQuote(FILE, ALL, 6, 6, 'const index = items.length;')).toEqual({ range: { start: 2, end: 2 }, moved: true });
    expect(locateByQuote(FILE, ALL, 3, 5, 'if (index > 0) {\n    return items[index - 1];\n  }')).toEqual({
      range: { start: 3, end: 5 },
      moved: false,
    });
    expect(locateByQuote(FILE, ALL, 8, 8, '// line 30')).toEqual({ range: { start: 8, end: 8 }, moved: false });
    // A closing brace inside a quote that also says something is fine.
    expect(locateByQuote(FILE, ALL, 6, 7, 'return 0;\n}')).toEqual({ range: { start: 6, end: 7 }, moved: false });
  });
});
