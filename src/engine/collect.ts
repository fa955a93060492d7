// collect: for every saved submission not yet collected, check its batches; stream the results of
// those that ended into a results file, resubmit retryable failures (bounded by max-retries), save
// the results before anything is posted, publish the reports (each carries a marker, so a re-run
// never posts twice), then record progress in a new state revision. The scheduled submissions of one
// findings task collected together are published as ONE report (one issue a night, however many
// submissions or batches it covers); pull request submissions keep one round each.
// Before streaming, each round is claimed (state/claims.ts), so that of two collects meeting on one
// submission only one streams, resubmits and publishes it; a state without its saved state (batch-id
// after the artifact expired) is rebuilt from the batch alone (rebuild.ts).
import type { Config } from '../config.js';
import type { ListOptions, StoredState } from '../state/store.js';
import type { RunState } from '../state/state.js';
import { rebuildStateFromBatch } from './rebuild.js';
import type { RoundClaim } from '../state/claims.js';
import type { EngineDeps, RunStatus } from './deps.js';
import { readyBatches, refreshBatches, streamState, type StreamedState } from './stream.js';
import { groupStreamed, publishGroup, type CollectedRound, type StateCollectResult } from './rounds.js';
import { setRoundOutputs } from './publish.js';
import { claimRounds, headKey, reloadClaimed } from './claim-rounds.js';

export type { CollectedRound, StateCollectResult } from './rounds.js';

export interface CollectResult {
  status: RunStatus;
  states: StateCollectResult[];
  rounds: CollectedRound[];
}

/** One line per report that failed to publish, for the job's error: "<target> failed: <why>". */
export function failedReportLines(states: readonly (StateCollectResult | null)[]): string[] {
  return states.flatMap((s) => (s?.reports ?? []).filter((r) => r.failed).map((r) => `${r.target} ${r.note}`));
}

/**
 * A collect needs the nights it collects, not every night still in retention: collected states are
 * left out (an artifact store does not even download them), and any other is read in full only if open
 * (each ~40 MB of JSON at 100,000 requests).
 */
const UNCOLLECTED_ONLY: ListOptions = { withRequests: (head) => !head.collectedAt, skipCollected: true };

export async function collect(config: Config, deps: EngineDeps): Promise<CollectResult> {
  let targets: StoredState[];
  if (config.batchId) {
    // Batch ids are unique: look through every task's states (the task input need not match).
    const holds = (state: RunState): boolean => state.batches.some((b) => b.id === config.batchId);
    const all = await deps.store.list(undefined, { withRequests: (head) => !head.collectedAt && holds(head) });
    const found = all.find((s) => holds(s.state));
    if (!found) {
      // The state is gone (artifact expired or deleted, file lost): rebuild one from the batch alone.
      const rebuilt = await rebuildStateFromBatch(config.batchId, config, deps);
      if ('pending' in rebuilt) {
        deps.log.info(
          `batch ${config.batchId}: ${rebuilt.pending}; no saved state names it, so collect it with batch-id again once it has ended`,
        );
        deps.setOutput('status', 'pending');
        deps.setOutput('batch-ids', config.batchId);
        deps.setOutput('findings-count', 0);
        deps.setOutput('failed-count', 0);
        return { status: 'pending', states: [], rounds: [] };
      }
      // Saved first, like a submit's: a re-run after a crash finds it and publishes under the same id.
      const id = await deps.store.create(rebuilt.state);
      targets = [{ id, state: rebuilt.state }];
    } else if (found.state.collectedAt) {
      // A batch whose submission is fully collected has nothing left to publish: say so, not "pending".
      deps.log.info(
        `batch ${config.batchId}: already collected on ${found.state.collectedAt} (${deps.store.describe(found.id)}); nothing to do`,
      );
      targets = [];
    } else targets = [found];
  } else {
    targets = (await deps.store.list(config.task ?? undefined, UNCOLLECTED_ONLY)).filter((s) => !s.state.collectedAt);
  }
  // Before refreshBatches changes them in memory: what the store held when listed.
  const listedHeads = new Set(targets.map((t) => headKey(t.state)));
  if (targets.length === 0) {
    if (!config.batchId) deps.log.info(`nothing to collect: no submission waiting in ${deps.store.describe()}`);
    deps.setOutput('status', 'nothing-to-do');
    deps.setOutput('findings-count', 0);
    deps.setOutput('failed-count', 0);
    return { status: 'nothing-to-do', states: [], rounds: [] };
  }
  const client = deps.anthropic();
  for (const stored of targets) await refreshBatches(stored.state, client, config, deps);
  const byId = new Map<string, StateCollectResult>();
  for (const stored of targets) {
    if (readyBatches(stored.state).length === 0)
      byId.set(stored.id, { stateId: stored.id, status: 'pending', results: null, reports: [] });
  }
  const rounds: CollectedRound[] = [];
  // Claims are given up once the round's state revision is saved, or when anything fails (a re-run
  // must not wait for them); a collect killed outright leaves them to be taken over (claims.ts).
  const claims: RoundClaim[] = [];
  try {
    const claimed = await claimRounds(
      targets.filter((t) => readyBatches(t.state).length > 0),
      deps,
      claims,
      byId,
    );
    const working = await reloadClaimed(claimed, config, deps, byId, listedHeads);
    // Stream every state first (each one's results saved, its retries resubmitted), then publish one
    // report per task for the scheduled submissions collected together: one issue a night.
    const streamed: StreamedState[] = [];
    for (const stored of working) {
      const item = await streamState(stored, config, deps, client);
      if (item) streamed.push(item);
      else byId.set(stored.id, { stateId: stored.id, status: 'pending', results: null, reports: [] });
    }
    for (const group of groupStreamed(streamed)) {
      const published = await publishGroup(group, config, deps);
      rounds.push(published.round);
      for (const state of published.states) byId.set(state.stateId, state);
    }
  } finally {
    for (const claim of claims) await claim.release();
  }
  const states = targets.map((t) => byId.get(t.id)!);
  // Nothing published: still pending (or left to a racing collect), or nothing left at all.
  const status: RunStatus =
    rounds.length > 0 ? 'collected' : states.some((s) => s.status === 'pending') ? 'pending' : 'nothing-to-do';
  deps.setOutput('status', status);
  deps.setOutput('batch-ids', targets.flatMap((t) => t.state.batches.map((b) => b.id)).join(','));
  setRoundOutputs(rounds, config, deps);
  return { status, states, rounds };
}
