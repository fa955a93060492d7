// One batch's status for collect, looked at once or polled up to wait-minutes; while it waits, a
// line per poll says where the batch stands, how long collect has waited and when it looks again.
import type { Config } from '../config.js';
import type { BatchProvider, JobStatus } from '../providers/types.js';
import type { EngineDeps } from './deps.js';

/** 95 s → "1m35s"; 40 s → "40s". */
export function shortDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/** "batch msgbatch_…: 3 succeeded, 0 errored, 12 processing; waited 1m30s, next check in 45s". */
export function pollLine(batch: JobStatus, waitedMs: number, nextCheckMs: number): string {
  const c = batch.counts;
  return `batch ${batch.id}: ${c.succeeded} succeeded, ${c.errored} errored, ${c.processing} processing; waited ${shortDuration(waitedMs)}, next check in ${shortDuration(nextCheckMs)}`;
}

/** The batch as it stands: retrieved once, or polled until it ends or wait-minutes run out. */
export async function checkBatch(client: BatchProvider, id: string, config: Config, deps: EngineDeps): Promise<JobStatus> {
  if (config.waitMinutes <= 0) return client.retrieve(id);
  return client.waitForEnd(id, {
    waitMs: config.waitMinutes * 60_000,
    firstPollIntervalMs: deps.pollIntervalMs?.first,
    maxPollIntervalMs: deps.pollIntervalMs?.max,
    now: () => deps.now().getTime(),
    onPoll: (batch, waitedMs, nextCheckMs) => deps.log.info(pollLine(batch, waitedMs, nextCheckMs)),
  });
}
