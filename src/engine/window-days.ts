// How many days of changes a submit's window holds, so that the estimate projects a month of nightly
// runs from one night's worth of them rather than from the whole window (a two-year window is not
// thirty times what a nightly run costs).
import type { Since } from '../gather/since.js';
import { runGit } from '../gather/git.js';
import type { ChangeSet } from '../types.js';

const DAY_MS = 86_400_000;

/**
 * A duration window holds its own length. A window from a commit (a SHA, a ref, `since: last`) holds
 * the days between its base and head commits, at least one: a night's run covers at least a day.
 * null when the window is not about a night: a pull request, or the whole history (no base).
 */
export async function windowDays(cwd: string, since: Since, changeSet: ChangeSet): Promise<number | null> {
  if (changeSet.pullRequest || changeSet.baseSha === null) return null;
  if (since.kind === 'duration') return since.ms / DAY_MS;
  const out = await runGit(cwd, ['show', '-s', '--format=%ct', changeSet.baseSha, changeSet.headSha, '--']).catch(() => '');
  const [base, head] = out.split('\n').map(Number);
  if (base === undefined || head === undefined || !Number.isFinite(base) || !Number.isFinite(head)) return null;
  return Math.max(1, ((head - base) * 1000) / DAY_MS);
}
