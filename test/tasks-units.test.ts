import { describe, expect, it } from 'vitest';
import { parseFileBlocks, splitLines } from '../src/prompt/format.js';
import { TASKS } from '../src/tasks/index.js';
import { DEFAULT_PLAN_OPTIONS } from '../src/tasks/task.js';
import { countLines, customIdFor, enclosingBlock, planFileUnits, rangesToSend } from '../src/tasks/units.js';
import type { LineRange, SourceFile, WorkUnit } from '../src/types.js';
import { makeFile } from './helpers/source-file.js';

/** n exported functions of 19 lines each after a 2-line header; function i starts at line 3 + 19 i. */
function bigTs(functions: number): string {
  const out = ["import { helper } from './helper.js';", ''];
  for (let i = 0; i < functions; i++) {
    out.push(`export function fn${i}(a: number, b: number): number {`);
    for (let k = 0; k < 12; k++) out.push(`  const v${k} = helper(a * ${k} + b); // fn${i} step ${k}`);
    out.push('  if (a > b) {', `    return a - b + ${i};`, '  }', '  return v0 + v11;', '}', '');
  }
  return `${out.join('\n')}\n`;
}
const fnStart = (i: number): number => 3 + 19 * i;

const ID = /^[a-zA-Z0-9_-]{1,64}$/;
const sentLines = (unit: WorkUnit): number => Object.values(unit.lineRanges).reduce((n, r) => n + countLines(r), 0);
const covers = (ranges: LineRange[], line: number): boolean => ranges.some((r) => r.start <= line && line <= r.end);

describe('planFileUnits: what a large file with a small change sends', () => {
  const content = bigTs(40); // 762 lines
  const changedLine = fnStart(20) + 14; // "return a - b + 20;" inside fn20
  const file = makeFile('src/big.ts', content, { status: 'modified', changedRanges: [{ start: changedLine, end: changedLine }] });

  it('sends the enclosing function, not the whole file', () => {
    const [unit, ...rest] = planFileUnits('code-review', [file], { ...DEFAULT_PLAN_OPTIONS, contextLines: 3 });
    expect(rest).toHaveLength(0);
    const ranges = unit!.lineRanges['src/big.ts']!;
    // The header (signature) and the closing brace of fn20 are both sent, though the change is 14 lines away.
    expect(covers(ranges, fnStart(20))).toBe(true);
    expect(covers(ranges, fnStart(20) + 17)).toBe(true);
    expect(splitLines(content)[fnStart(20) + 16]).toBe('}');
    // ...and nothing far away.
    expect(covers(ranges, fnStart(0))).toBe(false);
    expect(covers(ranges, fnStart(30))).toBe(false);
    expect(sentLines(unit!)).toBeLessThan(40);
    expect(unit!.part).toBeNull();
  });

  it('with the default context still leaves most of the file out, and the rendered block numbers real lines', () => {
    const [unit] = TASKS['code-review'].planUnits([file], DEFAULT_PLAN_OPTIONS);
    expect(sentLines(unit!)).toBeLessThan(100);
    const [block] = parseFileBlocks(TASKS['code-review'].renderUnit(unit!));
    expect(block!.totalLines).toBe(762);
    expect(block!.code.get(changedLine)).toBe('    return a - b + 20;');
    expect(block!.code.get(fnStart(20))).toBe('export function fn20(a: number, b: number): number {');
    expect(block!.code.has(1)).toBe(false);
  });

  it('sends small files whole', () => {
    const small = makeFile('src/small.ts', bigTs(3), { status: 'modified', changedRanges: [{ start: 10, end: 10 }] });
    expect(rangesToSend(small, DEFAULT_PLAN_OPTIONS)).toEqual([{ start: 1, end: splitLines(small.content).length }]);
  });

  it('finds the enclosing Python method by indentation', () => {
    const lines = ['class Store:', '    def __init__(self):', '        self.items = []', ''];
    lines.push(
      '    def add(self, item):',
      '        if item is None:',
      '            raise ValueError("item")',
      '        self.items.append(item)',
      '',
    );
    lines.push('    def size(self):', '        return len(self.items)');
    const block = enclosingBlock(lines, 7);
    expect(block).toEqual({ start: 5, end: 8 });
  });

  it('finds an Allman-style C# method through its lone brace', () => {
    const lines = [
      'class A',
      '{',
      '    public int Run(int x)',
      '    {',
      '        var y = x * 2;',
      '        return y;',
      '    }',
      '}',
    ];
    expect(enclosingBlock(lines, 6)).toEqual({ start: 3, end: 7 });
  });

  it('returns null for top-level code', () => {
    expect(enclosingBlock(['import a from "a";', 'const x = 1;'], 2)).toBeNull();
  });
});

describe('planFileUnits: splitting and packing', () => {
  it('splits a huge change into labelled parts that cover every line once', () => {
    const content = bigTs(160); // 3042 lines, a new file: all changed
    const file = makeFile('src/huge.ts', content);
    const units = planFileUnits('code-review', [file], DEFAULT_PLAN_OPTIONS);
    expect(units.length).toBe(3);
    expect(units.map((u) => u.part)).toEqual(['1/3', '2/3', '3/3']);
    const all = units.flatMap((u) => u.lineRanges['src/huge.ts']!);
    expect(countLines(all)).toBe(3042);
    for (let i = 1; i < all.length; i++) expect(all[i]!.start).toBe(all[i - 1]!.end + 1);
    for (const unit of units) expect(sentLines(unit)).toBeLessThanOrEqual(DEFAULT_PLAN_OPTIONS.maxUnitLines);
    // Cuts land on function boundaries (after a blank line), not mid-function.
    for (const range of all.slice(0, -1)) expect(splitLines(content)[range.end - 1]).toBe('');
    expect(new Set(units.map((u) => u.customId)).size).toBe(3);
  });

  it('groups separate hunks of a large modified file into parts without cutting a hunk', () => {
    const content = bigTs(60);
    const changed = [5, 20, 35, 50].map((i) => ({ start: fnStart(i) + 5, end: fnStart(i) + 6 }));
    const file = makeFile('src/many.ts', content, { status: 'modified', changedRanges: changed });
    const options = { wholeFileMaxLines: 100, contextLines: 2, maxUnitLines: 45 };
    const units = planFileUnits('security-scan', [file], options);
    expect(units.length).toBe(2);
    expect(units.map((u) => u.part)).toEqual(['1/2', '2/2']);
    const functionsSent = units.map((u) => u.lineRanges['src/many.ts']!.map((r) => r.start));
    expect(functionsSent).toEqual([
      [fnStart(5), fnStart(20)],
      [fnStart(35), fnStart(50)],
    ]);
  });

  it('packs tiny files of one directory (code-review, security-scan), capped by files and lines', () => {
    const tiny = (path: string, lines: number): SourceFile =>
      makeFile(path, `${Array.from({ length: lines }, (_, i) => `export const v${i} = ${i};`).join('\n')}\n`);
    const files = [
      ...Array.from({ length: 12 }, (_, i) => tiny(`src/a/f${i}.ts`, 10)),
      tiny('src/b/one.ts', 5),
      tiny('src/b/two.ts', 5),
      ...Array.from({ length: 8 }, (_, i) => tiny(`src/c/g${i}.ts`, 80)),
      makeFile('src/big.ts', bigTs(5)),
    ];
    const units = TASKS['code-review'].planUnits(files, DEFAULT_PLAN_OPTIONS);
    const shape = units.map((u) => u.files.map((f) => f.path));
    // At most 10 files a pack: 12 tiny files of one directory are 10 + 2 (in path order).
    const aPaths = Array.from({ length: 12 }, (_, i) => `src/a/f${i}.ts`).sort();
    expect(shape).toContainEqual(aPaths.slice(0, 10));
    expect(shape).toContainEqual(aPaths.slice(10));
    expect(shape).toContainEqual(['src/b/one.ts', 'src/b/two.ts']);
    // 8 files of 80 lines exceed the 600-line pack: 7 + 1.
    expect(shape.filter((paths) => paths[0]!.startsWith('src/c/')).map((p) => p.length)).toEqual([7, 1]);
    expect(shape).toContainEqual(['src/big.ts']);
    // A packed unit carries every file whole and renders every block.
    const packed = units.find((u) => u.files.length === 2 && u.files[0]!.path === 'src/b/one.ts')!;
    expect(packed.lineRanges).toEqual({ 'src/b/one.ts': [{ start: 1, end: 5 }], 'src/b/two.ts': [{ start: 1, end: 5 }] });
    expect(parseFileBlocks(TASKS['code-review'].renderUnit(packed)).map((b) => b.path)).toEqual(['src/b/one.ts', 'src/b/two.ts']);
    expect(TASKS['security-scan'].planUnits(files, DEFAULT_PLAN_OPTIONS).length).toBe(units.length);
    // Tasks that answer per file do not pack.
    const files2 = files.slice(0, 3).map((f) => ({ ...f, status: 'modified' as const, baseContent: 'export const v0 = 1;\n' }));
    expect(TASKS['refactor-validation'].planUnits(files2, DEFAULT_PLAN_OPTIONS)).toHaveLength(3);
  });

  // A large file's changed function costs what a small file costs: it packs with its neighbours, so
  // the prefix and the answer's fixed part are paid once for the directory, not once per file.
  it("packs a large file's small change with the tiny files of its directory, sending only its hunks", () => {
    const tiny = (path: string): SourceFile => makeFile(path, 'export const one = 1;\nexport const two = 2;\n');
    const oneChange = makeFile('src/b/large.ts', bigTs(20), {
      status: 'modified',
      changedRanges: [{ start: fnStart(7) + 4, end: fnStart(7) + 4 }],
    });
    // Changes in 12 functions: ~12 x 19 lines to send, over the 150 a packable unit may send.
    const manyChanges = makeFile('src/b/busy.ts', bigTs(20), {
      status: 'modified',
      changedRanges: Array.from({ length: 12 }, (_, i) => ({ start: fnStart(i) + 4, end: fnStart(i) + 4 })),
    });
    const elsewhere = makeFile('src/c/large.ts', bigTs(20), {
      status: 'modified',
      changedRanges: [{ start: fnStart(3) + 4, end: fnStart(3) + 4 }],
    });
    const files = [tiny('src/b/one.ts'), oneChange, manyChanges, tiny('src/b/two.ts'), elsewhere];
    const units = TASKS['code-review'].planUnits(files, DEFAULT_PLAN_OPTIONS);
    const shape = units.map((u) => u.files.map((f) => f.path));
    expect(shape).toContainEqual(['src/b/large.ts', 'src/b/one.ts', 'src/b/two.ts']);
    expect(shape).toContainEqual(['src/b/busy.ts']);
    expect(shape).toContainEqual(['src/c/large.ts']);
    const packed = units.find((u) => u.files.length === 3)!;
    // The large file keeps exactly the ranges it would have had alone: its changed function with context.
    expect(packed.lineRanges['src/b/large.ts']).toEqual(rangesToSend(oneChange, DEFAULT_PLAN_OPTIONS));
    expect(countLines(packed.lineRanges['src/b/large.ts']!)).toBeLessThan(40);
    expect(packed.lineRanges['src/b/one.ts']).toEqual([{ start: 1, end: 2 }]);
    const blocks = parseFileBlocks(TASKS['code-review'].renderUnit(packed));
    expect(blocks.map((b) => b.path)).toEqual(['src/b/large.ts', 'src/b/one.ts', 'src/b/two.ts']);
    // What was sent of the large file is its changed function, numbered as in the file.
    const sentOfLarge = blocks[0]!.code;
    expect(sentOfLarge.get(fnStart(7) + 4)).toBe(splitLines(bigTs(20))[fnStart(7) + 3]);
    expect(sentOfLarge.has(fnStart(12))).toBe(false);
  });
});

describe('customIdFor', () => {
  it('is deterministic, well-formed, prefixed per task and unique across parts and packs', () => {
    const a = makeFile('src/a.ts', 'export const a = 1;\n');
    const b = makeFile('src/b.ts', 'export const b = 2;\n');
    const ids = [
      customIdFor('code-review', [a], null),
      customIdFor('code-review', [a], '1/2'),
      customIdFor('code-review', [a], '2/2'),
      customIdFor('code-review', [a, b], null),
      customIdFor('code-review', [b], null),
      customIdFor('security-scan', [a], null),
    ];
    for (const id of ids) expect(id).toMatch(ID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(customIdFor('code-review', [a, b], null)).toBe(customIdFor('code-review', [b, a], null));
    expect(ids[0]).toMatch(/^cr-[0-9a-f]{40}$/);
    expect(ids[5]).toMatch(/^sec-/);
    expect(customIdFor('docs-update', [a], null)).toMatch(/^doc-/);
    expect(customIdFor('test-generation', [a], null)).toMatch(/^tg-/);
    expect(customIdFor('refactor-validation', [a], null)).toMatch(/^rv-/);
  });

  it('changes when the content hash changes, and never contains the raw path', () => {
    const path = 'src/secret plans/x.ts';
    const before = makeFile(path, 'export const x = 1;\n');
    const after = makeFile(path, 'export const x = 2;\n');
    const [u1] = TASKS['code-review'].planUnits([before], DEFAULT_PLAN_OPTIONS);
    const [u1again] = TASKS['code-review'].planUnits([before], DEFAULT_PLAN_OPTIONS);
    const [u2] = TASKS['code-review'].planUnits([after], DEFAULT_PLAN_OPTIONS);
    expect(u1!.customId).toBe(u1again!.customId);
    expect(u1!.customId).not.toBe(u2!.customId);
    expect(u1!.customId).not.toContain('plans');
  });

  it('stays unique over a realistic plan of every task', () => {
    const files = [
      makeFile('src/huge.ts', bigTs(160)),
      ...Array.from({ length: 12 }, (_, i) => makeFile(`src/t/f${i}.ts`, `export const v = ${i};\n`)),
      makeFile('src/mid.ts', bigTs(10)),
    ];
    for (const task of Object.values(TASKS)) {
      const units = task.planUnits(
        files.map((f) => ({ ...f, status: 'modified' as const, baseContent: f.content })),
        DEFAULT_PLAN_OPTIONS,
      );
      const ids = units.map((u) => u.customId);
      expect(new Set(ids).size, task.name).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(ID);
    }
  });
});
