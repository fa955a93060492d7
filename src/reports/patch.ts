// Generated files as a git-style patch (unified diff that `git apply` and `patch -p1` accept): the
// pull-request target's fallback when the token cannot open a pull request, and the copy saved with
// every round's results.
import type { GeneratedFile } from '../types.js';

const CONTEXT_LINES = 3;
/** Past this many differences a file is patched as a whole replacement (keeps Myers' memory bounded). */
const MAX_EDIT_DISTANCE = 4_000;
const NO_EOL = '\u0000no-eol';

type Op = { kind: ' ' | '-' | '+'; token: string };

/** Lines of a text; the last line carries NO_EOL when the text does not end with a newline. */
function tokens(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}

/** Myers' O((N+M)D) shortest edit script between two token lists. */
function editScript(a: string[], b: string[]): Op[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) {
    suffix++;
  }
  const head: Op[] = a.slice(0, prefix).map((token) => ({ kind: ' ', token }));
  const tail: Op[] = a.slice(a.length - suffix).map((token) => ({ kind: ' ', token }));
  const x0 = a.slice(prefix, a.length - suffix);
  const y0 = b.slice(prefix, b.length - suffix);
  return [...head, ...middleScript(x0, y0), ...tail];
}

function middleScript(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const replaceAll = (): Op[] => [
    ...a.map((token): Op => ({ kind: '-', token })),
    ...b.map((token): Op => ({ kind: '+', token })),
  ];
  if (n === 0 || m === 0) return replaceAll();
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= Math.min(max, MAX_EDIT_DISTANCE) && found < 0; d++) {
    // Snapshot of v for k in [-d, d] before step d: what backtracking needs.
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return replaceAll();

  const reversed: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const snapshot = trace[d]!;
    const at = (k: number): number => snapshot[k + d]!;
    const k = x - y;
    const previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      reversed.push({ kind: ' ', token: a[x - 1]! });
      x--;
      y--;
    }
    if (x === previousX) reversed.push({ kind: '+', token: b[y - 1]! });
    else reversed.push({ kind: '-', token: a[x - 1]! });
    x = previousX;
    y = previousY;
  }
  while (x > 0 && y > 0) {
    reversed.push({ kind: ' ', token: a[x - 1]! });
    x--;
    y--;
  }
  return reversed.reverse();
}

function renderOp(op: Op): string {
  return op.token.endsWith(NO_EOL)
    ? `${op.kind}${op.token.slice(0, -NO_EOL.length)}\n\\ No newline at end of file\n`
    : `${op.kind}${op.token}\n`;
}

function range(start: number, count: number): string {
  return `${count === 0 ? start - 1 : start},${count}`;
}

/** The hunks of a unified diff between two texts ('' when they are equal). */
export function unifiedHunks(before: string, after: string): string {
  const ops = editScript(tokens(before), tokens(after));
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]));
  if (changed.length === 0) return '';
  // Line numbers (1-based) of the old and new side at each op.
  const oldLine: number[] = [];
  const newLine: number[] = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldLine.push(o);
    newLine.push(n);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') n++;
  }
  let out = '';
  let i = 0;
  while (i < changed.length) {
    let last = changed[i]!;
    let j = i + 1;
    // Changes closer than two contexts apart share one hunk.
    while (j < changed.length && changed[j]! - last <= 2 * CONTEXT_LINES + 1) {
      last = changed[j]!;
      j++;
    }
    const start = Math.max(0, changed[i]! - CONTEXT_LINES);
    const end = Math.min(ops.length, last + CONTEXT_LINES + 1);
    const slice = ops.slice(start, end);
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    out += `@@ -${range(oldLine[start]!, oldCount)} +${range(newLine[start]!, newCount)} @@\n`;
    out += slice.map(renderOp).join('');
    i = j;
  }
  return out;
}

/** Reads a file's content at the base commit; null when the file does not exist there. */
export type ReadBase = (path: string) => Promise<string | null>;

/**
 * A git-style patch (`git apply` / `patch -p1`) that creates or changes `files` relative to the base
 * read through `readBase`. Files equal to their base are left out; '' when nothing changes.
 */
export async function buildPatch(files: readonly Pick<GeneratedFile, 'path' | 'content'>[], readBase: ReadBase): Promise<string> {
  let patch = '';
  for (const file of files) {
    const base = await readBase(file.path);
    const hunks = unifiedHunks(base ?? '', file.content);
    if (base !== null && hunks === '') continue;
    patch += `diff --git a/${file.path} b/${file.path}\n`;
    if (base === null) patch += `new file mode 100644\n--- /dev/null\n`;
    else patch += `--- a/${file.path}\n`;
    patch += `+++ b/${file.path}\n${hunks}`;
  }
  return patch;
}
