// Where a model-proposed file may be written. Model output is untrusted: a test-generation answer
// that proposes `../../.github/workflows/x.yml` must never reach a commit. Every generated path goes
// through checkGeneratedPath before it becomes a blob, a patch or a file.
//
// Rules (all tasks):
//   - the path is POSIX-normalised (backslashes become slashes, `./` and `a/../` fold away);
//   - refused: empty paths, NUL/control characters, absolute paths (`/x`, `C:/x`, `~/x`), paths whose
//     `..` escape the repository, any segment named `.github`, `.git` (any case) or `node_modules`;
//   - with repoRoot: refused when the path or one of its parent directories is a symlink in the
//     work tree (a link could point outside the repository or into .github), or is a directory.
// test-generation (the file must be a test, where the repository's tests belong):
//   - a file inside a test directory: any segment equal to test, tests, __tests__, spec, specs
//     (plus `testDirs`), e.g. `test/foo.test.ts`, `src/__tests__/foo.ts`, `tests/conftest.py`;
//   - or a file named like a test anywhere else: *.test.* / *.spec.* (JS/TS family), test_*.py,
//     *_test.py, *_spec.rb, *_test.rb, *Test(s).java|kt|cs|php|swift, *_test.exs;
//   - Go: *_test.go only in the same directory as the source file (Go compiles tests with their
//     package), and nowhere else;
//   - never the source file itself;
//   - with `framework`: the file's language must match it (pytest → .py, go → .go, ...).
// docs-update: the source file itself (doc comments), anything under docs/, or a Markdown file
//   (*.md, *.mdx) anywhere allowed above.
// Other tasks write no files.
import { lstatSync } from 'node:fs';
import { posix } from 'node:path';
import type { TaskName } from '../types.js';

export const DEFAULT_TEST_DIRS = ['test', 'tests', '__tests__', 'spec', 'specs'] as const;

export interface GeneratedPathOptions {
  task: TaskName;
  /** The source file the generated file is about (repository-relative). */
  sourcePath: string;
  /** Repository work tree; when given, symlinks on the way to the path are refused. */
  repoRoot?: string;
  /** Extra directory names where tests live (in addition to DEFAULT_TEST_DIRS). */
  testDirs?: readonly string[];
  /** Test framework or language the repository uses; narrows which test file names are accepted. */
  framework?: string;
}

export type GeneratedPathCheck = { ok: true; path: string } | { ok: false; reason: string };

const FORBIDDEN_SEGMENTS = new Map([
  ['.github', 'workflows and repository settings live under .github/'],
  ['.git', 'the .git directory is not part of the work tree'],
  ['node_modules', 'node_modules holds installed dependencies'],
]);

/** File-name patterns of test files, with the language family each belongs to. */
const TEST_FILE_PATTERNS: { pattern: RegExp; family: string }[] = [
  { pattern: /\.(test|spec)\.(js|jsx|ts|tsx|mjs|cjs|mts|cts|vue|svelte)$/i, family: 'js' },
  { pattern: /^test_.+\.py$/, family: 'python' },
  { pattern: /.+_test\.py$/, family: 'python' },
  { pattern: /.+_spec\.rb$/, family: 'ruby' },
  { pattern: /.+_test\.rb$/, family: 'ruby' },
  { pattern: /.+Tests?\.(java|kt)$/, family: 'jvm' },
  { pattern: /.+Tests?\.cs$/, family: 'dotnet' },
  { pattern: /.+Test\.php$/, family: 'php' },
  { pattern: /.+Tests?\.swift$/, family: 'swift' },
  { pattern: /.+_test\.exs$/, family: 'elixir' },
];

/** Extensions per language family, for files inside test directories and the framework check. */
const FAMILY_EXTENSIONS: Record<string, string[]> = {
  js: ['.js', '.jsx', '.ts', '.tsx', '.mjs', '.cjs', '.mts', '.cts', '.vue', '.svelte'],
  python: ['.py'],
  ruby: ['.rb'],
  jvm: ['.java', '.kt', '.kts', '.scala', '.groovy'],
  dotnet: ['.cs', '.fs', '.vb'],
  php: ['.php'],
  swift: ['.swift'],
  elixir: ['.exs', '.ex'],
  go: ['.go'],
  rust: ['.rs'],
};

const FRAMEWORK_FAMILIES: Record<string, string> = {
  vitest: 'js',
  jest: 'js',
  mocha: 'js',
  jasmine: 'js',
  ava: 'js',
  'node:test': 'js',
  'node-test': 'js',
  javascript: 'js',
  typescript: 'js',
  js: 'js',
  ts: 'js',
  playwright: 'js',
  cypress: 'js',
  pytest: 'python',
  unittest: 'python',
  python: 'python',
  rspec: 'ruby',
  minitest: 'ruby',
  ruby: 'ruby',
  junit: 'jvm',
  testng: 'jvm',
  kotest: 'jvm',
  java: 'jvm',
  kotlin: 'jvm',
  xunit: 'dotnet',
  nunit: 'dotnet',
  mstest: 'dotnet',
  csharp: 'dotnet',
  phpunit: 'php',
  pest: 'php',
  php: 'php',
  xctest: 'swift',
  swift: 'swift',
  exunit: 'elixir',
  elixir: 'elixir',
  go: 'go',
  'go test': 'go',
  golang: 'go',
  cargo: 'rust',
  rust: 'rust',
};

/** Normalises a repository-relative path the way git sees it, or says why it cannot be one. */
export function normaliseRepoPath(raw: string): { path: string } | { reason: string } {
  if (typeof raw !== 'string' || raw.trim() === '') return { reason: 'empty path' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return { reason: 'path contains control characters' };
  const slashed = raw.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[a-zA-Z]:/.test(slashed) || slashed.startsWith('~')) {
    return { reason: 'absolute paths are not allowed' };
  }
  if (slashed.endsWith('/')) return { reason: 'path names a directory, not a file' };
  const normalised = posix.normalize(slashed);
  if (normalised === '..' || normalised.startsWith('../')) {
    return { reason: 'path escapes the repository' };
  }
  if (normalised === '.' || normalised === '') return { reason: 'empty path' };
  return { path: normalised };
}

function extensionOf(name: string): string {
  return posix.extname(name).toLowerCase();
}

function familyOfExtension(ext: string): string | null {
  for (const [family, extensions] of Object.entries(FAMILY_EXTENSIONS)) {
    if (extensions.includes(ext)) return family;
  }
  return null;
}

function symlinkOnTheWay(repoRoot: string, path: string): string | null {
  const segments = path.split('/');
  for (let i = 1; i <= segments.length; i++) {
    const prefix = segments.slice(0, i).join('/');
    let stats;
    try {
      stats = lstatSync(posix.join(repoRoot.replace(/\\/g, '/'), prefix));
    } catch {
      return null; // Nothing exists from here on: the rest of the path is new.
    }
    if (stats.isSymbolicLink()) {
      return i === segments.length ? `${path} is a symlink` : `${prefix}/ is a symlink`;
    }
    if (i === segments.length && stats.isDirectory()) return `${path} is a directory`;
  }
  return null;
}

function checkTestPath(path: string, options: GeneratedPathOptions, source: string | null): GeneratedPathCheck {
  if (source !== null && path === source) {
    return { ok: false, reason: 'a generated test may not overwrite the source file it tests' };
  }
  const name = posix.basename(path);
  const directory = posix.dirname(path);
  const ext = extensionOf(name);
  const wanted = options.framework ? (FRAMEWORK_FAMILIES[options.framework.trim().toLowerCase()] ?? null) : null;

  if (ext === '.go') {
    // Go builds a package's tests from its own directory: a test elsewhere would not compile.
    if (!name.endsWith('_test.go')) return { ok: false, reason: 'a Go test file must be named *_test.go' };
    const sourceDirectory = source === null ? null : posix.dirname(source);
    if (sourceDirectory !== directory) {
      return { ok: false, reason: `a Go test must sit next to its source, in ${sourceDirectory ?? 'its package'}/` };
    }
    if (wanted !== null && wanted !== 'go') return { ok: false, reason: `not a ${options.framework} test file` };
    return { ok: true, path };
  }

  const testDirs = new Set([...DEFAULT_TEST_DIRS, ...(options.testDirs ?? [])].map((d) => d.toLowerCase()));
  const directorySegments = directory === '.' ? [] : directory.split('/');
  const inTestDirectory = directorySegments.some((segment) => testDirs.has(segment.toLowerCase()));
  const namedPattern = TEST_FILE_PATTERNS.find(({ pattern }) => pattern.test(name));
  if (!inTestDirectory && !namedPattern) {
    return {
      ok: false,
      reason: `not where tests belong (a test directory such as ${[...testDirs].join('/, ')}/, or a test file name such as *.test.ts, test_*.py)`,
    };
  }
  if (wanted !== null) {
    const family = namedPattern?.family ?? familyOfExtension(ext);
    // Non-code files (fixtures, snapshots) inside a test directory are fine whatever the framework.
    if (family !== null && family !== wanted) return { ok: false, reason: `not a ${options.framework} test file` };
  }
  return { ok: true, path };
}

function checkDocsPath(path: string, source: string | null): GeneratedPathCheck {
  if (source !== null && path === source) return { ok: true, path };
  if (path.toLowerCase().startsWith('docs/')) return { ok: true, path };
  const ext = extensionOf(path);
  if (ext === '.md' || ext === '.mdx') return { ok: true, path };
  return {
    ok: false,
    reason: 'docs-update may only change the documented file itself, files under docs/ or Markdown files',
  };
}

/** Decides whether a generated file may be written at `rawPath`; see the rules at the top. */
export function checkGeneratedPath(rawPath: string, options: GeneratedPathOptions): GeneratedPathCheck {
  const normalised = normaliseRepoPath(rawPath);
  if ('reason' in normalised) return { ok: false, reason: normalised.reason };
  const { path } = normalised;

  for (const segment of path.split('/')) {
    const why = FORBIDDEN_SEGMENTS.get(segment.toLowerCase());
    if (why) return { ok: false, reason: `${segment}/ is off limits: ${why}` };
  }

  const sourceCheck = normaliseRepoPath(options.sourcePath);
  const source = 'path' in sourceCheck ? sourceCheck.path : null;
  // A new file's name never needs shell syntax; one that carries it aims at whatever script later
  // lists the changed files. (`$name` and `[id]` stay allowed: Remix and Next.js routes use them.)
  if (path !== source && /[`;|&<>"*?]|\$[({]/.test(path)) {
    return { ok: false, reason: 'path contains shell or glob syntax (` $( ${ ; | & < > " * ?)' };
  }

  let decision: GeneratedPathCheck;
  if (options.task === 'test-generation') decision = checkTestPath(path, options, source);
  else if (options.task === 'docs-update') decision = checkDocsPath(path, source);
  else decision = { ok: false, reason: `${options.task} does not write files` };
  if (!decision.ok) return decision;

  if (options.repoRoot) {
    const problem = symlinkOnTheWay(options.repoRoot, path);
    if (problem) return { ok: false, reason: problem };
  }
  return { ok: true, path };
}
