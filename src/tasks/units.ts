// Unit planning shared by the tasks: which lines of which files one request carries. Small files go
// whole; in large files the changed ranges are widened by context lines and extended to the enclosing
// function or class (a cheap, language-agnostic indentation heuristic) so the model sees the code it
// is asked about in one piece, without paying for the rest of the file. Oversized units are split by
// hunk groups, and tiny files of one directory can share a request.
import { createHash } from 'node:crypto';
import { splitLines } from '../prompt/format.js';
import type { LineRange, SourceFile, TaskName, WorkUnit } from '../types.js';
import type { PlanOptions } from './task.js';

/** Short, readable custom_id prefixes: they show up in logs and failure lists. */
export const TASK_ID_PREFIX: Record<TaskName, string> = {
  'code-review': 'cr',
  'security-scan': 'sec',
  'test-generation': 'tg',
  'docs-update': 'doc',
  'refactor-validation': 'rv',
};

/**
 * `<prefix>-<first 40 hex of sha256(task, sorted (path, content hash) pairs, part)>` (ARCHITECTURE.md):
 * deterministic, unique per unit, never an index or a raw path, at most 44 characters.
 */
export function customIdFor(task: TaskName, files: Pick<SourceFile, 'path' | 'contentHash'>[], part: string | null): string {
  const pairs = files
    .map((file) => [file.path, file.contentHash] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const digest = createHash('sha256')
    .update(JSON.stringify([task, pairs, part]))
    .digest('hex');
  return `${TASK_ID_PREFIX[task]}-${digest.slice(0, 40)}`;
}

/**
 * Packing of small units of one directory into one request (code-review, security-scan). What a
 * request costs beyond its content (the shared prefix, and the answer's fixed part, at five times the
 * input price) is paid once per pack instead of once per file. A unit is small by what it sends: a
 * tiny file whole, or a large file's changed hunks with their enclosing blocks.
 */
export interface PackOptions {
  /** Units sending at most this many lines (a whole small file, or a large file's hunks) are candidates. */
  maxSentLines: number;
  /** At most this many files per packed unit. */
  maxFiles: number;
  /** At most this many lines in total per packed unit. */
  maxLines: number;
}

export const DEFAULT_PACK_OPTIONS: PackOptions = { maxSentLines: 150, maxFiles: 10, maxLines: 600 };

/** A block larger than this is not sent whole just because a change touches it: only its signature line is. */
export const ENCLOSING_BLOCK_MAX_LINES = 200;
/** Ranges this close are merged: the "..." gap marker would cost about as much and lose context. */
const MERGE_GAP_LINES = 2;

export function countLines(ranges: LineRange[]): number {
  return ranges.reduce((sum, range) => sum + Math.max(0, range.end - range.start + 1), 0);
}

/** Sorts and merges overlapping, adjacent or nearly adjacent ranges. */
export function mergeRanges(ranges: LineRange[], gap = MERGE_GAP_LINES): LineRange[] {
  const sorted = ranges.filter((r) => r.end >= r.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: LineRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end + 1 + gap) last.end = Math.max(last.end, range.end);
    else merged.push({ start: range.start, end: range.end });
  }
  return merged;
}

// ---- enclosing-block heuristic -------------------------------------------------------------------

const isBlank = (line: string | undefined): boolean => line === undefined || line.trim() === '';

/** Indentation width; a tab counts as 4 columns (mixed files only need a consistent order). */
function indentOf(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width += 1;
    else if (ch === '\t') width += 4;
    else break;
  }
  return width;
}

const CONTROL_FLOW =
  /^(?:\}\s*)?(?:if|else|elif|elsif|for|foreach|while|do|try|catch|except|finally|switch|case|default|with|unless|until|loop|select|when|begin|rescue|ensure)\b/;
/** Declarations that open a named block in common languages. */
const DECLARATION =
  /^(?:@\w+\s+)*(?:(?:export|default|declare|pub(?:\([^)]*\))?|public|private|protected|internal|static|async|abstract|final|override|virtual|unsafe|extern|inline|open|sealed|data|suspend|const)\s+)*(?:function\*?|class|interface|enum|struct|impl|trait|module|namespace|def|defp|func|fn|fun|sub|proc|object|record)\b/;
/** `const handler = async (req) => {` and friends. */
const ARROW_DECLARATION =
  /^(?:export\s+)?(?:const|let|var)\s+[\w$]+\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\(.*\)\s*(?::[^=]+)?=>|[\w$]+\s*=>)/;
/** Method signatures: `name(args) {`, `public Foo bar(int a) throws X {`, `async get(id: string): Promise<T> {`. */
const METHOD_SIGNATURE =
  /^(?:[\w$@<>[\],.?*&:]+\s+)*[\w$]+\s*(?:<[^>]*>)?\s*\([^;]*\)\s*(?::\s*[^{;=]+|->\s*[^{;]+|throws\s+[\w.,\s]+)?\s*\{\s*$/;

function isDeclaration(trimmed: string): boolean {
  if (CONTROL_FLOW.test(trimmed)) return false;
  return DECLARATION.test(trimmed) || ARROW_DECLARATION.test(trimmed) || METHOD_SIGNATURE.test(trimmed);
}

/** Any line that opens a block: a declaration, or a line ending in `{` or `:` that is not control flow. */
function opensBlock(trimmed: string): boolean {
  if (CONTROL_FLOW.test(trimmed)) return false;
  return isDeclaration(trimmed) || /[{:]\s*$/.test(trimmed);
}

const CLOSER = /^(?:[}\])]|end\b|fi\b|done\b|esac\b)/;

/**
 * The block enclosing line `lineNo` (1-based): its header (the declaration line) and its closing line,
 * `end: null` when the close is not found within ENCLOSING_BLOCK_MAX_LINES. Null when no enclosing block
 * is recognised (top-level code). Declarations (function, class, def, func, fn, method signatures) are
 * preferred over plain `{`-ending lines (object literals, callbacks) as long as one is found before
 * reaching indentation 0.
 */
export function enclosingBlock(lines: string[], lineNo: number): { start: number; end: number | null } | null {
  const total = lines.length;
  let ref = Math.min(Math.max(lineNo, 1), total);
  while (ref <= total && isBlank(lines[ref - 1])) ref++;
  if (ref > total) {
    ref = Math.min(lineNo, total);
    while (ref >= 1 && isBlank(lines[ref - 1])) ref--;
  }
  if (ref < 1) return null;

  let header: number | null = null;
  const refTrimmed = lines[ref - 1]!.trim();
  if (isDeclaration(refTrimmed)) {
    header = ref; // the change touches the signature itself: its block is the one to send
  } else {
    let currentIndent = indentOf(lines[ref - 1]!);
    let fallback: number | null = null;
    for (let i = ref - 1; i >= 1 && currentIndent > 0; i--) {
      const line = lines[i - 1]!;
      if (isBlank(line)) continue;
      const indent = indentOf(line);
      if (indent >= currentIndent) continue;
      currentIndent = indent;
      let candidate = i;
      const trimmed = line.trim();
      if (trimmed === '{') {
        // Allman style: the header is the line above the lone brace.
        let above = i - 1;
        while (above >= 1 && isBlank(lines[above - 1])) above--;
        if (above < 1) continue;
        candidate = above;
      }
      let candidateTrimmed = lines[candidate - 1]!.trim();
      let multiLineSignature = false;
      if (/^[)\]]/.test(candidateTrimmed) && /[{:]\s*$/.test(candidateTrimmed)) {
        // `) {` / `): T {` closing a multi-line parameter list: the signature starts at the nearest
        // earlier line of the same indentation (`async find(`).
        for (let k = candidate - 1; k >= 1; k--) {
          if (isBlank(lines[k - 1]) || indentOf(lines[k - 1]!) !== indent) continue;
          candidate = k;
          candidateTrimmed = lines[k - 1]!.trim();
          multiLineSignature = !CONTROL_FLOW.test(candidateTrimmed) && /[\w$>\]]\s*\(\s*$/.test(candidateTrimmed);
          break;
        }
      }
      if (multiLineSignature || isDeclaration(candidateTrimmed) || (trimmed === '{' && !CONTROL_FLOW.test(candidateTrimmed))) {
        header = candidate;
        break;
      }
      if (fallback === null && opensBlock(candidateTrimmed)) fallback = candidate;
    }
    header ??= fallback;
  }
  if (header === null) return null;

  // A multi-line signature ends in `) {` / `):` at the header's indentation: start at its first line.
  const headerIndent = indentOf(lines[header - 1]!);
  if (/^[)\]]/.test(lines[header - 1]!.trim())) {
    for (let i = header - 1; i >= 1; i--) {
      if (isBlank(lines[i - 1])) continue;
      if (indentOf(lines[i - 1]!) === headerIndent) {
        header = i;
        break;
      }
    }
  }

  let lastContent = header;
  let bodySeen = false;
  const limit = Math.min(total, header + ENCLOSING_BLOCK_MAX_LINES);
  for (let j = header + 1; j <= limit; j++) {
    const line = lines[j - 1]!;
    if (isBlank(line)) continue;
    const indent = indentOf(line);
    const trimmed = line.trim();
    if (indent > headerIndent) {
      bodySeen = true;
      lastContent = j;
      continue;
    }
    // Still the header: an Allman brace, or the `) {` / `):` closing a multi-line parameter list.
    if (indent === headerIndent && (trimmed === '{' || (/^[)\]]/.test(trimmed) && /[{:]\s*$/.test(trimmed)))) {
      lastContent = j;
      continue;
    }
    if (CLOSER.test(trimmed) && indent === headerIndent) return { start: header, end: j };
    // Indentation-delimited languages (Python): the block ended at the last indented line.
    return bodySeen ? { start: header, end: lastContent } : { start: header, end: null };
  }
  if (limit === total && bodySeen) return { start: header, end: lastContent };
  return { start: header, end: null };
}

/** Cuts one range longer than `max` into chunks, preferring to cut after a blank line (a block boundary). */
function cutRange(range: LineRange, max: number, lines: string[]): LineRange[] {
  const chunks: LineRange[] = [];
  let pos = range.start;
  while (range.end - pos + 1 > max) {
    const limit = pos + max - 1;
    let cut = limit;
    for (let k = limit; k >= pos + Math.floor(max * 0.75); k--) {
      if (isBlank(lines[k - 1]) && !isBlank(lines[k]) && indentOf(lines[k]!) === 0) {
        cut = k;
        break;
      }
    }
    chunks.push({ start: pos, end: cut });
    pos = cut + 1;
  }
  chunks.push({ start: pos, end: range.end });
  return chunks;
}

/** Groups ranges (hunk groups) into parts of at most `max` lines each; an oversized range is cut. */
export function splitIntoParts(ranges: LineRange[], max: number, lines: string[]): LineRange[][] {
  const parts: LineRange[][] = [];
  let current: LineRange[] = [];
  let currentLines = 0;
  const flush = (): void => {
    if (current.length) parts.push(current);
    current = [];
    currentLines = 0;
  };
  for (const range of ranges) {
    const pieces = countLines([range]) > max ? cutRange(range, max, lines) : [range];
    for (const piece of pieces) {
      const size = countLines([piece]);
      if (currentLines + size > max) flush();
      current.push(piece);
      currentLines += size;
    }
  }
  flush();
  return parts;
}

/**
 * The head lines to send for one file: all of them when the file is small, otherwise each changed range
 * widened by `contextLines` and extended to its enclosing block (or, for a block too large to send, its
 * signature line), merged. Empty for an empty file, or a large file without changed lines.
 */
export function rangesToSend(file: SourceFile, options: PlanOptions): LineRange[] {
  const lines = splitLines(file.content);
  const total = lines.length;
  if (total === 0) return [];
  if (total <= options.wholeFileMaxLines) return [{ start: 1, end: total }];
  const wanted: LineRange[] = [];
  for (const changed of file.changedRanges) {
    const start = Math.max(1, Math.min(changed.start, changed.end));
    const end = Math.min(total, Math.max(changed.start, changed.end));
    if (start > end) continue;
    wanted.push({
      start: Math.max(1, start - options.contextLines),
      end: Math.min(total, end + options.contextLines),
    });
    for (const line of start === end ? [start] : [start, end]) {
      const block = enclosingBlock(lines, line);
      if (!block) continue;
      if (block.end !== null && block.end - block.start + 1 <= ENCLOSING_BLOCK_MAX_LINES) {
        wanted.push({ start: block.start, end: block.end });
      } else {
        wanted.push({ start: block.start, end: block.start });
      }
    }
  }
  return mergeRanges(wanted);
}

function unitOf(task: TaskName, files: SourceFile[], lineRanges: Record<string, LineRange[]>, part: string | null): WorkUnit {
  return { customId: customIdFor(task, files, part), task, files, lineRanges, part };
}

const dirname = (path: string): string => {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
};

/**
 * Units for `files` (already filtered by the task's `accepts`): one per file, several ('1/3', ...) when
 * the lines to send exceed `maxUnitLines`, and, with `pack`, the small units of one directory (tiny
 * files, large files' hunks) share one. Units come out in the order of their first file.
 */
export function planFileUnits(
  task: TaskName,
  files: SourceFile[],
  options: PlanOptions,
  pack: PackOptions | null = null,
): WorkUnit[] {
  const slots: { order: number; unit: WorkUnit }[] = [];
  const packable = new Map<string, { order: number; file: SourceFile; lines: number; ranges: LineRange[] }[]>();

  files.forEach((file, order) => {
    const lines = splitLines(file.content);
    const ranges = rangesToSend(file, options);
    if (ranges.length === 0) return;
    const sent = countLines(ranges);
    if (pack && sent <= pack.maxSentLines && sent <= options.maxUnitLines) {
      const dir = dirname(file.path);
      const group = packable.get(dir) ?? [];
      group.push({ order, file, lines: sent, ranges });
      packable.set(dir, group);
      return;
    }
    const parts = splitIntoParts(ranges, Math.max(1, options.maxUnitLines), lines);
    parts.forEach((partRanges, index) => {
      const part = parts.length === 1 ? null : `${index + 1}/${parts.length}`;
      slots.push({ order, unit: unitOf(task, [file], { [file.path]: partRanges }, part) });
    });
  });

  if (pack) {
    for (const group of packable.values()) {
      group.sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
      let current: typeof group = [];
      let currentLines = 0;
      const flush = (): void => {
        if (!current.length) return;
        const lineRanges: Record<string, LineRange[]> = {};
        for (const entry of current) lineRanges[entry.file.path] = entry.ranges;
        slots.push({
          order: Math.min(...current.map((entry) => entry.order)),
          unit: unitOf(
            task,
            current.map((entry) => entry.file),
            lineRanges,
            null,
          ),
        });
        current = [];
        currentLines = 0;
      };
      for (const entry of group) {
        if (current.length >= pack.maxFiles || currentLines + entry.lines > pack.maxLines) flush();
        current.push(entry);
        currentLines += entry.lines;
      }
      flush();
    }
  }

  return slots.sort((a, b) => a.order - b.order).map((slot) => slot.unit);
}
