// The path rules (src/tasks/paths.ts): what a repository file is, and where a model-proposed file may
// be written. The classification of input files and the write rules agree by construction: every
// path test-generation may write is a test path, never program source.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGeneratedFile, checkGeneratedPath, isSourcePath, isTestPath, selectGeneratedFiles } from '../src/tasks/paths.js';

const tests = { task: 'test-generation' as const, sourcePath: 'src/math/add.ts' };
const docs = { task: 'docs-update' as const, sourcePath: 'src/math/add.ts' };

describe('checkGeneratedPath: paths that can never be written', () => {
  it.each([
    ['../../.github/workflows/x.yml', 'escapes'],
    ['test/../../outside.test.ts', 'escapes'],
    ['/etc/passwd.test.ts', 'absolute'],
    ['C:\\tmp\\a.test.ts', 'absolute'],
    ['~/a.test.ts', 'absolute'],
    ['.github/workflows/ci.test.yml', '.github'],
    ['.GitHub/workflows/test/x.yml', '.GitHub'],
    ['test/../.github/x.test.ts', '.github'],
    ['tests\\..\\.github\\workflows\\a.test.js', '.github'],
    ['.git/hooks/pre-commit.test.js', '.git'],
    ['node_modules/x/index.test.js', 'node_modules'],
    ['.husky/pre-commit.test.js', 'hidden'],
    ['test/c##[stop-commands]tok.test.ts', 'workflow-command'],
    ['test/::add-mask::x.test.ts', 'workflow-command'],
    ['test/.eslintrc.test.js', 'hidden'],
    ['test/a\u0000.test.ts', 'control'],
    ['test/a\n::stop-commands::x\n.test.ts', 'control'],
    ['test/a\u001b[2K.test.ts', 'control'],
    ['test/a\u0085.test.ts', 'control'],
    ['test/e\u202eexe.ts.test.ts', 'bidirectional'],
    ['test/\u2066x\u2069.test.ts', 'bidirectional'],
    ['test/f\u200b.test.ts', 'invisible'],
    ['test/\ufeffg.test.ts', 'invisible'],
    ['test/h\u2028.test.ts', 'control'],
    [' test/a.test.ts', 'white space'],
    ['test/', 'directory'],
    ['', 'empty'],
  ])('refuses %j', (path, why) => {
    for (const options of [tests, docs]) {
      const result = checkGeneratedPath(path, options);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain(why);
    }
  });
});

describe('checkGeneratedPath: test-generation writes tests and nothing else', () => {
  it.each([
    ['test/math/add.test.ts', 'test/math/add.test.ts'],
    ['./tests//math/../add.spec.ts', 'tests/add.spec.ts'],
    ['src/math/__tests__/add.ts', 'src/math/__tests__/add.ts'],
    ['src/math/add.test.ts', 'src/math/add.test.ts'],
    ['spec/add_spec.rb', 'spec/add_spec.rb'],
    ['pkg/test_add.py', 'pkg/test_add.py'],
    ['tests/test_add.py', 'tests/test_add.py'],
    ['pkg/add_test.py', 'pkg/add_test.py'],
    ['src/test/java/AddTest.java', 'src/test/java/AddTest.java'],
    ['tests/AddTests.cs', 'tests/AddTests.cs'],
    ['Tests/AddTests.swift', 'Tests/AddTests.swift'],
    ['tests/add.rs', 'tests/add.rs'],
    ['test/routes/$id.test.ts', 'test/routes/$id.test.ts'],
  ])('accepts %j as %j', (path, normalised) => {
    expect(checkGeneratedPath(path, tests)).toEqual({ ok: true, path: normalised });
  });

  it.each([
    ['tests/conftest.py', 'configuration'],
    ['tests/setup.py', 'configuration'],
    ['test/vitest.config.ts', 'configuration'],
    ['test/run.sh', 'script'],
    ['test/run_test.sh', 'script'],
    ['test/Makefile', 'script'],
    ['test/package.json', 'script'],
    ['test/fixtures/input.json', 'script'],
    ['test/helpers.ts', 'not named like a test'],
    ['tests/__init__.py', 'not named like a test'],
    ['tests/common/mod.rs', 'not named like a test'],
    ['src/math/add.ts', 'overwrite the source'],
    ['src/math/helper.ts', 'not named like a test'],
    ['README.md', 'script'],
    ['scripts/testing.sh', 'script'],
  ])('refuses %j (%s)', (path, why) => {
    const result = checkGeneratedPath(path, tests);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(why);
  });

  it('accepts a Go test only next to its source', () => {
    const go = { task: 'test-generation' as const, sourcePath: 'internal/calc/add.go' };
    expect(checkGeneratedPath('internal/calc/add_test.go', go)).toEqual({ ok: true, path: 'internal/calc/add_test.go' });
    const elsewhere = checkGeneratedPath('test/add_test.go', go);
    expect(elsewhere).toEqual({ ok: false, reason: expect.stringContaining('internal/calc/') });
    expect(checkGeneratedPath('internal/calc/add.go', go).ok).toBe(false);
  });

  it('agrees with the classification of repository files: whatever it accepts is a test, never source', () => {
    const segment = fc.constantFrom('src', 'test', 'tests', '__tests__', 'spec', 'lib', 'pkg', 'e2e', 'fixtures', 'Tests', 'a');
    const name = fc.constantFrom(
      ...['add', 'test_add', 'add_test', 'add.test', 'add.spec', 'AddTest', 'AddTests', 'AddIT', 'conftest', 'setup', 'run'],
      ...['vitest.config', 'Makefile', 'add_spec', 'index', '__init__', 'Latest', 'SPLIT'],
    );
    const ext = fc.constantFrom('', '.ts', '.js', '.py', '.go', '.rs', '.rb', '.java', '.cs', '.sh', '.json', '.md', '.yml');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 3 }), name, ext, (dirs, base, extension) => {
        const path = [...dirs, `${base}${extension}`].join('/');
        const check = checkGeneratedPath(path, { task: 'test-generation', sourcePath: 'src/add.ts' });
        if (check.ok) {
          expect(isTestPath(check.path), path).toBe(true);
          expect(isSourcePath(check.path), path).toBe(false);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('checkGeneratedPath: docs-update', () => {
  it.each([
    ['src/math/add.ts', true],
    ['./src/math/add.ts', true],
    ['docs/math.md', true],
    ['docs/api/reference.html', true],
    ['src/math/README.md', true],
    ['src/math/other.ts', false],
    ['.github/README.md', false],
    ['docs/a\u202e.md', false],
    ['test/add.test.ts', false],
  ])('%j → %s', (path, ok) => {
    expect(checkGeneratedPath(path, docs).ok).toBe(ok);
  });

  it('refuses tasks that write no files', () => {
    expect(checkGeneratedPath('test/a.test.ts', { task: 'code-review', sourcePath: 'a.ts' })).toEqual({
      ok: false,
      reason: 'code-review does not write files',
    });
  });
});

describe('checkGeneratedFile: the verdict a normaliser records', () => {
  it('keeps an accepted file with its normalised path, and a refused one visible, empty and with the reason', () => {
    const file = { content: 'x\n', description: 'd', sourcePath: 'src/math/add.ts' };
    expect(checkGeneratedFile('test-generation', { ...file, path: './test/add.test.ts' })).toEqual({
      ...file,
      path: 'test/add.test.ts',
      refused: null,
    });
    expect(checkGeneratedFile('test-generation', { ...file, path: 'test/a\n::stop-commands::x\n.test.ts' })).toEqual({
      path: 'test/a\\u000A::stop-commands::x\\u000A.test.ts',
      content: '',
      description: 'd',
      sourcePath: 'src/math/add.ts',
      refused: 'path contains control, bidirectional or invisible characters',
    });
  });
});

describe('selectGeneratedFiles: the files of a round', () => {
  const root = mkdtempSync(join(tmpdir(), 'overnight-paths-'));
  mkdirSync(join(root, 'test'));
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(root, 'test', 'existing.test.ts'), 'x');
  symlinkSync(join(root, '.github', 'workflows'), join(root, 'test', 'linked'));
  symlinkSync(join(root, '.github', 'workflows', 'ci.yml'), join(root, 'test', 'ci.test.ts'));
  mkdirSync(join(root, 'test', 'dir.test.ts'));
  const judged = (path: string) =>
    checkGeneratedFile('test-generation', { path, content: 'x\n', description: 'd', sourcePath: 'src/math/add.ts' });

  it('refuses what the work tree makes unsafe: a symlink on the way, a directory', () => {
    const paths = [
      'test/linked/x.test.ts',
      'test/ci.test.ts',
      'test/dir.test.ts',
      'test/existing.test.ts',
      'test/new/deep/a.test.ts',
    ];
    const selection = selectGeneratedFiles(paths.map(judged), 'test-generation', root);
    expect(selection.refused.map((r) => r.reason)).toEqual([
      'test/linked/ is a symlink',
      'test/ci.test.ts is a symlink',
      'test/dir.test.ts is a directory',
    ]);
    expect(selection.accepted.map((f) => f.path)).toEqual(['test/existing.test.ts', 'test/new/deep/a.test.ts']);
  });

  it('acts on the verdict, keeps the first of a path proposed twice, and writes nothing for other tasks', () => {
    const files = [judged('tests/conftest.py'), judged('test/a.test.ts'), judged('./test/a.test.ts')];
    const selection = selectGeneratedFiles(files, 'test-generation');
    expect(selection.accepted.map((f) => f.path)).toEqual(['test/a.test.ts']);
    expect(selection.refused.map((r) => [r.path, r.reason])).toEqual([
      ['tests/conftest.py', 'conftest.py is configuration the tools run, not a test'],
      ['test/a.test.ts', 'proposed twice; the first version is kept'],
    ]);
    expect(selectGeneratedFiles([judged('test/a.test.ts')], 'code-review').accepted).toEqual([]);
  });
});
