// Reading code back at a commit, the way collect saw it when it fingerprinted findings (redacted), and
// finding a fingerprinted excerpt in it again. "Is this finding still there?" is answered by trying
// every window of the finding's line count: the fingerprint hashes the normalised code, not the line
// numbers, so a finding that only moved is found again and one whose code changed or went is not.
import { createHash } from 'node:crypto';
import { GitObjectReader } from '../gather/git.js';
import { redactSecrets } from '../gather/redact.js';
import { splitLines } from '../prompt/format.js';
import { fingerprint, twinCode } from '../tasks/fingerprint.js';
import type { LineRange, TaskName } from '../types.js';

/** What a report keeps about each finding so that a later run can look for it again. */
export interface FindingRef {
  fingerprint: string;
  task: TaskName;
  path: string;
  category: string;
  /** Lines the finding spans (endLine - startLine + 1). */
  lines: number;
  /** The CWE its fingerprint hashes (see fingerprint); absent for findings without one. */
  cwe?: string | null;
}

/** A file at a commit: `missing` when the commit has no such file, null content when the commit itself is unknown. */
export type CodeAt = { state: 'present'; content: string; hash: string } | { state: 'missing' } | { state: 'unknown' };

/** Reads files at commits from the checkout with one `git cat-file --batch`; results are cached. */
export class CodeReader {
  private reader: GitObjectReader | null = null;
  private readonly commits = new Map<string, boolean>();
  private readonly files = new Map<string, Promise<CodeAt>>();

  constructor(private readonly cwd: string) {}

  private object(name: string) {
    this.reader ??= new GitObjectReader(this.cwd);
    return this.reader.read(name);
  }

  /** Whether the commit is in this checkout (a shallow clone may not have it). */
  async hasCommit(sha: string): Promise<boolean> {
    if (!this.commits.has(sha)) {
      let found = false;
      try {
        found = (await this.object(sha))?.type === 'commit';
      } catch {
        found = false;
      }
      this.commits.set(sha, found);
    }
    return this.commits.get(sha)!;
  }

  /** The file at `sha`, secret-redacted exactly as collect redacts what it fingerprints. */
  read(sha: string, path: string): Promise<CodeAt> {
    const key = `${sha}:${path}`;
    let pending = this.files.get(key);
    if (!pending) {
      pending = (async (): Promise<CodeAt> => {
        if (!(await this.hasCommit(sha))) return { state: 'unknown' };
        const object = await this.object(key).catch(() => null);
        if (!object || object.type !== 'blob') return { state: 'missing' };
        const raw = object.data.toString('utf8');
        const { content } = await redactSecrets(raw, path);
        return { state: 'present', content, hash: createHash('sha256').update(object.data).digest('hex') };
      })();
      this.files.set(key, pending);
    }
    return pending;
  }

  close(): void {
    this.reader?.close();
    this.reader = null;
  }
}

/** Every fingerprint `ref`'s task, path and category yield over windows of `ref.lines` lines of `content`, with where. */
function windows(content: string, ref: FindingRef): Map<string, LineRange> {
  const lines = splitLines(content);
  const size = Math.max(1, ref.lines);
  const found = new Map<string, LineRange>();
  const seen = new Map<string, number>();
  for (let start = 1; start + size - 1 <= lines.length; start++) {
    const code = lines.slice(start - 1, start - 1 + size).join('\n');
    if (!code.trim()) continue;
    const print = fingerprint({ task: ref.task, path: ref.path, category: ref.category, cwe: ref.cwe ?? null, code });
    if (!found.has(print)) found.set(print, { start, end: start + size - 1 });
    // The n-th line reading the same may be a finding of its own (a repeated redacted secret).
    const repeat = size === 1 ? (seen.get(print) ?? 0) : 0;
    seen.set(print, repeat + 1);
    if (repeat > 0) {
      const twin = fingerprint({
        task: ref.task,
        path: ref.path,
        category: ref.category,
        cwe: ref.cwe ?? null,
        code: twinCode(code, repeat + 1),
      });
      if (!found.has(twin)) found.set(twin, { start, end: start });
    }
  }
  return found;
}

/**
 * Finds a fingerprinted finding in `content` again: the lines it now spans, or null when no window of
 * its length reproduces the fingerprint (its code changed or was removed).
 */
export function locateFinding(content: string, ref: FindingRef): LineRange | null {
  return windows(content, ref).get(ref.fingerprint) ?? null;
}

/**
 * Checks many findings against one commit: the refs whose code is gone (file deleted, or no window
 * reproduces the fingerprint). Refs whose file cannot be read (commit not in the checkout) are
 * neither gone nor present: they are returned in `unknown`.
 */
export async function findGone(
  code: CodeReader,
  sha: string,
  refs: FindingRef[],
): Promise<{ gone: FindingRef[]; unknown: FindingRef[] }> {
  const gone: FindingRef[] = [];
  const unknown: FindingRef[] = [];
  // One pass over a file per (task, category, line count): many findings of a file share them.
  const cache = new Map<string, Map<string, LineRange> | 'missing' | 'unknown'>();
  for (const ref of refs) {
    const key = JSON.stringify([ref.task, ref.path, ref.category, ref.lines]);
    let prints = cache.get(key);
    if (!prints) {
      const file = await code.read(sha, ref.path);
      prints = file.state === 'present' ? windows(file.content, ref) : file.state;
      cache.set(key, prints);
    }
    if (prints === 'unknown') unknown.push(ref);
    else if (prints === 'missing' || !prints.has(ref.fingerprint)) gone.push(ref);
  }
  return { gone, unknown };
}
