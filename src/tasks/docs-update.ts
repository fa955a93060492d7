// docs-update: one request adds or refreshes the documentation of one changed file (doc comments in
// source, or the prose of a doc page). The answer is the full updated file for the same path, so a
// unit is always the whole file, and the normaliser checks that a source file's code is untouched.
import { extensionOf } from '../gather/language.js';
import { escapeAttribute, splitLines } from '../prompt/format.js';
import type { GeneratedFile, SourceFile, TaskOutput, WorkUnit } from '../types.js';
import { COMMON_RULES, renderUnitFile, resolvePath } from './common.js';
import { checkGeneratedFile, isDocPath, isSourcePath } from './paths.js';
import { assertMatchesSchema, compileAnswerSchema, filesSchema, type FilesAnswer } from './schemas.js';
import { LIMITS, cleanLine, cleanText } from './text.js';
import { MalformedAnswerError, type NormaliseContext, type PlanOptions, type TaskDefinition } from './task.js';
import { planFileUnits } from './units.js';

/**
 * Largest file docs-update takes: the answer repeats the whole file, and about 600 lines of code plus
 * the added docs is what fits in the default 8,192 output tokens.
 */
export const DOCS_MAX_FILE_LINES = 600;

const systemPrompt = `You are a senior engineer keeping a codebase's documentation accurate after a change. For each file you get, you return the same file with its documentation added or brought up to date.

For source files:
- Add or refresh doc comments (JSDoc/TSDoc, Python docstrings, Go doc comments, Rustdoc, Javadoc, KDoc, XML doc comments, ...) in the language's idiomatic style for the public API the change touches: exported functions, classes, methods, types and constants. Describe purpose, parameters, return value, errors thrown and non-obvious behaviour; do not restate the name.
- Fix comments the change made wrong. Keep existing accurate comments as they are; do not add comments to trivial code or private helpers, and do not narrate the code line by line.
- Change ONLY comments and docstrings. Every code line must stay exactly as it is: same statements, same order, same imports. Formatting of the code must not change either. Answers that change code are rejected.
For documentation files (Markdown, reStructuredText, text):
- Update the sections the change makes outdated (usage, options, examples, behaviour), keep the document's structure, tone and formatting, and do not rewrite what is still correct.

Output:
- "files" holds one entry per file you changed: "path" and "source_path" are both the path attribute of the <file> block, "content" is the COMPLETE updated file (every line, not a diff, without the "N| " prefixes), "description" is one line on what you documented.
- When the documentation is already accurate and complete, return an empty "files" list and say so in the summary.
${COMMON_RULES}`;

const outputSchema = filesSchema({
  summary: 'What was documented, or why nothing needed to change.',
  path: 'The path attribute of the <file> block.',
  content: 'The complete updated file content.',
  description: 'One line: what was documented.',
  sourcePath: 'Same as path.',
});
const validate = compileAnswerSchema(outputSchema);

// ---- code preservation ---------------------------------------------------------------------------

const HASH_COMMENT_EXTENSIONS = new Set(['py', 'rb', 'sh', 'bash', 'pl', 'pm', 'r', 'ex', 'exs', 'jl', 'ps1']);
const DASH_COMMENT_EXTENSIONS = new Set(['lua', 'hs', 'sql']);

/**
 * The code lines of a source file with comments, docstrings and blank lines left out (trimmed, trailing
 * line comments cut). Comparing them before and after is how we know a docs answer changed only docs.
 * The heuristic errs on the side of calling things comments: a missed code change inside a string
 * block is possible, a rejected honest answer is rarer.
 */
export function codeLinesOf(content: string, path: string): { line: number; text: string }[] {
  const ext = extensionOf(path);
  const hash = HASH_COMMENT_EXTENSIONS.has(ext);
  const dash = DASH_COMMENT_EXTENSIONS.has(ext);
  const out: { line: number; text: string }[] = [];
  let inBlock = false; // inside /* ... */
  let inDocstring: string | null = null; // inside """ or ''' (Python, Elixir)
  splitLines(content).forEach((raw, index) => {
    let text = raw.trim();
    if (!text) return;
    if (inDocstring) {
      if (text.includes(inDocstring)) inDocstring = null;
      return;
    }
    if (inBlock) {
      if (text.includes('*/')) {
        inBlock = false;
        text = text.slice(text.indexOf('*/') + 2).trim();
        if (!text) return;
      } else return;
    }
    const quote = /^(?:@(?:module)?doc\s+|[rRuUbB]{0,2})("""|''')/.exec(text);
    if (quote && (hash || ext === 'ex' || ext === 'exs')) {
      const rest = text.slice(quote[0].length);
      if (!rest.includes(quote[1]!)) inDocstring = quote[1]!;
      return;
    }
    if (text.startsWith('/*')) {
      const close = text.indexOf('*/', 2);
      if (close === -1) {
        inBlock = true;
        return;
      }
      text = text.slice(close + 2).trim();
      if (!text) return;
    }
    if (text.startsWith('//') || text.startsWith('<!--') || text.startsWith('*')) return;
    if (hash && text.startsWith('#') && !text.startsWith('#!')) return;
    if (dash && text.startsWith('--')) return;
    // Trailing line comments may be refreshed too; strings containing " //" are cut the same way on both sides.
    text = text.replace(/\s+\/\/.*$/, '').replace(/\s*\/\*.*\*\/\s*$/, '');
    if (hash) text = text.replace(/\s+#(?![{\[]).*$/, '');
    if (text) out.push({ line: index + 1, text });
  });
  return out;
}

/** The first code line that differs between `before` and `after`, or null when the code is the same. */
export function firstCodeChange(before: string, after: string, path: string): { line: number; text: string } | null {
  const a = codeLinesOf(before, path);
  const b = codeLinesOf(after, path);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i]?.text !== b[i]?.text) return a[i] ?? b[i]!;
  }
  return null;
}

// ---- task ----------------------------------------------------------------------------------------

export const docsUpdate: TaskDefinition = {
  name: 'docs-update',
  title: 'Docs update',
  defaultModel: 'claude-haiku-4-5',
  defaultMaxOutputTokens: 8192,
  defaultReports: () => ['pull-request', 'summary'],
  systemPrompt,
  outputSchema,
  /**
   * Source files and doc pages, whole, up to DOCS_MAX_FILE_LINES. Files with redacted secrets are
   * refused: the answer replaces the whole file and would overwrite the real values with the markers.
   */
  accepts(file: SourceFile): boolean {
    if (file.redactions > 0) return false;
    if (!isSourcePath(file.path) && !isDocPath(file.path)) return false;
    const lines = splitLines(file.content).length;
    return lines > 0 && lines <= DOCS_MAX_FILE_LINES;
  },
  acceptsPath: (path: string) => isSourcePath(path) || isDocPath(path),
  planUnits(files: SourceFile[], options: PlanOptions): WorkUnit[] {
    // Always the whole file in one unit: the answer is the complete updated file.
    const whole = { ...options, wholeFileMaxLines: Number.MAX_SAFE_INTEGER, maxUnitLines: Number.MAX_SAFE_INTEGER };
    return planFileUnits(
      'docs-update',
      files.filter((file) => docsUpdate.accepts(file)),
      whole,
    );
  },
  renderUnit(unit: WorkUnit): string {
    const ask =
      unit.files.length === 1
        ? `Update the documentation of ${escapeAttribute(unit.files[0]!.path)}.`
        : 'Update the documentation of these files.';
    return [ask, ...unit.files.map((file) => renderUnitFile(unit, file, { includeDiff: true }))].join('\n\n');
  },
  normalise(answer: unknown, context: NormaliseContext): TaskOutput {
    const parsed = assertMatchesSchema<FilesAnswer>(validate, answer, 'docs-update');
    const byPath = new Map(context.files.map((file) => [file.path, file]));
    const seen = new Set<string>();
    const files: GeneratedFile[] = [];
    for (const raw of parsed.files) {
      // The answer overwrites a repository file: anything off-contract rejects the whole answer.
      const path = resolvePath(raw.path, byPath);
      if (path === null)
        throw new MalformedAnswerError(`docs-update answer writes "${cleanLine(raw.path, 80)}", which was not in the request`);
      if (seen.has(path)) throw new MalformedAnswerError(`docs-update answer has "${path}" twice`);
      seen.add(path);
      const original = byPath.get(path)!;
      let content = raw.content.replace(/\r\n?/g, '\n');
      if (!content.trim()) throw new MalformedAnswerError(`docs-update answer empties "${path}"`);
      if (Buffer.byteLength(content) > LIMITS.generatedFileBytes) {
        throw new MalformedAnswerError(`docs-update answer's "${path}" exceeds ${LIMITS.generatedFileBytes} bytes`);
      }
      if (/^\s*1\| /.test(content) && !/^\s*1\| /.test(original.content)) {
        throw new MalformedAnswerError(`docs-update answer for "${path}" kept the "N| " line-number prefixes`);
      }
      if (!isDocPath(path)) {
        const change = firstCodeChange(original.content, content, path);
        if (change) {
          throw new MalformedAnswerError(
            `docs-update answer changes code in "${path}", not only docs (near line ${change.line}: ${cleanLine(change.text, 60)})`,
          );
        }
      }
      // Keep the file's own conventions: line endings and the final newline.
      const originalEndsWithNewline = /\n$/.test(original.content);
      content = content.replace(/\n+$/, '') + (originalEndsWithNewline ? '\n' : '');
      if (original.content.includes('\r\n')) content = content.replace(/\n/g, '\r\n');
      if (content === original.content) continue; // nothing to propose for this file
      // The path rules judge the written file once (a file under .github/, a name with bidi characters).
      files.push(
        checkGeneratedFile('docs-update', {
          path,
          content,
          description: cleanLine(raw.description, LIMITS.description),
          sourcePath: path,
        }),
      );
    }
    return { kind: 'files', files, summary: cleanText(parsed.summary, LIMITS.summary) };
  },
};
