// Resubmission of the retryable failures of a collected batch (bounded by max-retries): each request
// rebuilt exactly as it was sent, from git at the reviewed commit (the same diff, base version and
// redactions), sent as a new batch, and the state saved at once with its id.
import type { TaskDefinition } from '../tasks/task.js';
import type { RunState } from '../state/state.js';
import type { Config } from '../config.js';
import type { StoredState } from '../state/store.js';
import type { CollectedResults } from '../reports/reporter.js';
import type { PlannedRequest, PullRequestInfo, RequestRecord, SourceFile, WorkUnit } from '../types.js';
import { gatherChanges } from '../gather/index.js';
import type { FileSource } from './file-source.js';
import { requestParams } from './plan.js';
import { sendBatches } from './submit.js';
import type { EngineDeps } from './deps.js';
import { plural } from '../reports/format.js';
import { commitToNight, fitToNight } from './night-budget.js';

/**
 * The changed files of a submission exactly as submit gathered them (status, diff, base version,
 * redactions), read again from git at the reviewed commits: a resubmitted request must be the request
 * that was sent, not the bare file. Empty when those commits are not in this checkout.
 */
async function regather(state: RunState, paths: string[], deps: EngineDeps): Promise<Map<string, SourceFile>> {
  // Submit's window again, pinned to its commits (a since-window is base..head, like a PR's).
  const window: PullRequestInfo | null =
    state.pullRequest ??
    (state.baseSha
      ? {
          number: 0,
          baseSha: state.baseSha,
          headSha: state.headSha,
          baseRef: state.baseSha,
          headRef: state.headSha,
          fromFork: false,
        }
      : null);
  // Without a base the whole tree was reviewed: every file went whole, as added, with no diff.
  if (!window) return new Map();
  try {
    const changeSet = await gatherChanges({
      cwd: deps.context.cwd,
      since: { kind: 'revision', rev: window.baseSha },
      pullRequest: window,
      include: [],
      exclude: [],
      paths,
      maxFiles: 0,
      maxFileBytes: 0,
      contextFiles: [],
      repository: state.repository,
    });
    return new Map(changeSet.files.map((file) => [file.path, file]));
  } catch (error) {
    deps.log.debug(`resubmission: could not gather ${window.baseSha}..${window.headSha} again: ${(error as Error).message}`);
    return new Map();
  }
}

/** Rebuilds the exact request of a unit for a resubmission, from the files at the reviewed commit. */
async function rebuildRequest(
  customId: string,
  state: RunState,
  task: TaskDefinition,
  files: FileSource,
  gathered: Map<string, SourceFile>,
): Promise<PlannedRequest | null> {
  const record = state.requests[customId]!;
  const unitFiles: SourceFile[] = [];
  for (const path of record.paths) {
    const hash = record.contentHashes[path] ?? '';
    const again = gathered.get(path);
    // A file the unit carries without it being part of the change (an existing test) is read as is.
    const file = again && again.contentHash === hash ? again : await files.exact(state.headSha, path, hash);
    if (!file) return null;
    unitFiles.push(!again && !state.baseSha && !state.pullRequest ? { ...file, status: 'added' } : file);
  }
  const unit: WorkUnit = { customId, task: task.name, files: unitFiles, lineRanges: record.lineRanges, part: record.part };
  return {
    customId,
    params: requestParams(task, unit, state.model, state.maxOutputTokens, state.systemPrefix),
    record,
  };
}

/** Why a failed request is reported instead of resubmitted: its files cannot be read back. */
export const cannotResubmit = (record: RequestRecord, state: RunState): string =>
  `could not resubmit: ${record.paths.join(', ')} at ${state.headSha.slice(0, 7)} is not in this checkout (use fetch-depth: 0)`;

interface ResubmitInput {
  task: TaskDefinition;
  files: FileSource;
  /** The round's results: a request that cannot be rebuilt becomes one of its failures. */
  results: CollectedResults;
  config: Config;
  deps: EngineDeps;
}

/** The requests `customIds` of a state rebuilt exactly as they were sent; `missing`: those whose files are not in this checkout. */
export async function rebuildRequests(
  state: RunState,
  customIds: readonly string[],
  task: TaskDefinition,
  files: FileSource,
  deps: EngineDeps,
): Promise<{ rebuilt: PlannedRequest[]; missing: string[] }> {
  const rebuilt: PlannedRequest[] = [];
  const missing: string[] = [];
  const gathered = await regather(state, [...new Set(customIds.flatMap((id) => state.requests[id]!.paths))], deps);
  for (const customId of customIds) {
    const request = await rebuildRequest(customId, state, task, files, gathered);
    if (request) rebuilt.push(request);
    else missing.push(customId);
  }
  return { rebuilt, missing };
}

/** Sends the failed requests `customIds` again and saves the state with their new batch: a crash must not lose it. */
export async function resubmit(stored: StoredState, customIds: string[], input: ResubmitInput): Promise<void> {
  const { task, files, results, config, deps } = input;
  const { state } = stored;
  const { rebuilt: all, missing } = await rebuildRequests(state, customIds, task, files, deps);
  const giveUp = (customId: string, reason: string): void => {
    const record = state.requests[customId]!;
    record.failed = true;
    results.resubmitted -= 1;
    results.failures.push({ customId, paths: record.paths, status: 'errored', reason });
  };
  for (const customId of missing) giveUp(customId, cannotResubmit(state.requests[customId]!, state));
  // max-cost-usd caps the night, resubmissions included: what would pass it is reported, not sent.
  const fit = await fitToNight(state, all, { batch: true }, config, deps);
  for (const { customId, reason } of fit.dropped) giveUp(customId, `not resubmitted: ${reason}`);
  if (fit.dropped.length > 0) {
    results.budgetCut = (results.budgetCut ?? 0) + fit.dropped.length;
    deps.log.warning(`${plural(fit.dropped.length, 'failed request')} not resubmitted: ${fit.dropped[0]!.reason}`);
  }
  const rebuilt = fit.kept;
  if (rebuilt.length === 0) {
    if (fit.dropped.length > 0) await deps.store.update(stored.id, state);
    return;
  }
  // Counted against the night before it is sent: a crash in between can only over-count.
  await commitToNight(state, fit.usd, 'resubmit', stored.id, config, deps);
  // Each request goes out as its own next attempt: one failing for the first time is not charged the
  // retries of another that failed before (max-retries is counted per request).
  const byAttempt = new Map<number, PlannedRequest[]>();
  for (const request of rebuilt) {
    const attempt = request.record.attempt + 1;
    byAttempt.set(attempt, [...(byAttempt.get(attempt) ?? []), request]);
  }
  for (const [attempt, requests] of [...byAttempt].sort(([a], [b]) => a - b)) {
    await sendBatches(state, requests, deps, attempt);
    // Saved at once: a crash must not lose the batch just made.
    await deps.store.update(stored.id, state);
    deps.log.info(`resubmitted ${plural(requests.length, 'failed request')} (attempt ${attempt} of ${config.maxRetries})`);
  }
}
