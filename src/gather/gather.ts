// gatherChanges: which files changed in the window, which of them may be sent, and their
// contents exactly as committed (read from git objects, never the work tree), redacted. Every changed
// file ends up either in `files` or in `skipped` with a reason.
//
// Cost stays flat in the number of files: one `git diff --raw --numstat` for the list, one
// `cat-file --batch-check` for sizes, one long-lived `cat-file --batch` for every content, one
// streamed `git diff -p` for the patches. Contents are read in priority order and reading stops
// once max-files files are accepted, so 50,000 changed files with max-files 200 read ~200 blobs.
import type { ChangeSet, PullRequestInfo, SkippedFile, SourceFile } from '../types.js';
import { linguistAttributes } from './attributes.js';
import {
  DIFF_FLAGS,
  PATHSPEC_CHARS,
  buildSourceFile,
  mapLimit,
  pathspecsOf,
  readContextFiles,
  readPatches,
  sha256,
  type Accepted,
} from './contents.js';
import { parseRawNumstat, type RawChange } from './diff.js';
import { GitObjectReader, objectSizes, runGit } from './git.js';
import {
  baseMarker,
  contentVerdict,
  globMatcher,
  markerNeedsBase,
  pathVerdict,
  type Skip,
  type SelectionRules,
} from './select.js';
import type { Since } from './since.js';
import { gitignoreMatcher, listTree } from './tree.js';
import { detectRepository, emptyTree, openRepository, resolveWindow } from './window.js';

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
  /**
   * Exact repository-relative paths (no glob syntax): only these changed files are gathered, the
   * rest of the window is out of scope (not listed as skipped). For re-reading known files.
   */
  paths?: readonly string[];
  /**
   * The task's own path-level filter (TaskDefinition.acceptsPath), applied before max-files so that
   * files the task would drop (docs for code-review) take no slot; they are skipped as 'not-for-task'.
   */
  acceptsPath?: (path: string, status: SourceFile['status']) => boolean;
  /** The task acceptsPath belongs to, named in the 'not-for-task' entries' detail. */
  taskName?: string;
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

/** Blobs requested from cat-file at a time (pipelined in one process). */
const READ_PAGE = 256;
/** Files redacted concurrently (bounds memory; secretlint itself is synchronous work). */
const REDACT_CONCURRENCY = 16;

const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
const weight = (change: RawChange): number => (change.added ?? 0) + (change.deleted ?? 0);

/**
 * Line counts for files git called binary without looking at them ourselves: a `-diff` or `binary`
 * attribute in the work tree's .gitattributes (a pull request's own, when its head is checked out)
 * would otherwise rank them last. `--text` ignores the attribute; real binaries are refused later by
 * content, so their counts do not matter.
 */
async function countAsText(cwd: string, from: string, to: string, changes: RawChange[]): Promise<void> {
  const pathspecs = changes.flatMap(pathspecsOf);
  if (changes.length === 0 || pathspecs.reduce((sum, spec) => sum + spec.length + 1, 0) > PATHSPEC_CHARS) return;
  const listing = await runGit(cwd, [
    'diff',
    '--raw',
    '--numstat',
    '-z',
    '--no-abbrev',
    '--text',
    ...DIFF_FLAGS,
    from,
    to,
    '--',
    ...pathspecs,
  ]);
  const counted = new Map(parseRawNumstat(listing).map((change) => [change.path, change]));
  for (const change of changes) {
    const again = counted.get(change.path);
    if (again && again.added !== null) {
      change.added = again.added;
      change.deleted = again.deleted;
    }
  }
}

/** Gathers the changed files of the window (or pull request), filtered and redacted, ready for prompts. */
export async function gatherChanges(options: GatherOptions): Promise<ChangeSet> {
  const { cwd } = options;
  await openRepository(cwd);
  const pullRequest = options.pullRequest ?? null;
  const window = await resolveWindow(cwd, options.since, pullRequest, options.now ?? new Date());
  const from = window.base ?? (await emptyTree(cwd));
  const [commitCount, rawListing, trustedTree, repository] = await Promise.all([
    runGit(cwd, ['rev-list', '--count', window.base ? `${window.base}..${window.head}` : window.head]).then(Number),
    runGit(cwd, ['diff', '--raw', '--numstat', '-z', '--no-abbrev', ...DIFF_FLAGS, from, window.head, '--']),
    listTree(cwd, window.trustedCommit),
    options.repository ? Promise.resolve(options.repository) : detectRepository(cwd),
  ]);
  const exact = options.paths ? new Set(options.paths) : null;
  const changes = parseRawNumstat(rawListing).filter((change) => !exact || exact.has(change.path));
  const reader = new GitObjectReader(cwd);
  try {
    const rules: SelectionRules = {
      include: options.include.some((p) => p.trim() !== '') ? globMatcher(options.include) : () => true,
      exclude: globMatcher(options.exclude),
      ignored: await gitignoreMatcher(trustedTree, reader),
      attributes: await linguistAttributes(trustedTree, reader),
      acceptsPath: options.acceptsPath,
      taskName: options.taskName,
      pullRequest: pullRequest !== null,
      hasBase: window.base !== null,
    };
    const skipped: SkippedFile[] = [];
    const skip = (path: string, verdict: Skip): void => {
      skipped.push({ path, ...verdict });
    };

    // 1. Decisions by path and git metadata; credentials are settled here, before any read.
    const candidates: RawChange[] = [];
    for (const change of changes) {
      const verdict = pathVerdict(change, rules);
      if (verdict) skip(change.path, verdict);
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
        skip(change.path, { reason: 'too-large' });
        return false;
      }
      return true;
    });

    // 3. Priority: most changed lines first, then path, so max-files keeps the biggest changes.
    await countAsText(
      cwd,
      from,
      window.head,
      sized.filter((change) => change.added === null),
    );
    sized.sort((a, b) => weight(b) - weight(a) || byPath(a, b));

    // 4. Contents in priority order until max-files are accepted.
    const maxFiles = options.maxFiles > 0 ? options.maxFiles : Infinity;
    const accepted: Accepted[] = [];
    let position = 0;
    while (position < sized.length && accepted.length < maxFiles) {
      const page = sized.slice(position, position + READ_PAGE);
      position += page.length;
      const blobs = await Promise.all(page.map((change) => reader.read(change.newBlob)));
      const verdicts = page.map((change, index) => {
        const blob = blobs[index];
        if (!blob) throw new Error(`git object ${change.newBlob} for ${change.path} is missing`);
        return contentVerdict(change, blob.data, rules);
      });
      // A pull request's generator marker counts only when the base version carried one too.
      const bases = await Promise.all(
        page.map((change, index) =>
          markerNeedsBase(change, verdicts[index]!, rules) ? reader.read(change.oldBlob) : Promise.resolve(null),
        ),
      );
      page.forEach((change, index) => {
        if (accepted.length >= maxFiles) return skip(change.path, { reason: 'max-files' });
        const verdict = verdicts[index]!;
        if ('skip' in verdict) return skip(change.path, verdict.skip);
        const base = bases[index];
        if (base && baseMarker(base.data) !== null) {
          return skip(change.path, { reason: 'generated', detail: `marker on ${verdict.marker!}, as in the base version` });
        }
        const data = blobs[index]!.data;
        const contentHash = sha256(data);
        if (options.alreadyReviewed?.(change.path, contentHash)) return skip(change.path, { reason: 'already-reviewed' });
        accepted.push({ change, text: verdict.text, bytes: data.length, contentHash });
      });
    }
    for (const change of sized.slice(position)) skip(change.path, { reason: 'max-files' });

    // 5. Base contents and patches for modified and renamed files.
    const needsBase = accepted.filter(
      (item) => window.base !== null && (item.change.status === 'M' || item.change.status === 'R'),
    );
    const baseSizes = await objectSizes(
      cwd,
      needsBase.map((item) => item.change.oldBlob),
    );
    const baseBlobs = new Map<RawChange, Buffer>();
    // The base blobs (cat-file) and the patches (diff -p) are two git processes: run them together.
    const [, patches] = await Promise.all([
      Promise.all(
        needsBase.map(async (item) => {
          const size = baseSizes.get(item.change.oldBlob) ?? Infinity;
          if (options.maxFileBytes > 0 && size > options.maxFileBytes) return;
          const object = await reader.read(item.change.oldBlob);
          if (object) baseBlobs.set(item.change, object.data);
        }),
      ),
      window.base
        ? readPatches(
            cwd,
            from,
            window.head,
            needsBase.map((item) => item.change),
          )
        : Promise.resolve(new Map<RawChange, string>()),
    ]);

    // 6. Redaction and ranges.
    const files = await mapLimit(accepted, REDACT_CONCURRENCY, (item) =>
      buildSourceFile(item, baseBlobs.get(item.change) ?? null, patches.get(item.change), window.base !== null),
    );
    files.sort(byPath);

    const contextFiles = await readContextFiles(cwd, trustedTree, options.contextFiles, options.maxFileBytes, reader);

    return {
      repository,
      headSha: window.head,
      baseSha: window.base,
      ref: window.ref,
      pullRequest,
      files,
      skipped,
      contextFiles,
      window: window.describe(commitCount),
    };
  } finally {
    reader.close();
  }
}
