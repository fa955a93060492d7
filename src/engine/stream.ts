// Per state: the batches checked, the results of those that ended streamed into the round's results
// file, and retryable failures resubmitted (the state saved at once with the new batch ids).
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { getTask } from '../tasks/index.js';
import type { TaskDefinition } from '../tasks/task.js';
import { FatalApiError } from '../batch/retry.js';
import { batchProgress, type BatchClient } from '../batch/client.js';
import type { StoredState } from '../state/store.js';
import type { BatchRecord, RunState } from '../state/state.js';
import type { CollectedResults } from '../reports/reporter.js';
import type { PlannedRequest, RequestOutcome, RequestRecord } from '../types.js';
import { FileSource } from './file-source.js';
import { outcomeOfResult } from './outcome.js';
import { ResultsWriter } from './results.js';
import { sendBatches } from './submit.js';
import { isRebuilt } from './rebuild.js';
import type { EngineDeps } from './deps.js';
import { regather, rebuildRequest } from './resubmit.js';

/** Identifies one collect round of a state by the batches whose results it publishes. */
export function roundKeyOf(batchIds: string[]): string {
  return createHash('sha256')
    .update([...batchIds].sort().join(','))
    .digest('hex')
    .slice(0, 12);
}

export async function refreshBatches(state: RunState, client: BatchClient, config: Config, deps: EngineDeps): Promise<void> {
  for (const batch of state.batches) {
    if (batch.resultsSaved || batch.status === 'ended') continue;
    const current =
      config.waitMinutes > 0
        ? await client.waitForEnd(batch.id, {
            waitMs: config.waitMinutes * 60_000,
            firstPollIntervalMs: deps.pollIntervalMs?.first,
            maxPollIntervalMs: deps.pollIntervalMs?.max,
            now: () => deps.now().getTime(),
          })
        : await client.retrieve(batch.id);
    batch.status = current.processing_status;
    batch.endedAt = current.ended_at ?? null;
    deps.log.info(`batch ${batch.id}: ${batchProgress(current)}`);
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
}

/** Why a failed request is reported instead of resubmitted: its files cannot be read back. */
export const cannotResubmit = (record: RequestRecord, state: RunState): string =>
  `could not resubmit: ${record.paths.join(', ')} at ${state.headSha.slice(0, 7)} is not in this checkout (use fetch-depth: 0)`;

/** The batches of a state whose results are in and not yet saved. */
export function readyBatches(state: RunState): BatchRecord[] {
  return state.batches.filter((b) => b.status === 'ended' && !b.resultsSaved);
}

export async function streamState(
  stored: StoredState,
  config: Config,
  deps: EngineDeps,
  client: BatchClient,
): Promise<StreamedState | null> {
  const { state, id: stateId } = stored;
  const task = getTask(state.task);
  const ready = readyBatches(state);
  if (ready.length === 0) return null;
  const roundKey = roundKeyOf(ready.map((b) => b.id));
  const roundDir = join(deps.context.outputDir, stateId, roundKey);
  await mkdir(roundDir, { recursive: true });
  const writer = new ResultsWriter(join(roundDir, 'results.jsonl'), task.name, config.minSeverity, config.priceOverrides, true);
  const files = new FileSource(deps.context.cwd, deps.log, new Set(state.cleanHashes));
  const toRetry: string[] = [];
  const lost: string[] = [];
  try {
    for (const batch of ready) {
      writer.results.batchIds.push(batch.id);
      try {
        for await (const line of client.results(batch.id)) {
          const record = state.requests[line.custom_id];
          // A result for a request that was resubmitted since (a crashed collect) belongs to its new batch.
          if (!record || record.batchId !== batch.id) continue;
          const outcome: RequestOutcome = outcomeOfResult(
            line.custom_id,
            line.result,
            task,
            record,
            line.result.type === 'succeeded' ? await files.forRecord(state.headSha, record) : [],
            batch.id,
          );
          // A state rebuilt from the batch alone cannot rebuild the exact request: its failures are reported.
          let retry =
            outcome.status !== 'succeeded' && outcome.retryable && record.attempt < config.maxRetries && !isRebuilt(state);
          let written = outcome;
          if (retry && outcome.status !== 'succeeded' && !(await files.canReadAll(state.headSha, record))) {
            // Its files cannot be read back to rebuild it: reported now, and final in results.jsonl too.
            retry = false;
            written = { ...outcome, reason: `${outcome.reason}; ${cannotResubmit(record, state)}` };
          }
          if (retry) toRetry.push(line.custom_id);
          await writer.add(written, record, !retry);
        }
      } catch (error) {
        if (!(error instanceof FatalApiError) || error.status !== 404) throw error;
        // Results gone for good (archived or deleted): report every request of the batch, once.
        deps.log.warning(error.message);
        lost.push(batch.id);
        for (const [customId, record] of Object.entries(state.requests)) {
          if (record.batchId !== batch.id) continue;
          await writer.add(
            { customId, status: 'expired', reason: error.message, retryable: false, usage: null, model: null, batchId: batch.id },
            record,
            true,
          );
        }
      }
    }
    // Resubmit before publishing, and save the new batch ids at once: a crash must not lose them.
    if (toRetry.length > 0) {
      const rebuilt: PlannedRequest[] = [];
      const gathered = await regather(state, [...new Set(toRetry.flatMap((id) => state.requests[id]!.paths))], deps);
      for (const customId of toRetry) {
        const request = await rebuildRequest(customId, state, task, files, gathered);
        if (request) rebuilt.push(request);
        else {
          const record = state.requests[customId]!;
          record.failed = true;
          writer.results.resubmitted -= 1;
          writer.results.failures.push({
            customId,
            paths: record.paths,
            status: 'errored',
            reason: cannotResubmit(record, state),
          });
        }
      }
      if (rebuilt.length > 0) {
        const attempt = Math.max(...rebuilt.map((r) => r.record.attempt)) + 1;
        await sendBatches(state, rebuilt, deps, attempt);
        await deps.store.update(stateId, state);
        deps.log.info(`resubmitted ${rebuilt.length} failed request(s) (attempt ${attempt} of ${config.maxRetries})`);
      }
    }
  } finally {
    files.close();
  }
  const results = await writer.close();
  return { stored, task, ready, roundKey, roundDir, results, lost };
}
