// Polling a job until it ends, with capped exponential backoff: one loop for every provider.
import type { JobStatus, JobWaitOptions } from './types.js';

export async function pollUntilEnded(
  retrieve: () => Promise<JobStatus>,
  sleep: (ms: number) => Promise<void>,
  options: JobWaitOptions,
): Promise<JobStatus> {
  const now = options.now ?? Date.now;
  const started = now();
  let interval = options.firstPollIntervalMs ?? 30_000;
  const maxInterval = options.maxPollIntervalMs ?? 30 * 60_000;
  for (;;) {
    const job = await retrieve();
    if (job.status === 'ended') return job;
    const left = options.waitMs - (now() - started);
    if (left <= 0) return job;
    options.onPoll?.(job, now() - started, Math.min(interval, left));
    await sleep(Math.min(interval, left));
    interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
  }
}
