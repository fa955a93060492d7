// Reading what is sent: patches from one streamed `git diff -p`, the SourceFile of an accepted change
// (redacted head, base and diff, changed ranges), and the context documents of the trusted commit.
import { createHash } from 'node:crypto';
import parseDiff from 'parse-diff';
import type { LineRange, SourceFile } from '../types.js';
import { countLines } from '../prompt/format.js';
import { PatchSplitter, changedRanges, rebuildPatch, wholeFile, type RawChange } from './diff.js';
import { decodeUtf8, isBinaryContent, isCredentialPath } from './filters.js';
import { objectSizes, runGit, streamGit, type GitObjectReader } from './git.js';
import { languageFor } from './language.js';
import { redactSecrets } from './redact.js';
import { globMatcher } from './select.js';
import { SYMLINK_MODE, type TreeEntry } from './tree.js';

export const DIFF_FLAGS = ['--no-color', '--no-ext-diff', '--no-textconv', '-M', '--src-prefix=a/', '--dst-prefix=b/'];

/**
 * Patches are of files whose content was checked to be text, so `--text`: the work tree's
 * .gitattributes (a pull request's own, when its head is checked out) must not turn one into
 * "Binary files differ" with `-diff`.
 */
const PATCH_FLAGS = ['--text', ...DIFF_FLAGS];

const ALWAYS_CONTEXT = ['CLAUDE.md', 'AGENTS.md'];
/** Context documents share one cached prefix; past this total they cost more than they help. */
const CONTEXT_TOTAL_BYTES = 256 * 1024;

/** Pathspecs on one command line at most (Windows caps a command line at 32,767 characters). */
export const PATHSPEC_CHARS = 24_000;

export interface Accepted {
  change: RawChange;
  text: string;
  bytes: number;
  contentHash: string;
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}

const expectedHeader = (change: RawChange): string => `diff --git a/${change.previousPath ?? change.path} b/${change.path}`;
const literal = (path: string): string => `:(literal)${path}`;
export const pathspecsOf = (change: RawChange): string[] =>
  change.previousPath ? [literal(change.previousPath), literal(change.path)] : [literal(change.path)];

/**
 * Patch text for the given modified/renamed files from one streamed `git diff -p`: limited to
 * their paths when those fit on a command line, else over every modified and renamed file with
 * the unwanted sections dropped as they stream by. Sections are matched by their header line; a
 * file whose header git had to quote (unusual characters) gets its own `git diff`.
 */
export async function readPatches(cwd: string, from: string, to: string, wanted: RawChange[]): Promise<Map<RawChange, string>> {
  const patches = new Map<RawChange, string>();
  if (wanted.length === 0) return patches;
  const byHeader = new Map(wanted.map((change) => [expectedHeader(change), change]));
  const pathspecs = wanted.flatMap(pathspecsOf);
  const limited = pathspecs.reduce((sum, spec) => sum + spec.length + 1, 0) <= PATHSPEC_CHARS;
  const splitter = new PatchSplitter((text) => {
    const change = byHeader.get(text.slice(0, text.indexOf('\n')));
    if (change) patches.set(change, text);
  });
  const args = ['diff', '-p', '-U3', ...PATCH_FLAGS, '--diff-filter=MR', from, to, '--', ...(limited ? pathspecs : [])];
  await streamGit(cwd, args, (text) => splitter.push(text));
  splitter.end();
  for (const change of wanted) {
    if (patches.has(change)) continue;
    const text = await runGit(cwd, ['diff', '-p', '-U3', ...PATCH_FLAGS, from, to, '--', ...pathspecsOf(change)]);
    if (text !== '') patches.set(change, text + '\n');
  }
  return patches;
}

function splitLines(text: string): string[] {
  return text.split('\n');
}

export async function buildSourceFile(
  item: Accepted,
  baseBlob: Buffer | null,
  patch: string | undefined,
  hasBase: boolean,
): Promise<SourceFile> {
  const { change, text } = item;
  const path = change.path;
  const head = await redactSecrets(text, path);
  const lineCount = countLines(text);
  const isChange = hasBase && (change.status === 'M' || change.status === 'R');
  let baseContent: string | undefined;
  let baseRaw: string | undefined;
  let redactions = head.redactions;
  const baseText = isChange && baseBlob && !isBinaryContent(baseBlob) ? decodeUtf8(baseBlob) : null;
  if (baseText !== null) {
    const base = await redactSecrets(baseText, change.previousPath ?? path);
    baseContent = base.content;
    baseRaw = baseText;
  }
  let diff = '';
  let ranges: LineRange[] = wholeFile(lineCount);
  if (isChange && patch !== undefined) {
    const parsed = parseDiff(patch)[0];
    if (parsed) {
      ranges = changedRanges(parsed, lineCount);
      const rebuilt =
        baseContent !== undefined && baseRaw !== undefined
          ? rebuildPatch(
              patch,
              parsed,
              { raw: splitLines(text), redacted: splitLines(head.content) },
              { raw: splitLines(baseRaw), redacted: splitLines(baseContent) },
            )
          : null;
      if (rebuilt !== null) {
        diff = rebuilt;
      } else {
        const redactedPatch = await redactSecrets(patch, path);
        diff = redactedPatch.content;
        redactions += redactedPatch.redactions;
      }
    } else {
      ranges = [];
    }
  }
  const file: SourceFile = {
    path,
    content: head.content,
    contentHash: item.contentHash,
    diff,
    changedRanges: ranges,
    status: isChange ? (change.status === 'R' ? 'renamed' : 'modified') : hasBase && change.status !== 'A' ? 'modified' : 'added',
    language: languageFor(path),
    redactions,
    bytes: item.bytes,
  };
  if (baseContent !== undefined) file.baseContent = baseContent;
  // Only the head's: a secret in the base or in a removed line of the diff is not at a line of the file.
  if (head.spots.length > 0) file.secrets = head.spots;
  if (change.status === 'R' && change.previousPath) file.previousPath = change.previousPath;
  return file;
}

/** CLAUDE.md, AGENTS.md and the context-files globs, from the trusted commit's tree, redacted. */
export async function readContextFiles(
  cwd: string,
  tree: TreeEntry[],
  patterns: string[],
  maxFileBytes: number,
  reader: GitObjectReader,
): Promise<{ path: string; content: string }[]> {
  const byPath = new Map(tree.map((entry) => [entry.path, entry]));
  const chosen = new Set<TreeEntry>();
  const add = (entry: TreeEntry | undefined): void => {
    if (entry && !isCredentialPath(entry.path) && entry.mode !== SYMLINK_MODE) chosen.add(entry);
  };
  for (const name of ALWAYS_CONTEXT) add(byPath.get(name));
  const cleaned = patterns.map((p) => p.trim()).filter((p) => p !== '');
  if (cleaned.length > 0) {
    const matches = globMatcher(cleaned);
    for (const entry of [...tree].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      if (matches(entry.path)) add(entry);
    }
  }
  const sizes = await objectSizes(
    cwd,
    [...chosen].map((entry) => entry.sha),
  );
  const limit = maxFileBytes > 0 ? Math.min(maxFileBytes, CONTEXT_TOTAL_BYTES) : CONTEXT_TOTAL_BYTES;
  const result: { path: string; content: string }[] = [];
  let total = 0;
  for (const entry of chosen) {
    const size = sizes.get(entry.sha) ?? Infinity;
    if (size > limit || total + size > CONTEXT_TOTAL_BYTES) continue;
    const object = await reader.read(entry.sha);
    const text = object && !isBinaryContent(object.data) ? decodeUtf8(object.data) : null;
    if (text === null) continue;
    total += size;
    const { content } = await redactSecrets(text, entry.path);
    result.push({ path: entry.path, content });
  }
  return result;
}
