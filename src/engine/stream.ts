// Collect's first half, per state: its batches checked (polled up to wait-minutes), the results of
// those that ended streamed into the round's results.jsonl, and retryable failures resubmitted with
// the state saved at once (resubmit.ts). What it hands on (StreamedState) is a saved results file and
// a saved state; publishing is rounds.ts and publish.ts.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { getTask } from '../tasks/index.js';
import type { TaskDefinition } from '../tasks/task.js';
import { FatalApiError } from '../batch/retry.js';
import { jobProgress, type BatchProvider } from '../providers/types.js';
import type { StoredState } from '../state/store.js';
import type { BatchRecord, RunState } from '../state/state.js';
import type { CollectedResults } from '../reports/reporter.js';
import type { RequestOutcome, RequestRecord } from '../types.js';
import { FileSource } from './file-source.js';
import { outcomeOfResult } from './outcome.js';
import { ResultsWriter } from './results.js';
import { isRebuilt } from './rebuild.js';
import type { EngineDeps } from './deps.js';
import { cannotResubmit, resubmit } from './resubmit.js';
import { checkBatch } from './poll.js';
import { deadlineResults, emptyFallback, isDeadlineBatch } from './deadline.js';
import { resolvePrice } from '../cost/prices.js';
import { usageCost } from '../cost/usage.js';

/** Identifies one collect round of a state by the batches whose results it publishes. */
export function roundKeyOf(batchIds: string[]): string {
  return createHash('sha256')
    .update([...batchIds].sort().join(','))
    .digest('hex')
    .slice(0, 12);
}

export async function refreshBatches(state: RunState, client: BatchProvider, config: Config, deps: EngineDeps): Promise<void> {
  for (const batch of state.batches) {
    if (batch.resultsSaved || batch.status === 'ended') continue;
    const current = await checkBatch(client, batch.id, config, deps);
    batch.status = current.status;
    batch.endedAt = current.endedAt;
    deps.log.info(`batch ${batch.id}: ${jobProgress(current)}`);
  }
}

/** One state's ended batches, streamed and saved locally, retries resubmitted; nothing published yet. */
export interface StreamedState {
  stored: StoredState;
  task: TaskDefinition;
  ready: BatchRecord[];
  roundKey: string;
  roundDir: string;
  results: CollectedResults;
  lost: string[];
  /** The round of a verification pass (verify-round.ts): publishing it ends the pass. */
  verifying?: boolean;
}

/** The batches of a state whose results are in and not yet saved. */
export function readyBatches(state: RunState): BatchRecord[] {
  return state.batches.filter((b) => b.status === 'ended' && !b.resultsSaved);
}

/**
 * Streams the results of a state's ended batches into its round's results.jsonl (answers normalised
 * by the task, each result once), then resubmits the retryable failures; nothing is published here.
 * Null when no batch of the state has ended.
 */
export async function streamState(
  stored: StoredState,
  config: Config,
  deps: EngineDeps,
  client: BatchProvider,
): Promise<StreamedState | null> {
  const { state, id: stateId } = stored;
  const task = getTask(state.task);
  const ready = readyBatches(state);
  if (ready.length === 0) return null;
  const roundKey = roundKeyOf(ready.map((b) => b.id));
  const roundDir = join(deps.context.outputDir, stateId, roundKey);
  await mkdir(roundDir, { recursive: true });
  const writer = new ResultsWriter(
    join(roundDir, 'results.jsonl'),
    task.name,
    { severity: config.minSeverity, confidence: config.minConfidence },
    config.priceOverrides,
    true,
  );
  const files = new FileSource(deps.context.cwd, deps.log, new Set(state.cleanHashes));
  const toRetry: string[] = [];
  const lost: string[] = [];
  try {
    for (const batch of ready) {
      // A deadline fallback is answered interactively now (deadline.ts), at full price.
      const fallback = isDeadlineBatch(batch) ? (writer.results.deadline ??= emptyFallback()) : null;
      if (!fallback) writer.results.batchIds.push(batch.id);
      const lines = fallback
        ? deadlineResults({ stored, batch, task, files, client, config, deps, report: fallback })
        : client.results(batch.id);
      // What this batch's stream already gave: counted once, and never reported lost after a 404.
      const seen = new Set<string>();
      try {
        for await (const line of lines) {
          const record = state.requests[line.custom_id];
          // A result for a request that was resubmitted since (a crashed collect) belongs to its new batch;
          // one answered at the deadline, to the fallback.
          if (!record || record.batchId !== batch.id || seen.has(line.custom_id)) continue;
          seen.add(line.custom_id);
          const unitFiles = line.result.type === 'succeeded' ? await files.forRecord(state.headSha, record) : [];
          const outcome = await outcomeOfResult(line.custom_id, line.result, task, record, unitFiles, batch.id);
          const retry = await retryOrReport(outcome, record, state, files, config);
          if (retry === 'retry') toRetry.push(line.custom_id);
          await writer.add(retry === 'retry' ? outcome : retry, record, retry !== 'retry', !fallback);
          const price =
            fallback && outcome.usage && outcome.model ? resolvePrice(outcome.model, config.priceOverrides) : undefined;
          if (fallback && price && outcome.usage) fallback.costUsd += usageCost(outcome.usage, price, { batch: false });
        }
      } catch (error) {
        if (!(error instanceof FatalApiError) || error.status !== 404) throw error;
        // Results gone for good (archived or deleted): report every request of the batch not read yet, once.
        deps.log.warning(error.message);
        lost.push(batch.id);
        for (const [customId, record] of Object.entries(state.requests)) {
          if (record.batchId !== batch.id || seen.has(customId)) continue;
          await writer.add(
            { customId, status: 'expired', reason: error.message, retryable: false, usage: null, model: null, batchId: batch.id },
            record,
            true,
          );
        }
      }
    }
    // Resubmit before publishing, and save the new batch ids at once: a crash must not lose them.
    if (toRetry.length > 0) await resubmit(stored, toRetry, { task, files, results: writer.results, config, deps });
  } finally {
    files.close();
  }
  const results = await writer.close();
  return { stored, task, ready, roundKey, roundDir, results, lost };
}

/**
 * 'retry' for a failure a resubmission may fix (within max-retries); otherwise the outcome as it is
 * final. A state rebuilt from the batch alone cannot rebuild the exact request, and neither can a
 * checkout without the reviewed files: those failures are reported now, final in results.jsonl too.
 */
async function retryOrReport(
  outcome: RequestOutcome,
  record: RequestRecord,
  state: RunState,
  files: FileSource,
  config: Config,
): Promise<'retry' | RequestOutcome> {
  if (outcome.status === 'succeeded' || !outcome.retryable || record.attempt >= config.maxRetries || isRebuilt(state)) {
    return outcome;
  }
  if (!(await files.canReadAll(state.headSha, record))) {
    return { ...outcome, reason: `${outcome.reason}; ${cannotResubmit(record, state)}` };
  }
  return 'retry';
}
