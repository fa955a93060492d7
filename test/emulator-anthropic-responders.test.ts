// The emulator's default answers: each one must validate against the schema the request asked for
// and talk about the code that was really sent (real lines, real exports).
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { defaultResponder } from '../src/emulator/anthropic/index.js';
import { renderFileBlock } from '../src/prompt/format.js';
import { getTask } from '../src/tasks/index.js';
import type { SourceFile } from '../src/types.js';

// The schemas overnight sends (the emulator must answer exactly these; the last test checks it fits others).
const findingsSchema = getTask('code-review').outputSchema;
const filesSchema = getTask('test-generation').outputSchema;
const verdictsSchema = getTask('refactor-validation').outputSchema;

function file(path: string, content: string, extra: Partial<SourceFile> = {}): SourceFile {
  const language = path.endsWith('.py') ? 'python' : path.endsWith('.go') ? 'go' : 'typescript';
  return {
    path,
    content,
    contentHash: 'h',
    diff: '',
    changedRanges: [],
    status: 'modified',
    language,
    redactions: 0,
    bytes: content.length,
    ...extra,
  };
}

function request(system: string, user: string, schema: Record<string, unknown>): MessageCreateParamsNonStreaming {
  return {
    model: 'claude-sonnet-4-6',
    max_tokens: 8000,
    system,
    messages: [{ role: 'user', content: user }],
    output_config: { format: { type: 'json_schema', schema } },
  };
}

function answer<T>(params: MessageCreateParamsNonStreaming, schema: Record<string, unknown>): T {
  const parsed = JSON.parse(defaultResponder(params)) as T;
  const validate = new Ajv({ strict: false }).compile(schema);
  expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
  return parsed;
}

type Files = { files: { path: string; content: string; description: string; source_path: string }[]; summary: string };
type Verdicts = {
  verdicts: { path: string; verdict: string; problems: { start_line: number; kind: string; title: string }[] }[];
};
type Findings = { findings: { start_line: number; category: string; cwe: string | null }[] };

const MATH_TS = [
  "import { clamp } from './util.js';",
  '',
  '/** Adds two numbers. */',
  'export function add(a: number, b: number): number {',
  '  return a + b;',
  '}',
  '',
  'export const scale = (value: number, factor = 2): number => clamp(value * factor);',
  '',
  'export async function fetchTotal(url: string, init?: RequestInit) {',
  '  return (await fetch(url, init)).json();',
  '}',
  '',
  'const internal = 1;',
].join('\n');

describe('findings answers', () => {
  it('flag Python defects on their lines', () => {
    const lines = [
      'import os, pickle, yaml',
      '',
      'def load(cursor, name, blob, path):',
      '    cursor.execute(f"SELECT * FROM items WHERE name = \'{name}\'")',
      '    os.system("tar xf " + path)',
      '    obj = pickle.loads(blob)',
      '    cfg = yaml.load(open(path))',
      '    try:',
      '        return obj',
      '    except Exception:',
      '        pass',
    ];
    const params = request(
      'Review for bugs and security.',
      renderFileBlock(file('app/load.py', `${lines.join('\n')}\n`)),
      findingsSchema,
    );
    const { findings } = answer<Findings>(params, findingsSchema);
    const at = (category: string): number[] => findings.filter((f) => f.category === category).map((f) => f.start_line);
    expect(at('sql-injection')).toEqual([4]);
    expect(at('command-injection')).toEqual([5]);
    expect(at('insecure-deserialization')).toEqual([6, 7]);
    expect(at('swallowed-error')).toEqual([10]);
  });

  it('a security scan reports only CWE-backed findings', () => {
    const content = 'export function f(a) {\n  // TODO: later\n  if (a == 1) document.body.innerHTML = a;\n}\n';
    const params = request(
      'You perform a security scan of the code.',
      renderFileBlock(file('src/f.ts', content)),
      findingsSchema,
    );
    const { findings } = answer<Findings>(params, findingsSchema);
    expect(findings.map((f) => f.category)).toEqual(['xss']);
    expect(findings.every((f) => f.cwe !== null)).toBe(true);
  });

  it('only points at lines that were sent when a file is sent in ranges', () => {
    const content = Array.from({ length: 40 }, (_, i) => (i === 4 || i === 30 ? '  eval(input);' : `const v${i} = ${i};`)).join(
      '\n',
    );
    const block = renderFileBlock(file('src/big.ts', `${content}\n`), { ranges: [{ start: 25, end: 35 }] });
    const { findings } = answer<Findings>(request('Review.', block, findingsSchema), findingsSchema);
    expect(findings.map((f) => f.start_line)).toEqual([31]);
  });
});

describe('files answers', () => {
  it('test-generation writes test/x.test.ts importing the source and testing each exported function', () => {
    const params = request(
      'You write unit tests with vitest (test-generation).',
      renderFileBlock(file('src/math.ts', `${MATH_TS}\n`)),
      filesSchema,
    );
    const { files } = answer<Files>(params, filesSchema);
    expect(files).toHaveLength(1);
    const [test] = files;
    expect(test).toMatchObject({ path: 'test/math.test.ts', source_path: 'src/math.ts' });
    expect(test!.content).toContain("import { add, scale, fetchTotal } from '../src/math.js';");
    expect(test!.content).toContain('expect(add.length).toBe(2);');
    expect(test!.content).toContain('expect(scale.length).toBe(1);'); // factor has a default
    expect(test!.content).toContain('expect(fetchTotal.length).toBe(2);');
    expect(test!.content).not.toContain('internal');
  });

  it('test-generation follows a colocated convention shown in the prompt, and Python goes to tests/', () => {
    const colocated = request(
      'You write unit tests (test-generation). Existing tests: src/other.test.ts',
      renderFileBlock(file('src/math.ts', `${MATH_TS}\n`)),
      filesSchema,
    );
    expect(answer<Files>(colocated, filesSchema).files[0]!.path).toBe('src/math.test.ts');
    expect(answer<Files>(colocated, filesSchema).files[0]!.content).toContain("from './math.js'");

    const python = request(
      'You write unit tests with pytest (test-generation).',
      renderFileBlock(file('pkg/a.py', 'def parse(text, strict=False):\n    return text\n\ndef _hidden():\n    pass\n')),
      filesSchema,
    );
    const [test] = answer<Files>(python, filesSchema).files;
    expect(test!.path).toBe('tests/test_a.py');
    expect(test!.content).toContain('from pkg.a import parse');
    expect(test!.content).not.toContain('_hidden');
  });

  it('test-generation honours <test_setup> and merges into an existing test file that was shown', () => {
    const existing =
      "import { describe, it, expect } from 'vitest';\nimport { add } from '../../src/math.js';\n\ndescribe('add', () => {\n  it('adds', () => expect(add(1, 2)).toBe(3));\n});\n";
    const user = [
      'Write tests for src/math.ts.',
      '<test_setup>',
      'framework: vitest (used by the existing tests)',
      'suggested path: test/unit/math.test.ts',
      '</test_setup>',
      renderFileBlock(file('src/math.ts', `${MATH_TS}\n`)),
      renderFileBlock(file('test/unit/math.test.ts', existing)),
    ].join('\n');
    const { files } = answer<Files>(request('You write unit tests (test-generation).', user, filesSchema), filesSchema);
    expect(files.map((f) => f.path)).toEqual(['test/unit/math.test.ts']);
    const content = files[0]!.content;
    expect(content.startsWith(existing.replace(/\n$/, '').split('\n').slice(0, 2).join('\n'))).toBe(true);
    expect(content).toContain("it('adds', () => expect(add(1, 2)).toBe(3));");
    // add is already imported: only the other exports get a new import, and vitest is not imported twice.
    expect(content).toContain("import { scale, fetchTotal } from '../../src/math.js';");
    expect(content.match(/from 'vitest'/g)).toHaveLength(1);
    expect(content).toContain('expect(fetchTotal.length).toBe(2);');
  });

  it('docs-update returns the same file with doc comments added and every other line unchanged', () => {
    const params = request(
      'You add or refresh doc comments (docs-update).',
      renderFileBlock(file('src/math.ts', `${MATH_TS}\n`)),
      filesSchema,
    );
    const { files } = answer<Files>(params, filesSchema);
    expect(files).toHaveLength(1);
    const [doc] = files;
    expect(doc).toMatchObject({ path: 'src/math.ts', source_path: 'src/math.ts' });
    const out = doc!.content.split('\n');
    // Every original line is still there, in order.
    let cursor = 0;
    for (const line of MATH_TS.split('\n')) {
      cursor = out.indexOf(line, cursor);
      expect(cursor, `lost line: ${line}`).toBeGreaterThanOrEqual(0);
      cursor += 1;
    }
    const added = out.filter((line) => !MATH_TS.split('\n').includes(line));
    expect(added.join('\n')).toContain('Scale');
    expect(added.join('\n')).toContain('@param factor');
    expect(added.join('\n')).toContain('Fetch total');
    expect(added.join('\n')).not.toContain('Add.'); // add already had a doc comment
    expect(out[out.indexOf('export const scale = (value: number, factor = 2): number => clamp(value * factor);') - 1]).toBe(
      ' */',
    );
  });

  it('docs-update leaves a partially sent file alone', () => {
    const block = renderFileBlock(file('src/math.ts', `${MATH_TS}\n`), { ranges: [{ start: 8, end: 12 }] });
    const result = answer<Files>(request('docs-update: add doc comments.', block, filesSchema), filesSchema);
    expect(result.files).toEqual([]);
    expect(result.summary).toContain('not sent whole');
  });
});

describe('verdicts answers', () => {
  const base = MATH_TS;

  function verdictFor(head: string): Verdicts['verdicts'][number] {
    const block = renderFileBlock(file('src/math.ts', `${head}\n`, { baseContent: `${base}\n` }), { includeBase: true });
    const { verdicts } = answer<Verdicts>(request('refactor-validation', block, verdictsSchema), verdictsSchema);
    expect(verdicts).toHaveLength(1);
    return verdicts[0]!;
  }

  it('VALID when every export keeps its name and parameter count', () => {
    const head = base.replace('return a + b;', 'const sum = a + b;\n  return sum;');
    expect(verdictFor(head)).toMatchObject({ path: 'src/math.ts', verdict: 'VALID', problems: [] });
  });

  it('INVALID with problems on real lines when an export is removed or a parameter count changes', () => {
    const head = base
      .replace('export function add(a: number, b: number): number {', 'export function add(values: number[]): number {')
      .replace('  return a + b;', '  return values.reduce((x, y) => x + y, 0);')
      .replace('export const scale', 'const scale');
    const headLines = head.split('\n');
    const verdict = verdictFor(head);
    expect(verdict.verdict).toBe('INVALID');
    const kinds = verdict.problems.map((p) => p.kind).sort();
    expect(kinds).toEqual(['missing-export', 'type-break']);
    const typeBreak = verdict.problems.find((p) => p.kind === 'type-break')!;
    expect(headLines[typeBreak.start_line - 1]).toContain('export function add(values');
    for (const problem of verdict.problems) {
      expect(problem.start_line).toBeGreaterThanOrEqual(1);
      expect(problem.start_line).toBeLessThanOrEqual(headLines.length);
    }
    expect(verdict.problems.find((p) => p.kind === 'missing-export')!.title).toContain('scale');
  });
});

describe('schema fitting', () => {
  it('fits the answer to a schema with extra required fields and a different enum', () => {
    type Node = { properties: Record<string, unknown>; required: string[]; items?: Node };
    const schema = structuredClone(findingsSchema) as unknown as Node;
    const items = (schema.properties.findings as Node).items!;
    items.properties.certainty = { type: 'string', enum: ['low', 'high'] };
    items.required = [...items.required, 'certainty'];
    schema.properties.reviewed_paths = { type: 'array', items: { type: 'string' } };
    schema.required = [...schema.required, 'reviewed_paths'];
    const block = renderFileBlock(file('src/a.ts', 'export const go = (x) => eval(x);\n'));
    const fitted = schema as unknown as Record<string, unknown>;
    const parsed = answer<Findings>(request('Review.', block, fitted), fitted);
    expect(parsed.findings.map((f) => f.category)).toContain('code-injection');
  });
});
