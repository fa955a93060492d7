// Unified-diff hunks the way GitHub shows them in a pull request's `patch`: parsing (which lines a
// review comment may address) and generating (the patch of a pull request the emulator created).

export interface PatchHunk {
  /** 1-based line numbers of the new file shown in this hunk (context and added lines): side RIGHT. */
  right: Set<number>;
  /** 1-based line numbers of the old file shown in this hunk (context and deleted lines): side LEFT. */
  left: Set<number>;
  /** The hunk's text, header included (a review comment's `diff_hunk`). */
  lines: string[];
}

export interface ParsedPatch {
  hunks: PatchHunk[];
  /** Number of diff lines after the first `@@` header: valid `position` values are 1..positions. */
  positions: number;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parsePatch(patch: string | undefined): ParsedPatch {
  const hunks: PatchHunk[] = [];
  let positions = 0;
  let oldLine = 0;
  let newLine = 0;
  let current: PatchHunk | undefined;
  for (const line of (patch ?? '').replace(/\n$/, '').split('\n')) {
    const header = HUNK_HEADER.exec(line);
    if (header) {
      if (current) positions++; // later hunk headers count as positions, the first does not
      oldLine = Number(header[1]);
      newLine = Number(header[3]);
      current = { right: new Set(), left: new Set(), lines: [line] };
      hunks.push(current);
      continue;
    }
    if (!current) continue;
    current.lines.push(line);
    if (line.startsWith('\\')) continue; // "\ No newline at end of file"
    positions++;
    if (line.startsWith('+')) current.right.add(newLine++);
    else if (line.startsWith('-')) current.left.add(oldLine++);
    else {
      current.right.add(newLine++);
      current.left.add(oldLine++);
    }
  }
  return { hunks, positions };
}

/** Index of the hunk showing `line` on `side`, or -1 when that line is outside every hunk. */
export function findHunk(parsed: ParsedPatch, line: number, side: 'LEFT' | 'RIGHT'): number {
  return parsed.hunks.findIndex((h) => (side === 'LEFT' ? h.left : h.right).has(line));
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

type Edit = { kind: ' ' | '-' | '+'; text: string };

/** Longest-common-subsequence edit script; fine for the file sizes tests use. */
function editScript(a: string[], b: string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] = a[i] === b[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      edits.push({ kind: ' ', text: a[i++] as string });
      j++;
    } else if (i < n && (j >= m || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      // Deletions before additions, as git prints them.
      edits.push({ kind: '-', text: a[i++] as string });
    } else {
      edits.push({ kind: '+', text: b[j++] as string });
    }
  }
  return edits;
}

/** A GitHub-style patch (hunks only, no file header) with 3 lines of context; '' when equal. */
export function createPatch(oldText: string, newText: string): { patch: string; additions: number; deletions: number } {
  const edits = editScript(splitLines(oldText), splitLines(newText));
  const context = 3;
  const changed = edits.map((e, index) => (e.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return { patch: '', additions: 0, deletions: 0 };
  // Group changes whose context windows touch into one hunk.
  const groups: [number, number][] = [];
  for (const index of changed) {
    const last = groups[groups.length - 1];
    if (last && index - last[1] <= context * 2 + 1) last[1] = index;
    else groups.push([index, index]);
  }
  const out: string[] = [];
  let additions = 0;
  let deletions = 0;
  for (const [first, lastChange] of groups) {
    const start = Math.max(0, first - context);
    const end = Math.min(edits.length - 1, lastChange + context);
    let oldStart = 1;
    let newStart = 1;
    for (let k = 0; k < start; k++) {
      if (edits[k]?.kind !== '+') oldStart++;
      if (edits[k]?.kind !== '-') newStart++;
    }
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    for (let k = start; k <= end; k++) {
      const edit = edits[k] as Edit;
      body.push(edit.kind + edit.text);
      if (edit.kind !== '+') oldCount++;
      if (edit.kind !== '-') newCount++;
      if (edit.kind === '+') additions++;
      if (edit.kind === '-') deletions++;
    }
    // Git's convention: an empty side starts at the line before it (0 for an empty file), a count of 1 is omitted.
    const range = (start: number, count: number) =>
      count === 0 ? `${start - 1},0` : count === 1 ? `${start}` : `${start},${count}`;
    const oldHeader = range(oldStart, oldCount);
    const newHeader = range(newStart, newCount);
    out.push(`@@ -${oldHeader} +${newHeader} @@`, ...body);
  }
  return { patch: out.join('\n'), additions, deletions };
}
