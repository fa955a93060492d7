// Path rules, in one place: what a repository file is (program source, test, documentation), which
// tasks write files, and where a model-proposed file may be written. The tasks pick their input with
// the first, the normalisers judge every generated path once with the others (checkGeneratedFile),
// and the reporters and the patch act on that verdict.
//
// A generated file (any task that writes files) is refused when its path:
//   - is empty, absolute (`/x`, `C:/x`, `~/x`), names a directory, or escapes the repository with `..`
//     (backslashes become slashes, `./` and `a/../` fold away first);
//   - holds a control, format (bidi overrides and isolates, zero-width characters, BOM) or line
//     separator character: such a name hides what it is from the people who review it;
//   - has a segment named `.github`, `.git` (any case) or `node_modules`;
//   - starts or ends with white space;
//   - is new and holds shell or glob syntax (`$(`, `${`, `;`, `|`, `&`, `<`, `>`, `"`, `*`, `?`, backquote)
//     workflow-command syntax (`:`, `##[`), or a hidden segment (`.husky/`, `.eslintrc.js`: dot files
//     configure tools);
//   - crosses a symlink or is a directory in the work tree or the base commit (selectGeneratedFiles,
//     the pull-request reporter).
// test-generation writes a test file, and only a test file:
//   - a source extension that is not a script (a CI step may run every script of a directory);
//   - a test file name of the file's ecosystem: foo.test.ts, foo.spec.js, test_foo.py, foo_test.py,
//     foo_test.go, foo_spec.rb, FooTest.java, FooTests.cs, FooSpec.scala, FooIT.java; or a JS/TS file
//     under `__tests__/` (jest runs them all), or a Rust file directly in a `tests/` directory (cargo);
//   - never configuration (`conftest.py`, `setup.py`, `*.config.ts`, ...), never the source file;
//   - Go: *_test.go only in the source file's own directory (Go compiles tests with their package).
// docs-update writes the documented file itself, a file under docs/, or a Markdown file.
import { lstatSync } from 'node:fs';
import { posix } from 'node:path';
import { unsafeChars, visibleText } from '../io/safe-text.js';
import type { GeneratedFile, TaskName } from '../types.js';

/** The tasks whose answers are files for the repository (a draft pull request or a patch). */
export const FILE_WRITING_TASKS: readonly TaskName[] = ['test-generation', 'docs-update'];

export function writesFiles(task: string): boolean {
  return (FILE_WRITING_TASKS as readonly string[]).includes(task);
}

// ---- what a repository file is -------------------------------------------------------------------

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The extension of a path's file name, lower case, without the dot ('' for none or a dot file). */
export function extensionOf(path: string): string {
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

const SCRIPT_EXTENSIONS = new Set(['sh', 'bash', 'ps1']);
const SOURCE_EXTENSIONS = new Set([
  ...'ts tsx mts cts js jsx mjs cjs vue svelte py go rs java kt kts scala groovy rb php cs fs swift'.split(' '),
  ...'c h cc cpp cxx hpp hh m mm dart ex exs erl clj lua pl pm r jl hs ml zig sol'.split(' '),
  ...SCRIPT_EXTENSIONS,
]);
const JS_EXTENSIONS = new Set('ts tsx mts cts js jsx mjs cjs'.split(' '));
const DOC_EXTENSIONS = new Set(['md', 'mdx', 'rst', 'adoc', 'txt']);

/** Directories whose files are tests or test support (fixtures, mocks, data). */
const TEST_DIRECTORY = /(^|\/)(?:test|tests|__tests__|__mocks__|spec|specs|testdata|fixtures|e2e)\//i;

/** Test file names by ecosystem convention; the extension must also be a source extension. */
const TEST_FILE_NAMES = [
  /^.+\.(?:test|spec|e2e)\.[^.]+$/i, // foo.test.ts, foo.spec.js
  /^test_.+\.[^.]+$/, // test_foo.py
  /^.+_(?:test|spec)\.[^.]+$/, // foo_test.go, foo_test.py, foo_spec.rb, foo_test.exs
  /^.+(?:Test|Tests|Spec|[a-z0-9]IT)\.[^.]+$/, // FooTest.java, FooTests.cs, FooSpec.scala, FooIT.java
];

/** Build and tool configuration that looks like code: run by the tools, never a test. */
function isConfigPath(path: string): boolean {
  const name = basename(path);
  return (
    /(?:^|[.-])config\.[cm]?[jt]s$/i.test(name) ||
    /^(?:setup|conftest|noxfile|fabfile)\.py$/.test(name) ||
    /^\..*rc\.[cm]?js$/.test(name)
  );
}

/** A file named like a test of its language (foo.test.ts, test_foo.py, FooTest.java, ...). */
export function isTestFileName(path: string): boolean {
  const name = basename(path);
  return SOURCE_EXTENSIONS.has(extensionOf(name)) && TEST_FILE_NAMES.some((pattern) => pattern.test(name));
}

/** Test files, test directories and pytest's conftest.py (test support, never program source). */
export function isTestPath(path: string): boolean {
  return TEST_DIRECTORY.test(path) || isTestFileName(path) || basename(path) === 'conftest.py';
}

/** Program source (not a test, a doc or configuration). */
export function isSourcePath(path: string): boolean {
  return SOURCE_EXTENSIONS.has(extensionOf(path)) && !isTestPath(path) && !isConfigPath(path);
}

export function isDocPath(path: string): boolean {
  return (
    DOC_EXTENSIONS.has(extensionOf(path)) &&
    !/(^|\/)(?:LICEN[CS]E|COPYING|NOTICE)(?:\.\w+)?$/i.test(path) &&
    !/(^|\/)CHANGELOG/i.test(path)
  );
}

// ---- where a generated file may be written -------------------------------------------------------

export type GeneratedPathCheck = { ok: true; path: string } | { ok: false; reason: string };

const FORBIDDEN_SEGMENTS = new Map([
  ['.github', 'workflows and repository settings live under .github/'],
  ['.git', 'the .git directory is not part of the work tree'],
  ['node_modules', 'node_modules holds installed dependencies'],
]);

const UNSAFE_PATH_CHAR = new RegExp(unsafeChars().source, 'u');

/** Normalises a repository-relative path the way git sees it, or says why it cannot be one. */
export function normaliseRepoPath(raw: string): { path: string } | { reason: string } {
  if (typeof raw !== 'string' || raw.trim() === '') return { reason: 'empty path' };
  if (raw !== raw.trim()) return { reason: 'path starts or ends with white space' };
  if (UNSAFE_PATH_CHAR.test(raw)) {
    return { reason: 'path contains control, bidirectional or invisible characters' };
  }
  const slashed = raw.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[a-zA-Z]:/.test(slashed) || slashed.startsWith('~')) {
    return { reason: 'absolute paths are not allowed' };
  }
  if (slashed.endsWith('/')) return { reason: 'path names a directory, not a file' };
  const normalised = posix.normalize(slashed);
  if (normalised === '..' || normalised.startsWith('../')) return { reason: 'path escapes the repository' };
  if (normalised === '.' || normalised === '') return { reason: 'empty path' };
  return { path: normalised };
}

function checkTestPath(path: string, source: string | null): GeneratedPathCheck {
  if (path === source) return { ok: false, reason: 'a generated test may not overwrite the source file it tests' };
  const name = posix.basename(path);
  const directory = posix.dirname(path);
  const ext = extensionOf(name);
  if (ext === 'go') {
    if (!name.endsWith('_test.go')) return { ok: false, reason: 'a Go test file must be named *_test.go' };
    const sourceDirectory = source === null ? null : posix.dirname(source);
    if (sourceDirectory !== directory) {
      return { ok: false, reason: `a Go test must sit next to its source, in ${sourceDirectory ?? 'its package'}/` };
    }
    return { ok: true, path };
  }
  if (!SOURCE_EXTENSIONS.has(ext) || SCRIPT_EXTENSIONS.has(ext)) {
    return { ok: false, reason: 'a generated test must be a source file of a test framework, not a script or data' };
  }
  if (isConfigPath(path)) return { ok: false, reason: `${name} is configuration the tools run, not a test` };
  const segments = directory === '.' ? [] : directory.split('/');
  const byDirectory = (JS_EXTENSIONS.has(ext) && segments.includes('__tests__')) || (ext === 'rs' && segments.at(-1) === 'tests');
  if (!isTestFileName(name) && !byDirectory) {
    return {
      ok: false,
      reason: 'not named like a test (foo.test.ts, test_foo.py, foo_test.go, FooTest.java, a file under __tests__/)',
    };
  }
  return { ok: true, path };
}

function checkDocsPath(path: string, source: string | null): GeneratedPathCheck {
  if (path === source || path.toLowerCase().startsWith('docs/')) return { ok: true, path };
  const ext = extensionOf(path);
  if (ext === 'md' || ext === 'mdx') return { ok: true, path };
  return {
    ok: false,
    reason: 'docs-update may only change the documented file itself, files under docs/ or Markdown files',
  };
}

/** Decides whether `task` may write a generated file at `rawPath`; see the rules at the top. */
export function checkGeneratedPath(rawPath: string, options: { task: TaskName; sourcePath: string }): GeneratedPathCheck {
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
  // A CI step that prints the file's name would run it as a workflow command (`::x::` starts one,
  // `##[x]` is one anywhere in a line); a colon is not a file name character on Windows either.
  if (path !== source && /:|##\[/.test(path)) return { ok: false, reason: 'path contains workflow-command syntax (: ##[)' };
  // Dot directories and files configure tools (.husky/, .circleci/, .vscode/, .eslintrc.js): never a new file there.
  const hidden = path.split('/').find((segment) => segment.startsWith('.'));
  if (path !== source && hidden) return { ok: false, reason: `${hidden} is hidden: dot files and directories configure tools` };
  if (options.task === 'test-generation') return checkTestPath(path, source);
  if (options.task === 'docs-update') return checkDocsPath(path, source);
  return { ok: false, reason: `${options.task} does not write files` };
}

/**
 * A generated file with the path rules' verdict, decided once (the normalisers call this): an
 * accepted file gets its normalised path and `refused: null`; a refused one keeps its proposed paths
 * made visible (`\uXXXX` for unsafe characters, at most 300 characters), no content, and the reason.
 */
export function checkGeneratedFile(task: TaskName, file: Omit<GeneratedFile, 'refused'>): GeneratedFile {
  const check = checkGeneratedPath(file.path, { task, sourcePath: file.sourcePath });
  if (check.ok) return { ...file, path: check.path, refused: null };
  return {
    path: visibleText(file.path.slice(0, 300)),
    content: '',
    description: file.description,
    sourcePath: visibleText(file.sourcePath.slice(0, 300)),
    refused: check.reason,
  };
}

// ---- the files of a round ------------------------------------------------------------------------

export interface FileSelection {
  accepted: GeneratedFile[];
  refused: { path: string; sourcePath: string; reason: string }[];
}

/** Why a path may not be written in the work tree at `repoRoot` (a symlink on the way, a directory), or null. */
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
    if (stats.isSymbolicLink()) return i === segments.length ? `${path} is a symlink` : `${prefix}/ is a symlink`;
    if (i === segments.length && stats.isDirectory()) return `${path} is a directory`;
  }
  return null;
}

/**
 * The files of a round that may be written, on the normalisers' verdicts: refused ones stay refused,
 * a path proposed twice keeps its first version, and with `repoRoot` a path that crosses a symlink in
 * the work tree (it could point outside the repository or into .github) is refused.
 */
export function selectGeneratedFiles(files: readonly GeneratedFile[], task: TaskName, repoRoot?: string): FileSelection {
  const selection: FileSelection = { accepted: [], refused: [] };
  const taken = new Set<string>();
  for (const file of files) {
    const refuse = (reason: string): void => {
      selection.refused.push({ path: file.path, sourcePath: file.sourcePath, reason });
    };
    if (!writesFiles(task)) refuse(`${task} does not write files`);
    else if (file.refused !== null) refuse(file.refused);
    else if (taken.has(file.path)) refuse('proposed twice; the first version is kept');
    else {
      const problem = repoRoot ? symlinkOnTheWay(repoRoot, file.path) : null;
      if (problem) refuse(problem);
      else {
        taken.add(file.path);
        selection.accepted.push(file);
      }
    }
  }
  return selection;
}
