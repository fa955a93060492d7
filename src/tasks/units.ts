// Unit planning shared by the tasks: which lines of which files one request carries. Small files go
// whole; in large files the changed ranges are widened by context lines and extended to the enclosing
// function or class (blocks.ts, a cheap, language-agnostic indentation heuristic) and to the code that
// uses what the change declares (context.ts), so the model sees the code it is asked about in one
// piece without paying for the rest of the file. Data files send their changed lines only, or nothing
// when the change rewrites the data set. Oversized units are split by hunk groups, tiny files of one
// directory can share a request, and a manifest bump rides along with its neighbours.
import { createHash } from 'node:crypto';
import { splitLines } from '../prompt/format.js';
import type { LineRange, SourceFile, TaskName, WorkUnit } from '../types.js';
import { ENCLOSING_BLOCK_MAX_LINES, enclosingBlock, indentOf, isBlank } from './blocks.js';
import { DATA_CONTEXT_LINES, dataChangeLeftOut, isDataFile, isManifestPath, useRanges } from './context.js';
import type { PlanOptions } from './task.js';

export { ENCLOSING_BLOCK_MAX_LINES, enclosingBlock } from './blocks.js';
export { dataChangeLeftOut } from './context.js';

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

/** Cuts one range longer than `max` into chunks, preferring to cut after a blank line (a block boundary). */
function cutRange(range: LineRange, max: number, lines: readonly string[]): LineRange[] {
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
export function splitIntoParts(ranges: LineRange[], max: number, lines: readonly string[]): LineRange[][] {
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

/** When the ranges to send already cover this share of a file, the rest is sent too: the gaps save little. */
const WHOLE_FILE_SHARE = 0.75;

/** The changed ranges, ordered and clamped to the file. */
function changedWithin(file: SourceFile, total: number): LineRange[] {
  const changed: LineRange[] = [];
  for (const range of file.changedRanges) {
    const start = Math.max(1, Math.min(range.start, range.end));
    const end = Math.min(total, Math.max(range.start, range.end));
    if (start <= end) changed.push({ start, end });
  }
  return changed;
}

/**
 * The head lines to send for one file: all of them when the file is small, otherwise each changed range
 * widened by `contextLines` and extended to its enclosing block (or, for a block too large to send, its
 * signature line) and to the uses of the names it declares, merged; a data file's changed lines with
 * DATA_CONTEXT_LINES only. Empty for an empty file, a large file without changed lines, or a data file
 * planning leaves out.
 */
export function rangesToSend(file: SourceFile, options: PlanOptions): LineRange[] {
  return rangesForLines(file, splitLines(file.content), options);
}

/** rangesToSend on lines already split (planning splits each file once). */
function rangesForLines(file: SourceFile, lines: readonly string[], options: PlanOptions): LineRange[] {
  const total = lines.length;
  if (total === 0) return [];
  const changed = changedWithin(file, total);
  if (isDataFile(file, lines)) {
    if (dataChangeLeftOut(file, lines)) return [];
    const widen = (r: LineRange): LineRange => ({
      start: Math.max(1, r.start - DATA_CONTEXT_LINES),
      end: Math.min(total, r.end + DATA_CONTEXT_LINES),
    });
    return mergeRanges(changed.map(widen), 0);
  }
  if (total <= options.wholeFileMaxLines) return [{ start: 1, end: total }];
  const wanted: LineRange[] = [];
  for (const { start, end } of changed) {
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
  if (file.status !== 'added') wanted.push(...useRanges(lines, changed));
  const merged = mergeRanges(wanted);
  return countLines(merged) >= WHOLE_FILE_SHARE * total ? [{ start: 1, end: total }] : merged;
}

function unitOf(task: TaskName, files: SourceFile[], lineRanges: Record<string, LineRange[]>, part: string | null): WorkUnit {
  return { customId: customIdFor(task, files, part), task, files, lineRanges, part };
}

const dirname = (path: string): string => {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
};

interface Packable {
  order: number;
  file: SourceFile;
  lines: number;
  ranges: LineRange[];
}

const byPath = (a: { file: SourceFile }, b: { file: SourceFile }): number =>
  a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0;

/** Length of the common directory prefix of two paths, in segments: how near two files live. */
function nearness(a: string, b: string): number {
  const x = dirname(a).split('/');
  const y = dirname(b).split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n] && x[n] !== '') n++;
  return n;
}

/**
 * Units for `files` (already filtered by the task's `accepts`): one per file, several ('1/3', ...) when
 * the lines to send exceed `maxUnitLines`, and, with `pack`, the small units of one directory (tiny
 * files, large files' hunks) share one, and a small manifest change (a version bump) joins the nearest
 * unit with room instead of paying a request of its own. Units come out in the order of their first
 * file. A data file planning leaves out (context.ts dataChangeLeftOut) gets no unit.
 */
export function planFileUnits(
  task: TaskName,
  files: SourceFile[],
  options: PlanOptions,
  pack: PackOptions | null = null,
): WorkUnit[] {
  const slots: { order: number; unit: WorkUnit }[] = [];
  const packable = new Map<string, Packable[]>();
  const riders: Packable[] = [];

  files.forEach((file, order) => {
    const lines = splitLines(file.content);
    const ranges = rangesForLines(file, lines, options);
    if (ranges.length === 0) return;
    const sent = countLines(ranges);
    if (pack && sent <= pack.maxSentLines && sent <= options.maxUnitLines) {
      const entry = { order, file, lines: sent, ranges };
      if (isManifestPath(file.path)) {
        riders.push(entry);
        return;
      }
      const dir = dirname(file.path);
      const group = packable.get(dir) ?? [];
      group.push(entry);
      packable.set(dir, group);
      return;
    }
    const parts = splitIntoParts(ranges, Math.max(1, options.maxUnitLines), lines);
    parts.forEach((partRanges, index) => {
      const part = parts.length === 1 ? null : `${index + 1}/${parts.length}`;
      slots.push({ order, unit: unitOf(task, [file], { [file.path]: partRanges }, part) });
    });
  });
  if (!pack) return slots.sort((a, b) => a.order - b.order).map((slot) => slot.unit);

  // Packs: entries, not yet units, so that riders can still join them.
  const packs: Packable[][] = [];
  for (const group of packable.values()) {
    group.sort(byPath);
    let current: Packable[] = [];
    let currentLines = 0;
    for (const entry of group) {
      if (current.length >= pack.maxFiles || currentLines + entry.lines > pack.maxLines) {
        packs.push(current);
        current = [];
        currentLines = 0;
      }
      current.push(entry);
      currentLines += entry.lines;
    }
    if (current.length) packs.push(current);
  }
  // Single-file units (not parts of a split) can take a rider too: they become packs of their own.
  const singles = slots.filter((slot) => slot.unit.part === null && slot.unit.files.length === 1);
  for (const single of singles) {
    const file = single.unit.files[0]!;
    const ranges = single.unit.lineRanges[file.path]!;
    packs.push([{ order: single.order, file, lines: countLines(ranges), ranges }]);
    slots.splice(slots.indexOf(single), 1);
  }
  const size = (entries: Packable[]): number => entries.reduce((n, e) => n + e.lines, 0);
  riders.sort(byPath);
  for (const rider of riders) {
    // A rider is a few lines: it may join any unit that stays within the unit size, not only a small one.
    const room = packs.filter((entries) => entries.length < pack.maxFiles && size(entries) + rider.lines <= options.maxUnitLines);
    // The nearest by directory; among equally near ones the smallest, then the first.
    const target = room.sort(
      (a, b) =>
        nearness(rider.file.path, b[0]!.file.path) - nearness(rider.file.path, a[0]!.file.path) ||
        size(a) - size(b) ||
        a[0]!.order - b[0]!.order,
    )[0];
    if (target) target.push(rider);
    else packs.push([rider]);
  }
  for (const entries of packs) {
    entries.sort(byPath);
    const lineRanges: Record<string, LineRange[]> = {};
    for (const entry of entries) lineRanges[entry.file.path] = entry.ranges;
    slots.push({
      order: Math.min(...entries.map((entry) => entry.order)),
      unit: unitOf(
        task,
        entries.map((entry) => entry.file),
        lineRanges,
        null,
      ),
    });
  }
  return slots.sort((a, b) => a.order - b.order).map((slot) => slot.unit);
}
