import { describe, expect, it } from 'vitest';
import { codeAt, fingerprint } from '../src/tasks/fingerprint.js';
import { enclosingBlock } from '../src/tasks/units.js';

describe('fingerprint', () => {
  const base = { task: 'security-scan' as const, path: 'src/a.ts', category: 'sql-injection' };
  const original = 'function f(id) {\n  db.query("SELECT " + id);\n}\n';
  const shifted = `${'// new\n'.repeat(10)}class C {\n    function f(id) {\n        db.query("SELECT " +   id);\n    }\n}\n`;

  it('is 32 hex and ignores line numbers and whitespace', () => {
    const a = fingerprint({ ...base, code: codeAt(original, 1, 3) });
    const b = fingerprint({ ...base, code: codeAt(shifted, 12, 14) });
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(b).toBe(a);
  });

  it('depends on task, path, category and code', () => {
    const a = fingerprint({ ...base, code: 'x' });
    expect(fingerprint({ ...base, task: 'code-review', code: 'x' })).not.toBe(a);
    expect(fingerprint({ ...base, path: 'src/b.ts', code: 'x' })).not.toBe(a);
    expect(fingerprint({ ...base, category: 'xss', code: 'x' })).not.toBe(a);
    expect(fingerprint({ ...base, category: ' SQL-Injection ', code: 'x' })).toBe(a);
    expect(fingerprint({ ...base, code: 'y' })).not.toBe(a);
  });

  it('codeAt clamps to the file and accepts reversed ranges', () => {
    expect(codeAt('a\nb\nc\n', 2, 9)).toBe('b\nc');
    expect(codeAt('a\nb\nc\n', 3, 2)).toBe('b\nc');
    expect(codeAt('a\nb\nc\n', 7, 9)).toBe('');
  });
});

describe('enclosingBlock heuristic across languages', () => {
  it('Go function with receiver', () => {
    const lines = [
      'package s',
      '',
      'func (s *Server) Handle(w http.ResponseWriter) error {',
      '\tif s.closed {',
      '\t\treturn errClosed',
      '\t}',
      '\treturn nil',
      '}',
      '',
    ];
    expect(enclosingBlock(lines, 5)).toEqual({ start: 3, end: 8 });
  });

  it('TypeScript method with a multi-line signature inside a class', () => {
    const lines = [
      'export class Repo {',
      '  async find(',
      '    id: string,',
      '    opts: Options,',
      '  ): Promise<Row> {',
      '    const row = await this.db.get(id);',
      '    return row;',
      '  }',
      '}',
    ];
    expect(enclosingBlock(lines, 7)).toEqual({ start: 2, end: 8 });
  });

  it('prefers the function over an inner object literal', () => {
    const lines = ['function build() {', '  const cfg = {', '    retries: 3,', '  };', '  return cfg;', '}'];
    expect(enclosingBlock(lines, 3)).toEqual({ start: 1, end: 6 });
  });

  it('reports a block too long to send with end null', () => {
    const lines = ['function long() {', ...Array.from({ length: 300 }, (_, i) => `  step(${i});`), '}'];
    expect(enclosingBlock(lines, 150)).toEqual({ start: 1, end: null });
  });
});
