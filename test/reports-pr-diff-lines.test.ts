import { describe, expect, it } from 'vitest';
import { buildDiffLineMap, commentableLine, rightSideLines } from '../src/reports/diff-lines.js';

// Head lines: 1 a, 2 c, 3 d, 4 e ... 11 x, 12 z
const patch = [
  '@@ -1,3 +1,4 @@',
  ' a',
  '-b',
  '+c',
  '+d',
  ' e',
  '@@ -10,2 +11,2 @@',
  ' x',
  '-y',
  '+z',
  '\\ No newline at end of file',
].join('\n');

describe('diff lines', () => {
  it('collects added and context lines of the RIGHT side, not deleted ones', () => {
    expect([...rightSideLines(patch)].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 11, 12]);
    expect(rightSideLines(null).size).toBe(0);
  });

  it('maps every file of the PR, ignoring removed files and binaries', () => {
    const map = buildDiffLineMap([
      { filename: 'src/a.ts', status: 'modified', patch },
      { filename: 'logo.png', status: 'added' },
      { filename: 'gone.ts', status: 'removed', patch: '@@ -1 +0,0 @@\n-x' },
    ]);
    expect([...map.keys()]).toEqual(['src/a.ts', 'logo.png']);
    expect(commentableLine(map, 'logo.png', 1, 1)).toBeNull();
  });

  it('anchors on the end line, else the last in-diff line of the range, else nothing', () => {
    const map = buildDiffLineMap([{ filename: 'src/a.ts', patch }]);
    expect(commentableLine(map, 'src/a.ts', 2, 3)).toBe(3);
    expect(commentableLine(map, 'src/a.ts', 3, 8)).toBe(4);
    expect(commentableLine(map, 'src/a.ts', 9, 2)).toBe(4);
    expect(commentableLine(map, 'src/a.ts', 5, 10)).toBeNull();
    expect(commentableLine(map, 'src/other.ts', 1, 1)).toBeNull();
    expect(commentableLine(map, 'src/a.ts', 1, 1_000_000_000)).toBe(12);
  });
});
