// deliver-by, at collect: a submission whose deadline has passed while some of its batches are still
// processing has those requests answered through the interactive API now (full price, within what
// max-cost-usd and monthly-budget-usd leave), and the batches whose every remaining request is
// answered here canceled, so the results are there on time.
//
// The answers form a round like a batch's: planDeadlines adds to the state a record of a pseudo-batch
// (`interactive_<hash>`, `interactive` set, ended) that takes over those requests (their batchId), so
// that the round is claimed, streamed, saved and published like any other (claim-rounds.ts, stream.ts,
// rounds.ts); its "results stream" is deadlineResults. A result the canceled (or still running) batch
// delivers later for a request answered here is skipped, as any result for a request that moved to
// another batch is (stream.ts): each answer is published once.
import { createHash } from 'node:crypto';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Config } from '../config.js';
import type { BatchProvider } from '../providers/types.js';
import { FatalApiError } from '../batch/retry.js';
import { answerAllInteractively } from '../batch/interactive.js';
import type { BatchRecord, RunState } from '../state/state.js';
import type { StoredState } from '../state/store.js';
import type { TaskDefinition } from '../tasks/task.js';
import type { DeadlineFallback } from '../reports/reporter.js';
import { formatUsd } from '../cost/usage.js';
import { plural } from '../reports/format.js';
import type { EngineDeps } from './deps.js';
import { FileSource } from './file-source.js';
import { cannotResubmit, rebuildRequests } from './resubmit.js';
import { commitToNight, fitToNight } from './night-budget.js';

const PREFIX = 'interactive_';

/** Whether a batch record is a deadline fallback's pseudo-batch (no batch at the API). */
export const isDeadlineBatch = (batch: Pick<BatchRecord, 'id' | 'interactive'>): boolean =>
  batch.interactive !== undefined || batch.id.startsWith(PREFIX);

/** What a fallback was planned with, kept until its round streams (not saved in the state). */
const planned = new WeakMap<BatchRecord, { estimateUsd: number; leftToBatch: number; deliverBy: string; at: string }>();

/**
 * For each state whose deliver-by has passed with batches still processing: takes the requests the
 * budget has room for off those batches into a deadline pseudo-batch (in memory; saved when its round
 * is streamed). Idempotent: a state with a fallback not yet published gets no second one.
 */
export async function planDeadlines(states: readonly StoredState[], config: Config, deps: EngineDeps): Promise<void> {
  for (const stored of states) await planDeadline(stored.state, config, deps);
}

async function planDeadline(state: RunState, config: Config, deps: EngineDeps): Promise<void> {
  const deliverBy = state.budget?.deliverBy;
  if (!deliverBy || deps.now().getTime() < Date.parse(deliverBy.at)) return;
  if (state.batches.some((b) => isDeadlineBatch(b) && !b.resultsSaved)) return;
  const processing = new Set(
    state.batches.filter((b) => !b.resultsSaved && b.status !== 'ended' && !isDeadlineBatch(b)).map((b) => b.id),
  );
  if (processing.size === 0) return;
  const waiting = Object.entries(state.requests)
    .filter(([, record]) => record.batchId !== null && processing.has(record.batchId))
    .map(([customId, record]) => ({ customId, record }));
  // Only a request this checkout can send again exactly as it was sent is taken off its batch: one
  // whose files are missing (a shallow checkout) stays there, and so its batch is not canceled.
  const files = new FileSource(deps.context.cwd, deps.log, new Set(state.cleanHashes));
  const candidates: typeof waiting = [];
  try {
    for (const c of waiting) if (await files.canReadAll(state.headSha, c.record)) candidates.push(c);
  } finally {
    files.close();
  }
  if (candidates.length < waiting.length) {
    deps.log.warning(
      `deliver-by ${deliverBy.text} has passed, but ${plural(waiting.length - candidates.length, 'request')} cannot be sent again from this checkout (the reviewed commit ${state.headSha.slice(0, 12)} is missing: use fetch-depth: 0); left to their batch`,
    );
  }
  if (candidates.length === 0) return;
  const fit = await fitToNight(state, candidates, { batch: false }, config, deps);
  if (fit.kept.length === 0) {
    deps.log.warning(
      `deliver-by ${deliverBy.text} has passed with ${plural(candidates.length, 'request')} still processing, but none is answered interactively: ${fit.dropped[0]?.reason ?? 'no room in the budget'}; they are left to their batch`,
    );
    return;
  }
  const moved = new Set(fit.kept.map((c) => c.customId));
  // A batch is canceled only when every request it still holds is answered here.
  const cancel = [...processing].filter((id) => waiting.every((c) => c.record.batchId !== id || moved.has(c.customId)));
  const id = `${PREFIX}${createHash('sha256')
    .update([...moved].sort().join(','))
    .digest('hex')
    .slice(0, 16)}`;
  const at = deps.now().toISOString();
  const batch: BatchRecord = {
    id,
    requestCount: moved.size,
    attempt: Math.max(...fit.kept.map((c) => c.record.attempt)),
    submittedAt: at,
    status: 'ended',
    endedAt: at,
    resultsSaved: false,
    interactive: { cancel },
  };
  for (const { record } of fit.kept) record.batchId = id;
  state.batches.push(batch);
  planned.set(batch, { estimateUsd: fit.usd, leftToBatch: fit.dropped.length, deliverBy: deliverBy.text, at: deliverBy.at });
  deps.log.info(
    `deliver-by ${deliverBy.text} has passed: ${plural(moved.size, 'request')} still processing go through the interactive API now (estimated ${formatUsd(fit.usd)} at full price)` +
      (fit.dropped.length > 0 ? `; ${plural(fit.dropped.length, 'request')} left to their batch: ${fit.dropped[0]!.reason}` : ''),
  );
}

export interface DeadlineInput {
  stored: StoredState;
  batch: BatchRecord;
  task: TaskDefinition;
  files: FileSource;
  client: BatchProvider;
  config: Config;
  deps: EngineDeps;
  /** Filled in as the answers come: the round's report says what the fallback did and cost. */
  report: DeadlineFallback;
}

/**
 * The deadline pseudo-batch's results: the state saved first (the requests it took over, what it
 * commits), each request rebuilt as it was sent and answered interactively, then the batches it
 * replaces canceled. Yields the batch results' shape, so stream.ts treats them as any other.
 */
export async function* deadlineResults(input: DeadlineInput): AsyncGenerator<MessageBatchIndividualResponse> {
  const { stored, batch, task, files, client, config, deps, report } = input;
  const { state } = stored;
  const plan = planned.get(batch);
  const customIds = Object.entries(state.requests)
    .filter(([, record]) => record.batchId === batch.id)
    .map(([customId]) => customId);
  report.deliverBy = plan?.deliverBy ?? state.budget?.deliverBy?.text ?? '';
  report.at = plan?.at ?? state.budget?.deliverBy?.at ?? '';
  report.leftToBatch += plan?.leftToBatch ?? 0;
  // Saved before anything is paid for: a crash from here on leaves a state whose requests belong to
  // the fallback (answered again by the next collect), never to a batch that is being canceled.
  await commitToNight(state, plan?.estimateUsd ?? 0, 'deadline', stored.id, config, deps);
  await deps.store.update(stored.id, state);
  const { rebuilt, missing } = await rebuildRequests(state, customIds, task, files, deps);
  for (const customId of missing) {
    const reason = cannotResubmit(state.requests[customId]!, state).replace(
      'could not resubmit',
      'could not answer at the deadline',
    );
    yield {
      custom_id: customId,
      result: { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: reason } } },
    } as MessageBatchIndividualResponse;
  }
  for await (const line of answerAllInteractively(
    client,
    rebuilt.map((r) => ({ custom_id: r.customId, params: r.params })),
  )) {
    report.answered += 1;
    yield line;
  }
  for (const id of batch.interactive?.cancel ?? []) {
    const replaced = state.batches.find((b) => b.id === id);
    const outcome = await cancelJob(client, id);
    if (replaced) {
      // Nothing in it is wanted any more: never streamed, so nothing it still delivers is published.
      replaced.status = outcome;
      replaced.resultsSaved = true;
    }
    report.canceled.push(id);
    deps.log.info(
      outcome === 'canceling'
        ? `batch ${id}: canceled (its requests were answered interactively at the deadline)`
        : `batch ${id}: ended before it could be canceled; its results for requests answered at the deadline are ignored`,
    );
  }
}

/** An empty fallback report, filled by deadlineResults and stream.ts. */
export const emptyFallback = (): DeadlineFallback => ({
  deliverBy: '',
  at: '',
  answered: 0,
  costUsd: 0,
  canceled: [],
  leftToBatch: 0,
});

/** The fallbacks of several states' rounds as one (a merged report). */
export function mergeFallbacks(parts: readonly (DeadlineFallback | undefined)[]): { deadline?: DeadlineFallback } {
  const present = parts.filter((p): p is DeadlineFallback => p !== undefined);
  if (present.length === 0) return {};
  return {
    deadline: {
      deliverBy: present[0]!.deliverBy,
      at: present[0]!.at,
      answered: present.reduce((n, p) => n + p.answered, 0),
      costUsd: present.reduce((n, p) => n + p.costUsd, 0),
      canceled: present.flatMap((p) => p.canceled),
      leftToBatch: present.reduce((n, p) => n + p.leftToBatch, 0),
    },
  };
}

/**
 * Asks the service to cancel a job the fallback replaced. One that ended meanwhile cannot be canceled
 * (Anthropic answers 400): that is 'ended', not a failure.
 */
async function cancelJob(client: BatchProvider, id: string): Promise<'canceling' | 'ended'> {
  try {
    const job = await client.cancel(id);
    return job.status === 'ended' ? 'ended' : 'canceling';
  } catch (error) {
    if (error instanceof FatalApiError && error.status === 400) return 'ended';
    throw error;
  }
}
