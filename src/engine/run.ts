// `run`: small jobs right now through the interactive Messages API (full price, no wait), through
// the same normalisers and reports as a batch. `auto` sends below sync-threshold requests here.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { RequestOutcome } from '../types.js';
import type { EngineDeps, RunStatus } from './deps.js';
import { outcomeOfMessage } from './outcome.js';
import { ResultsWriter } from './results.js';
import { newState, prepareWork, reportUnsent, submit, type SubmitResult } from './submit.js';
import { publishRoundReporting, setRoundOutputs } from './publish.js';
import type { StateCollectResult } from './rounds.js';
import { roundKeyOf } from './stream.js';
import { plural } from '../reports/format.js';
import { autoByDeadline } from './deliver-by.js';
import { spendingOf } from './spending.js';
import { batchService } from '../providers/index.js';

/** Requests in flight at once: enough to hide latency, few enough to stay under rate limits. */
export const RUN_CONCURRENCY = 4;

export interface RunResult {
  status: RunStatus;
  mode: 'run' | 'submit';
  submitted: SubmitResult | null;
  collected: StateCollectResult | null;
}

export async function run(config: Config, deps: EngineDeps): Promise<RunResult> {
  const work = await prepareWork(config, deps, !config.dryRun);
  // With a deadline close enough to decide (deliver-by.ts), it decides; otherwise sync-threshold does.
  const byDeadline =
    config.mode === 'auto' && work.budget.deliverBy
      ? autoByDeadline(new Date(work.budget.deliverBy.at), deps.now(), work.requests.length)
      : null;
  if (byDeadline) deps.log.info(`auto: ${byDeadline.why}`);
  if (config.mode === 'auto' && (byDeadline ? !byDeadline.interactive : work.requests.length >= config.syncThreshold)) {
    if (!byDeadline) {
      deps.log.info(
        `auto: ${plural(work.requests.length, 'request')} ≥ sync-threshold ${config.syncThreshold}: submitting a batch`,
      );
    }
    return {
      status: 'submitted',
      mode: 'submit',
      submitted: await submit({ ...config, mode: 'submit' }, deps, work),
      collected: null,
    };
  }
  deps.setOutput('request-count', work.requests.length);
  deps.setOutput('estimated-cost-usd', work.estimate.interactiveUsd.toFixed(4));
  const unsent = await reportUnsent(work, config, deps);
  if (unsent) return { status: unsent, mode: 'run', submitted: null, collected: null };
  const client = await batchService(deps);
  const state = newState(work, deps);
  const stateId = `${work.task.name}-run-${state.createdAt.replace(/[-:.]/g, '')}`;
  const roundKey = roundKeyOf([stateId]);
  const roundDir = join(deps.context.outputDir, stateId, roundKey);
  await mkdir(roundDir, { recursive: true });
  const writer = new ResultsWriter(
    join(roundDir, 'results.jsonl'),
    work.task.name,
    { severity: config.minSeverity, confidence: config.minConfidence },
    config.priceOverrides,
    false,
  );
  const filesById = new Map(work.plan.requests.map((r) => [r.customId, r]));
  const unitFiles = new Map<string, (typeof work.changeSet.files)[number]>(work.changeSet.files.map((f) => [f.path, f]));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < work.requests.length) {
      const request = work.requests[next++]!;
      let outcome: RequestOutcome;
      try {
        const message = await client.answerOne(request.params);
        const files = request.record.paths.map((p) => unitFiles.get(p)!).filter(Boolean);
        outcome = await outcomeOfMessage(request.customId, message, work.task, request.record, files, null);
      } catch (error) {
        // A request that still fails after the client's retries is reported; the others go on.
        outcome = {
          customId: request.customId,
          status: 'errored',
          reason: (error as Error).message,
          retryable: false,
          usage: null,
          model: null,
          batchId: null,
        };
      }
      await writer.add(outcome, filesById.get(request.customId)!.record, true);
    }
  };
  await Promise.all(Array.from({ length: Math.min(RUN_CONCURRENCY, work.requests.length) }, worker));
  const results = await writer.close();
  await spendingOf(config, deps).commit(results.usage.costUsd, 'run');
  const { reports, reported } = await publishRoundReporting({
    state,
    stateId,
    roundKey,
    roundDir,
    results,
    task: work.task,
    config,
    deps,
  });
  deps.setOutput('status', 'collected');
  setRoundOutputs([{ results: reported, reports }], config, deps);
  return {
    status: 'collected',
    mode: 'run',
    submitted: null,
    // A report that failed fails the job (the results are saved; there is no round to keep open).
    collected: { stateId, status: reports.some((r) => r.failed) ? 'failed' : 'collected', results, reports },
  };
}
