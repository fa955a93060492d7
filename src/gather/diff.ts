// Reading git's diff output: the file list (`--raw --numstat -z`), per-file patch sections, the
// head-side line ranges a change touched, and the patch text rebuilt from redacted contents.
import parseDiff from 'parse-diff';
import type { LineRange } from '../types.js';

export interface RawChange {
  /** A added, M modified, D deleted, R renamed, T type changed (file <-> symlink), C copied. */
  status: string;
  path: string;
  previousPath?: string;
  oldMode: string;
  newMode: string;
  oldBlob: string;
  newBlob: string;
  /** Lines added / deleted; null when git considers the file binary. */
  added: number | null;
  deleted: number | null;
}

/**
 * Parses `git diff --raw --numstat -z` output: all raw records first, then the numstat records
 * in the same order. Paths are NUL-separated, so any byte but NUL is safe in a name.
 */
export function parseRawNumstat(output: string): RawChange[] {
  const tokens = output.split('\0');
  const changes: RawChange[] = [];
  let numstatIndex = 0;
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (token === '') {
      i++;
      continue;
    }
    if (token.startsWith(':')) {
      const [oldMode, newMode, oldBlob, newBlob, statusScore] = token.slice(1).split(' ');
      const status = (statusScore ?? '?').charAt(0);
      // Renames and copies name the old path, then the new one; every other record names one path.
      const paths = status === 'R' || status === 'C' ? 2 : 1;
      changes.push({
        status,
        ...(paths === 2 ? { previousPath: tokens[i + 1]! } : {}),
        path: tokens[i + paths]!,
        oldMode: oldMode!,
        newMode: newMode!,
        oldBlob: oldBlob!,
        newBlob: newBlob!,
        added: null,
        deleted: null,
      });
      i += 1 + paths;
      continue;
    }
    // numstat: "added\tdeleted\tpath", or "added\tdeleted\t" followed by old and new path for renames.
    const [added, deleted, path] = token.split('\t');
    const change = changes[numstatIndex++];
    if (change) {
      change.added = added === '-' ? null : Number(added);
      change.deleted = deleted === '-' ? null : Number(deleted);
    }
    i += path === '' ? 3 : 1;
  }
  return changes;
}

/**
 * Splits a streamed `git diff -p` into one text per file. Every file starts with a "diff --git "
 * line, and no hunk line can (hunk lines start with ' ', '+', '-' or '\').
 */
export class PatchSplitter {
  private pending = '';
  private searchFrom = 0;

  constructor(private readonly onSection: (text: string) => void) {}

  push(text: string): void {
    this.pending += text;
    for (;;) {
      const boundary = this.pending.indexOf('\ndiff --git ', Math.max(this.searchFrom, 0));
      if (boundary < 0) {
        // A boundary may straddle two chunks: search again from just before the end.
        this.searchFrom = Math.max(0, this.pending.length - 12);
        return;
      }
      const section = this.pending.slice(0, boundary + 1);
      this.pending = this.pending.slice(boundary + 1);
      this.searchFrom = 1;
      this.emit(section);
    }
  }

  end(): void {
    if (this.pending.length > 0) this.emit(this.pending);
    this.pending = '';
  }

  private emit(section: string): void {
    if (section.startsWith('diff --git ')) this.onSection(section);
  }
}

/** Sorted line numbers to merged ranges ([3,4,5,9] -> 3-5, 9-9). */
export function linesToRanges(lines: Iterable<number>): LineRange[] {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const ranges: LineRange[] = [];
  for (const line of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && line <= last.end + 1) last.end = Math.max(last.end, line);
    else ranges.push({ start: line, end: line });
  }
  return ranges;
}

/** The whole file as one range ([] for an empty file). */
export function wholeFile(lineCount: number): LineRange[] {
  return lineCount > 0 ? [{ start: 1, end: lineCount }] : [];
}

const isNoNewlineMarker = (change: parseDiff.Change): boolean => change.content.startsWith('\\');

/**
 * Head-side lines a patch touched: every added line, and for a pure deletion the head line that now
 * sits where the removed lines were (clamped to the file), so a comment can still be anchored there.
 */
export function changedRanges(file: parseDiff.File, headLineCount: number): LineRange[] {
  if (headLineCount === 0) return [];
  const lines: number[] = [];
  for (const chunk of file.chunks) {
    // newStart names the line before the hunk when the hunk has no head-side lines.
    let lastHeadLine = chunk.newLines === 0 ? chunk.newStart : chunk.newStart - 1;
    let deletionPending = false;
    for (const change of chunk.changes) {
      if (isNoNewlineMarker(change)) continue;
      if (change.type === 'add') {
        lines.push(change.ln);
        lastHeadLine = change.ln;
        deletionPending = false;
      } else if (change.type === 'del') {
        deletionPending = true;
      } else {
        if (deletionPending) lines.push(lastHeadLine + 1);
        deletionPending = false;
        lastHeadLine = change.ln2;
      }
    }
    if (deletionPending) lines.push(lastHeadLine + 1);
  }
  return linesToRanges(lines.map((line) => Math.min(Math.max(line, 1), headLineCount)));
}

/** A file's lines before and after redaction (same count: redaction keeps line breaks). */
export interface RedactedLines {
  raw: readonly string[];
  redacted: readonly string[];
}

/**
 * Rebuilds a file's patch text from the redacted head and base contents, so the diff carries
 * exactly the redactions of the files (multi-line secrets included) and nothing the files do not.
 * Hunk headers lose git's function-context suffix: it is a copy of a source line that could hold a
 * secret. Returns null when a patch line does not match the contents (then redact the text itself).
 */
export function rebuildPatch(section: string, file: parseDiff.File, head: RedactedLines, base: RedactedLines): string | null {
  const firstHunk = section.search(/^@@ /m);
  if (firstHunk < 0 || file.chunks.length === 0) return section;
  const out: string[] = [section.slice(0, firstHunk).replace(/\n$/, '')];
  for (const chunk of file.chunks) {
    const header = /^@@ [^@]* @@/.exec(chunk.content);
    if (!header) return null;
    out.push(header[0]);
    for (const change of chunk.changes) {
      if (isNoNewlineMarker(change)) {
        out.push(change.content);
        continue;
      }
      const side = change.type === 'del' ? base : head;
      const index = (change.type === 'normal' ? change.ln2 : change.ln) - 1;
      if (side.raw[index] !== change.content.slice(1)) return null;
      out.push(change.content.charAt(0) + side.redacted[index]!);
    }
  }
  return out.join('\n') + '\n';
}
