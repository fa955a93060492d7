import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  plural
} from "./chunk-7SXIEQQS.js";
import "./chunk-2Y3VZYX5.js";
import {
  batchProgress
} from "./chunk-MTK6DMQ4.js";
import "./chunk-G22B7D6J.js";
import "./chunk-6Q5LGIN2.js";
import "./chunk-ZD6CEFKN.js";
import "./chunk-ILN2HY2O.js";

// src/engine/status.ts
async function status(config, deps) {
  const states = await deps.store.list(config.task ?? void 0, { withRequests: () => false });
  if (states.length === 0) {
    deps.log.info(`no submissions in ${deps.store.describe()}`);
    return;
  }
  const client = config.apiKey ? deps.anthropic() : null;
  for (const { id, state } of states) {
    const requests = state.batches.filter((b) => b.attempt === 0).reduce((n, b) => n + b.requestCount, 0);
    deps.log.info(
      `${id}: ${state.task} of ${state.repository}@${state.headSha.slice(0, 7)}, ${plural(requests, "request")}, submitted ${state.createdAt}, ${state.collectedAt ? `collected ${state.collectedAt}` : "not collected yet"}`
    );
    for (const batch of state.batches) {
      let line = `  ${batch.id} (${plural(batch.requestCount, "request")}, attempt ${batch.attempt}): `;
      if (batch.resultsSaved) line += "collected";
      else if (client) {
        const live = await client.retrieve(batch.id);
        line += `${batchProgress(live)}${live.processing_status === "ended" ? ", ready to collect" : ""}`;
      } else line += `${batch.status} when last seen (set ANTHROPIC_API_KEY to check now)`;
      deps.log.info(line);
    }
  }
}
export {
  status
};
