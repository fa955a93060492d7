// gatherChanges: which files changed in the window, which of them may be sent, and their
// contents exactly as committed (read from git objects, never the work tree), redacted.
//
// Cost stays flat in the number of files: one `git diff --raw --numstat` for the list, one
// `cat-file --batch-check` for sizes, one long-lived `cat-file --batch` for every content, one
// streamed `git diff -p` for the patches. Contents are read in priority order and reading stops
// once max-files files are accepted, so 50,000 changed files with max-files 200 read ~200 blobs.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, posix } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import parseDiff from 'parse-diff';
import picomatch from 'picomatch';
import { ConfigError, UsageError } from '../errors.js';
import type { ChangeSet, LineRange, PullRequestInfo, SkippedFile, SourceFile } from '../types.js';
import { PatchSplitter, changedRanges, countLines, parseRawNumstat, rebuildPatch, wholeFile, type RawChange } from './diff.js';
import {
  classifyPath,
  hasGeneratedHeader,
  hasMinifiedName,
  isBinaryContent,
  isCredentialPath,
  isMinifiedContent,
} from './filters.js';
import { GitError, GitObjectReader, objectSizes, runGit, streamGit } from './git.js';
import { languageFor } from './language.js';
import { redactSecrets } from './redact.js';
import type { Since } from './since.js';

export interface GatherOptions {
  /** Repository root (a git work tree). */
  cwd: string;
  /** 'last' must be resolved to a revision by the caller (it needs the saved state). */
  since: Since;
  /** When set: the pull request's changes (merge base of base and head .. head); `since` is ignored. */
  pullRequest?: PullRequestInfo | null;
  /**
   * Globs (picomatch syntax) over repository-relative paths; empty include = everything.
   * A pattern without a slash matches the file name at any depth (`*.md`, like .gitignore).
   */
  include: string[];
  exclude: string[];
  /** Files to send at most; 0 or less = no limit. Kept by priority: most changed lines, then path. */
  maxFiles: number;
  /** Largest head content sent, in bytes; 0 or less = no limit. */
  maxFileBytes: number;
  /** Globs of project docs for the cached prefix; CLAUDE.md and AGENTS.md are always looked for. */
  contextFiles: string[];
  /** Files whose exact content was already reviewed are skipped ('already-reviewed'). */
  alreadyReviewed?: (path: string, contentHash: string) => boolean;
  now?: Date;
  /** owner/name; default: from the origin remote (GitHub-style URLs) or the directory name. */
  repository?: string;
}

const ALWAYS_CONTEXT = ['CLAUDE.md', 'AGENTS.md'];
/** Context documents share one cached prefix; past this total they cost more than they help. */
const CONTEXT_TOTAL_BYTES = 256 * 1024;
/** Blobs requested from cat-file at a time (pipelined in one process). */
const READ_PAGE = 256;
/** Files redacted concurrently (bounds memory; secretlint itself is synchronous work). */
const REDACT_CONCURRENCY = 16;

const SUBMODULE_MODE = '160000';
const SYMLINK_MODE = '120000';

interface Window {
  base: string | null;
  head: string;
  ref: string | null;
  describe(commits: number): string;
  /** Commit whose CLAUDE.md / AGENTS.md / context files are trusted. */
  contextCommit: string;
}

interface Accepted {
  change: RawChange;
  text: string;
  bytes: number;
  contentHash: string;
}

const short = (sha: string): string => sha.slice(0, 7);

async function revParseCommit(cwd: string, rev: string): Promise<string | null> {
  const out = await runGit(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { okExitCodes: [1, 128] });
  return /^[0-9a-f]{40,64}$/.test(out) ? out : null;
}

async function isShallow(cwd: string): Promise<boolean> {
  return (await runGit(cwd, ['rev-parse', '--is-shallow-repository'])) === 'true';
}

async function openRepository(cwd: string): Promise<void> {
  const info = await stat(cwd).catch(() => null);
  if (!info?.isDirectory())
    throw new ConfigError(`not a git repository: ${cwd} is not a directory; run overnight inside a checkout`);
  try {
    await runGit(cwd, ['rev-parse', '--is-inside-work-tree']);
  } catch (error) {
    if (error instanceof GitError) {
      throw new ConfigError(`not a git repository: ${cwd}; run overnight inside a checkout (actions/checkout)`);
    }
    throw error;
  }
}

async function currentRef(cwd: string): Promise<string | null> {
  const ref = await runGit(cwd, ['symbolic-ref', '-q', 'HEAD'], { okExitCodes: [1] });
  return ref === '' ? null : ref;
}

async function resolveWindow(options: GatherOptions): Promise<Window> {
  const { cwd } = options;
  const pr = options.pullRequest;
  if (pr) {
    for (const [role, sha] of [
      ['base', pr.baseSha],
      ['head', pr.headSha],
    ] as const) {
      if (!(await revParseCommit(cwd, sha))) {
        throw new ConfigError(
          `pull request #${pr.number} ${role} commit ${short(sha)} is not in the checkout; use actions/checkout with fetch-depth: 0`,
        );
      }
    }
    // GitHub shows (and accepts review comments on) the three-dot diff: from the merge base.
    const mergeBase = await runGit(cwd, ['merge-base', pr.baseSha, pr.headSha], { okExitCodes: [1] });
    if (mergeBase === '') {
      throw new ConfigError(
        `pull request #${pr.number}: no common ancestor of ${short(pr.baseSha)} and ${short(pr.headSha)} in the checkout; use actions/checkout with fetch-depth: 0`,
      );
    }
    return {
      base: mergeBase,
      head: pr.headSha,
      ref: `refs/pull/${pr.number}/head`,
      contextCommit: pr.baseSha,
      describe: (commits) =>
        `pull request #${pr.number} (${short(pr.baseSha)}..${short(pr.headSha)}, ${commits} commit${commits === 1 ? '' : 's'})`,
    };
  }

  const head = await revParseCommit(cwd, 'HEAD');
  if (!head) throw new ConfigError(`the repository in ${cwd} has no commits yet; commit something to review first`);
  const ref = await currentRef(cwd);
  const since = options.since;
  const plural = (n: number): string => `${n} commit${n === 1 ? '' : 's'}`;

  if (since.kind === 'last') {
    throw new Error("gatherChanges: since 'last' must be resolved to a revision by the caller");
  }
  if (since.kind === 'revision') {
    const base = await revParseCommit(cwd, since.rev);
    if (!base) {
      const hint = (await isShallow(cwd))
        ? 'the checkout is shallow; use actions/checkout with fetch-depth: 0'
        : 'check the SHA or ref (git log shows the history)';
      throw new UsageError(`--since: no commit '${since.rev}' in this repository; ${hint}`);
    }
    return {
      base,
      head,
      ref,
      contextCommit: head,
      describe: (commits) => `since ${since.rev} (${plural(commits)}, base ${short(base)})`,
    };
  }

  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - since.ms);
  const base = await runGit(cwd, ['rev-list', '-1', '--first-parent', `--before=${cutoff.toISOString()}`, head]);
  if (base === '' && (await isShallow(cwd))) {
    // Reviewing the whole tree by accident is the most expensive mistake there is: refuse.
    throw new ConfigError(
      `the checkout is shallow and holds no commit older than ${since.text}; use actions/checkout with fetch-depth: 0 (or a depth that covers ${since.text})`,
    );
  }
  return {
    base: base === '' ? null : base,
    head,
    ref,
    contextCommit: head,
    describe: (commits) =>
      base === ''
        ? `since ${since.text} (${plural(commits)}, whole tree: no commit is older than ${since.text})`
        : `since ${since.text} (${plural(commits)}, base ${short(base)})`,
  };
}

async function detectRepository(cwd: string): Promise<string> {
  const url = await runGit(cwd, ['remote', 'get-url', 'origin'], { okExitCodes: [2, 128] }).catch(() => '');
  // https://github.com/o/r(.git), git@github.com:o/r.git, ssh://git@host/o/r.git (GHES too).
  const match = /^(?:[a-z+]+:\/\/(?:[^@/]+@)?[^/]+\/|[^@\s]+@[^:\s]+:)([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/i.exec(url.trim());
  if (match) return `${match[1]}/${match[2]}`;
  return basename(cwd);
}

interface TreeEntry {
  mode: string;
  sha: string;
  path: string;
}

async function listTree(cwd: string, commit: string): Promise<TreeEntry[]> {
  const out = await runGit(cwd, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, sha] = record.slice(0, tab).split(' ');
    if (type === 'blob') entries.push({ mode: mode!, sha: sha!, path: record.slice(tab + 1) });
  }
  return entries;
}

/** The repository's .gitignore files at the reviewed commit, applied the way git nests them. */
async function gitignoreMatcher(tree: TreeEntry[], reader: GitObjectReader): Promise<(path: string) => boolean> {
  const files = tree.filter((entry) => posix.basename(entry.path) === '.gitignore');
  const levels: { dir: string; rules: Ignore }[] = [];
  for (const file of files) {
    const object = await reader.read(file.sha);
    if (!object) continue;
    const dir = posix.dirname(file.path);
    levels.push({ dir: dir === '.' ? '' : dir, rules: ignore().add(object.data.toString('utf8')) });
  }
  // Shallower files first: a deeper .gitignore overrides its parents, as in git.
  levels.sort((a, b) => (a.dir === '' ? 0 : a.dir.split('/').length) - (b.dir === '' ? 0 : b.dir.split('/').length));
  return (path) => {
    let ignored = false;
    for (const level of levels) {
      if (level.dir !== '' && !path.startsWith(level.dir + '/')) continue;
      const result = level.rules.test(level.dir === '' ? path : path.slice(level.dir.length + 1));
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  };
}

/** Glob matcher where slash-less patterns match the file name at any depth. */
function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  const cleaned = patterns.map((p) => p.trim().replace(/^\.\//, '')).filter((p) => p !== '');
  const byName = cleaned.filter((p) => !p.includes('/'));
  const byPath = cleaned.filter((p) => p.includes('/'));
  const matchName = byName.length > 0 ? picomatch(byName, { dot: true, basename: true }) : () => false;
  const matchPath = byPath.length > 0 ? picomatch(byPath, { dot: true }) : () => false;
  return (path) => matchName(path) || matchPath(path);
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** The empty tree's id in this repository's hash (SHA-1 or SHA-256). */
async function emptyTree(cwd: string): Promise<string> {
  return runGit(cwd, ['hash-object', '-t', 'tree', '--stdin'], { input: '' });
}

const DIFF_FLAGS = ['--no-color', '--no-ext-diff', '--no-textconv', '-M', '--src-prefix=a/', '--dst-prefix=b/'];

/** Pathspecs on one command line at most (Windows caps a command line at 32,767 characters). */
const PATHSPEC_CHARS = 24_000;

const expectedHeader = (change: RawChange): string => `diff --git a/${change.previousPath ?? change.path} b/${change.path}`;
const literal = (path: string): string => `:(literal)${path}`;
const pathspecsOf = (change: RawChange): string[] =>
  change.previousPath ? [literal(change.previousPath), literal(change.path)] : [literal(change.path)];

/**
 * Patch text for the given modified/renamed files from one streamed `git diff -p`: limited to
 * their paths when those fit on a command line, else over every modified and renamed file with
 * the unwanted sections dropped as they stream by. Sections are matched by their header line; a
 * file whose header git had to quote (unusual characters) gets its own `git diff`.
 */
async function readPatches(cwd: string, from: string, to: string, wanted: RawChange[]): Promise<Map<RawChange, string>> {
  const patches = new Map<RawChange, string>();
  if (wanted.length === 0) return patches;
  const byHeader = new Map(wanted.map((change) => [expectedHeader(change), change]));
  const pathspecs = wanted.flatMap(pathspecsOf);
  const limited = pathspecs.reduce((sum, spec) => sum + spec.length + 1, 0) <= PATHSPEC_CHARS;
  const splitter = new PatchSplitter((text) => {
    const change = byHeader.get(text.slice(0, text.indexOf('\n')));
    if (change) patches.set(change, text);
  });
  const args = ['diff', '-p', '-U3', ...DIFF_FLAGS, '--diff-filter=MR', from, to, '--', ...(limited ? pathspecs : [])];
  await streamGit(cwd, args, (text) => splitter.push(text));
  splitter.end();
  for (const change of wanted) {
    if (patches.has(change)) continue;
    const text = await runGit(cwd, ['diff', '-p', '-U3', ...DIFF_FLAGS, from, to, '--', ...pathspecsOf(change)]);
    if (text !== '') patches.set(change, text + '\n');
  }
  return patches;
}

function splitLines(text: string): string[] {
  return text.split('\n');
}

async function buildSourceFile(
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
  if (isChange && baseBlob && !isBinaryContent(baseBlob)) {
    const baseText = baseBlob.toString('utf8');
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
  if (change.status === 'R' && change.previousPath) file.previousPath = change.previousPath;
  return file;
}

async function readContextFiles(
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
    if (!object || isBinaryContent(object.data)) continue;
    total += size;
    const { content } = await redactSecrets(object.data.toString('utf8'), entry.path);
    result.push({ path: entry.path, content });
  }
  return result;
}

/** Gathers the changed files of the window (or pull request), filtered and redacted, ready for prompts. */
export async function gatherChanges(options: GatherOptions): Promise<ChangeSet> {
  const { cwd } = options;
  await openRepository(cwd);
  const window = await resolveWindow(options);
  const from = window.base ?? (await emptyTree(cwd));
  const [commitCount, rawListing, headTree, repository] = await Promise.all([
    runGit(cwd, ['rev-list', '--count', window.base ? `${window.base}..${window.head}` : window.head]).then(Number),
    runGit(cwd, ['diff', '--raw', '--numstat', '-z', '--no-abbrev', ...DIFF_FLAGS, from, window.head, '--']),
    listTree(cwd, window.head),
    options.repository ? Promise.resolve(options.repository) : detectRepository(cwd),
  ]);
  const changes = parseRawNumstat(rawListing);
  const reader = new GitObjectReader(cwd);
  try {
    const isIgnored = await gitignoreMatcher(headTree, reader);
    const isIncluded = options.include.some((p) => p.trim() !== '') ? globMatcher(options.include) : () => true;
    const isExcluded = globMatcher(options.exclude);
    const skipped: SkippedFile[] = [];
    const skip = (path: string, reason: SkippedFile['reason']): void => {
      skipped.push({ path, reason });
    };

    // 1. Decisions by path and git metadata; credentials are settled here, before any read.
    const candidates: RawChange[] = [];
    for (const change of changes) {
      const path = change.path;
      if (change.status === 'D') {
        skip(path, 'deleted');
        continue;
      }
      const byPath = classifyPath(path);
      // A credential file renamed to an innocent name still has its old content as the base.
      if (byPath === 'credential' || (change.previousPath && isCredentialPath(change.previousPath))) skip(path, 'credential');
      else if (!isIncluded(path) || isExcluded(path)) skip(path, 'excluded');
      else if (isIgnored(path)) skip(path, 'ignored');
      else if (byPath) skip(path, byPath);
      else if (change.newMode === SUBMODULE_MODE) skip(path, 'vendored');
      else if (change.newMode === SYMLINK_MODE || change.added === null) skip(path, 'binary');
      else if (hasMinifiedName(path)) skip(path, 'minified');
      else candidates.push(change);
    }

    // 2. Size from the object database, without reading contents.
    const sizes = await objectSizes(
      cwd,
      candidates.map((change) => change.newBlob),
    );
    const sized = candidates.filter((change) => {
      const size = sizes.get(change.newBlob);
      if (size === undefined) throw new Error(`git object ${change.newBlob} for ${change.path} is missing`);
      if (options.maxFileBytes > 0 && size > options.maxFileBytes) {
        skip(change.path, 'too-large');
        return false;
      }
      return true;
    });

    // 3. Priority: most changed lines first, then path, so max-files keeps the biggest changes.
    sized.sort((a, b) => {
      const weight = (c: RawChange): number => (c.added ?? 0) + (c.deleted ?? 0);
      return weight(b) - weight(a) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    });

    // 4. Contents in priority order until max-files are accepted.
    const maxFiles = options.maxFiles > 0 ? options.maxFiles : Infinity;
    const accepted: Accepted[] = [];
    let position = 0;
    while (position < sized.length && accepted.length < maxFiles) {
      const page = sized.slice(position, position + READ_PAGE);
      position += page.length;
      const blobs = await Promise.all(page.map((change) => reader.read(change.newBlob)));
      page.forEach((change, index) => {
        if (accepted.length >= maxFiles) {
          skip(change.path, 'max-files');
          return;
        }
        const blob = blobs[index];
        if (!blob) throw new Error(`git object ${change.newBlob} for ${change.path} is missing`);
        if (isBinaryContent(blob.data)) return skip(change.path, 'binary');
        const text = blob.data.toString('utf8');
        if (isMinifiedContent(change.path, text)) return skip(change.path, 'minified');
        if (hasGeneratedHeader(text)) return skip(change.path, 'generated');
        const contentHash = sha256(blob.data);
        if (options.alreadyReviewed?.(change.path, contentHash)) return skip(change.path, 'already-reviewed');
        accepted.push({ change, text, bytes: blob.data.length, contentHash });
      });
    }
    for (const change of sized.slice(position)) skip(change.path, 'max-files');

    // 5. Base contents and patches for modified and renamed files.
    const needsBase = accepted.filter(
      (item) => window.base !== null && (item.change.status === 'M' || item.change.status === 'R'),
    );
    const baseSizes = await objectSizes(
      cwd,
      needsBase.map((item) => item.change.oldBlob),
    );
    const baseBlobs = new Map<RawChange, Buffer>();
    await Promise.all(
      needsBase.map(async (item) => {
        const size = baseSizes.get(item.change.oldBlob) ?? Infinity;
        if (options.maxFileBytes > 0 && size > options.maxFileBytes) return;
        const object = await reader.read(item.change.oldBlob);
        if (object) baseBlobs.set(item.change, object.data);
      }),
    );
    const patches = window.base
      ? await readPatches(
          cwd,
          from,
          window.head,
          needsBase.map((item) => item.change),
        )
      : new Map<RawChange, string>();

    // 6. Redaction and ranges.
    const files = await mapLimit(accepted, REDACT_CONCURRENCY, (item) =>
      buildSourceFile(item, baseBlobs.get(item.change) ?? null, patches.get(item.change), window.base !== null),
    );
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

    const contextTree = window.contextCommit === window.head ? headTree : await listTree(cwd, window.contextCommit);
    const contextFiles = await readContextFiles(cwd, contextTree, options.contextFiles, options.maxFileBytes, reader);

    return {
      repository,
      headSha: window.head,
      baseSha: window.base,
      ref: window.ref,
      pullRequest: options.pullRequest ?? null,
      files,
      skipped,
      contextFiles,
      window: window.describe(commitCount),
    };
  } finally {
    reader.close();
  }
}
