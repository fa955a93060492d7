// What the engine needs from a batch service, whichever cloud runs it: create a job from planned
// requests, read where it stands, stream its results as {custom_id, result}, cancel it, answer one
// request interactively. Anthropic's Message Batches API is the first implementation (anthropic.ts);
// Amazon Bedrock's batch inference the second (bedrock/). The engine, the state and the reports are
// the same for all; the state records only which provider holds its jobs.
import type { MessageBatchResult } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { BatchLimits } from '../batch/client.js';
import type { PlannedRequest } from '../types.js';

export const PROVIDER_NAMES = ['anthropic', 'bedrock', 'vertex'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Requests of a job by where they stand (Anthropic's request_counts; the clouds' counts map onto it). */
export interface JobCounts {
  processing: number;
  succeeded: number;
  errored: number;
  canceled: number;
  expired: number;
}

/**
 * A cloud job's counts from what it has answered: what is left is processing until the job ends, then
 * canceled or expired as the job ended (Bedrock and Vertex report totals, not per-request states).
 */
export function cloudJobCounts(done: {
  succeeded: number;
  errored: number;
  left: number;
  ended: boolean;
  endedAs: 'canceled' | 'expired' | null;
}): JobCounts {
  const { succeeded, errored, left, ended, endedAs } = done;
  return {
    processing: ended ? 0 : left,
    succeeded,
    errored,
    canceled: ended && endedAs === 'canceled' ? left : 0,
    expired: ended && endedAs === 'expired' ? left : 0,
  };
}

/** A job as the engine sees it: the three states the state file records, and its counts. */
export interface JobStatus {
  id: string;
  status: 'in_progress' | 'canceling' | 'ended';
  counts: JobCounts;
  endedAt: string | null;
  /** When the service gives up on it; null when unknown. */
  expiresAt: string | null;
  /** The service's own word for where it stands ("InProgress", "Validating"), when it has more to say. */
  detail?: string;
}

/** One answer of a job, in the shape the engine reads (outcome.ts): Anthropic's batch result. */
export interface ProviderResult {
  custom_id: string;
  result: MessageBatchResult;
}

export interface JobWaitOptions {
  /** Give up (and return the job as it is) after this long; 0 = look once. */
  waitMs: number;
  firstPollIntervalMs?: number | undefined;
  maxPollIntervalMs?: number | undefined;
  now?: () => number;
  onPoll?: (job: JobStatus, waitedMs: number, nextCheckMs: number) => void;
}

export interface BatchProvider {
  readonly name: ProviderName;
  /** Per-job limits submit splits at. */
  readonly limits: BatchLimits;
  /** Creates one job of `requests`; `bodyBytes` is the size splitIntoBatches measured (Anthropic). */
  createJob(requests: PlannedRequest[], bodyBytes?: number): Promise<JobStatus>;
  retrieve(id: string): Promise<JobStatus>;
  waitForEnd(id: string, options: JobWaitOptions): Promise<JobStatus>;
  /** Every result of an ended job, each once, joined to its request by custom_id (never by order). */
  results(id: string): AsyncIterable<ProviderResult>;
  cancel(id: string): Promise<JobStatus>;
  /** One request answered now, outside any batch (mode run, fallbacks). */
  answerOne(params: MessageCreateParamsNonStreaming): Promise<Message>;
  /** Exact input tokens of a request, or null when the service cannot count them. */
  readonly countTokens: ((params: MessageCreateParamsNonStreaming) => Promise<number>) | null;
}

/** "ended (3 succeeded, 0 errored, …)" or "in_progress (5 processing; expires …)". */
export function jobProgress(job: JobStatus): string {
  const c = job.counts;
  if (job.status === 'ended') {
    return `ended (${c.succeeded} succeeded, ${c.errored} errored, ${c.expired} expired, ${c.canceled} canceled)`;
  }
  const detail = job.detail ? `${job.detail}, ` : '';
  return `${job.status} (${detail}${c.processing} processing${job.expiresAt ? `; expires ${job.expiresAt}` : ''})`;
}
