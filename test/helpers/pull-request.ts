// A pull request as GitHub shows it to the action: its files as the REST API lists them (for the
// GitHub emulator's seedPullRequest) and the `pull_request` event payload written to GITHUB_EVENT_PATH.
import type { StoredPullFile } from '../emulators/github/index.js';

/** Runs git in the repository and returns trimmed stdout (TestRepo.git, or a synchronous wrapper). */
export type GitRunner = (...args: string[]) => string | Promise<string>;

const STATUS: Record<string, StoredPullFile['status']> = { A: 'added', D: 'removed', M: 'modified' };

/**
 * The PR's files as GitHub lists them: the three-dot diff `base...head`, each file's status from
 * `--name-status`, its `patch` the hunks without the headers (additions and deletions the emulator
 * counts from it).
 */
export async function pullRequestFiles(git: GitRunner, base: string, head: string): Promise<StoredPullFile[]> {
  const files: StoredPullFile[] = [];
  for (const line of (await git('diff', '--name-status', `${base}...${head}`)).split('\n').filter(Boolean)) {
    const [status, filename] = line.split('\t') as [string, string];
    const diff = await git('diff', '--no-color', '-U3', `${base}...${head}`, '--', filename);
    files.push({ filename, status: STATUS[status[0]!] ?? 'modified', patch: diff.slice(diff.indexOf('\n@@') + 1) });
  }
  return files;
}

export interface PullRequestEventOptions {
  owner: string;
  repo: string;
  number: number;
  /** opened, synchronize, reopened… */
  action: string;
  base: { sha: string; ref: string };
  head: { sha: string; ref: string };
  /** The owner of the fork the head branch lives in; none for a branch of the repository itself. */
  forkOwner?: string;
}

/** The `pull_request` (or `pull_request_target`) event payload GitHub writes: the fields the action reads. */
export function pullRequestEvent(options: PullRequestEventOptions): unknown {
  const { owner, repo, number } = options;
  const upstream = { full_name: `${owner}/${repo}`, name: repo, owner: { login: owner }, fork: false };
  const headOwner = options.forkOwner ?? owner;
  const headRepo = options.forkOwner
    ? { full_name: `${headOwner}/${repo}`, name: repo, owner: { login: headOwner }, fork: true }
    : upstream;
  return {
    action: options.action,
    number,
    pull_request: {
      number,
      state: 'open',
      base: { ...options.base, repo: upstream },
      head: { ...options.head, repo: headRepo, label: `${headOwner}:${options.head.ref}` },
    },
    repository: upstream,
  };
}

/**
 * The refactor the refactor-validation tests propose for a pricing module: roundCents is no longer
 * exported and priceWithTax lost its rate parameter (two breaking changes a caller would notice).
 */
export function refactorPricing(basePricing: string): string {
  return basePricing
    .replace('export function roundCents', 'function roundCents')
    .replace('priceWithTax(amount: number, rate: number)', 'priceWithTax(amount: number)')
    .replace('amount * (1 + rate)', 'amount * (1 + TAX_RATE)');
}
