// The files answer: test-generation writes a test file at the language's conventional path that
// imports the source and checks each exported function it can see; docs-update returns the same
// file with a doc comment above each exported function that lacks one, every other line unchanged.
import { posix } from 'node:path';
import { decodeAttribute, type ParsedFileBlock } from '../../../prompt/format.js';
import { languageFamily } from './prompt.js';
import { findExports, paramName, type ExportedSymbol } from './signatures.js';

const decodeOptional = (text: string | undefined): string | null => (text === undefined ? null : decodeAttribute(text));

export interface FileAnswer {
  path: string;
  content: string;
  description: string;
  source_path: string;
}

export interface FilesAnswer {
  summary: string;
  files: FileAnswer[];
}

type TestLayout = { kind: 'dir'; dir: string } | { kind: 'colocated' } | { kind: '__tests__' };

const TEST_PATH = /(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\.[^./]+$|(^|\/)test_[^/]+\.py$|_test\.(go|py)$/;

/** What the request says about tests: `<test_setup>` lines (framework, suggested path) and test paths shown. */
interface TestRequest {
  promptText: string;
  framework: string | null;
  suggestedPath: string | null;
  /** The source the suggestion is for ("Write tests for X"), when named. */
  suggestedFor: string | null;
  /** Test files shown whole, by path: new tests are merged into them rather than replacing them. */
  shownTests: Map<string, string>;
}

function readTestRequest(promptText: string, blocks: ParsedFileBlock[]): TestRequest {
  const shownTests = new Map<string, string>();
  for (const block of blocks) {
    if (!TEST_PATH.test(block.path)) continue;
    const whole = wholeContent(block);
    if (whole !== null) shownTests.set(block.path, whole);
  }
  return {
    promptText,
    framework: /^framework:\s*([^(\n]+)/m.exec(promptText)?.[1]?.trim().toLowerCase() ?? null,
    // Paths in the request's text are written as in the path attribute (escapeAttribute).
    suggestedPath: decodeOptional(/^suggested path:\s*(\S+)/m.exec(promptText)?.[1]),
    suggestedFor: decodeOptional(/\bWrite tests for (\S+?)\.?(?:\s|$)/.exec(promptText)?.[1]),
    shownTests,
  };
}

/** The file's content when every line was sent, else null. */
function wholeContent(block: ParsedFileBlock): string | null {
  const lines: string[] = [];
  for (let n = 1; n <= block.totalLines; n++) {
    const line = block.code.get(n);
    if (line === undefined) return null;
    lines.push(line);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Reads the test layout the prompt shows (existing test paths or an explicit convention). */
function jsTestLayout(promptText: string): { layout: TestLayout; suffix: 'test' | 'spec' } {
  const paths = [...promptText.matchAll(/(?:^|[\s"'`(])((?:[\w.-]+\/)*[\w.-]+\.(test|spec)\.[cm]?[jt]sx?)\b/gm)].map((m) => ({
    path: m[1]!,
    suffix: m[2] as 'test' | 'spec',
  }));
  const suffix = paths[0]?.suffix ?? 'test';
  if (/\b(next to|alongside|beside) (the |its )?(source|file|module)|\bco-?located\b|same directory/i.test(promptText)) {
    return { layout: { kind: 'colocated' }, suffix };
  }
  if (paths.some((p) => p.path.includes('__tests__/'))) return { layout: { kind: '__tests__' }, suffix };
  const inDir = paths.find((p) => /^(tests?|spec)\//.test(p.path));
  if (inDir) return { layout: { kind: 'dir', dir: inDir.path.split('/')[0]! }, suffix };
  if (paths.length > 0) return { layout: { kind: 'colocated' }, suffix };
  return { layout: { kind: 'dir', dir: 'test' }, suffix };
}

function jsTestPath(source: string, promptText: string): string {
  const { layout, suffix } = jsTestLayout(promptText);
  const ext = posix.extname(source);
  const base = posix.basename(source, ext);
  const dir = posix.dirname(source);
  const file = `${base}.${suffix}${ext}`;
  if (layout.kind === 'colocated') return posix.join(dir, file);
  if (layout.kind === '__tests__') return posix.join(dir, '__tests__', file);
  const inner = dir.replace(/^(src|lib)(\/|$)/, '');
  return posix.join(layout.dir, inner, file);
}

function jsImportSpecifier(testPath: string, source: string): string {
  let relative = posix.relative(posix.dirname(testPath), source);
  if (!relative.startsWith('.')) relative = `./${relative}`;
  // NodeNext projects import TypeScript sources by their emitted .js name.
  return relative
    .replace(/\.ts$/, '.js')
    .replace(/\.tsx$/, '.js')
    .replace(/\.mts$/, '.mjs')
    .replace(/\.cts$/, '.cjs');
}

/** Adds import lines after the last import and test code at the end of an existing test file. */
function mergeInto(existing: string, imports: string[], body: string[]): string {
  const lines = existing.replace(/\n$/, '').split('\n');
  let lastImport = -1;
  lines.forEach((line, i) => {
    if (/^\s*(import\b|from\s+\S+\s+import\b|}\s*from\s+['"])/.test(line)) lastImport = i;
  });
  lines.splice(lastImport + 1, 0, ...imports);
  return `${[...lines, '', ...body].join('\n').replace(/\n+$/, '')}\n`;
}

/** Names an existing file already imports (so a merged import does not declare them twice). */
function importedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/import\s+([\s\S]*?)\s+from\s+['"][^'"]+['"]/g)) {
    for (const part of match[1]!.replace(/[{}*]/g, ',').split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name && /^[A-Za-z_$][\w$]*$/.test(name)) names.add(name);
    }
  }
  for (const match of text.matchAll(/^from\s+\S+\s+import\s+(.+)$/gm)) {
    for (const part of match[1]!.split(','))
      names.add(
        part
          .trim()
          .split(/\s+as\s+/)
          .pop()!
          .trim(),
      );
  }
  return names;
}

function jsTestFile(block: ParsedFileBlock, symbols: ExportedSymbol[], path: string, request: TestRequest): FileAnswer | null {
  const testable = symbols.filter((s) => s.kind === 'function' || s.kind === 'class');
  if (testable.length === 0) return null;
  const existing = request.shownTests.get(path);
  const already = existing === undefined ? new Set<string>() : importedNames(existing);
  const specifier = jsImportSpecifier(path, block.path);
  const framework =
    request.framework ?? (/\bjest\b/i.test(request.promptText) && !/\bvitest\b/i.test(request.promptText) ? 'jest' : 'vitest');
  const nodeTest = framework.startsWith('node:test');
  const defaultExport = testable.find((s) => s.isDefault && !already.has(s.name));
  const named = testable.filter((s) => !s.isDefault && !already.has(s.name)).map((s) => s.name);
  const imports: string[] = [];
  if (nodeTest) {
    if (!/from\s+['"]node:test['"]/.test(existing ?? '')) imports.push("import { describe, it } from 'node:test';");
    if (!already.has('assert')) imports.push("import assert from 'node:assert/strict';");
  } else if (framework.startsWith('vitest') && !/from\s+['"]vitest['"]/.test(existing ?? '')) {
    imports.push("import { describe, expect, it } from 'vitest';");
  }
  const importParts = [defaultExport?.name, named.length ? `{ ${named.join(', ')} }` : undefined].filter(Boolean);
  if (importParts.length) imports.push(`import ${importParts.join(', ')} from '${specifier}';`);

  const isFunction = (name: string): string =>
    nodeTest ? `assert.equal(typeof ${name}, 'function');` : `expect(typeof ${name}).toBe('function');`;
  const hasArity = (name: string, arity: number): string =>
    nodeTest ? `assert.equal(${name}.length, ${arity});` : `expect(${name}.length).toBe(${arity});`;
  const body: string[] = [`describe('${posix.basename(block.path)} exports', () => {`];
  testable.forEach((symbol, i) => {
    if (i > 0) body.push('');
    if (symbol.kind === 'class')
      body.push(`  it('exports the class ${symbol.name}', () => {`, `    ${isFunction(symbol.name)}`, '  });');
    else {
      body.push(
        `  it('exports ${symbol.name} taking ${symbol.arity} required parameter(s)', () => {`,
        `    ${isFunction(symbol.name)}`,
        `    ${hasArity(symbol.name, symbol.arity)}`,
        '  });',
      );
    }
  });
  body.push('});');
  const content = existing !== undefined ? mergeInto(existing, imports, body) : `${[...imports, '', ...body].join('\n')}\n`;
  return {
    path,
    content,
    description: `Tests for the exports of ${block.path}: ${testable.map((s) => s.name).join(', ')}.`,
    source_path: block.path,
  };
}

function pyTestFile(block: ParsedFileBlock, symbols: ExportedSymbol[], path: string, request: TestRequest): FileAnswer | null {
  const existing = request.shownTests.get(path);
  const functions = symbols.filter(
    (s) => (s.kind === 'function' || s.kind === 'class') && !existing?.includes(`def test_${s.name.toLowerCase()}_is_callable(`),
  );
  if (functions.length === 0) return null;
  const module = block.path
    .replace(/\.py$/, '')
    .replace(/^src\//, '')
    .split('/')
    .join('.');
  const already = existing === undefined ? new Set<string>() : importedNames(existing);
  const missing = functions.filter((s) => !already.has(s.name)).map((s) => s.name);
  const imports = missing.length ? [`from ${module} import ${missing.join(', ')}`] : [];
  const body: string[] = [];
  for (const symbol of functions) {
    body.push('', `def test_${symbol.name.toLowerCase()}_is_callable():`, `    assert callable(${symbol.name})`);
  }
  const content = existing !== undefined ? mergeInto(existing, imports, body) : `${[...imports, '', ...body].join('\n')}\n`;
  return { path, content, description: `Tests for the public functions of ${block.path}.`, source_path: block.path };
}

function goTestFile(block: ParsedFileBlock, symbols: ExportedSymbol[], path: string, request: TestRequest): FileAnswer | null {
  const existing = request.shownTests.get(path);
  const functions = symbols.filter((s) => s.kind === 'function' && !existing?.includes(`func Test${s.name}IsDefined(`));
  if (functions.length === 0) return null;
  const pkg = [...block.code.values()].map((l) => /^package\s+(\w+)/.exec(l)?.[1]).find(Boolean) ?? 'main';
  const body: string[] = [];
  for (const symbol of functions) {
    body.push('', `func Test${symbol.name}IsDefined(t *testing.T) {`, `\tfn := ${symbol.name}`, '\t_ = fn', '}');
  }
  const content =
    existing !== undefined
      ? mergeInto(existing, [], body)
      : `${[`package ${pkg}`, '', 'import "testing"', ...body].join('\n')}\n`;
  return { path, content, description: `Tests for ${block.path}.`, source_path: block.path };
}

export function testGenerationAnswer(blocks: ParsedFileBlock[], promptText: string): FilesAnswer {
  const request = readTestRequest(promptText, blocks);
  const sources = blocks.filter((block) => !TEST_PATH.test(block.path));
  const files: FileAnswer[] = [];
  const skipped: string[] = [];
  for (const block of sources) {
    const family = languageFamily(block.language, block.path);
    const symbols = findExports(block.code, family);
    const suggested =
      request.suggestedPath && (request.suggestedFor === block.path || sources.length === 1) ? request.suggestedPath : null;
    const file =
      family === 'js'
        ? jsTestFile(block, symbols, suggested ?? jsTestPath(block.path, promptText), request)
        : family === 'py'
          ? pyTestFile(block, symbols, suggested ?? pyTestPath(block.path, promptText), request)
          : family === 'go'
            ? goTestFile(block, symbols, suggested ?? block.path.replace(/\.go$/, '_test.go'), request)
            : null;
    if (file) files.push(file);
    else skipped.push(block.path);
  }
  const parts = [files.length ? `Wrote tests for ${files.map((f) => f.source_path).join(', ')}.` : 'No tests written.'];
  if (skipped.length) parts.push(`Nothing new to test in ${skipped.join(', ')}.`);
  return { summary: parts.join(' '), files };
}

function pyTestPath(source: string, promptText: string): string {
  const dirMatch = /(?:^|[\s"'`])(tests?)\/(?:[\w-]+\/)*test_\w+\.py\b/m.exec(promptText);
  return posix.join(dirMatch?.[1] ?? 'tests', `test_${posix.basename(source, '.py')}.py`);
}

/** "parseUserName" -> "Parse user name". */
function sentenceFromName(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function hasDocAbove(lines: string[], index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const trimmed = lines[i]!.trim();
    if (trimmed === '') return false;
    if (trimmed.startsWith('@')) continue; // decorators sit between the doc comment and the declaration
    return trimmed.endsWith('*/') || trimmed.startsWith('//') || trimmed.startsWith('*');
  }
  return false;
}

function documented(block: ParsedFileBlock): { content: string; added: string[] } | null {
  const family = languageFamily(block.language, block.path);
  // Only a whole file can be rewritten without losing lines.
  const whole = wholeContent(block);
  if (whole === null) return null;
  const lines = whole.replace(/\n$/, '').split('\n');
  const symbols = findExports(block.code, family).filter((s) => s.kind === 'function' || s.kind === 'class');
  const added: string[] = [];
  // Insert bottom-up so earlier line numbers stay valid.
  for (const symbol of [...symbols].sort((a, b) => b.line - a.line)) {
    const index = symbol.line - 1;
    const sentence = `${sentenceFromName(symbol.name)}.`;
    if (family === 'py') {
      const next = lines[index + 1]?.trim() ?? '';
      if (!lines[index]!.trimEnd().endsWith(':') || next.startsWith('"""') || next.startsWith("'''")) continue;
      const bodyIndent = /^(\s*)/.exec(lines[index + 1] ?? '')?.[1] || `${symbol.indent}    `;
      lines.splice(index + 1, 0, `${bodyIndent}"""${sentence}"""`);
    } else if (family === 'go') {
      if (hasDocAbove(lines, index)) continue;
      lines.splice(index, 0, `// ${symbol.name} ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}`);
    } else if (family === 'js') {
      if (hasDocAbove(lines, index)) continue;
      const doc = [`${symbol.indent}/**`, `${symbol.indent} * ${sentence}`];
      for (const param of symbol.params)
        doc.push(`${symbol.indent} * @param ${paramName(param)} - The ${sentenceFromName(paramName(param)).toLowerCase()}.`);
      doc.push(`${symbol.indent} */`);
      lines.splice(index, 0, ...doc);
    } else continue;
    added.push(symbol.name);
  }
  if (added.length === 0) return { content: '', added };
  return { content: `${lines.join('\n')}\n`, added: added.reverse() };
}

export function docsUpdateAnswer(blocks: ParsedFileBlock[]): FilesAnswer {
  const files: FileAnswer[] = [];
  const notes: string[] = [];
  for (const block of blocks) {
    const result = documented(block);
    if (!result) notes.push(`${block.path} was not sent whole, so it was left unchanged.`);
    else if (result.added.length === 0) notes.push(`${block.path} already documents its exports.`);
    else {
      files.push({
        path: block.path,
        content: result.content,
        description: `Added doc comments for ${result.added.join(', ')}.`,
        source_path: block.path,
      });
    }
  }
  const head = files.length ? `Documented ${files.map((f) => f.path).join(', ')}.` : 'No documentation changes.';
  return { summary: [head, ...notes].join(' '), files };
}
