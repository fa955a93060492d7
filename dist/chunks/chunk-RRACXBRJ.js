import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  MAX_HELD_BACK,
  readyBatches,
  rebuildStateFromBatch,
  refreshBatches,
  roundKeyOf,
  streamState
} from "./chunk-PIZRJ6B4.js";
import {
  publishRoundReporting,
  setRoundOutputs
} from "./chunk-5ESKDSBQ.js";
import {
  CodeReader,
  locateFinding,
  mergeSkipped,
  refOf,
  sumUsage
} from "./chunk-35P4ICNZ.js";

// src/engine/rounds.ts
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import { join } from "node:path";
function untouched(stateId, status) {
  return { stateId, status, results: null, reports: [] };
}
var MERGED_TASKS = /* @__PURE__ */ new Set(["code-review", "security-scan"]);
function groupKeyOf(stored) {
  return stored.state.pullRequest === null && MERGED_TASKS.has(stored.state.task) ? `task:${stored.state.task}:${stored.state.ref ?? ""}` : `state:${stored.id}`;
}
function groupStreamed(streamed) {
  const groups = /* @__PURE__ */ new Map();
  for (const item of streamed) {
    const key = groupKeyOf(item.stored);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}
async function concatenate(sources, target) {
  const out = createWriteStream(target, { flags: "w" });
  try {
    for (const source of sources) await pipeline(createReadStream(source), out, { end: false });
  } finally {
    out.end();
    await once(out, "finish");
  }
}
async function mergeStreamed(members, deps) {
  const newest = members.at(-1);
  const oldest = members[0];
  const head = newest.stored.state.headSha;
  const roundKey = roundKeyOf(members.flatMap((m) => m.ready.map((b) => b.id)));
  const roundDir = join(deps.context.outputDir, newest.stored.id, roundKey);
  await mkdir(roundDir, { recursive: true });
  const resultsPath = join(roundDir, "results.jsonl");
  await concatenate(
    members.map((m) => m.results.resultsPath),
    resultsPath
  );
  const reviewedLast = /* @__PURE__ */ new Map();
  members.forEach((member, index) => {
    for (const record of Object.values(member.stored.state.requests))
      for (const path of record.paths) reviewedLast.set(path, index);
  });
  const code = new CodeReader(deps.context.cwd);
  const findings = [];
  let superseded = 0;
  let gone = 0;
  try {
    for (const [index, member] of members.entries()) {
      for (const finding of member.results.findings) {
        if ((reviewedLast.get(finding.path) ?? index) > index) {
          superseded += 1;
          continue;
        }
        if (member === newest) {
          findings.push(finding);
          continue;
        }
        const now = await code.read(head, finding.path);
        const sentHash = member.stored.state.requests[finding.customId]?.contentHashes[finding.path];
        if (now.state === "unknown" || now.state === "present" && now.hash === sentHash) {
          findings.push(finding);
          continue;
        }
        const at = now.state === "present" ? locateFinding(now.content, refOf(finding)) : null;
        if (!at) {
          gone += 1;
          continue;
        }
        findings.push({ ...finding, startLine: at.start, endLine: at.end });
      }
    }
  } finally {
    code.close();
  }
  if (superseded + gone > 0) {
    deps.log.info(
      `one report for ${members.length} submissions: ${superseded} finding(s) superseded by a newer review of their file, ${gone} whose code is gone at ${head.slice(0, 7)}`
    );
  }
  const all = members.map((m) => m.results);
  const sum = (f) => all.reduce((n, r) => n + f(r), 0);
  const results = {
    task: newest.results.task,
    findings,
    files: all.flatMap((r) => r.files),
    verdicts: all.flatMap((r) => r.verdicts),
    failures: all.flatMap((r) => r.failures),
    succeeded: sum((r) => r.succeeded),
    received: sum((r) => r.received),
    resubmitted: sum((r) => r.resubmitted),
    duplicatesSkipped: sum((r) => r.duplicatesSkipped),
    belowSeverity: sum((r) => r.belowSeverity),
    findingsNotKept: sum((r) => r.findingsNotKept ?? 0),
    belowConfidence: all.flatMap((r) => r.belowConfidence ?? []).slice(0, MAX_HELD_BACK),
    belowConfidenceCount: sum((r) => r.belowConfidenceCount ?? 0),
    moved: sum((r) => r.moved ?? 0),
    mislocated: sum((r) => r.mislocated ?? 0),
    usage: sumUsage(all.map((r) => r.usage)),
    batchIds: all.flatMap((r) => r.batchIds),
    resultsPath
  };
  const state = {
    ...newest.stored.state,
    baseSha: oldest.stored.state.baseSha,
    window: `${members.length} submissions: ${members.map((m) => m.stored.state.window).join("; ")}`,
    skipped: mergeSkipped(members.map((m) => m.stored.state)),
    published: {}
  };
  return { state, stateId: newest.stored.id, roundKey, roundDir, results };
}
async function finishState(item, published, reports, deps) {
  const { state } = item.stored;
  Object.assign(state.published, published);
  const failedReports = reports.some((r) => r.failed);
  if (!failedReports) for (const batch of item.ready) batch.resultsSaved = true;
  const outstanding = state.batches.some((b) => !b.resultsSaved);
  if (!outstanding) state.collectedAt = deps.now().toISOString();
  await deps.store.update(item.stored.id, state);
  return {
    stateId: item.stored.id,
    status: failedReports ? "failed" : outstanding ? "partial" : "collected",
    results: item.results,
    reports,
    ...item.lost.length ? { error: `results of ${item.lost.join(", ")} are gone` } : {}
  };
}
async function publishGroup(group, config, deps) {
  const task = group[0].task;
  const input = group.length === 1 ? {
    state: group[0].stored.state,
    stateId: group[0].stored.id,
    roundKey: group[0].roundKey,
    roundDir: group[0].roundDir,
    results: group[0].results
  } : await mergeStreamed(group, deps);
  const { reports, reported } = await publishRoundReporting({ ...input, task, config, deps });
  const states = [];
  for (const item of group) states.push(await finishState(item, input.state.published, reports, deps));
  return {
    round: { stateIds: group.map((item) => item.stored.id), roundKey: input.roundKey, results: reported, reports },
    states
  };
}

// src/engine/claim-rounds.ts
async function claimRounds(ready, deps, claims, byId) {
  const claimer = deps.github?.readOnly ? null : deps.store.claimer;
  if (!claimer) return ready;
  const claimed = [];
  const lostGroups = /* @__PURE__ */ new Set();
  for (const stored of ready) {
    const group = groupKeyOf(stored);
    const roundKey = roundKeyOf(readyBatches(stored.state).map((b) => b.id));
    if (lostGroups.has(group)) {
      deps.log.info(`${stored.id}: left to the collect that holds the rest of its report`);
      byId.set(stored.id, untouched(stored.id, "pending"));
      continue;
    }
    const result = await claimer.claim(stored.id, roundKey);
    if (!result.claimed) {
      lostGroups.add(group);
      deps.log.info(
        `${stored.id}: round ${roundKey} is being published by another collect (${result.holder.label}, since ${result.holder.claimedAt}); leaving it to that one`
      );
      byId.set(stored.id, untouched(stored.id, "pending"));
      continue;
    }
    if (result.note) deps.log.info(`${stored.id}: ${result.note}`);
    claims.push(result.claim);
    claimed.push(stored);
  }
  return claimed;
}
async function reloadClaimed(claimed, config, deps, byId, listedHeads) {
  if (claimed.length === 0 || deps.github?.readOnly || !deps.store.claimer) return claimed;
  const fresh = new Map(
    (await deps.store.list(config.batchId ? void 0 : config.task ?? void 0, {
      ids: new Set(claimed.map((s) => s.id)),
      withRequests: (head) => !head.collectedAt && !listedHeads.has(headKey(head))
    })).map((s) => [s.id, s])
  );
  const current = [];
  for (const stored of claimed) {
    const now = fresh.get(stored.id);
    if (!now || listedHeads.has(headKey(now.state))) {
      current.push(stored);
      continue;
    }
    for (const batch of now.state.batches) {
      const seen = stored.state.batches.find((b) => b.id === batch.id);
      if (seen && !batch.resultsSaved) {
        batch.status = seen.status;
        batch.endedAt = seen.endedAt;
      }
    }
    if (now.state.collectedAt || readyBatches(now.state).length === 0) {
      deps.log.info(`${stored.id}: published meanwhile by another collect; nothing left to do`);
      byId.set(stored.id, untouched(stored.id, "collected"));
      continue;
    }
    stored.state = now.state;
    current.push(stored);
  }
  return current;
}
function headKey(state) {
  const { requests: _requests, ...head } = state;
  return JSON.stringify(head);
}

// src/engine/collect.ts
async function collect(config, deps) {
  const targets = await statesToCollect(config, deps);
  if (targets === "pending") return nothingCollected("pending", config, deps);
  if (targets.length === 0) return nothingCollected("nothing-to-do", config, deps);
  const listedHeads = new Set(targets.map((t) => headKey(t.state)));
  const client = deps.anthropic();
  for (const stored of targets) await refreshBatches(stored.state, client, config, deps);
  const byId = /* @__PURE__ */ new Map();
  for (const stored of targets) if (readyBatches(stored.state).length === 0) byId.set(stored.id, untouched(stored.id, "pending"));
  const rounds = [];
  const claims = [];
  try {
    const ready = targets.filter((t) => readyBatches(t.state).length > 0);
    const claimed = await claimRounds(ready, deps, claims, byId);
    const working = await reloadClaimed(claimed, config, deps, byId, listedHeads);
    const streamed = [];
    for (const stored of working) {
      const item = await streamState(stored, config, deps, client);
      if (item) streamed.push(item);
      else byId.set(stored.id, untouched(stored.id, "pending"));
    }
    for (const group of groupStreamed(streamed)) {
      const published = await publishGroup(group, config, deps);
      rounds.push(published.round);
      for (const state of published.states) byId.set(state.stateId, state);
    }
  } finally {
    for (const claim of claims) await claim.release();
  }
  const states = targets.map((t) => byId.get(t.id));
  const status = rounds.length > 0 ? "collected" : states.some((s) => s.status === "pending") ? "pending" : "nothing-to-do";
  deps.setOutput("status", status);
  deps.setOutput("batch-ids", targets.flatMap((t) => t.state.batches.map((b) => b.id)).join(","));
  setRoundOutputs(rounds, config, deps);
  return { status, states, rounds };
}
function failedReportLines(states) {
  return states.flatMap((s) => (s?.reports ?? []).filter((r) => r.failed).map((r) => `${r.target} ${r.note}`));
}
var UNCOLLECTED_ONLY = { withRequests: (head) => !head.collectedAt, skipCollected: true };
async function statesToCollect(config, deps) {
  const batchId = config.batchId;
  if (!batchId) {
    const listed = await deps.store.list(config.task ?? void 0, UNCOLLECTED_ONLY);
    const targets = listed.filter((s) => !s.state.collectedAt);
    if (targets.length === 0) deps.log.info(`nothing to collect: no submission waiting in ${deps.store.describe()}`);
    return targets;
  }
  const holds = (state) => state.batches.some((b) => b.id === batchId);
  const all = await deps.store.list(void 0, { withRequests: (head) => !head.collectedAt && holds(head) });
  const found = all.find((s) => holds(s.state));
  if (found?.state.collectedAt) {
    deps.log.info(
      `batch ${batchId}: already collected on ${found.state.collectedAt} (${deps.store.describe(found.id)}); nothing to do`
    );
    return [];
  }
  if (found) return [found];
  const rebuilt = await rebuildStateFromBatch(batchId, config, deps);
  if ("pending" in rebuilt) {
    deps.log.info(
      `batch ${batchId}: ${rebuilt.pending}; no saved state names it, so collect it with batch-id again once it has ended`
    );
    return "pending";
  }
  const id = await deps.store.create(rebuilt.state);
  return [{ id, state: rebuilt.state }];
}
function nothingCollected(status, config, deps) {
  deps.setOutput("status", status);
  if (status === "pending") deps.setOutput("batch-ids", config.batchId ?? "");
  deps.setOutput("findings-count", 0);
  deps.setOutput("failed-count", 0);
  return { status, states: [], rounds: [] };
}

export {
  collect,
  failedReportLines
};
