import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  addRedactionFindings,
  commitToNight,
  fitToNight,
  gatherChanges,
  prepareWork,
  sendBatches
} from "./chunk-WETIW5P4.js";
import {
  batchService
} from "./chunk-ZH3YD5UR.js";
import {
  requestParams
} from "./chunk-25S7AB5Y.js";
import {
  GitObjectReader,
  UsageAccumulator,
  formatUsd,
  mayHoldSecret,
  redactSecrets,
  runGit,
  sumUsage,
  usageCost
} from "./chunk-VO54GUAL.js";
import {
  STATE_VERSION
} from "./chunk-62ANB5A3.js";
import {
  MalformedAnswerError,
  TASK_ID_PREFIX,
  getTask,
  languageFor,
  meetsSeverity,
  parseAnswerText,
  plural
} from "./chunk-FU5ULAXL.js";
import {
  resolvePrice
} from "./chunk-2S72PKWC.js";
import {
  CONFIDENCES
} from "./chunk-2Y3VZYX5.js";
import {
  jobProgress
} from "./chunk-JRK7X5D5.js";
import {
  UsageError
} from "./chunk-7KZNXQQH.js";
import {
  ChunkedFileWriter
} from "./chunk-G22B7D6J.js";
import {
  FatalApiError
} from "./chunk-PSXNXEIF.js";

// src/engine/outcome.ts
function usageOf(message) {
  const u = message.usage;
  return {
    inputTokens: u.input_tokens ?? 0,
    outputTokens: u.output_tokens ?? 0,
    cacheCreationInputTokens: u.cache_creation_input_tokens ?? 0,
    cacheReadInputTokens: u.cache_read_input_tokens ?? 0,
    cacheCreation1hInputTokens: u.cache_creation?.ephemeral_1h_input_tokens ?? 0
  };
}
function messageText(message) {
  return message.content.filter((block) => block.type === "text").map((block) => block.text).join("");
}
var PROSE = "answer.md";
var SHORT_PROSE = 64;
var MAX_CLEAN_SHORT_PROSE = 1e3;
var cleanShortProse = /* @__PURE__ */ new Set();
async function redactOutput(output) {
  const fields = [];
  const add = (text, path, set) => {
    if (mayHoldSecret(text)) fields.push({ text, path, set });
  };
  const addFinding = (finding) => {
    add(finding.title, PROSE, (t) => finding.title = t);
    add(finding.explanation, PROSE, (t) => finding.explanation = t);
    add(finding.category, PROSE, (t) => finding.category = t);
    if (finding.suggestedFix !== null) add(finding.suggestedFix, finding.path, (t) => finding.suggestedFix = t);
    if (finding.replacement !== void 0) add(finding.replacement, finding.path, (t) => finding.replacement = t);
  };
  add(output.summary, PROSE, (t) => output.summary = t);
  if (output.kind === "findings") {
    for (const finding of output.findings) addFinding(finding);
  } else if (output.kind === "files") {
    for (const file of output.files) {
      add(file.content, file.path, (t) => file.content = t);
      add(file.description, PROSE, (t) => file.description = t);
    }
  } else {
    for (const verdict of output.verdicts) {
      add(verdict.summary, PROSE, (t) => verdict.summary = t);
      for (const finding of verdict.findings) addFinding(finding);
    }
  }
  let redactions = 0;
  for (const field of fields) {
    const short = field.path === PROSE && field.text.length <= SHORT_PROSE;
    if (short && cleanShortProse.has(field.text)) continue;
    const redacted = await redactSecrets(field.text, field.path);
    if (redacted.redactions === 0) {
      if (short && cleanShortProse.size < MAX_CLEAN_SHORT_PROSE) cleanShortProse.add(field.text);
      continue;
    }
    redactions += redacted.redactions;
    field.set(redacted.content);
  }
  return redactions;
}
async function outcomeOfMessage(customId, message, task, record, files, batchId) {
  const usage = usageOf(message);
  const failure = (reason) => ({
    customId,
    status: "malformed",
    reason,
    retryable: false,
    usage,
    model: message.model,
    batchId
  });
  if (message.stop_reason === "max_tokens") {
    return failure(`answer cut off at ${usage.outputTokens} output tokens; raise max-output-tokens`);
  }
  if (message.stop_reason === "refusal") return failure("the model declined to answer this request");
  const text = messageText(message);
  let output;
  try {
    output = task.normalise(parseAnswerText(text), { customId, record, files });
  } catch (error) {
    if (error instanceof MalformedAnswerError) return failure(error.message);
    throw error;
  }
  const redactions = await redactOutput(output);
  addRedactionFindings(output, task.name, record, files, customId);
  return {
    customId,
    status: "succeeded",
    output,
    usage,
    model: message.model,
    batchId,
    ...redactions > 0 ? { redactions } : {}
  };
}
async function outcomeOfResult(customId, result, task, record, files, batchId) {
  switch (result.type) {
    case "succeeded":
      return outcomeOfMessage(customId, result.message, task, record, files, batchId);
    case "errored": {
      const error = result.error.error ?? {};
      const type = error.type ?? "api_error";
      return {
        customId,
        status: "errored",
        reason: `${type}: ${error.message ?? "no message"}`,
        // invalid_request_error must be fixed, not retried (API-NOTES.md).
        retryable: type !== "invalid_request_error",
        usage: null,
        model: null,
        batchId
      };
    }
    case "expired":
      return {
        customId,
        status: "expired",
        reason: "not processed within 24 hours",
        retryable: true,
        usage: null,
        model: null,
        batchId
      };
    case "canceled":
      return {
        customId,
        status: "canceled",
        reason: "the batch was canceled",
        retryable: false,
        usage: null,
        model: null,
        batchId
      };
  }
}

// src/engine/rebuild.ts
import { createHash } from "node:crypto";

// src/engine/poll.ts
function shortDuration(ms) {
  const seconds = Math.round(ms / 1e3);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${String(seconds % 60).padStart(2, "0")}s` : `${seconds}s`;
}
function pollLine(batch, waitedMs, nextCheckMs) {
  const c = batch.counts;
  return `batch ${batch.id}: ${c.succeeded} succeeded, ${c.errored} errored, ${c.processing} processing; waited ${shortDuration(waitedMs)}, next check in ${shortDuration(nextCheckMs)}`;
}
async function checkBatch(client, id, config, deps) {
  if (config.waitMinutes <= 0) return client.retrieve(id);
  return client.waitForEnd(id, {
    waitMs: config.waitMinutes * 6e4,
    firstPollIntervalMs: deps.pollIntervalMs?.first,
    maxPollIntervalMs: deps.pollIntervalMs?.max,
    now: () => deps.now().getTime(),
    onPoll: (batch, waitedMs, nextCheckMs) => deps.log.info(pollLine(batch, waitedMs, nextCheckMs))
  });
}

// src/engine/rebuild.ts
var REBUILT_EVENT = "rebuilt-from-batch";
function isRebuilt(state) {
  return state.event === REBUILT_EVENT;
}
function taskOfCustomId(customId) {
  const prefix = customId.split("-", 1)[0];
  const entry = Object.entries(TASK_ID_PREFIX).find(([, p]) => p === prefix);
  return entry ? entry[0] : null;
}
function answerPaths(answer) {
  const paths = /* @__PURE__ */ new Map();
  const add = (raw, ...lines) => {
    if (typeof raw !== "string") return;
    const path = raw.trim().replace(/^\.\//, "").replace(/^\/+/, "");
    if (!path || path.includes("\0")) return;
    const furthest = Math.max(0, ...lines.map((l) => typeof l === "number" && Number.isFinite(l) ? l : 0));
    paths.set(path, Math.max(paths.get(path) ?? 0, furthest));
  };
  const doc = answer ?? {};
  const list = (name) => Array.isArray(doc[name]) ? doc[name] : [];
  for (const f of list("findings")) add(f?.path, f?.start_line, f?.end_line);
  for (const v of list("verdicts")) {
    const problems = Array.isArray(v?.problems) ? v.problems : [];
    add(v?.path, ...problems.flatMap((p) => [p?.start_line, p?.end_line]));
  }
  for (const f of list("files")) add(f?.source_path);
  return paths;
}
function noResults(batchId, deps) {
  return new UsageError(
    `batch-id: no saved state names ${batchId} in ${deps.store.describe()}, and Anthropic has no results for it (unknown to this API key's workspace, deleted, or archived after 29 days)`
  );
}
async function rebuildStateFromBatch(batchId, config, deps) {
  const client = await batchService(deps);
  if (config.waitMinutes > 0) {
    const batch = await checkBatch(client, batchId, config, deps).catch((error) => {
      throw error instanceof FatalApiError && error.status === 404 ? noResults(batchId, deps) : error;
    });
    if (batch.status !== "ended") return { pending: batch.status };
  }
  const answered = [];
  try {
    for await (const line of client.results(batchId)) {
      let paths = /* @__PURE__ */ new Map();
      let model2 = null;
      if (line.result.type === "succeeded") {
        model2 = line.result.message.model;
        try {
          paths = answerPaths(parseAnswerText(messageText(line.result.message)));
        } catch {
        }
      }
      answered.push({ customId: line.custom_id, paths, model: model2 });
    }
  } catch (error) {
    if (error instanceof FatalApiError && error.status === 404) throw noResults(batchId, deps);
    const batch = await client.retrieve(batchId);
    if (batch.status !== "ended") return { pending: batch.status };
    throw error;
  }
  const tasks = new Set(answered.map((a) => taskOfCustomId(a.customId)));
  const task = [...tasks][0] ?? null;
  if (tasks.size !== 1 || task === null) {
    const seen = [...new Set(answered.map((a) => a.customId.split("-", 1)[0]))].slice(0, 5).join(", ");
    throw new UsageError(
      `batch-id: ${batchId} has no saved state and its requests are not overnight's (${answered.length === 0 ? "no results" : `custom_id prefixes ${seen}`}); nothing to rebuild a report from`
    );
  }
  if (config.task && config.task !== task) {
    deps.log.info(`batch ${batchId} holds ${task} requests (task input: ${config.task}); collecting it as ${task}`);
  }
  const cwd = deps.context.cwd;
  const head = await runGit(cwd, ["rev-parse", "--verify", "HEAD^{commit}"]).catch(() => "HEAD");
  const planned2 = await plannedPaths(batchId, task, client.name, config, deps);
  for (const item of answered) {
    for (const path of planned2.get(item.customId) ?? []) if (!item.paths.has(path)) item.paths.set(path, 0);
  }
  const requests = {};
  const hashes = await contentHashesAt(cwd, head, new Set(answered.flatMap((a) => [...a.paths.keys()])));
  for (const { customId, paths } of answered) {
    const contentHashes = {};
    const lineRanges = {};
    for (const [path, furthest] of paths) {
      const hash = hashes.get(path);
      if (hash) contentHashes[path] = hash;
      else lineRanges[path] = [{ start: 1, end: Math.max(1, furthest) }];
    }
    requests[customId] = {
      paths: [...paths.keys()],
      contentHashes,
      lineRanges,
      part: null,
      estimatedInputTokens: 0,
      estimatedOutputTokens: 0,
      attempt: 0,
      batchId
    };
  }
  const model = answered.find((a) => a.model)?.model ?? config.model ?? "";
  const now = deps.now().toISOString();
  const files = new Set(answered.flatMap((a) => [...a.paths.keys()])).size;
  const unknown = answered.filter((a) => a.paths.size === 0).length;
  const unknownNote = unknown > 0 ? ` (and ${plural(unknown, "request")} whose files are unknown: the checkout changed since, and the answer names none)` : "";
  deps.log.warning(
    `batch ${batchId}: no saved state (expired or lost); rebuilt one from the batch alone: ${plural(answered.length, `${task} request`)} about ${plural(files, "file")}${unknownNote}; the reviewed commit is unknown, so findings link to this checkout's HEAD ${head.slice(0, 12)}`
  );
  const state = {
    version: STATE_VERSION,
    tool: "overnight",
    task,
    model,
    // The service that holds the batch: a Bedrock night rebuilt is collected from Bedrock again.
    provider: client.name,
    maxOutputTokens: config.maxOutputTokens ?? 0,
    repository: deps.context.repository,
    serverUrl: deps.context.serverUrl,
    headSha: head,
    baseSha: null,
    ref: deps.context.ref,
    pullRequest: null,
    event: REBUILT_EVENT,
    window: `state lost: rebuilt from batch ${batchId} alone; the reviewed commit is unknown, so findings link to this checkout's HEAD ${head.slice(0, 12)} (lines may have moved since the review)`,
    createdAt: now,
    submittedBy: `unknown (state rebuilt by ${deps.context.runLabel})`,
    batches: [
      {
        id: batchId,
        requestCount: answered.length,
        attempt: 0,
        submittedAt: now,
        status: "ended",
        endedAt: null,
        resultsSaved: false
      }
    ],
    requests,
    estimate: {
      model,
      tokenSource: "heuristic",
      files,
      requests: answered.length,
      inputTokens: 0,
      outputTokens: 0,
      prefixTokens: 0,
      cached: false,
      batchUsd: 0,
      interactiveUsd: 0,
      otherModels: [],
      monthlyUsd: null,
      dropped: [],
      priced: false
    },
    collectedAt: null,
    published: {},
    systemPrefix: [],
    redactions: 0,
    skipped: []
  };
  return { state };
}
var QUIET = { debug: () => void 0, info: () => void 0, warning: () => void 0, error: () => void 0 };
async function plannedPaths(batchId, task, provider, config, deps) {
  try {
    const createdAt = provider === "anthropic" ? await Promise.resolve().then(() => deps.anthropic().retrieve(batchId)).then((batch) => new Date(batch.created_at)).catch(() => deps.now()) : deps.now();
    const work = await prepareWork(
      { ...config, task, apiKey: "", maxCostUsd: 0, dryRun: true },
      { ...deps, log: QUIET, progress: void 0, now: () => createdAt },
      false
    );
    return new Map(work.plan.requests.map((r) => [r.customId, r.record.paths]));
  } catch (error) {
    deps.log.debug(
      `batch ${batchId}: could not plan this checkout again (${error.message}); files come from the answers`
    );
    return /* @__PURE__ */ new Map();
  }
}
async function contentHashesAt(cwd, commit, paths) {
  const hashes = /* @__PURE__ */ new Map();
  const reader = new GitObjectReader(cwd);
  try {
    for (const path of paths) {
      const object = await reader.read(`${commit}:${path}`).catch(() => null);
      if (object?.type === "blob") hashes.set(path, createHash("sha256").update(object.data.toString("utf8")).digest("hex"));
    }
  } finally {
    reader.close();
  }
  return hashes;
}

// src/engine/results.ts
var MAX_FINDINGS_KEPT = 5e3;
var MAX_HELD_BACK = 50;
var MAX_NO_OUTPUT_LISTED = 200;
function failureKind(outcome) {
  if (outcome.status === "errored") {
    const type = /^([a-z_]+):/.exec(outcome.reason)?.[1];
    return type ? `errored: ${type}` : "errored";
  }
  if (outcome.status !== "malformed") return outcome.status;
  if (outcome.reason.startsWith("answer cut off")) return "cut off at max-output-tokens";
  if (outcome.reason.startsWith("the model declined")) return "refused by the model";
  return "malformed answer";
}
function mergeAccounting(parts) {
  const present = parts.filter((part) => part !== void 0);
  if (present.length === 0 || present.length < parts.length) return void 0;
  const failureKinds = {};
  for (const part of present)
    for (const [kind, n] of Object.entries(part.failureKinds)) failureKinds[kind] = (failureKinds[kind] ?? 0) + n;
  return {
    withOutput: present.reduce((n, part) => n + part.withOutput, 0),
    withNone: present.reduce((n, part) => n + part.withNone, 0),
    noOutput: present.reduce((n, part) => n + part.noOutput, 0),
    noOutputUnits: present.flatMap((part) => part.noOutputUnits).slice(0, MAX_NO_OUTPUT_LISTED),
    failureKinds,
    retryUsage: sumUsage(present.map((part) => part.retryUsage)),
    failedUsage: sumUsage(present.map((part) => part.failedUsage))
  };
}
function meetsConfidence(finding, min) {
  return finding.confidence === void 0 || CONFIDENCES.indexOf(finding.confidence) <= CONFIDENCES.indexOf(min);
}
var SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
var ResultsWriter = class {
  constructor(path, task, minimum, priceOverrides, batchRate, maxFindings = MAX_FINDINGS_KEPT) {
    this.path = path;
    this.minimum = minimum;
    this.batchRate = batchRate;
    this.maxFindings = maxFindings;
    this.usage = new UsageAccumulator(priceOverrides);
    this.retryUsage = new UsageAccumulator(priceOverrides);
    this.failedUsage = new UsageAccumulator(priceOverrides);
    this.accounting = {
      withOutput: 0,
      withNone: 0,
      noOutput: 0,
      noOutputUnits: [],
      failureKinds: {},
      retryUsage: this.retryUsage.summary(),
      failedUsage: this.failedUsage.summary()
    };
    this.results = {
      task,
      findings: [],
      files: [],
      verdicts: [],
      failures: [],
      succeeded: 0,
      received: 0,
      resubmitted: 0,
      duplicatesSkipped: 0,
      belowSeverity: 0,
      usage: this.usage.summary(),
      batchIds: [],
      resultsPath: path
    };
  }
  path;
  minimum;
  batchRate;
  maxFindings;
  file = null;
  usage;
  retryUsage;
  failedUsage;
  accounting;
  /**
   * Once the cap is full, the rank of the least severe finding kept: a later finding of that
   * severity or lower can never be kept (earlier ones win within a severity), so it is counted at
   * once instead of being held until the next trim (over a large night, most findings are these).
   */
  cutoffRank = Number.POSITIVE_INFINITY;
  results;
  async write(line) {
    this.file ??= await ChunkedFileWriter.create(this.path);
    this.file.write(line);
  }
  /**
   * Records one outcome; `final` false for a failure that is being resubmitted. `batchRate`: billed at
   * batch rates (default: the writer's); false for a request answered interactively (the deadline fallback).
   */
  async add(outcome, record, final, batchRate = this.batchRate) {
    const r = this.results;
    r.received += 1;
    if (outcome.usage && outcome.model) {
      const rate = { batch: batchRate };
      this.usage.add(outcome.usage, outcome.model, rate);
      if (record.attempt > 0) this.retryUsage.add(outcome.usage, outcome.model, rate);
      if (outcome.status !== "succeeded") this.failedUsage.add(outcome.usage, outcome.model, rate);
    }
    this.count(outcome, record);
    const outcomeJson = JSON.stringify(outcome);
    await this.write(
      `${outcomeJson.slice(0, -1)},"paths":${JSON.stringify(record.paths)},"attempt":${record.attempt},"final":${final}}
`
    );
    if (final) record.failed = outcome.status !== "succeeded";
    if (outcome.status === "succeeded") {
      r.succeeded += 1;
      if (outcome.redactions) r.answerRedactions = (r.answerRedactions ?? 0) + outcome.redactions;
      const output = outcome.output;
      if (output.kind === "findings") {
        for (const f of output.findings) {
          if (!meetsSeverity(f, this.minimum.severity)) r.belowSeverity += 1;
          else if (!meetsConfidence(f, this.minimum.confidence)) this.holdBack(f);
          else if (SEVERITY_RANK[f.severity] >= this.cutoffRank) r.findingsNotKept = (r.findingsNotKept ?? 0) + 1;
          else r.findings.push(f);
        }
        if (output.moved) r.moved = (r.moved ?? 0) + output.moved;
        if (output.mislocated) r.mislocated = (r.mislocated ?? 0) + output.mislocated;
        if (r.findings.length > 2 * this.maxFindings) this.trimFindings();
      } else if (output.kind === "files") {
        r.files.push(...output.files);
      } else {
        r.verdicts.push(...output.verdicts);
      }
      return;
    }
    if (!final) {
      r.resubmitted += 1;
      return;
    }
    const failure = {
      customId: outcome.customId,
      paths: record.paths,
      status: outcome.status,
      reason: outcome.reason
    };
    r.failures.push(failure);
  }
  /** The fate of one answer, for the run report's expected-against-actual accounting. */
  count(outcome, record) {
    const a = this.accounting;
    if (outcome.status !== "succeeded") {
      const kind = failureKind(outcome);
      a.failureKinds[kind] = (a.failureKinds[kind] ?? 0) + 1;
      return;
    }
    const output = outcome.output;
    const produced = output.kind === "findings" ? output.findings.length : output.kind === "files" ? output.files.length : output.verdicts.length;
    if (produced > 0) a.withOutput += 1;
    else if (output.kind === "findings") a.withNone += 1;
    else {
      a.noOutput += 1;
      if (a.noOutputUnits.length < MAX_NO_OUTPUT_LISTED) {
        a.noOutputUnits.push({ customId: outcome.customId, paths: record.paths, summary: output.summary.slice(0, 500) });
      }
    }
  }
  /** A finding under min-confidence: counted, and the first MAX_HELD_BACK kept for the summary's tail. */
  holdBack(finding) {
    const r = this.results;
    r.belowConfidenceCount = (r.belowConfidenceCount ?? 0) + 1;
    r.belowConfidence ??= [];
    if (r.belowConfidence.length < MAX_HELD_BACK) r.belowConfidence.push(finding);
  }
  /** Keeps the most severe findings (stable within a severity), counting the ones let go. */
  trimFindings() {
    const r = this.results;
    if (r.findings.length <= this.maxFindings) return;
    const sorted = r.findings.map((finding, index) => ({ finding, index })).sort((a, b) => SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] || a.index - b.index);
    r.findingsNotKept = (r.findingsNotKept ?? 0) + sorted.length - this.maxFindings;
    r.findings = sorted.slice(0, this.maxFindings).map((s) => s.finding);
    const last = r.findings.at(-1);
    this.cutoffRank = last ? SEVERITY_RANK[last.severity] : Number.NEGATIVE_INFINITY;
  }
  async close() {
    this.trimFindings();
    this.file ??= await ChunkedFileWriter.create(this.path);
    this.file.close();
    this.results.usage = this.usage.summary();
    this.results.accounting = {
      ...this.accounting,
      retryUsage: this.retryUsage.summary(),
      failedUsage: this.failedUsage.summary()
    };
    return this.results;
  }
};

// src/engine/deadline.ts
import { createHash as createHash3 } from "node:crypto";

// src/batch/interactive.ts
var ERROR_TYPES = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  529: "overloaded_error"
};
function stopsEverything(error) {
  return error instanceof FatalApiError && error.status !== null && [401, 402, 403, 429].includes(error.status);
}
function erroredResult(error) {
  const status = error instanceof FatalApiError ? error.status : null;
  const type = (status !== null ? ERROR_TYPES[status] : void 0) ?? "api_error";
  const message = error instanceof Error ? error.message : String(error);
  return { type: "errored", error: { type: "error", error: { type, message } } };
}
async function answerInteractively(client, request) {
  try {
    const message = await client.answerOne(request.params);
    return { custom_id: request.custom_id, result: { type: "succeeded", message } };
  } catch (error) {
    if (stopsEverything(error)) throw error;
    return { custom_id: request.custom_id, result: erroredResult(error) };
  }
}
async function* answerAllInteractively(client, requests, concurrency = 4) {
  let next = 0;
  let stop = null;
  const inFlight = /* @__PURE__ */ new Map();
  const start = (slot) => {
    const request = requests[next++];
    inFlight.set(
      slot,
      answerInteractively(client, request).then(
        (line) => ({ slot, line }),
        (error) => {
          stop ??= error;
          return { slot, line: null };
        }
      )
    );
  };
  for (let slot = 0; slot < Math.max(1, concurrency) && next < requests.length; slot++) start(slot);
  while (inFlight.size > 0) {
    const { slot, line } = await Promise.race(inFlight.values());
    inFlight.delete(slot);
    if (line) yield line;
    if (stop === null && next < requests.length) start(slot);
  }
  if (stop !== null) throw stop;
}

// src/engine/file-source.ts
import { createHash as createHash2 } from "node:crypto";
var FileSource = class {
  /** `clean`: content hashes submit sent unredacted (RunState.cleanHashes); those files are not scanned again. */
  constructor(cwd, log, clean = /* @__PURE__ */ new Set()) {
    this.cwd = cwd;
    this.log = log;
    this.clean = clean;
  }
  cwd;
  log;
  clean;
  reader = null;
  /** The last file read (see exact). */
  last = null;
  warned = false;
  async readRaw(sha, path) {
    try {
      this.reader ??= new GitObjectReader(this.cwd);
      const object = await this.reader.read(`${sha}:${path}`);
      return object && object.type === "blob" ? object.data.toString("utf8") : null;
    } catch {
      return null;
    }
  }
  /** The file as it was sent (redacted), or null when the reviewed commit is not in this checkout. */
  async exact(sha, path, expectedHash) {
    const key = `${sha}:${path}`;
    if (this.last?.key === key) return this.last.file;
    const raw = await this.readRaw(sha, path);
    let file = null;
    if (raw !== null && createHash2("sha256").update(raw).digest("hex") === expectedHash) {
      const redacted = this.clean.has(expectedHash) ? { content: raw, redactions: 0 } : await redactSecrets(raw, path);
      file = {
        path,
        content: redacted.content,
        contentHash: expectedHash,
        diff: "",
        changedRanges: [],
        status: "modified",
        language: languageFor(path),
        redactions: redacted.redactions,
        bytes: Buffer.byteLength(raw)
      };
    }
    this.last = { key, file };
    return file;
  }
  /** Whether every file of a request can be read back exactly (to rebuild it for a resubmission). */
  async canReadAll(sha, record) {
    for (const path of record.paths) {
      if (!await this.exact(sha, path, record.contentHashes[path] ?? "")) return false;
    }
    return true;
  }
  /** The unit's files for normalising an answer: exact when possible, placeholders otherwise. */
  async forRecord(sha, record) {
    const files = [];
    for (const path of record.paths) {
      const hash = record.contentHashes[path] ?? "";
      const exact = await this.exact(sha, path, hash);
      if (exact) {
        files.push(exact);
        continue;
      }
      if (!this.warned) {
        this.log.warning(
          `commit ${sha.slice(0, 7)} is not in this checkout: findings keep their lines but their fingerprints are weaker; check out with fetch-depth: 0`
        );
        this.warned = true;
      }
      const lines = Math.max(1, ...(record.lineRanges[path] ?? []).map((r) => r.end));
      files.push({
        path,
        content: "\n".repeat(lines),
        contentHash: hash,
        diff: "",
        changedRanges: [],
        status: "modified",
        language: languageFor(path),
        redactions: 0,
        bytes: 0
      });
    }
    return files;
  }
  close() {
    this.reader?.close();
    this.reader = null;
  }
};

// src/engine/resubmit.ts
async function regather(state, paths, deps) {
  const window = state.pullRequest ?? (state.baseSha ? {
    number: 0,
    baseSha: state.baseSha,
    headSha: state.headSha,
    baseRef: state.baseSha,
    headRef: state.headSha,
    fromFork: false
  } : null);
  if (!window) return /* @__PURE__ */ new Map();
  try {
    const changeSet = await gatherChanges({
      cwd: deps.context.cwd,
      since: { kind: "revision", rev: window.baseSha },
      pullRequest: window,
      include: [],
      exclude: [],
      paths,
      maxFiles: 0,
      maxFileBytes: 0,
      contextFiles: [],
      repository: state.repository
    });
    return new Map(changeSet.files.map((file) => [file.path, file]));
  } catch (error) {
    deps.log.debug(`resubmission: could not gather ${window.baseSha}..${window.headSha} again: ${error.message}`);
    return /* @__PURE__ */ new Map();
  }
}
async function rebuildRequest(customId, state, task, files, gathered) {
  const record = state.requests[customId];
  const unitFiles = [];
  for (const path of record.paths) {
    const hash = record.contentHashes[path] ?? "";
    const again = gathered.get(path);
    const file = again && again.contentHash === hash ? again : await files.exact(state.headSha, path, hash);
    if (!file) return null;
    unitFiles.push(!again && !state.baseSha && !state.pullRequest ? { ...file, status: "added" } : file);
  }
  const unit = { customId, task: task.name, files: unitFiles, lineRanges: record.lineRanges, part: record.part };
  return {
    customId,
    params: requestParams(task, unit, state.model, state.maxOutputTokens, state.systemPrefix),
    record
  };
}
var cannotResubmit = (record, state) => `could not resubmit: ${record.paths.join(", ")} at ${state.headSha.slice(0, 7)} is not in this checkout (use fetch-depth: 0)`;
async function rebuildRequests(state, customIds, task, files, deps) {
  const rebuilt = [];
  const missing = [];
  const gathered = await regather(state, [...new Set(customIds.flatMap((id) => state.requests[id].paths))], deps);
  for (const customId of customIds) {
    const request = await rebuildRequest(customId, state, task, files, gathered);
    if (request) rebuilt.push(request);
    else missing.push(customId);
  }
  return { rebuilt, missing };
}
async function resubmit(stored, customIds, input) {
  const { task, files, results, config, deps } = input;
  const { state } = stored;
  const { rebuilt: all, missing } = await rebuildRequests(state, customIds, task, files, deps);
  const giveUp = (customId, reason) => {
    const record = state.requests[customId];
    record.failed = true;
    results.resubmitted -= 1;
    results.failures.push({ customId, paths: record.paths, status: "errored", reason });
  };
  for (const customId of missing) giveUp(customId, cannotResubmit(state.requests[customId], state));
  const fit = await fitToNight(state, all, { batch: true }, config, deps);
  for (const { customId, reason } of fit.dropped) giveUp(customId, `not resubmitted: ${reason}`);
  if (fit.dropped.length > 0) {
    results.budgetCut = (results.budgetCut ?? 0) + fit.dropped.length;
    deps.log.warning(`${plural(fit.dropped.length, "failed request")} not resubmitted: ${fit.dropped[0].reason}`);
  }
  const rebuilt = fit.kept;
  if (rebuilt.length === 0) {
    if (fit.dropped.length > 0) await deps.store.update(stored.id, state);
    return;
  }
  await commitToNight(state, fit.usd, "resubmit", stored.id, config, deps);
  const byAttempt = /* @__PURE__ */ new Map();
  for (const request of rebuilt) {
    const attempt = request.record.attempt + 1;
    byAttempt.set(attempt, [...byAttempt.get(attempt) ?? [], request]);
  }
  for (const [attempt, requests] of [...byAttempt].sort(([a], [b]) => a - b)) {
    await sendBatches(state, requests, deps, attempt);
    await deps.store.update(stored.id, state);
    deps.log.info(`resubmitted ${plural(requests.length, "failed request")} (attempt ${attempt} of ${config.maxRetries})`);
  }
}

// src/engine/deadline.ts
var PREFIX = "interactive_";
var isDeadlineBatch = (batch) => batch.interactive !== void 0 || batch.id.startsWith(PREFIX);
var planned = /* @__PURE__ */ new WeakMap();
async function planDeadlines(states, config, deps) {
  for (const stored of states) await planDeadline(stored.state, config, deps);
}
async function planDeadline(state, config, deps) {
  const deliverBy = state.budget?.deliverBy;
  if (!deliverBy || deps.now().getTime() < Date.parse(deliverBy.at)) return;
  if (state.batches.some((b) => isDeadlineBatch(b) && !b.resultsSaved)) return;
  const processing = new Set(
    state.batches.filter((b) => !b.resultsSaved && b.status !== "ended" && !isDeadlineBatch(b)).map((b) => b.id)
  );
  if (processing.size === 0) return;
  const waiting = Object.entries(state.requests).filter(([, record]) => record.batchId !== null && processing.has(record.batchId)).map(([customId, record]) => ({ customId, record }));
  const files = new FileSource(deps.context.cwd, deps.log, new Set(state.cleanHashes));
  const candidates = [];
  try {
    for (const c of waiting) if (await files.canReadAll(state.headSha, c.record)) candidates.push(c);
  } finally {
    files.close();
  }
  if (candidates.length < waiting.length) {
    deps.log.warning(
      `deliver-by ${deliverBy.text} has passed, but ${plural(waiting.length - candidates.length, "request")} cannot be sent again from this checkout (the reviewed commit ${state.headSha.slice(0, 12)} is missing: use fetch-depth: 0); left to their batch`
    );
  }
  if (candidates.length === 0) return;
  const fit = await fitToNight(state, candidates, { batch: false }, config, deps);
  if (fit.kept.length === 0) {
    deps.log.warning(
      `deliver-by ${deliverBy.text} has passed with ${plural(candidates.length, "request")} still processing, but none is answered interactively: ${fit.dropped[0]?.reason ?? "no room in the budget"}; they are left to their batch`
    );
    return;
  }
  const moved = new Set(fit.kept.map((c) => c.customId));
  const cancel = [...processing].filter((id2) => waiting.every((c) => c.record.batchId !== id2 || moved.has(c.customId)));
  const id = `${PREFIX}${createHash3("sha256").update([...moved].sort().join(",")).digest("hex").slice(0, 16)}`;
  const at = deps.now().toISOString();
  const batch = {
    id,
    requestCount: moved.size,
    attempt: Math.max(...fit.kept.map((c) => c.record.attempt)),
    submittedAt: at,
    status: "ended",
    endedAt: at,
    resultsSaved: false,
    interactive: { cancel }
  };
  for (const { record } of fit.kept) record.batchId = id;
  state.batches.push(batch);
  planned.set(batch, { estimateUsd: fit.usd, leftToBatch: fit.dropped.length, deliverBy: deliverBy.text, at: deliverBy.at });
  deps.log.info(
    `deliver-by ${deliverBy.text} has passed: ${plural(moved.size, "request")} still processing go through the interactive API now (estimated ${formatUsd(fit.usd)} at full price)` + (fit.dropped.length > 0 ? `; ${plural(fit.dropped.length, "request")} left to their batch: ${fit.dropped[0].reason}` : "")
  );
}
async function* deadlineResults(input) {
  const { stored, batch, task, files, client, config, deps, report } = input;
  const { state } = stored;
  const plan = planned.get(batch);
  const customIds = Object.entries(state.requests).filter(([, record]) => record.batchId === batch.id).map(([customId]) => customId);
  report.deliverBy = plan?.deliverBy ?? state.budget?.deliverBy?.text ?? "";
  report.at = plan?.at ?? state.budget?.deliverBy?.at ?? "";
  report.leftToBatch += plan?.leftToBatch ?? 0;
  await commitToNight(state, plan?.estimateUsd ?? 0, "deadline", stored.id, config, deps);
  await deps.store.update(stored.id, state);
  const { rebuilt, missing } = await rebuildRequests(state, customIds, task, files, deps);
  for (const customId of missing) {
    const reason = cannotResubmit(state.requests[customId], state).replace(
      "could not resubmit",
      "could not answer at the deadline"
    );
    yield {
      custom_id: customId,
      result: { type: "errored", error: { type: "error", error: { type: "invalid_request_error", message: reason } } }
    };
  }
  for await (const line of answerAllInteractively(
    client,
    rebuilt.map((r) => ({ custom_id: r.customId, params: r.params }))
  )) {
    report.answered += 1;
    yield line;
  }
  for (const id of batch.interactive?.cancel ?? []) {
    const replaced = state.batches.find((b) => b.id === id);
    const outcome = await cancelJob(client, id);
    if (replaced) {
      replaced.status = outcome;
      replaced.resultsSaved = true;
    }
    report.canceled.push(id);
    deps.log.info(
      outcome === "canceling" ? `batch ${id}: canceled (its requests were answered interactively at the deadline)` : `batch ${id}: ended before it could be canceled; its results for requests answered at the deadline are ignored`
    );
  }
}
var emptyFallback = () => ({
  deliverBy: "",
  at: "",
  answered: 0,
  costUsd: 0,
  canceled: [],
  leftToBatch: 0
});
function mergeFallbacks(parts) {
  const present = parts.filter((p) => p !== void 0);
  if (present.length === 0) return {};
  return {
    deadline: {
      deliverBy: present[0].deliverBy,
      at: present[0].at,
      answered: present.reduce((n, p) => n + p.answered, 0),
      costUsd: present.reduce((n, p) => n + p.costUsd, 0),
      canceled: present.flatMap((p) => p.canceled),
      leftToBatch: present.reduce((n, p) => n + p.leftToBatch, 0)
    }
  };
}
async function cancelJob(client, id) {
  try {
    const job = await client.cancel(id);
    return job.status === "ended" ? "ended" : "canceling";
  } catch (error) {
    if (error instanceof FatalApiError && error.status === 400) return "ended";
    throw error;
  }
}

// src/engine/stream.ts
import { createHash as createHash4 } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
function roundKeyOf(batchIds) {
  return createHash4("sha256").update([...batchIds].sort().join(",")).digest("hex").slice(0, 12);
}
async function refreshBatches(state, client, config, deps) {
  for (const batch of state.batches) {
    if (batch.resultsSaved || batch.status === "ended") continue;
    const current = await checkBatch(client, batch.id, config, deps);
    batch.status = current.status;
    batch.endedAt = current.endedAt;
    deps.log.info(`batch ${batch.id}: ${jobProgress(current)}`);
  }
}
function readyBatches(state) {
  return state.batches.filter((b) => b.status === "ended" && !b.resultsSaved);
}
async function streamState(stored, config, deps, client) {
  const { state, id: stateId } = stored;
  const task = getTask(state.task);
  const ready = readyBatches(state);
  if (ready.length === 0) return null;
  const roundKey = roundKeyOf(ready.map((b) => b.id));
  const roundDir = join(deps.context.outputDir, stateId, roundKey);
  await mkdir(roundDir, { recursive: true });
  const writer = new ResultsWriter(
    join(roundDir, "results.jsonl"),
    task.name,
    { severity: config.minSeverity, confidence: config.minConfidence },
    config.priceOverrides,
    true
  );
  const files = new FileSource(deps.context.cwd, deps.log, new Set(state.cleanHashes));
  const toRetry = [];
  const lost = [];
  try {
    for (const batch of ready) {
      const fallback = isDeadlineBatch(batch) ? writer.results.deadline ??= emptyFallback() : null;
      if (!fallback) writer.results.batchIds.push(batch.id);
      const lines = fallback ? deadlineResults({ stored, batch, task, files, client, config, deps, report: fallback }) : client.results(batch.id);
      const seen = /* @__PURE__ */ new Set();
      try {
        for await (const line of lines) {
          const record = state.requests[line.custom_id];
          if (!record || record.batchId !== batch.id || seen.has(line.custom_id)) continue;
          seen.add(line.custom_id);
          const unitFiles = line.result.type === "succeeded" ? await files.forRecord(state.headSha, record) : [];
          const outcome = await outcomeOfResult(line.custom_id, line.result, task, record, unitFiles, batch.id);
          const retry = await retryOrReport(outcome, record, state, files, config);
          if (retry === "retry") toRetry.push(line.custom_id);
          await writer.add(retry === "retry" ? outcome : retry, record, retry !== "retry", !fallback);
          const price = fallback && outcome.usage && outcome.model ? resolvePrice(outcome.model, config.priceOverrides) : void 0;
          if (fallback && price && outcome.usage) fallback.costUsd += usageCost(outcome.usage, price, { batch: false });
        }
      } catch (error) {
        if (!(error instanceof FatalApiError) || error.status !== 404) throw error;
        deps.log.warning(error.message);
        lost.push(batch.id);
        for (const [customId, record] of Object.entries(state.requests)) {
          if (record.batchId !== batch.id || seen.has(customId)) continue;
          await writer.add(
            { customId, status: "expired", reason: error.message, retryable: false, usage: null, model: null, batchId: batch.id },
            record,
            true
          );
        }
      }
    }
    if (toRetry.length > 0) await resubmit(stored, toRetry, { task, files, results: writer.results, config, deps });
  } finally {
    files.close();
  }
  const results = await writer.close();
  return { stored, task, ready, roundKey, roundDir, results, lost };
}
async function retryOrReport(outcome, record, state, files, config) {
  if (outcome.status === "succeeded" || !outcome.retryable || record.attempt >= config.maxRetries || isRebuilt(state)) {
    return outcome;
  }
  if (!await files.canReadAll(state.headSha, record)) {
    return { ...outcome, reason: `${outcome.reason}; ${cannotResubmit(record, state)}` };
  }
  return "retry";
}

export {
  usageOf,
  messageText,
  outcomeOfMessage,
  isRebuilt,
  rebuildStateFromBatch,
  FileSource,
  MAX_HELD_BACK,
  mergeAccounting,
  ResultsWriter,
  planDeadlines,
  mergeFallbacks,
  roundKeyOf,
  refreshBatches,
  readyBatches,
  streamState
};
