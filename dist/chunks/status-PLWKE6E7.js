import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  batchService
} from "./chunk-ZH3YD5UR.js";
import {
  isFirstPassBatch
} from "./chunk-62ANB5A3.js";
import {
  plural
} from "./chunk-FU5ULAXL.js";
import "./chunk-DNB6I4O3.js";
import "./chunk-2Y3VZYX5.js";
import {
  jobProgress
} from "./chunk-JRK7X5D5.js";
import "./chunk-7KZNXQQH.js";
import "./chunk-HFKILKHU.js";
import "./chunk-G22B7D6J.js";
import "./chunk-PSXNXEIF.js";
import "./chunk-F3LGO6JY.js";
import "./chunk-NINLAGOQ.js";

// src/engine/status.ts
async function status(config, deps) {
  const states = await deps.store.list(config.task ?? void 0, { withRequests: () => false });
  if (states.length === 0) {
    deps.log.info(`no submissions in ${deps.store.describe()}`);
    return;
  }
  const client = config.apiKey || deps.provider ? await batchService(deps) : null;
  for (const { id, state } of states) {
    const requests = state.batches.filter(isFirstPassBatch).reduce((n, b) => n + b.requestCount, 0);
    deps.log.info(
      `${id}: ${state.task} of ${state.repository}@${state.headSha.slice(0, 7)}, ${plural(requests, "request")}, submitted ${state.createdAt}, ${state.collectedAt ? `collected ${state.collectedAt}` : "not collected yet"}`
    );
    for (const batch of state.batches) {
      let line = `  ${batch.id} (${plural(batch.requestCount, "request")}, attempt ${batch.attempt}): `;
      if (batch.resultsSaved) line += "collected";
      else if (batch.interactive) line += "answered through the interactive API at the deadline, not yet published";
      else if (client) {
        const live = await client.retrieve(batch.id);
        line += `${jobProgress(live)}${live.status === "ended" ? ", ready to collect" : ""}`;
      } else line += `${batch.status} when last seen (set ANTHROPIC_API_KEY to check now)`;
      deps.log.info(line);
    }
  }
}
export {
  status
};
