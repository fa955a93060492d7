import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGeneratedPath } from '../src/reports/paths.js';

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
    ['test/a\u0000.test.ts', 'control'],
    ['test/', 'directory'],
    ['', 'empty'],
  ])('refuses %j', (path, why) => {
    const result = checkGeneratedPath(path, tests);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(why);
  });
});

describe('checkGeneratedPath: test-generation', () => {
  it.each([
    ['test/math/add.test.ts', 'test/math/add.test.ts'],
    ['./tests//math/../add.spec.ts', 'tests/add.spec.ts'],
    ['src/math/__tests__/add.ts', 'src/math/__tests__/add.ts'],
    ['src/math/add.test.ts', 'src/math/add.test.ts'],
    ['spec/add_spec.rb', 'spec/add_spec.rb'],
    ['pkg/test_add.py', 'pkg/test_add.py'],
    ['pkg/add_test.py', 'pkg/add_test.py'],
    ['tests/conftest.py', 'tests/conftest.py'],
    ['src/test/java/AddTest.java', 'src/test/java/AddTest.java'],
  ])('accepts %j as %j', (path, normalised) => {
    expect(checkGeneratedPath(path, tests)).toEqual({ ok: true, path: normalised });
  });

  it.each(['src/math/add.ts', 'src/math/helper.ts', 'README.md', 'package.json', 'scripts/testing.sh'])(
    'refuses %j, which is not a test location',
    (path) => {
      expect(checkGeneratedPath(path, tests).ok).toBe(false);
    },
  );

  it('accepts a Go test only next to its source', () => {
    const go = { task: 'test-generation' as const, sourcePath: 'internal/calc/add.go' };
    expect(checkGeneratedPath('internal/calc/add_test.go', go)).toEqual({ ok: true, path: 'internal/calc/add_test.go' });
    const elsewhere = checkGeneratedPath('test/add_test.go', go);
    expect(elsewhere).toEqual({ ok: false, reason: expect.stringContaining('internal/calc/') });
    expect(checkGeneratedPath('internal/calc/add.go', go).ok).toBe(false);
  });

  it('honours extra test directories and the framework', () => {
    expect(checkGeneratedPath('qa/add.ts', tests).ok).toBe(false);
    expect(checkGeneratedPath('qa/add.ts', { ...tests, testDirs: ['qa'] })).toEqual({ ok: true, path: 'qa/add.ts' });
    expect(checkGeneratedPath('tests/test_add.py', { ...tests, framework: 'vitest' }).ok).toBe(false);
    expect(checkGeneratedPath('test/add.test.ts', { ...tests, framework: 'vitest' }).ok).toBe(true);
    expect(checkGeneratedPath('test/fixtures/input.json', { ...tests, framework: 'vitest' }).ok).toBe(true);
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

describe('checkGeneratedPath: symlinks in the work tree', () => {
  const root = mkdtempSync(join(tmpdir(), 'overnight-paths-'));
  mkdirSync(join(root, 'test'));
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(root, 'test', 'existing.test.ts'), 'x');
  symlinkSync(join(root, '.github', 'workflows'), join(root, 'test', 'linked'));
  symlinkSync(join(root, '.github', 'workflows', 'ci.yml'), join(root, 'test', 'ci.test.ts'));

  it('refuses a path whose parent directory is a symlink', () => {
    expect(checkGeneratedPath('test/linked/x.test.ts', { ...tests, repoRoot: root })).toEqual({
      ok: false,
      reason: 'test/linked/ is a symlink',
    });
  });

  it('refuses a path that is itself a symlink', () => {
    expect(checkGeneratedPath('test/ci.test.ts', { ...tests, repoRoot: root })).toEqual({
      ok: false,
      reason: 'test/ci.test.ts is a symlink',
    });
  });

  it('accepts new and existing regular files', () => {
    expect(checkGeneratedPath('test/existing.test.ts', { ...tests, repoRoot: root }).ok).toBe(true);
    expect(checkGeneratedPath('test/new/deep/a.test.ts', { ...tests, repoRoot: root }).ok).toBe(true);
    expect(checkGeneratedPath('test', { ...tests, testDirs: ['x'], repoRoot: root }).ok).toBe(false);
  });
});
