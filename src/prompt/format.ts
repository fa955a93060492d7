// How file content is laid out inside a prompt. Tasks render with these functions and the Anthropic
// emulator parses with them, so both sides agree on one format. Every code line carries its line
// number ("42| code"), which lets the model (and the emulator) cite real lines, and means no line of
// file content can ever look like one of our closing tags: content is data, never structure.
import type { LineRange, SourceFile } from '../types.js';

export interface RenderOptions {
  /** Only these head line ranges (with the context already included by the caller); all when absent. */
  ranges?: LineRange[];
  /** Include the base version (refactor-validation). */
  includeBase?: boolean;
  /** Include the unified diff. */
  includeDiff?: boolean;
}

const attr = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unattr = (value: string): string =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Splits text into lines the way editors number them (a trailing newline adds no line). */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** "start-end" list of the ranges, e.g. "1-20,40-61". */
export function formatRanges(ranges: LineRange[]): string {
  return ranges.map((r) => `${r.start}-${r.end}`).join(',');
}

/**
 * Numbered lines of `content` (text, or its lines already split) restricted to `ranges` (all lines when
 * undefined); gaps marked "...".
 */
export function renderNumberedLines(content: string | readonly string[], ranges?: LineRange[]): string {
  const lines = typeof content === 'string' ? splitLines(content) : content;
  const wanted = ranges ?? [{ start: 1, end: lines.length }];
  const out: string[] = [];
  let last = 0;
  for (const range of wanted) {
    const start = Math.max(1, range.start);
    const end = Math.min(lines.length, range.end);
    if (start > end) continue;
    if (last !== 0 && start > last + 1) out.push('...');
    for (let n = start; n <= end; n++) out.push(`${n}| ${lines[n - 1]}`);
    last = end;
  }
  return out.join('\n');
}

/** One <file> block for a prompt. */
export function renderFileBlock(file: SourceFile, options: RenderOptions = {}): string {
  const lines = splitLines(file.content);
  const total = lines.length;
  const ranges = options.ranges ?? [{ start: 1, end: total }];
  const parts: string[] = [
    `<file path="${attr(file.path)}" language="${attr(file.language)}" status="${file.status}" lines="${total}">`,
  ];
  if (options.includeDiff && file.diff) {
    parts.push('<diff>', file.diff.replace(/\n$/, ''), '</diff>');
  }
  if (options.includeBase && file.baseContent !== undefined) {
    parts.push('<base_code>', renderNumberedLines(file.baseContent), '</base_code>');
  }
  parts.push(`<code ranges="${formatRanges(ranges)}">`, renderNumberedLines(lines, ranges), '</code>');
  parts.push('</file>');
  return parts.join('\n');
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
  diff: string;
}

function parseNumbered(body: string): Map<number, string> {
  const lines = new Map<number, string>();
  for (const line of body.split('\n')) {
    const match = /^(\d+)\| ?(.*)$/.exec(line);
    if (match) lines.set(Number(match[1]), match[2]!);
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
    blocks.push({
      path: unattr(match[1]!),
      language: unattr(match[2]!),
      status: match[3]!,
      totalLines: Number(match[4]),
      code: parseNumbered(section('code')),
      baseCode: parseNumbered(section('base_code')),
      diff: section('diff'),
    });
  }
  return blocks;
}
