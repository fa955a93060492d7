// Which rounds this collect publishes: each claimed before anything is streamed (state/claims.ts), so
// that of two collects meeting on one submission only one pays for and posts it; the claimed states
// are then read again in case another collect saved a newer revision meanwhile.
import type { Config } from '../config.js';
import type { StoredState } from '../state/store.js';
import type { RunState } from '../state/state.js';
import type { RoundClaim } from '../state/claims.js';
import type { EngineDeps } from './deps.js';
import { readyBatches } from './stream.js';
import { claimKeyOf, verificationUnsent } from './verify-round.js';
import { groupKeyOf, untouched, type StateCollectResult } from './rounds.js';

/**
 * Claims the rounds this collect is about to publish (see state/claims.ts), in the order the states
 * were listed. A state whose round another collect holds is left to that collect; so are the later
 * states of its report group, so that one night's submissions still make one report.
 */
export async function claimRounds(
  ready: StoredState[],
  deps: EngineDeps,
  claims: RoundClaim[],
  byId: Map<string, StateCollectResult>,
): Promise<StoredState[]> {
  const claimer = deps.github?.readOnly ? null : deps.store.claimer;
  if (!claimer) return ready;
  const claimed: StoredState[] = [];
  const lostGroups = new Set<string>();
  for (const stored of ready) {
    const group = groupKeyOf(stored);
    const roundKey = claimKeyOf(stored.state);
    if (lostGroups.has(group)) {
      deps.log.info(`${stored.id}: left to the collect that holds the rest of its report`);
      byId.set(stored.id, untouched(stored.id, 'pending'));
      continue;
    }
    const result = await claimer.claim(stored.id, roundKey);
    if (!result.claimed) {
      lostGroups.add(group);
      // Not an error: another collect is publishing this very round right now.
      deps.log.info(
        `${stored.id}: round ${roundKey} is being published by another collect (${result.holder.label}, since ${result.holder.claimedAt}); leaving it to that one`,
      );
      byId.set(stored.id, untouched(stored.id, 'pending'));
      continue;
    }
    if (result.note) deps.log.info(`${stored.id}: ${result.note}`);
    claims.push(result.claim);
    claimed.push(stored);
  }
  return claimed;
}

/**
 * The claimed states read again: a collect that finished while this one was listing and checking
 * left a newer revision (results saved, retries resubmitted, maybe collected). Working on the old
 * one would stream and resubmit (pay for) the same requests twice.
 */
export async function reloadClaimed(
  claimed: StoredState[],
  config: Config,
  deps: EngineDeps,
  byId: Map<string, StateCollectResult>,
  listedHeads: ReadonlySet<string>,
): Promise<StoredState[]> {
  // Nothing was claimed (no claimer, or a read-only run): nothing can have changed under a claim.
  if (claimed.length === 0 || deps.github?.readOnly || !deps.store.claimer) return claimed;
  // Only the claimed submissions are looked at again, and only one saved again since it was listed is
  // read in full: a state of 100,000 requests read a second time is ~200 MB of allocation for nothing
  // when, as almost always, no other collect ran.
  const fresh = new Map(
    (
      await deps.store.list(config.batchId ? undefined : (config.task ?? undefined), {
        ids: new Set(claimed.map((s) => s.id)),
        withRequests: (head) => !head.collectedAt && !listedHeads.has(headKey(head)),
      })
    ).map((s) => [s.id, s]),
  );
  const current: StoredState[] = [];
  for (const stored of claimed) {
    const now = fresh.get(stored.id);
    if (!now || listedHeads.has(headKey(now.state))) {
      current.push(stored);
      continue;
    }
    // What this collect learnt about the batches (ended or not) still holds.
    for (const batch of now.state.batches) {
      const seen = stored.state.batches.find((b) => b.id === batch.id);
      if (seen && !batch.resultsSaved) {
        batch.status = seen.status;
        batch.endedAt = seen.endedAt;
      }
    }
    if (now.state.collectedAt || (readyBatches(now.state).length === 0 && !verificationUnsent(now.state))) {
      deps.log.info(`${stored.id}: published meanwhile by another collect; nothing left to do`);
      byId.set(stored.id, untouched(stored.id, 'collected'));
      continue;
    }
    // The fresh revision replaces the listed one in place (the caller's targets hold these objects):
    // a state of 100,000 requests parsed twice is two copies of ~80 MB kept for the whole collect.
    stored.state = now.state;
    current.push(stored);
  }
  return current;
}

/**
 * A state's head (everything but its requests) as text. Every revision submit or collect saves changes
 * the head (batches added or ended, resultsSaved, published, collectedAt), so a head unchanged since
 * the listing means the same revision, requests included.
 */
export function headKey(state: RunState): string {
  const { requests: _requests, ...head } = state;
  return JSON.stringify(head);
}
