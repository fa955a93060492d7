// Model output is untrusted (PRODUCT.md "Promises to users"): everything a model wrote passes through
// here before it reaches GitHub. The aim is that a hostile or confused answer can neither notify
// people, nor link or load anything outside the repository, nor forge overnight's own markers or page
// structure, while an explanation with paragraphs, lists and code still reads as written.
//
// How: the text is cut into fenced code blocks and prose lines, the way a CommonMark reader would.
// - Fenced code is re-emitted with our own fence, long enough that nothing inside closes it, closed
//   when the model left it open, and without an info string GitHub would render (mermaid, maps,
//   math, suggestion); a marker look-alike (`<!-- overnight:`) inside is broken with a zero-width
//   space, bidi controls are shown as `<U+202E>`.
// - Each prose line is read once into atoms and written back canonically (sanitize-prose.ts): no raw
//   HTML, no image, no link or URL outside the repository (shown as code), no mention or
//   cross-repository reference, no block of the model's choosing beyond paragraphs, lists and quotes.
// - The result is a fixed point: sanitising it again changes nothing (so nothing our edits join
//   together is left unjudged). The tests render it with micromark + GFM and check GitHub's rules.

import { codeFence, delimitCodeSpan } from './code-delimiters.js';
import { neutraliseCode, sanitizeProseLine, type RepositoryScope } from './sanitize-prose.js';

export interface SanitizeOptions {
  /** https://github.com or a GHES base. */
  serverUrl: string;
  owner: string;
  repo: string;
  /** Longest output in characters (block default 20,000, inline default 200). */
  maxLength?: number;
}

export const DEFAULT_BLOCK_MAX_LENGTH = 20_000;
export const DEFAULT_INLINE_MAX_LENGTH = 200;
/** GitHub's limit for an issue, comment or pull request body. */
export const GITHUB_BODY_LIMIT = 65_536;

const TRUNCATED_SUFFIX = '… (truncated)';
const DEFAULT_CAP_NOTICE = '\n\n---\n_Truncated to fit GitHub’s size limit: the full report is in the results artifact._';

// Control characters, and U+FEFF: a reader drops it at the start of a document, so a `~~~` behind
// it would open a fence that our line-start escaping did not see.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufeff]/g;
/** Info strings GitHub renders instead of showing the code (diagrams, maps, 3D, math, a commit button). */
const RENDERED_LANGUAGES = new Set(['mermaid', 'geojson', 'topojson', 'stl', 'math', 'suggestion']);

function scopeOf(options: SanitizeOptions): RepositoryScope | null {
  try {
    const server = new URL(options.serverUrl);
    const base = server.pathname.replace(/\/+$/, '');
    return {
      origin: server.origin.toLowerCase(),
      path: `${base}/${options.owner}/${options.repo}`.toLowerCase(),
      ownerRepo: `${options.owner}/${options.repo}`.toLowerCase(),
    };
  } catch {
    return null;
  }
}

/**
 * Trims what Markdown itself ignores (spaces, tabs, line breaks) and nothing else: String#trim would
 * also drop a no-break space that the line-start escaping had counted as text (`\u00a0***` would
 * turn into a rule).
 */
function trimBlank(text: string): string {
  return text.replace(/^[ \t\n]+|[ \t\n]+$/g, '');
}

function normaliseInput(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL_CHARS, '');
}

/**
 * Inline code for our own data that may still come from outside (file paths from a pull request,
 * request ids, quoted code): it shows exactly as written, backticks included (the span's delimiter
 * is longer than any run inside), a line break cannot end the span (it becomes the space a reader
 * would show), and a marker look-alike cannot be read back as one of our markers.
 */
export function codeSpan(text: string): string {
  return delimitCodeSpan(neutraliseCode(text.replace(/\r\n?|\n/g, ' ').replace(CONTROL_CHARS, '?')));
}

/**
 * A code span inside a Markdown table cell, where a pipe, even in code, would end the cell: each
 * pipe is escaped, and a backslash before one is kept apart from it (`\\|` would read as an escaped
 * backslash and a cell boundary).
 */
export function codeCell(text: string): string {
  return codeSpan(text.replace(/\\(?=\|)/g, '\\\u200b')).replace(/\|/g, '\\|');
}

/** A fenced block that nothing inside can close, with marker look-alikes and bidi controls defused. */
export function codeBlock(code: string, language = ''): string {
  return fencedBlock(code, language, '');
}

/**
 * A GitHub suggestion (the commit button of an inline review comment) replacing the comment's lines
 * with `code`: only for code overnight decided to offer (the model's own fences never become one),
 * in a fence nothing inside can close, marker look-alikes defused like any code.
 */
export function suggestionBlock(code: string): string {
  return fencedBlock(code, 'suggestion', '', true);
}

/** codeBlock with every line indented by `indent` (a fence inside a list item stays inside it). */
function fencedBlock(code: string, language: string, indent: string, rendered = false): string {
  const content = neutraliseCode(normaliseInput(code)).replace(/\n+$/, '');
  const fence = codeFence(content);
  const info = language.replace(/[^A-Za-z0-9_+#.-]/g, '').slice(0, 30);
  const shownInfo = rendered || !RENDERED_LANGUAGES.has(info.toLowerCase()) ? info : '';
  const lines = [`${fence}${shownInfo}`, ...(content ? content.split('\n') : []), fence];
  return lines.map((line) => `${indent}${line}`).join('\n');
}

interface FenceOpen {
  indent: string;
  char: '\x60' | '~';
  length: number;
  info: string;
}

function fenceOpening(line: string): FenceOpen | null {
  const match = /^([ \t]*)(\x60{3,}|~{3,})(.*)$/.exec(line);
  if (!match) return null;
  const marker = match[2]!;
  const info = match[3]!;
  if (marker[0] === '\x60' && info.includes('\x60')) return null;
  return {
    indent: match[1]!,
    char: marker[0] as '\x60' | '~',
    length: marker.length,
    info: info.trim().split(/\s+/)[0] ?? '',
  };
}

function isFenceClose(line: string, open: FenceOpen): boolean {
  const match = /^[ \t]*(\x60+|~+)[ \t]*$/.exec(line);
  return !!match && match[1]![0] === open.char && match[1]!.length >= open.length;
}

function dedent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && (line[i] === ' ' || line[i] === '\t')) i += 1;
  return line.slice(i);
}

function sanitizeBlock(text: string, scope: RepositoryScope | null): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = fenceOpening(lines[i]!);
    if (!open) {
      out.push(sanitizeProseLine(lines[i]!, scope, false));
      continue;
    }
    const code: string[] = [];
    i += 1;
    while (i < lines.length && !isFenceClose(lines[i]!, open)) {
      code.push(dedent(lines[i]!, open.indent.length));
      i += 1;
    }
    // Unclosed fence: it ends with the text (the loop ran off the end); fencedBlock closes it.
    out.push(fencedBlock(code.join('\n'), open.info, open.indent));
  }
  return out.join('\n');
}

function cutAt(text: string, length: number): string {
  let cut = text.slice(0, Math.max(0, length));
  // Never leave half a surrogate pair.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut;
}

/** Shrinks the input until the sanitised output fits (escaping can make the output longer). */
function withinLength(text: string, maxLength: number, render: (input: string) => string): string {
  let output = render(text);
  if (output.length <= maxLength) return output;
  let budget = maxLength - TRUNCATED_SUFFIX.length - 8;
  for (let attempt = 0; attempt < 8 && budget > 0; attempt += 1) {
    output = render(`${cutAt(text, budget).trimEnd()}`);
    const separator = !output ? '' : output.endsWith('\x60\x60\x60') ? '\n' : ' ';
    const withSuffix = `${output}${separator}${TRUNCATED_SUFFIX}`;
    if (withSuffix.length <= maxLength) return withSuffix;
    budget -= withSuffix.length - maxLength + 16;
  }
  return TRUNCATED_SUFFIX.slice(0, maxLength);
}

/** Sanitises block Markdown written by a model (explanations, summaries, suggested text). */
export function sanitizeMarkdown(text: string, options: SanitizeOptions): string {
  const scope = scopeOf(options);
  const maxLength = options.maxLength ?? DEFAULT_BLOCK_MAX_LENGTH;
  return withinLength(trimBlank(normaliseInput(text)), maxLength, (input) => trimBlank(sanitizeBlock(input, scope)));
}

/**
 * Sanitises one line written by a model (titles, categories): newlines become spaces and `|` is
 * escaped, so the result can go into a heading, a list item or a table cell.
 */
export function sanitizeInline(text: string, options: SanitizeOptions): string {
  const scope = scopeOf(options);
  const maxLength = options.maxLength ?? DEFAULT_INLINE_MAX_LENGTH;
  // Only Markdown's blanks are collapsed: a no-break space is text (it can stand before a `>`).
  const oneLine = trimBlank(normaliseInput(text).replace(/[ \t\n]+/g, ' '));
  // The output never ends in a lone backslash (a literal one is written `\\`), so nothing we put
  // after it (a `**`, a table's `|`) can be escaped by it.
  // A removed comment can leave two spaces: collapsed again, as the input was.
  return withinLength(oneLine, maxLength, (input) => trimBlank(sanitizeProseLine(input, scope, true).replace(/[ \t\n]+/g, ' ')));
}

/**
 * Caps a body we built to GitHub's limit: cut at a line boundary, a fenced block left open by the cut
 * is closed, and the notice says where the rest is. Our own markers should sit at the top of the
 * body so that a cut never removes them.
 */
export function capBody(
  body: string,
  limit: number = GITHUB_BODY_LIMIT,
  notice: string = DEFAULT_CAP_NOTICE,
): { body: string; truncated: boolean } {
  if (body.length <= limit) return { body, truncated: false };
  const room = limit - notice.length - 16;
  if (room <= 0) return { body: cutAt(notice, limit), truncated: true };
  let cut = cutAt(body, room);
  const lastNewline = cut.lastIndexOf('\n');
  if (lastNewline > room / 2) cut = cut.slice(0, lastNewline);
  // Close a fence the cut left open (our bodies only use backtick fences from codeBlock()).
  let openFence: string | null = null;
  let openIndent = '';
  for (const line of cut.split('\n')) {
    const match = /^([ \t]*)(\x60{3,})/.exec(line);
    if (!match) continue;
    if (openFence === null) {
      openFence = match[2]!;
      openIndent = match[1]!;
    } else if (/^[ \t]*\x60+[ \t]*$/.test(line) && match[2]!.length >= openFence.length) openFence = null;
  }
  if (openFence) cut += `\n${openIndent}${openFence}`;
  return { body: `${cut}${notice}`, truncated: true };
}
