// What a reviewer needs sent, decided by the code's structure (issue 13 item 5): the uses of a changed
// top-level name in the same file, data files as their changed lines only, manifest bumps packed with
// their neighbours. Fixtures shaped like what was seen on honojs/hono's history and in the issue.
import { describe, expect, it } from 'vitest';
import { parseFileBlocks, splitLines } from '../src/prompt/format.js';
import { TASKS } from '../src/tasks/index.js';
import { DEFAULT_PLAN_OPTIONS } from '../src/tasks/task.js';
import { countLines, dataChangeLeftOut, planFileUnits } from '../src/tasks/units.js';
import type { LineRange, WorkUnit } from '../src/types.js';
import { makeFile } from './helpers/source-file.js';

const covers = (ranges: LineRange[], line: number): boolean => ranges.some((r) => r.start <= line && line <= r.end);
const sentLines = (unit: WorkUnit): number => Object.values(unit.lineRanges).reduce((n, r) => n + countLines(r), 0);

/** Filler functions of 8 lines: `function helperN(...) {...}`. */
function helpers(from: number, count: number): string[] {
  const out: string[] = [];
  for (let i = from; i < from + count; i++) {
    out.push(
      `function helper${i}(value: string): string {`,
      `  const trimmed = value.trim();`,
      `  if (trimmed.length > ${i}) {`,
      `    return trimmed.slice(0, ${i});`,
      '  }',
      '  return trimmed;',
      '}',
      '',
    );
  }
  return out;
}

/**
 * A 151-line module (one line over the whole-file threshold) whose changed line 5 is a regex; the
 * function that uses it sits 80 lines further down.
 */
function versionModule(): { content: string; regexLine: number; useLine: number; fnStart: number; fnEnd: number } {
  const lines = [
    "import { helperOf } from './helpers.js';",
    '',
    '// Versions as published: major.minor.patch with an optional pre-release tag.',
    '',
    'const VERSION_PATTERN = /^(\\d+)\\.(\\d+)\\.(\\d+)(?:-([\\w.]+))?$/;',
    '',
    ...helpers(0, 9), // lines 7-78
  ];
  while (lines.length < 84) lines.push('');
  const fnStart = lines.length + 1; // 85
  lines.push(
    'export function parseVersion(input: string): { major: number; minor: number; patch: number } | null {',
    '  const match = VERSION_PATTERN.exec(input.trim());',
    '  if (!match) return null;',
    '  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };',
    '}',
    '',
  );
  const fnEnd = fnStart + 4;
  lines.push(...helpers(20, 8));
  while (lines.length < 151) lines.push('// end of module');
  lines.length = 151;
  return { content: `${lines.join('\n')}\n`, regexLine: 5, useLine: fnStart + 1, fnStart, fnEnd };
}

describe('context by structure: the uses of what changed', () => {
  it("sends the function that uses a changed top-level regex, 80 lines away, with the regex's line", () => {
    const module = versionModule();
    expect(splitLines(module.content)).toHaveLength(151);
    const file = makeFile('src/utils/version.ts', module.content, {
      status: 'modified',
      changedRanges: [{ start: module.regexLine, end: module.regexLine }],
    });
    const [unit, ...rest] = TASKS['code-review'].planUnits([file], DEFAULT_PLAN_OPTIONS);
    expect(rest).toHaveLength(0);
    const ranges = unit!.lineRanges['src/utils/version.ts']!;
    expect(covers(ranges, module.regexLine)).toBe(true);
    // The user of the regex, whole: signature, the use, the closing brace.
    for (const line of [module.fnStart, module.useLine, module.fnEnd]) expect(covers(ranges, line)).toBe(true);
    const [block] = parseFileBlocks(TASKS['code-review'].renderUnit(unit!));
    expect(block!.code.get(module.useLine)).toBe('  const match = VERSION_PATTERN.exec(input.trim());');
    // Not the whole file: the unrelated helpers in between stay out.
    expect(covers(ranges, 40)).toBe(false);
    expect(sentLines(unit!)).toBeLessThan(60);
  });

  it('sends the method that reads a changed class field through this., 220 lines below it in a class too large to send whole', () => {
    const methods: string[] = [];
    for (let i = 0; i < 45; i++)
      methods.push(`  probe${i}(key: string): number {`, '    const value = key.length;', `    return value * ${i};`, '  }', '');
    const lines = [
      'export class RateLimiter {',
      '  private readonly hits = new Map<string, number[]>();',
      '  private readonly windowMs = 60_000;',
      '',
      ...methods,
      '  allow(key: string, now: number): boolean {',
      '    const recent = (this.hits.get(key) ?? []).filter((at) => now - at < this.windowMs);',
      '    recent.push(now);',
      '    this.hits.set(key, recent);',
      '    return recent.length <= 10;',
      '  }',
      '}',
    ];
    const useLine = lines.indexOf('  allow(key: string, now: number): boolean {') + 2;
    const content = `${lines.join('\n')}\n`;
    expect(lines.length).toBeGreaterThan(DEFAULT_PLAN_OPTIONS.wholeFileMaxLines);
    const file = makeFile('src/limiter.ts', content, { status: 'modified', changedRanges: [{ start: 3, end: 3 }] });
    const [unit] = TASKS['code-review'].planUnits([file], DEFAULT_PLAN_OPTIONS);
    const ranges = unit!.lineRanges['src/limiter.ts']!;
    for (const line of [3, useLine - 1, useLine, useLine + 4]) expect(covers(ranges, line)).toBe(true);
    expect(covers(ranges, 60)).toBe(false);
  });

  it('does not chase a local variable into other functions that reuse its name', () => {
    // Every helper declares `trimmed`; a change to one helper's `trimmed` concerns that helper only.
    const lines = ['// many helpers', '', ...helpers(0, 40)];
    const content = `${lines.join('\n')}\n`;
    const changed = 3 + 8 * 20 + 1; // `const trimmed = ...` inside helper20
    expect(splitLines(content)[changed - 1]).toBe('  const trimmed = value.trim();');
    const file = makeFile('src/helpers.ts', content, { status: 'modified', changedRanges: [{ start: changed, end: changed }] });
    const [unit] = TASKS['code-review'].planUnits([file], DEFAULT_PLAN_OPTIONS);
    const ranges = unit!.lineRanges['src/helpers.ts']!;
    expect(covers(ranges, changed)).toBe(true);
    expect(covers(ranges, 3 + 8 * 5)).toBe(false);
    expect(covers(ranges, 3 + 8 * 35)).toBe(false);
    expect(sentLines(unit!)).toBeLessThan(30);
  });
});

/** A JSON data set of `records` 5-line objects inside one array: 2 + 5 × records lines. */
function dataJson(records: number): string {
  const out = ['['];
  for (let i = 0; i < records; i++) {
    out.push(
      '  {',
      `    "id": ${i},`,
      `    "name": "station ${i}",`,
      `    "tags": ["line-${i % 7}", "zone-${i % 3}"]`,
      i === records - 1 ? '  }' : '  },',
    );
  }
  out.push(']');
  return `${out.join('\n')}\n`;
}

describe('data files: only when the task needs them', () => {
  const content = dataJson(540); // 2,702 lines
  const changedLine = 2 + 5 * 240 + 3; // one record's "name"

  it("sends a data file's change as its changed lines with two lines of context, nothing else", () => {
    expect(splitLines(content)).toHaveLength(2702);
    const file = makeFile('src/data/stations.json', content, {
      status: 'modified',
      changedRanges: [{ start: changedLine, end: changedLine }],
    });
    for (const task of ['code-review', 'security-scan'] as const) {
      const units = TASKS[task].planUnits([file], DEFAULT_PLAN_OPTIONS);
      expect(units).toHaveLength(1);
      expect(units[0]!.lineRanges['src/data/stations.json']).toEqual([{ start: changedLine - 2, end: changedLine + 2 }]);
    }
    expect(dataChangeLeftOut(file)).toBe(false);
  });

  it('leaves out a new 2,700-line data file (reason "data") instead of paying ~16K tokens for it', () => {
    const added = makeFile('src/data/stations.json', content);
    expect(dataChangeLeftOut(added)).toBe(true);
    expect(TASKS['code-review'].planUnits([added], DEFAULT_PLAN_OPTIONS)).toEqual([]);
    expect(TASKS['security-scan'].planUnits([added], DEFAULT_PLAN_OPTIONS)).toEqual([]);
    // The same size of code is still reviewed: the rule is about data, not size.
    const code = makeFile('src/big.ts', `${helpers(0, 340).join('\n')}\n`);
    expect(dataChangeLeftOut(code)).toBe(false);
    expect(planFileUnits('code-review', [code], DEFAULT_PLAN_OPTIONS).length).toBeGreaterThan(1);
  });

  it('knows a data set written as code by its shape, and a long Markdown list as a document', () => {
    const records = Array.from({ length: 600 }, (_, i) => `  { id: ${i}, name: 'station ${i}', zone: ${i % 5}, open: true },`);
    const module = makeFile('src/data/stations.ts', `export const STATIONS = [\n${records.join('\n')}\n];\n`);
    expect(dataChangeLeftOut(module)).toBe(true);
    const list = Array.from({ length: 600 }, (_, i) => `- station ${i}: zone ${i % 5}`);
    const doc = makeFile('docs/stations.md', `# Stations\n\n${list.join('\n')}\n`, { language: 'markdown' });
    expect(dataChangeLeftOut(doc)).toBe(false);
  });

  it('keeps small JSON configuration a normal file, sent whole', () => {
    const tsconfig = makeFile(
      'tsconfig.json',
      `${JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', module: 'nodenext' } }, null, 2)}\n`,
      { status: 'modified', changedRanges: [{ start: 3, end: 3 }] },
    );
    expect(dataChangeLeftOut(tsconfig)).toBe(false);
    const [unit] = TASKS['code-review'].planUnits([tsconfig], DEFAULT_PLAN_OPTIONS);
    expect(unit!.lineRanges['tsconfig.json']).toEqual([{ start: 1, end: splitLines(tsconfig.content).length }]);
  });
});

describe('manifest bumps ride along', () => {
  const packageJson = (version: string): string =>
    `${JSON.stringify(
      {
        name: 'web-framework',
        version,
        type: 'module',
        scripts: { build: 'tsc -p tsconfig.build.json', test: 'vitest run' },
        dependencies: { 'some-lib': '^1.2.3' },
      },
      null,
      2,
    )}\n`;
  const app = `${helpers(0, 40).join('\n')}\n`; // 320 lines: sent as hunks
  const changedInApp = 3 + 8 * 12;

  it('packs a package.json version bump with the code change next to it instead of a request of its own', () => {
    const manifest = makeFile('package.json', packageJson('4.13.3'), {
      status: 'modified',
      changedRanges: [{ start: 3, end: 3 }],
    });
    const code = makeFile('src/app.ts', app, { status: 'modified', changedRanges: [{ start: changedInApp, end: changedInApp }] });
    for (const task of ['code-review', 'security-scan'] as const) {
      const units = TASKS[task].planUnits([manifest, code], DEFAULT_PLAN_OPTIONS);
      expect(units.map((u) => u.files.map((f) => f.path).sort())).toEqual([['package.json', 'src/app.ts']]);
      const blocks = parseFileBlocks(TASKS[task].renderUnit(units[0]!));
      expect(blocks.find((b) => b.path === 'package.json')!.code.get(3)).toBe('  "version": "4.13.3",');
    }
  });

  it('keeps a manifest alone when there is nothing to pack it with', () => {
    const manifest = makeFile('package.json', packageJson('4.13.3'), {
      status: 'modified',
      changedRanges: [{ start: 3, end: 3 }],
    });
    const units = TASKS['code-review'].planUnits([manifest], DEFAULT_PLAN_OPTIONS);
    expect(units.map((u) => u.files.map((f) => f.path))).toEqual([['package.json']]);
  });
});
