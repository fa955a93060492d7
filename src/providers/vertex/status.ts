// A Vertex AI BatchPredictionJob (the REST resource, the fields overnight reads) as the engine's
// JobStatus: JOB_STATE_* onto in_progress / canceling / ended, completionStats onto the counts.
import type { JobStatus } from '../types.js';
import { cloudJobCounts } from '../types.js';

export interface VertexJob {
  name?: string;
  displayName?: string;
  model?: string;
  state?: string;
  error?: { code?: number; message?: string };
  inputConfig?: { instancesFormat?: string; gcsSource?: { uris?: string[] } };
  outputConfig?: { predictionsFormat?: string; gcsDestination?: { outputUriPrefix?: string } };
  outputInfo?: { gcsOutputDirectory?: string };
  /** int64 fields come as JSON strings. */
  completionStats?: { successfulCount?: string | number; failedCount?: string | number; incompleteCount?: string | number };
  createTime?: string;
  endTime?: string;
  labels?: Record<string, string>;
}

export const ENDED_STATES = new Set([
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_EXPIRED',
]);

const count = (value: string | number | undefined): number => {
  const n = Number(value ?? 0);
  return Number.isFinite(n) && n >= 0 ? n : 0;
};

export function statusOfJob(job: VertexJob): JobStatus {
  const state = job.state ?? 'JOB_STATE_PENDING';
  const ended = ENDED_STATES.has(state);
  const labelled = Number(job.labels?.requests ?? NaN);
  const succeeded = count(job.completionStats?.successfulCount);
  const errored = count(job.completionStats?.failedCount);
  const incomplete = count(job.completionStats?.incompleteCount);
  const total = Number.isFinite(labelled) ? labelled : succeeded + errored + incomplete;
  const left = Math.max(0, total - succeeded - errored);
  return {
    id: job.name ?? '',
    status: ended ? 'ended' : state === 'JOB_STATE_CANCELLING' ? 'canceling' : 'in_progress',
    counts: cloudJobCounts({
      succeeded,
      errored,
      left,
      ended,
      endedAs: state === 'JOB_STATE_CANCELLED' ? 'canceled' : state === 'JOB_STATE_EXPIRED' ? 'expired' : null,
    }),
    endedAt: ended ? (job.endTime ?? null) : null,
    expiresAt: null,
    detail: state.replace(/^JOB_STATE_/, ''),
  };
}
