// How file content is laid out inside a prompt. Tasks render with these functions and the Anthropic
// emulator parses with them, so both sides agree on one format. Every code line carries its line
// number ("42| code"), which lets the model (and the emulator) cite real lines, and means no line of
// file content can ever look like one of our closing tags: content is data, never structure.
import { unsafeChars } from '../io/safe-text.js';
import { cleanText } from '../tasks/text.js';
import type { LineRange, SourceFile } from '../types.js';

export interface RenderOptions {
  /** Only these head line ranges (with the context already included by the caller); all when absent. */
  ranges?: LineRange[];
  /** Include the base version (refactor-validation). */
  includeBase?: boolean;
  /** Include the unified diff. */
  includeDiff?: boolean;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

/**
 * Text as it appears inside an attribute of the framing (and wherever a prompt names a path): `&`, `"`,
 * `<`, `>` as entities and every control, format or line separator character (a newline in a file
 * name) as `&#xHH;`, so no file name can end the attribute, start a line or hide what it holds.
 */
export function escapeAttribute(value: string): string {
  return value
    .replace(/[&"<>]/g, (char) => ENTITIES[char]!)
    .replace(unsafeChars(), (char) => `&#x${char.codePointAt(0)!.toString(16).toUpperCase()};`);
}

/** The text escapeAttribute wrote; also how a path the model copied from an attribute is read. */
export function decodeAttribute(value: string): string {
  return value.replace(/&(?:(amp|quot|lt|gt)|#x([0-9a-fA-F]{1,6}));/g, (entity, name?: string, hex?: string) => {
    if (name) return { amp: '&', quot: '"', lt: '<', gt: '>' }[name]!;
    const code = Number.parseInt(hex!, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}

/** Splits text into lines the way editors number them (a trailing newline adds no line). */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** splitLines(text).length, without splitting ("a\nb\n" and "a\nb" both have 2): gather and collect count every file. */
export function countLines(text: string): number {
  if (text === '') return 0;
  let count = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return text.endsWith('\n') ? count - 1 : count;
}

/**
 * splitLines(text).slice(from - 1, to) for 1-based `from` ≤ `to`, without splitting the whole text: the
 * few lines a finding cites, out of a file of thousands.
 */
export function linesBetween(text: string, from: number, to: number): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let line = 1; line <= to && start < text.length; line++) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    if (line >= from) lines.push(text.slice(start, newline !== -1 && text[end - 1] === '\r' ? end - 1 : end));
    if (newline === -1) break;
    start = newline + 1;
  }
  return lines;
}

/** "start-end" list of the ranges, e.g. "1-20,40-61". */
export function formatRanges(ranges: LineRange[]): string {
  return ranges.map((r) => `${r.start}-${r.end}`).join(',');
}

/** What marks a line the change added or modified: "42+| code" (the model cites 42). */
export const CHANGED_MARK = '+';

/**
 * Numbered lines of `content` (text, or its lines already split) restricted to `ranges` (all lines when
 * undefined); gaps marked "..."; lines inside `changed` marked "N+| ".
 */
export function renderNumberedLines(content: string | readonly string[], ranges?: LineRange[], changed?: LineRange[]): string {
  const lines = typeof content === 'string' ? splitLines(content) : content;
  const wanted = ranges ?? [{ start: 1, end: lines.length }];
  const isChanged = changedLineTest(changed);
  const out: string[] = [];
  let last = 0;
  for (const range of wanted) {
    const start = Math.max(1, range.start);
    const end = Math.min(lines.length, range.end);
    if (start > end) continue;
    if (last !== 0 && start > last + 1) out.push('...');
    for (let n = start; n <= end; n++) out.push(`${n}${isChanged(n) ? CHANGED_MARK : ''}| ${lines[n - 1]}`);
    last = end;
  }
  return out.join('\n');
}

/**
 * Whether line n is in one of `changed`, for n asked in increasing order (as renderNumberedLines
 * walks its ranges): one pass over the ranges sorted by start, not a search of every range per line
 * (a file of thousands of lines with hundreds of hunks). A smaller n than the last resets the walk.
 */
function changedLineTest(changed: readonly LineRange[] | undefined): (n: number) => boolean {
  if (!changed || changed.length === 0) return () => false;
  const sorted = [...changed].sort((a, b) => a.start - b.start);
  let next = 0;
  let covered = 0;
  let lastAsked = 0;
  return (n) => {
    if (n < lastAsked) {
      next = 0;
      covered = 0;
    }
    lastAsked = n;
    // `covered`: the furthest end of the ranges that start at or before n.
    while (next < sorted.length && sorted[next]!.start <= n) covered = Math.max(covered, sorted[next++]!.end);
    return n <= covered;
  };
}

/** One <file> block for a prompt. */
export function renderFileBlock(file: SourceFile, options: RenderOptions = {}): string {
  const lines = splitLines(file.content);
  const total = lines.length;
  const ranges = options.ranges ?? [{ start: 1, end: total }];
  const parts: string[] = [
    `<file path="${escapeAttribute(file.path)}" language="${escapeAttribute(file.language)}" status="${file.status}" lines="${total}">`,
  ];
  if (options.includeDiff && file.diff) {
    parts.push('<diff>', file.diff.replace(/\n$/, ''), '</diff>');
  }
  if (options.includeBase && file.baseContent !== undefined) {
    parts.push('<base_code>', renderNumberedLines(file.baseContent), '</base_code>');
  }
  // The change's lines are marked when there is a change to see; a file without a diff (a whole-tree
  // review, a new file) is new code in full, which the rules say instead of marking every line.
  const changed = file.diff ? file.changedRanges : undefined;
  parts.push(`<code ranges="${formatRanges(ranges)}">`, renderNumberedLines(lines, ranges, changed), '</code>');
  parts.push('</file>');
  return parts.join('\n');
}

/** Characters of a pull request's title and description a prompt shows (the rest is cut, marked "…"). */
export const PULL_REQUEST_TEXT_CAP = { title: 256, body: 4000 } as const;

/** Text inside a data block: `&`, `<`, `>` as entities (no closing tag can be forged), unsafe characters dropped, capped. */
function blockText(value: string, max: number): string {
  return cleanText(value, max).replace(/[&<>]/g, (char) => ENTITIES[char]!);
}

/**
 * The author's intent, as data: a pull request's title and description in a <pull_request> block,
 * sanitised and capped. Null when there is neither.
 */
export function renderPullRequestBlock(pr: { number: number; title?: string; body?: string }): string | null {
  const title = blockText(pr.title ?? '', PULL_REQUEST_TEXT_CAP.title).replace(/\s+/g, ' ');
  const body = blockText(pr.body ?? '', PULL_REQUEST_TEXT_CAP.body);
  if (!title && !body) return null;
  return [
    `<pull_request number="${pr.number}">`,
    `<title>${title}</title>`,
    '<description>',
    body,
    '</description>',
    '</pull_request>',
  ].join('\n');
}

export interface ParsedFileBlock {
  path: string;
  language: string;
  status: string;
  totalLines: number;
  /** Head lines that were sent, by line number. */
  code: Map<number, string>;
  /** Base lines that were sent, by line number (refactor-validation). */
  baseCode: Map<number, string>;
  /** Head lines marked as changed ("N+| "). */
  changed: Set<number>;
  diff: string;
}

function parseNumbered(body: string, changed?: Set<number>): Map<number, string> {
  const lines = new Map<number, string>();
  for (const line of body.split('\n')) {
    const match = /^(\d+)(\+?)\| ?(.*)$/.exec(line);
    if (!match) continue;
    lines.set(Number(match[1]), match[3]!);
    if (match[2]) changed?.add(Number(match[1]));
  }
  return lines;
}

/** Finds every <file> block in a prompt text (used by the emulator to answer about real lines). */
export function parseFileBlocks(text: string): ParsedFileBlock[] {
  const blocks: ParsedFileBlock[] = [];
  const fileRe = /^<file path="([^"]*)" language="([^"]*)" status="([^"]*)" lines="(\d+)">\n([\s\S]*?)^<\/file>$/gm;
  for (const match of text.matchAll(fileRe)) {
    const body = match[5]!;
    const section = (tag: string): string => {
      const re = new RegExp(`^<${tag}[^>\\n]*>\\n([\\s\\S]*?)^<\\/${tag}>$`, 'm');
      return re.exec(body)?.[1] ?? '';
    };
    const changed = new Set<number>();
    blocks.push({
      path: decodeAttribute(match[1]!),
      language: decodeAttribute(match[2]!),
      status: match[3]!,
      totalLines: Number(match[4]),
      code: parseNumbered(section('code'), changed),
      baseCode: parseNumbered(section('base_code')),
      diff: section('diff'),
      changed,
    });
  }
  return blocks;
}
