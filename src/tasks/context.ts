// What a reviewer needs besides the changed lines and the block they sit in (issue 13): the code in
// the same file that uses what the change declares or assigns, data files as their changed lines only,
// and which files are package manifests (a version bump is packed with its neighbours, units.ts).
import { posix } from 'node:path';
import { isDataLanguage } from '../gather/language.js';
import { splitLines } from '../prompt/format.js';
import type { LineRange, SourceFile } from '../types.js';
import { enclosingBlock, indentOf, isBlank } from './blocks.js';

// ---- data files ----------------------------------------------------------------------------------

/** A data-format file (or a code file shaped like a literal) this long is a data set, not configuration. */
export const DATA_FILE_MIN_LINES = 300;
/** Lines of context around a data file's changed lines: enough to see the record, not the data set. */
export const DATA_CONTEXT_LINES = 2;
/**
 * A data file whose change touches more lines than this (a new or regenerated data set) is left out
 * with the reason 'data': no review reads thousands of records line by line, and the ~16K tokens such
 * a file costs would buy nothing. A change to a few records is still sent, as its changed lines.
 */
export const DATA_MAX_CHANGED_LINES = 200;

/** A line that is part of a literal: brackets, `key: value`, a bare value, a one-line record. */
const LITERAL_LINE =
  /^(?:[[\]{}(),;]+|-\s.*|(?:"[^"]*"|'[^']*'|[\w$-]+)\s*[:=]\s*(?:"[^"]*"|'[^']*'|-?[\d.]+(?:e[+-]?\d+)?|true|false|null|\[|\{).*|(?:"[^"]*"|'[^']*'|-?[\d.]+|true|false|null)\s*,?|\{.*\}\s*,?|\[.*\]\s*,?)$/i;
const SHAPE_SAMPLE_LINES = 2000;
const SHAPE_LITERAL_SHARE = 0.95;

/** Whether the (non-blank) lines are nearly all literal: a data set written as code. */
function hasDataShape(lines: readonly string[]): boolean {
  const sample = lines.slice(0, SHAPE_SAMPLE_LINES);
  // Code gives itself away within its first lines: stop once too many are not literal.
  const allowed = Math.floor(sample.length * (1 - SHAPE_LITERAL_SHARE));
  let content = 0;
  let other = 0;
  for (const line of sample) {
    if (isBlank(line)) continue;
    content++;
    if (!LITERAL_LINE.test(line.trim()) && ++other > allowed) return false;
  }
  return content > 0 && (content - other) / content >= SHAPE_LITERAL_SHARE;
}

/**
 * A data file: at least DATA_FILE_MIN_LINES lines of a data format (JSON, YAML, CSV, XML, TOML by the
 * language table), or of anything that is nearly all literal lines. Manifests are configuration,
 * whatever their size.
 */
export function isDataFile(file: Pick<SourceFile, 'path' | 'language'>, lines: readonly string[]): boolean {
  if (lines.length < DATA_FILE_MIN_LINES || isManifestPath(file.path)) return false;
  return isDataLanguage(file.language) || (!PROSE_LANGUAGES.has(file.language) && hasDataShape(lines));
}

/** Prose is never data by shape: a long Markdown list is a document. */
const PROSE_LANGUAGES = new Set(['markdown', 'mdx', 'rst', 'asciidoc', 'latex', 'text']);

const changedLineCount = (ranges: readonly LineRange[]): number =>
  ranges.reduce((n, r) => n + Math.max(0, Math.abs(r.end - r.start) + 1), 0);

/** Whether planning leaves this file out with the reason 'data' (see DATA_MAX_CHANGED_LINES). */
export function dataChangeLeftOut(file: SourceFile, lines: readonly string[] = splitLines(file.content)): boolean {
  return isDataFile(file, lines) && changedLineCount(file.changedRanges) > DATA_MAX_CHANGED_LINES;
}

// ---- manifests -----------------------------------------------------------------------------------

const MANIFEST_NAMES = new Set([
  'package.json',
  'jsr.json',
  'deno.json',
  'deno.jsonc',
  'composer.json',
  'cargo.toml',
  'pyproject.toml',
  'setup.cfg',
  'go.mod',
  'gemfile',
  'pubspec.yaml',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'mix.exs',
  'chart.yaml',
  'project.clj',
]);
const MANIFEST_PATTERNS = [/\.gemspec$/, /\.csproj$/, /^requirements[\w.-]*\.txt$/];

/** A package manifest (package.json, Cargo.toml, go.mod, ...): its usual change is a version bump. */
export function isManifestPath(path: string): boolean {
  const name = posix.basename(path).toLowerCase();
  return MANIFEST_NAMES.has(name) || MANIFEST_PATTERNS.some((pattern) => pattern.test(name));
}

// ---- uses of what changed ------------------------------------------------------------------------

/** At most this many lines are added to a file's ranges for the uses of its changed names. */
export const USES_MAX_LINES = 120;
/** A use inside a block up to this size brings the whole block; in a larger one, a few lines around it. */
export const USE_BLOCK_MAX_LINES = 80;
const USE_CONTEXT_LINES = 2;
const MAX_NAMES = 40;
/** Changes larger than this are sent mostly as they are; looking for uses of all they declare is not worth it. */
const MAX_CHANGED_LINES_FOR_USES = 2000;

const NAME = '([A-Za-z_$][\\w$]*)';
/** Top-level declarations and assignments, in the common languages (the captured group is the name). */
const TOP_LEVEL_DECLARATIONS = [
  new RegExp(`^(?:export\\s+)?(?:declare\\s+)?(?:const|let|var|val|static|final)\\s+${NAME}`),
  new RegExp(
    `^(?:export\\s+)?(?:default\\s+)?(?:pub(?:\\([^)]*\\))?\\s+)?(?:abstract\\s+)?(?:async\\s+)?(?:function\\*?|class|interface|type|enum|struct|trait|def|fn|func|fun|module|namespace)\\s+${NAME}`,
  ),
  new RegExp(`^${NAME}\\s*(?::[^=]+)?=(?![=>])`),
];
/** Members assigned anywhere: `this.limit = ...`, `self.limit = ...`. */
const MEMBER_ASSIGNMENT = new RegExp(`^(?:this|self)\\.${NAME}\\s*=(?!=)`);
/** Class members declared directly in a class body: fields (`private limit = 10`) and methods (`async find(id) {`). */
const CLASS_MEMBER_DECLARATIONS = [
  new RegExp(`^(?:(?:public|private|protected|static|readonly|declare|override)\\s+)*#?${NAME}\\s*[?!]?\\s*(?::[^=]+)?=(?![=>])`),
  new RegExp(`^(?:(?:public|private|protected|static|async|override|get|set)\\s+)*#?${NAME}\\s*(?:<[^>]*>)?\\s*\\([^;]*$`),
];
const NOT_NAMES = new Set([
  'default',
  'async',
  'function',
  'class',
  'type',
  'const',
  'let',
  'var',
  'new',
  'this',
  'self',
  'return',
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'constructor',
  'super',
]);

/** Whether line `n` sits directly in a class body: the nearest less indented line above opens a class. */
function inClassBody(lines: readonly string[], n: number): boolean {
  const indent = indentOf(lines[n - 1]!);
  for (let k = n - 1; k >= 1; k--) {
    const line = lines[k - 1]!;
    if (isBlank(line) || indentOf(line) >= indent) continue;
    return /\bclass\s+[\w$]+/.test(line);
  }
  return false;
}

/**
 * Names the changed lines declare or assign at the top level of the file, or as class members (fields,
 * methods, `this.x =`): those can be used anywhere in it. A name declared inside a function is local, and its uses are in the
 * function already sent.
 */
export function changedNames(lines: readonly string[], changed: readonly LineRange[]): string[] {
  const names = new Set<string>();
  for (const range of changed) {
    for (let n = range.start; n <= range.end && names.size < MAX_NAMES; n++) {
      const line = lines[n - 1];
      if (line === undefined || isBlank(line)) continue;
      const trimmed = line.trim();
      const patterns =
        indentOf(line) === 0
          ? [...TOP_LEVEL_DECLARATIONS, MEMBER_ASSIGNMENT]
          : inClassBody(lines, n)
            ? CLASS_MEMBER_DECLARATIONS
            : [MEMBER_ASSIGNMENT];
      for (const pattern of patterns) {
        const name = pattern.exec(trimmed)?.[1];
        if (name && name.length >= 3 && !NOT_NAMES.has(name)) {
          names.add(name);
          break;
        }
      }
    }
  }
  return [...names];
}

const escapeRegExp = (text: string): string => text.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&');

/**
 * Ranges that show where the changed names are used elsewhere in the file: each use's enclosing
 * block when it is small, else a few lines around it, nearest uses first, within USES_MAX_LINES.
 */
export function useRanges(lines: readonly string[], changed: readonly LineRange[]): LineRange[] {
  if (changedLineCount(changed) > MAX_CHANGED_LINES_FOR_USES) return [];
  const names = changedNames(lines, changed);
  if (names.length === 0) return [];
  const pattern = new RegExp(`(?<![\\w$])(?:${names.map(escapeRegExp).join('|')})(?![\\w$])`);
  const inChanged = (n: number): boolean => changed.some((r) => r.start <= n && n <= r.end);
  const distance = (n: number): number => Math.min(...changed.map((r) => (n < r.start ? r.start - n : n - r.end)));
  const uses: number[] = [];
  lines.forEach((line, index) => {
    const n = index + 1;
    if (!inChanged(n) && pattern.test(line)) uses.push(n);
  });
  uses.sort((a, b) => distance(a) - distance(b) || a - b);
  const ranges: LineRange[] = [];
  let budget = USES_MAX_LINES;
  const covered = (n: number): boolean => ranges.some((r) => r.start <= n && n <= r.end);
  for (const use of uses) {
    if (covered(use)) continue;
    // A use on a line that looks like a declaration itself (`const x = list.filter((a) => ...)`) is its
    // own "block": the code around it is what the line above belongs to.
    let block = enclosingBlock(lines, use);
    if (use > 1 && (!block || block.end === null)) block = enclosingBlock(lines, use - 1) ?? block;
    const range =
      block && block.end !== null && block.end - block.start + 1 <= USE_BLOCK_MAX_LINES
        ? { start: block.start, end: block.end }
        : { start: Math.max(1, use - USE_CONTEXT_LINES), end: Math.min(lines.length, use + USE_CONTEXT_LINES) };
    const size = range.end - range.start + 1;
    if (size > budget) continue;
    budget -= size;
    ranges.push(range);
  }
  return ranges;
}
