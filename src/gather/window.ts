// Which commits a gather compares: the window (a duration, a revision, or a pull request), its
// trusted commit, and the repository's identity.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import type { PullRequestInfo } from '../types.js';
import { GitError, runGit } from './git.js';
import type { Since } from './since.js';

export interface Window {
  base: string | null;
  head: string;
  ref: string | null;
  describe(commits: number): string;
  /**
   * The commit whose files steer the review (.gitignore, .gitattributes, context files, instructions,
   * the decisions file): the base of a pull request, which the pull request cannot change; the
   * reviewed head otherwise (a branch's own history, already merged).
   */
  trustedCommit: string;
}

/** The trusted commit of a gathered change set or a saved state: the one rule, for every reader. */
export function trustedCommitOf(at: { headSha: string; pullRequest: Pick<PullRequestInfo, 'baseSha'> | null }): string {
  return at.pullRequest ? at.pullRequest.baseSha : at.headSha;
}

const short = (sha: string): string => sha.slice(0, 7);
const plural = (n: number): string => `${n} commit${n === 1 ? '' : 's'}`;

async function revParseCommit(cwd: string, rev: string): Promise<string | null> {
  const out = await runGit(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { okExitCodes: [1, 128] });
  return /^[0-9a-f]{40,64}$/.test(out) ? out : null;
}

async function isShallow(cwd: string): Promise<boolean> {
  return (await runGit(cwd, ['rev-parse', '--is-shallow-repository'])) === 'true';
}

async function mergeBase(cwd: string, a: string, b: string): Promise<string | null> {
  const out = await runGit(cwd, ['merge-base', a, b], { okExitCodes: [1] });
  return out === '' ? null : out;
}

export async function openRepository(cwd: string): Promise<void> {
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

async function pullRequestWindow(cwd: string, pr: PullRequestInfo): Promise<Range> {
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
  const base = await mergeBase(cwd, pr.baseSha, pr.headSha);
  if (base === null) {
    throw new ConfigError(
      `pull request #${pr.number}: no common ancestor of ${short(pr.baseSha)} and ${short(pr.headSha)} in the checkout; use actions/checkout with fetch-depth: 0`,
    );
  }
  return {
    base,
    head: pr.headSha,
    ref: `refs/pull/${pr.number}/head`,
    describe: (commits) =>
      `pull request #${pr.number} (${short(pr.baseSha)}..${short(pr.headSha)}, ${commits} commit${commits === 1 ? '' : 's'})`,
  };
}

/**
 * `--since <rev>` reviews what HEAD changed since it diverged from <rev>: the diff from their merge
 * base, as a pull request's. A two-dot diff would send the other branch's later changes, reversed,
 * as if HEAD had made them (a branch behind main with `--since main`; `--since feature` from main).
 */
async function revisionWindow(cwd: string, rev: string, head: string, ref: string | null): Promise<Range> {
  const commit = await revParseCommit(cwd, rev);
  if (!commit) {
    const hint = (await isShallow(cwd))
      ? 'the checkout is shallow; use actions/checkout with fetch-depth: 0'
      : 'check the SHA or ref (git log shows the history)';
    throw new UsageError(`--since: no commit '${rev}' in this repository; ${hint}`);
  }
  const base = await mergeBase(cwd, commit, head);
  if (base === null) {
    const hint = (await isShallow(cwd))
      ? 'the checkout is shallow; use actions/checkout with fetch-depth: 0'
      : 'unrelated histories';
    throw new UsageError(`--since: '${rev}' and HEAD have no common ancestor (${hint}); give a commit of HEAD's history`);
  }
  return {
    base,
    head,
    ref,
    describe: (commits) =>
      base === commit
        ? `since ${rev} (${plural(commits)}, base ${short(base)})`
        : `since ${rev} (merge base ${short(base)}, ${plural(commits)})`,
  };
}

/** The commits a window compares; its trusted commit follows from them by trustedCommitOf. */
type Range = Omit<Window, 'trustedCommit'>;

export async function resolveWindow(cwd: string, since: Since, pr: PullRequestInfo | null, now: Date): Promise<Window> {
  const range = await resolveRange(cwd, since, pr, now);
  return { ...range, trustedCommit: trustedCommitOf({ headSha: range.head, pullRequest: pr }) };
}

async function resolveRange(cwd: string, since: Since, pr: PullRequestInfo | null, now: Date): Promise<Range> {
  if (pr) return pullRequestWindow(cwd, pr);
  const head = await revParseCommit(cwd, 'HEAD');
  if (!head) throw new ConfigError(`the repository in ${cwd} has no commits yet; commit something to review first`);
  const ref = await currentRef(cwd);
  if (since.kind === 'last') {
    throw new Error("gatherChanges: since 'last' must be resolved to a revision by the caller");
  }
  if (since.kind === 'revision') return revisionWindow(cwd, since.rev, head, ref);

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
    describe: (commits) =>
      base === ''
        ? `since ${since.text} (${plural(commits)}, whole tree: no commit is older than ${since.text})`
        : `since ${since.text} (${plural(commits)}, base ${short(base)})`,
  };
}

export async function detectRepository(cwd: string): Promise<string> {
  const url = await runGit(cwd, ['remote', 'get-url', 'origin'], { okExitCodes: [2, 128] }).catch(() => '');
  // https://github.com/o/r(.git), git@github.com:o/r.git, ssh://git@host/o/r.git (GHES too).
  const match = /^(?:[a-z+]+:\/\/(?:[^@/]+@)?[^/]+\/|[^@\s]+@[^:\s]+:)([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/i.exec(url.trim());
  if (match) return `${match[1]}/${match[2]}`;
  return basename(cwd);
}

/** The empty tree's id in this repository's hash (SHA-1 or SHA-256). */
export async function emptyTree(cwd: string): Promise<string> {
  return runGit(cwd, ['hash-object', '-t', 'tree', '--stdin'], { input: '' });
}
