// test-generation: one request writes tests for one changed source file with the repository's test
// framework. The answer is whole test files; the pull-request reporter decides where they may land,
// and the normaliser already refuses anything that is not a test file.
import { extensionOf } from '../gather/language.js';
import { escapeAttribute, splitLines } from '../prompt/format.js';
import type { GeneratedFile, SourceFile, TaskOutput, WorkUnit } from '../types.js';
import { COMMON_RULES, renderUnitFile, resolvePath } from './common.js';
import { checkGeneratedFile, isSourcePath, isTestPath } from './paths.js';
import { assertMatchesSchema, compileAnswerSchema, filesSchema, type FilesAnswer } from './schemas.js';
import { LIMITS, cleanLine, cleanText } from './text.js';
import { MalformedAnswerError, type NormaliseContext, type PlanOptions, type TaskDefinition } from './task.js';
import { customIdFor, planFileUnits } from './units.js';

const systemPrompt = `You are a senior engineer writing automated tests for code that just changed. You write tests a maintainer would merge as they are.

How to write them:
- Use the test framework, assertion style and file conventions named in the request (<test_setup>). Follow the conventions of existing tests when some are shown: imports, helpers, naming, layout.
- Test the behaviour the change introduces or modifies: normal cases, edge cases (empty input, boundaries, null/None, errors and rejections) and the error paths. Each test must be able to fail if the code were wrong; assert concrete values, not just "does not throw".
- Do not duplicate what existing tests shown to you already cover. Do not test private helpers directly when the public function covers them.
- Tests must be deterministic and self-contained: no network, no real clock or randomness without control, no dependence on test order; use temporary directories for files; mock only true external boundaries.
- Import the code under test by the correct relative path from the test file's location (or the package/module path the language uses). Only use APIs that exist in the code shown.
- If the code cannot be tested meaningfully (only declarations, trivial getters, generated code), return an empty "files" list and say why in the summary.

Output:
- Each entry of "files" is one complete test file: "path" (repository-relative, where the repository keeps its tests; the request suggests one), "content" (the whole file), "description" (one line: what it covers) and "source_path" (the path of the source file it tests, exactly as given).
- To add tests to an existing test file that was shown to you in full, return its complete updated content under its own path. Never return a file that is not a test file, and never change the source file.
${COMMON_RULES}`;

const outputSchema = filesSchema({
  summary: 'What the tests cover, or why no tests were written.',
  path: 'Repository-relative path of the test file.',
  content: 'The complete content of the test file.',
  description: 'One line: what the file tests.',
  sourcePath: 'Path of the source file under test, as given.',
});
const validate = compileAnswerSchema(outputSchema);

// ---- conventions ---------------------------------------------------------------------------------

export interface TestSetup {
  /** The framework to use, as told to the model ("vitest", "pytest", "go test", ...). */
  framework: string;
  /** How sure we are: 'detected' from an existing test, else the language's usual choice. */
  source: 'detected' | 'default';
  /** Suggested repository-relative path for a new test file. */
  suggestedPath: string;
  /** One or two lines of conventions for the model. */
  notes: string;
}

const stemOf = (path: string): string => {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.replace(/\.[^.]+$/, '');
};
const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const join = (...parts: string[]): string => parts.filter(Boolean).join('/');

/** The stem a test file is about: foo.test.ts, foo.spec.js, test_foo.py, foo_test.go, FooTest.java → foo/Foo. */
function testedStem(testPath: string): string {
  return stemOf(testPath)
    .replace(/\.(?:test|spec|e2e)$/i, '')
    .replace(/^test_/, '')
    .replace(/_(?:test|spec)$/, '')
    .replace(/(?:Tests?|Spec|IT)$/, '');
}

/** Existing test files among `files` that are about `source` (same stem). */
export function companionTests(source: SourceFile, files: SourceFile[]): SourceFile[] {
  const stem = stemOf(source.path).toLowerCase();
  return files.filter((file) => isTestPath(file.path) && testedStem(file.path).toLowerCase() === stem);
}

function detectFramework(tests: SourceFile[]): string | null {
  for (const test of tests) {
    const text = test.content;
    if (/from\s+['"]vitest['"]|require\(['"]vitest['"]\)/.test(text)) return 'vitest';
    if (/@jest\/globals|\bjest\.(?:fn|mock|spyOn)\(/.test(text)) return 'jest';
    if (/from\s+['"]node:test['"]|require\(['"]node:test['"]\)/.test(text)) return 'node:test';
    if (/from\s+['"](?:chai|mocha)['"]|require\(['"](?:chai|mocha)['"]\)|\bsinon\b/.test(text)) return 'mocha (with chai)';
    if (/^\s*import pytest|^\s*from pytest|^\s*def test_\w+\(/m.test(text)) return 'pytest';
    if (/unittest\.TestCase/.test(text)) return 'unittest';
    if (/"testing"/.test(text) && /func Test\w+\(t \*testing\.T\)/.test(text)) return 'go test';
    if (/org\.junit\.jupiter/.test(text)) return 'JUnit 5';
    if (/org\.junit\.(?:Test|Assert)\b/.test(text)) return 'JUnit 4';
    if (/RSpec\.describe|^\s*describe\s+\S+\s+do\b/m.test(text)) return 'RSpec';
    if (/Minitest::Test/.test(text)) return 'Minitest';
    if (/PHPUnit\\Framework\\TestCase/.test(text)) return 'PHPUnit';
    if (/\[Fact\]|\[Theory\]/.test(text)) return 'xUnit';
    if (/XCTestCase/.test(text)) return 'XCTest';
  }
  return null;
}

/** What we tell the model about the test framework and where the new tests go. */
export function detectTestSetup(source: SourceFile, existingTests: SourceFile[]): TestSetup {
  const ext = extensionOf(source.path);
  const dir = dirOf(source.path);
  const stem = stemOf(source.path);
  const detected = detectFramework(existingTests);
  const companion = existingTests[0];
  const pick = (fallback: string, suggestedPath: string, notes: string): TestSetup => ({
    framework: detected ?? fallback,
    source: detected ? 'detected' : 'default',
    suggestedPath: companion?.path ?? suggestedPath,
    notes,
  });
  const underSrc = /^src\//.test(source.path);
  switch (ext) {
    case 'ts':
    case 'tsx':
    case 'mts':
    case 'cts':
    case 'js':
    case 'jsx':
    case 'mjs':
    case 'cjs': {
      // src/a/b.ts → test/a/b.test.ts (a separate test tree is the commoner layout under src/); elsewhere beside the source.
      const base = underSrc ? join('test', dirOf(source.path.slice(4)), stem) : join(dir, stem);
      return pick(
        'vitest',
        `${base}.test.${ext}`,
        detected
          ? `Import the test API explicitly the way the existing tests do.`
          : `No existing test was visible: use the runner the project context names (package.json scripts/devDependencies, config files) if any; otherwise vitest with explicit imports (import { describe, it, expect } from 'vitest').`,
      );
    }
    case 'py':
      return pick(
        'pytest',
        join('tests', `test_${stem}.py`),
        'Plain test functions with assert; fixtures and parametrize where they help; import the module by its package path.',
      );
    case 'go':
      return pick(
        'go test',
        join(dir, `${stem}_test.go`),
        'Standard "testing" package, table-driven tests, same directory and package as the source.',
      );
    case 'rs':
      return pick(
        'cargo test',
        join('tests', `${stem}.rs`),
        "An integration test file under tests/ using the crate's public API (the source file itself must not be changed).",
      );
    case 'java':
    case 'kt': {
      const name = `${stem}Test.${ext}`;
      const mirrored = /(^|\/)src\/main\/(java|kotlin)\//.test(source.path)
        ? join(dirOf(source.path.replace(/(^|\/)src\/main\//, '$1src/test/')), name)
        : join(dir, name);
      return pick('JUnit 5', mirrored, 'Mirror the source package under src/test; one test class per source class.');
    }
    case 'rb':
      return pick(
        'RSpec',
        join('spec', source.path.replace(/^(?:lib|app)\//, '').replace(/\.rb$/, '_spec.rb')),
        "Use the project's spec_helper when it has one.",
      );
    case 'php':
      return pick(
        'PHPUnit',
        join('tests', source.path.replace(/^src\//, '').replace(/\.php$/, 'Test.php')),
        'One TestCase class per source class.',
      );
    case 'cs':
      return pick(
        'xUnit',
        join('tests', `${stem}Tests.cs`),
        'Use the framework of the existing test project if the context shows one (xUnit, NUnit or MSTest).',
      );
    case 'swift':
      return pick('XCTest', join('Tests', `${stem}Tests.swift`), 'One XCTestCase subclass.');
    default:
      return pick(
        `the standard test framework for ${source.language || ext || 'this language'}`,
        join('tests', `${stem}_test.${ext || 'txt'}`),
        "Follow the repository's existing test layout.",
      );
  }
}

// ---- task ----------------------------------------------------------------------------------------

/** Test files shown along with a source file are capped: they inform, the source is the subject. */
const COMPANION_MAX_LINES = 400;

export const testGeneration: TaskDefinition = {
  name: 'test-generation',
  title: 'Test generation',
  defaultModel: 'claude-sonnet-4-6',
  defaultMaxOutputTokens: 8192,
  defaultReports: () => ['pull-request', 'summary'],
  systemPrompt,
  outputSchema,
  /** Program source only: tests, docs and configuration are not tested. */
  accepts: (file: SourceFile) => isSourcePath(file.path),
  /** Sources, and existing tests: planUnits shows them next to their source. */
  acceptsPath: (path: string) => isSourcePath(path) || isTestPath(path),
  /**
   * One unit per source file (split like any other large change). When `files` also holds changed
   * test files for a source (same stem), the test file is added to the unit, whole, so the model
   * sees which tests exist and which framework they use.
   */
  planUnits(files: SourceFile[], options: PlanOptions): WorkUnit[] {
    const sources = files.filter((file) => testGeneration.accepts(file));
    return planFileUnits('test-generation', sources, options).map((unit) => {
      const source = unit.files[0]!;
      const companions = companionTests(source, files).filter((file) => {
        const lines = splitLines(file.content).length;
        return lines > 0 && lines <= COMPANION_MAX_LINES;
      });
      if (!companions.length) return unit;
      const unitFiles = [source, ...companions];
      const lineRanges = { ...unit.lineRanges };
      for (const test of companions) lineRanges[test.path] = [{ start: 1, end: splitLines(test.content).length }];
      return { ...unit, files: unitFiles, lineRanges, customId: customIdFor('test-generation', unitFiles, unit.part) };
    });
  },
  renderUnit(unit: WorkUnit): string {
    const [source, ...tests] = unit.files;
    if (!source) throw new Error('test-generation unit without a source file');
    const setup = detectTestSetup(source, tests);
    const lines = [
      `Write tests for ${escapeAttribute(source.path)}.` +
        (unit.part ? ` This request covers part ${unit.part} of its change; test only the code shown.` : ''),
      '<test_setup>',
      `framework: ${setup.framework} (${setup.source === 'detected' ? 'used by the existing tests' : 'the usual choice; no existing test was visible'})`,
      `suggested path: ${escapeAttribute(setup.suggestedPath)}`,
      `conventions: ${setup.notes}`,
      tests.length
        ? `existing tests shown: ${tests.map((test) => escapeAttribute(test.path)).join(', ')} (do not duplicate them)`
        : 'existing tests shown: none',
      '</test_setup>',
      renderUnitFile(unit, source, { includeDiff: true }),
      ...tests.map((test) => renderUnitFile(unit, test, {})),
    ];
    return lines.join('\n');
  },
  normalise(answer: unknown, context: NormaliseContext): TaskOutput {
    const parsed = assertMatchesSchema<FilesAnswer>(validate, answer, 'test-generation');
    const sources = new Map(context.files.filter((file) => !isTestPath(file.path)).map((file) => [file.path, file]));
    const seen = new Set<string>();
    const files: GeneratedFile[] = [];
    // A generated file is a write into the repository, judged once here by the path rules (paths.ts).
    // A refused one is kept without content, its path made visible, so the reports list it with the
    // reason and the good files of the answer are not lost; an answer with no good file is malformed.
    const refused: GeneratedFile[] = [];
    for (const raw of parsed.files) {
      const sourcePath = resolvePath(raw.source_path, sources);
      const description = cleanLine(raw.description, LIMITS.description);
      const judged = checkGeneratedFile('test-generation', {
        path: raw.path,
        content: raw.content.replace(/\r\n?/g, '\n'),
        description,
        sourcePath: sourcePath ?? raw.source_path,
      });
      if (judged.refused !== null) {
        refused.push(judged);
        continue;
      }
      const { path, content } = judged;
      if (seen.has(path)) throw new MalformedAnswerError(`test-generation answer has "${path}" twice`);
      seen.add(path);
      if (sourcePath === null) {
        throw new MalformedAnswerError(
          `test-generation answer tests "${cleanLine(raw.source_path, 80)}", which was not in the request`,
        );
      }
      if (!content.trim()) throw new MalformedAnswerError(`test-generation answer has an empty "${path}"`);
      if (Buffer.byteLength(content) > LIMITS.generatedFileBytes) {
        throw new MalformedAnswerError(`test-generation answer's "${path}" exceeds ${LIMITS.generatedFileBytes} bytes`);
      }
      files.push({ ...judged, content: content.endsWith('\n') ? content : `${content}\n` });
    }
    const first = refused[0];
    if (first && files.length === 0) {
      throw new MalformedAnswerError(`test-generation answer may not write "${first.path}": ${first.refused}`);
    }
    return { kind: 'files', files: [...files, ...refused], summary: cleanText(parsed.summary, LIMITS.summary) };
  },
};
