import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPatch, unifiedHunks } from '../src/reports/patch.js';

function applies(base: Record<string, string>, patch: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'overnight-patch-'));
  execFileSync('git', ['init', '-q'], { cwd: dir });
  for (const [path, content] of Object.entries(base)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  writeFileSync(join(dir, 'change.patch'), patch);
  execFileSync('git', ['apply', '--check', 'change.patch'], { cwd: dir });
  execFileSync('git', ['apply', 'change.patch'], { cwd: dir });
  return new Proxy({}, { get: (_, path: string) => readFileSync(join(dir, path), 'utf8') }) as Record<string, string>;
}

describe('buildPatch', () => {
  const source = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
  const documented = source
    .replace('line 5\n', '/** Five. */\nline 5\n')
    .replace('line 30\n', 'line thirty\n')
    .replace('line 40\n', 'line 40\n// end');

  it('writes new and changed files that git apply accepts and reproduces', async () => {
    const base: Record<string, string> = { 'src/a b.ts': source };
    const files = [
      { path: 'test/a.test.ts', content: "import { it } from 'vitest';\nit('works', () => {});\n" },
      { path: 'src/a b.ts', content: documented },
      { path: 'docs/same.md', content: 'same\n' },
    ];
    base['docs/same.md'] = 'same\n';
    const patch = await buildPatch(files, async (path) => base[path] ?? null);
    expect(patch).toContain(
      'diff --git a/test/a.test.ts b/test/a.test.ts\nnew file mode 100644\n--- /dev/null\n+++ b/test/a.test.ts\n@@ -0,0 +1,2 @@\n',
    );
    expect(patch).toContain('--- a/src/a b.ts\n+++ b/src/a b.ts\n');
    expect(patch).toContain('\\ No newline at end of file');
    expect(patch).not.toContain('docs/same.md');
    const result = applies(base, patch);
    expect(result['test/a.test.ts']).toBe(files[0]!.content);
    expect(result['src/a b.ts']).toBe(documented);
  });

  it('splits distant changes into separate hunks with three lines of context', () => {
    const hunks = unifiedHunks(source, documented);
    expect(hunks.match(/^@@ /gm)).toHaveLength(3);
    expect(hunks).toContain('@@ -2,6 +2,7 @@\n line 2\n line 3\n line 4\n+/** Five. */\n line 5\n');
    expect(unifiedHunks('a\n', 'a\n')).toBe('');
  });

  it('handles whole rewrites and emptied files', async () => {
    const before = 'x\ny\nz\n';
    const after = 'p\nq\n';
    const patch = await buildPatch(
      [
        { path: 'docs/a.md', content: after },
        { path: 'docs/b.md', content: '' },
      ],
      async () => before,
    );
    const result = applies({ 'docs/a.md': before, 'docs/b.md': before }, patch);
    expect(result['docs/a.md']).toBe(after);
    expect(result['docs/b.md']).toBe('');
  });

  it('reproduces random edits exactly (checked by git apply)', async () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let round = 0; round < 5; round++) {
      const before = Array.from({ length: 150 }, (_, i) => `l${random(20)}-${i % 7}`);
      const after = [...before];
      for (let edit = 0; edit < 25; edit++) {
        const at = random(after.length);
        const kind = random(3);
        if (kind === 0) after.splice(at, 1);
        else if (kind === 1) after.splice(at, 0, `new ${edit}`);
        else after[at] = `l${random(20)}-0`;
      }
      const base = before.join('\n') + '\n';
      const next = after.join('\n') + (round % 2 ? '' : '\n');
      const patch = await buildPatch([{ path: 'docs/r.md', content: next }], async () => base);
      expect(applies({ 'docs/r.md': base }, patch)['docs/r.md']).toBe(next);
    }
  });
});
