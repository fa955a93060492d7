// collect, the morning of a night: every saved submission not yet collected has its batches checked;
// the rounds about to be published are claimed, so that of two collects meeting on one submission
// only one streams, resubmits and publishes it (claim-rounds.ts); each claimed state's ended batches
// are streamed into a results file and its retryable failures resubmitted, the state saved at once
// (stream.ts, resubmit.ts); then the states are grouped into rounds, one report each: the scheduled
// submissions of one findings task collected together make ONE report (one issue a night), a pull
// request's submission one of its own (rounds.ts); each round's results are saved before anything
// is posted, then its reports are published, each carrying a marker so a re-run never posts twice
// (publish.ts); last, every state gets a new revision (collected when no batch is outstanding).
// A findings task verified (verify-round.ts) publishes one collect later: the collect that receives
// the first answers sends their findings to a verification batch; the next one publishes the night.
// A batch-id whose saved state is gone (the artifact expired) is rebuilt from the batch (rebuild.ts).
import type { Config } from '../config.js';
import type { ListOptions, StoredState } from '../state/store.js';
import type { RunState } from '../state/state.js';
import type { RoundClaim } from '../state/claims.js';
import type { EngineDeps, RunStatus } from './deps.js';
import { rebuildStateFromBatch } from './rebuild.js';
import { claimRounds, headKey, reloadClaimed } from './claim-rounds.js';
import { readyBatches, refreshBatches, streamState, type StreamedState } from './stream.js';
import { groupStreamed, publishGroup, untouched, type CollectedRound, type StateCollectResult } from './rounds.js';
import { setRoundOutputs } from './publish.js';
import { holdForVerification, resumeVerification, streamVerification, verificationUnsent } from './verify-round.js';
import { planDeadlines } from './deadline.js';
import { batchService, checkStateProvider, providerOfState } from '../providers/index.js';

export type { CollectedRound, StateCollectResult } from './rounds.js';

export interface CollectResult {
  status: RunStatus;
  states: StateCollectResult[];
  rounds: CollectedRound[];
}

export async function collect(config: Config, deps: EngineDeps): Promise<CollectResult> {
  const listed = await statesToCollect(config, deps);
  if (listed === 'pending') return nothingCollected('pending', config, deps);
  if (listed.length === 0) return nothingCollected('nothing-to-do', config, deps);
  const client = await batchService(deps);
  // A state whose jobs another provider holds waits for a collect with that provider (one line each);
  // it must not stop this provider's paid results from being collected. batch-id naming one is an error.
  if (config.batchId) for (const stored of listed) checkStateProvider(stored.id, stored.state, client.name);
  const targets = listed.filter((stored) => {
    const owner = providerOfState(stored.state);
    if (owner === client.name) return true;
    deps.log.warning(`state ${stored.id} was submitted through ${owner}; left for a collect with provider: ${owner}`);
    return false;
  });
  if (targets.length === 0) return nothingCollected('pending', config, deps);
  // Before refreshBatches changes them in memory: what the store held when listed.
  const listedHeads = new Set(targets.map((t) => headKey(t.state)));
  // The verification round adopts a batch a crashed collect made by listing the API's batches
  // (verify-round.ts): Anthropic's API only for now; on a cloud provider a night is published unverified.
  const anthropic = client.name === 'anthropic' ? deps.anthropic() : null;
  for (const stored of targets) await refreshBatches(stored.state, client, config, deps);
  // Past deliver-by, what is still processing is answered interactively as a round of its own kind.
  await planDeadlines(targets, config, deps);
  const byId = new Map<string, StateCollectResult>();
  // A state has work when a batch ended, or when a verification's batch was planned but never saved.
  const hasWork = (state: RunState): boolean => readyBatches(state).length > 0 || verificationUnsent(state);
  for (const stored of targets) if (!hasWork(stored.state)) byId.set(stored.id, untouched(stored.id, 'pending'));
  const rounds: CollectedRound[] = [];
  // Claims are given up once the round's state revision is saved, or when anything fails (a re-run
  // must not wait for them); a collect killed outright leaves them to be taken over (claims.ts).
  const claims: RoundClaim[] = [];
  try {
    const ready = targets.filter((t) => hasWork(t.state));
    const claimed = await claimRounds(ready, deps, claims, byId);
    const working = await reloadClaimed(claimed, config, deps, byId, listedHeads);
    // A state read again (another collect saved it meanwhile) gets its fallback planned on what it now holds.
    await planDeadlines(working, config, deps);
    // Stream every state first (each one's results saved, its retries resubmitted), then publish one
    // report per task for the scheduled submissions collected together: one issue a night.
    const streamed: StreamedState[] = [];
    for (const stored of working) {
      // A verified night: its checks are published when they are in; the first answers wait for them
      // (verify-round.ts), and a verification sent now makes the next collect the one that publishes.
      if (stored.state.verification && anthropic) await resumeVerification(stored, deps, anthropic);
      const item =
        stored.state.verification && anthropic
          ? await streamVerification(stored, config, deps, anthropic)
          : await streamState(stored, config, deps, client);
      if (item && !(await holdForVerification(item, config, deps, anthropic))) streamed.push(item);
      else byId.set(stored.id, untouched(stored.id, 'pending'));
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

/**
 * The states this collect works on: every uncollected one (of the task, if one is named), or the one
 * holding `batch-id`, rebuilt from the batch when its saved state is gone; 'pending' when that batch
 * has no saved state and has not ended yet.
 */
async function statesToCollect(config: Config, deps: EngineDeps): Promise<StoredState[] | 'pending'> {
  const batchId = config.batchId;
  if (!batchId) {
    const listed = await deps.store.list(config.task ?? undefined, UNCOLLECTED_ONLY);
    const targets = listed.filter((s) => !s.state.collectedAt);
    if (targets.length === 0) deps.log.info(`nothing to collect: no submission waiting in ${deps.store.describe()}`);
    return targets;
  }
  // Batch ids are unique: look through every task's states (the task input need not match).
  const holds = (state: RunState): boolean => state.batches.some((b) => b.id === batchId);
  const all = await deps.store.list(undefined, { withRequests: (head) => !head.collectedAt && holds(head) });
  const found = all.find((s) => holds(s.state));
  if (found?.state.collectedAt) {
    // A batch whose submission is fully collected has nothing left to publish: say so, not "pending".
    deps.log.info(
      `batch ${batchId}: already collected on ${found.state.collectedAt} (${deps.store.describe(found.id)}); nothing to do`,
    );
    return [];
  }
  if (found) return [found];
  // The state is gone (artifact expired or deleted, file lost): rebuild one from the batch alone.
  const rebuilt = await rebuildStateFromBatch(batchId, config, deps);
  if ('pending' in rebuilt) {
    deps.log.info(
      `batch ${batchId}: ${rebuilt.pending}; no saved state names it, so collect it with batch-id again once it has ended`,
    );
    return 'pending';
  }
  // Saved first, like a submit's: a re-run after a crash finds it and publishes under the same id.
  const id = await deps.store.create(rebuilt.state);
  return [{ id, state: rebuilt.state }];
}

/** The outputs and result of a collect with no state to work on. */
function nothingCollected(status: 'pending' | 'nothing-to-do', config: Config, deps: EngineDeps): CollectResult {
  deps.setOutput('status', status);
  if (status === 'pending') deps.setOutput('batch-ids', config.batchId ?? '');
  deps.setOutput('findings-count', 0);
  deps.setOutput('failed-count', 0);
  return { status, states: [], rounds: [] };
}
