import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  ResultsWriter,
  outcomeOfMessage,
  roundKeyOf
} from "./chunk-UTR2P3LB.js";
import {
  newState,
  prepareWork,
  reportUnsent,
  spendingOf,
  submit
} from "./chunk-WETIW5P4.js";
import {
  batchService
} from "./chunk-ZH3YD5UR.js";
import {
  publishRoundReporting,
  setRoundOutputs
} from "./chunk-X7EVVS3K.js";
import {
  plural
} from "./chunk-FU5ULAXL.js";
import {
  autoByDeadline
} from "./chunk-JBJALSRO.js";

// src/engine/run.ts
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
var RUN_CONCURRENCY = 4;
async function run(config, deps) {
  const work = await prepareWork(config, deps, !config.dryRun);
  const byDeadline = config.mode === "auto" && work.budget.deliverBy ? autoByDeadline(new Date(work.budget.deliverBy.at), deps.now(), work.requests.length) : null;
  if (byDeadline) deps.log.info(`auto: ${byDeadline.why}`);
  if (config.mode === "auto" && (byDeadline ? !byDeadline.interactive : work.requests.length >= config.syncThreshold)) {
    if (!byDeadline) {
      deps.log.info(
        `auto: ${plural(work.requests.length, "request")} \u2265 sync-threshold ${config.syncThreshold}: submitting a batch`
      );
    }
    return {
      status: "submitted",
      mode: "submit",
      submitted: await submit({ ...config, mode: "submit" }, deps, work),
      collected: null
    };
  }
  deps.setOutput("request-count", work.requests.length);
  deps.setOutput("estimated-cost-usd", work.estimate.interactiveUsd.toFixed(4));
  const unsent = await reportUnsent(work, config, deps);
  if (unsent) return { status: unsent, mode: "run", submitted: null, collected: null };
  const client = await batchService(deps);
  const state = newState(work, deps);
  const stateId = `${work.task.name}-run-${state.createdAt.replace(/[-:.]/g, "")}`;
  const roundKey = roundKeyOf([stateId]);
  const roundDir = join(deps.context.outputDir, stateId, roundKey);
  await mkdir(roundDir, { recursive: true });
  const writer = new ResultsWriter(
    join(roundDir, "results.jsonl"),
    work.task.name,
    { severity: config.minSeverity, confidence: config.minConfidence },
    config.priceOverrides,
    false
  );
  const filesById = new Map(work.plan.requests.map((r) => [r.customId, r]));
  const unitFiles = new Map(work.changeSet.files.map((f) => [f.path, f]));
  let next = 0;
  const worker = async () => {
    while (next < work.requests.length) {
      const request = work.requests[next++];
      let outcome;
      try {
        const message = await client.answerOne(request.params);
        const files = request.record.paths.map((p) => unitFiles.get(p)).filter(Boolean);
        outcome = await outcomeOfMessage(request.customId, message, work.task, request.record, files, null);
      } catch (error) {
        outcome = {
          customId: request.customId,
          status: "errored",
          reason: error.message,
          retryable: false,
          usage: null,
          model: null,
          batchId: null
        };
      }
      await writer.add(outcome, filesById.get(request.customId).record, true);
    }
  };
  await Promise.all(Array.from({ length: Math.min(RUN_CONCURRENCY, work.requests.length) }, worker));
  const results = await writer.close();
  await spendingOf(config, deps).commit(results.usage.costUsd, "run");
  const { reports, reported } = await publishRoundReporting({
    state,
    stateId,
    roundKey,
    roundDir,
    results,
    task: work.task,
    config,
    deps
  });
  deps.setOutput("status", "collected");
  setRoundOutputs([{ results: reported, reports }], config, deps);
  return {
    status: "collected",
    mode: "run",
    submitted: null,
    // A report that failed fails the job (the results are saved; there is no round to keep open).
    collected: { stateId, status: reports.some((r) => r.failed) ? "failed" : "collected", results, reports }
  };
}

export {
  RUN_CONCURRENCY,
  run
};
