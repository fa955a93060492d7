import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  collect
} from "./chunk-AW63DKTM.js";
import "./chunk-UTR2P3LB.js";
import {
  submit
} from "./chunk-WETIW5P4.js";
import "./chunk-ZH3YD5UR.js";
import "./chunk-JM2NVHAF.js";
import "./chunk-X7EVVS3K.js";
import "./chunk-25S7AB5Y.js";
import "./chunk-IM6I7XTX.js";
import {
  delimitCodeSpan
} from "./chunk-VO54GUAL.js";
import "./chunk-62ANB5A3.js";
import "./chunk-VN6QSKR3.js";
import {
  decodeAttribute,
  parseFileBlocks,
  plural
} from "./chunk-FU5ULAXL.js";
import "./chunk-2TAW6IAD.js";
import "./chunk-7VYBZQJV.js";
import {
  cliDeps
} from "./chunk-BGLY3OSS.js";
import {
  parseConfig
} from "./chunk-RSZAWMOX.js";
import "./chunk-JBJALSRO.js";
import "./chunk-DNB6I4O3.js";
import "./chunk-2S72PKWC.js";
import "./chunk-2Y3VZYX5.js";
import "./chunk-JRK7X5D5.js";
import "./chunk-7KZNXQQH.js";
import "./chunk-HFKILKHU.js";
import "./chunk-G22B7D6J.js";
import "./chunk-PSXNXEIF.js";
import "./chunk-F3LGO6JY.js";
import "./chunk-NINLAGOQ.js";

// src/cli/demo.ts
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname as dirname2, join as join2 } from "node:path";

// src/emulator/anthropic/index.ts
import { randomInt } from "node:crypto";

// src/emulator/anthropic/errors.ts
var STATUS_OF_ERROR_TYPE = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  timeout_error: 504,
  api_error: 500,
  overloaded_error: 529
};
var ApiError = class extends Error {
  status;
  type;
  details;
  headers;
  constructor(type, message, options = {}) {
    super(message);
    this.type = type;
    this.status = options.status ?? STATUS_OF_ERROR_TYPE[type] ?? 500;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
};
function invalidRequest(message) {
  return new ApiError("invalid_request_error", message);
}
function notFound(message) {
  return new ApiError("not_found_error", message);
}
function errorBody(type, message, requestId, details) {
  return {
    type: "error",
    error: { type, message, ...details ? { details } : {} },
    request_id: requestId
  };
}

// src/emulator/anthropic/tokens.ts
import { createHash } from "node:crypto";

// src/emulator/anthropic/validation.ts
var CUSTOM_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
var MAX_OUTPUT_TOKENS = 128e3;
var MESSAGES_KEYS = /* @__PURE__ */ new Set([
  "max_tokens",
  "messages",
  "model",
  "cache_control",
  "container",
  "diagnostics",
  "inference_geo",
  "metadata",
  "output_config",
  "service_tier",
  "speed",
  "stop_sequences",
  "stream",
  "system",
  "thinking",
  "tool_choice",
  "tools",
  "user_profile_id",
  "workspace_id"
]);
var COUNT_TOKENS_KEYS = /* @__PURE__ */ new Set([
  "messages",
  "model",
  "cache_control",
  "output_config",
  "speed",
  "system",
  "thinking",
  "tool_choice",
  "tools"
]);
var REMOVED_SAMPLING_KEYS = ["temperature", "top_p", "top_k"];
var UNSUPPORTED_SCHEMA_KEYWORDS = [
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "minProperties",
  "maxProperties",
  "maxItems"
];
var RETIRED_MODEL = /^claude-(instant|2|3)([.-]|$)/;
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function validateMessageParams(params, mode) {
  try {
    checkParams(params, mode);
    return null;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}
function checkParams(params, mode) {
  if (!isRecord(params)) throw invalidRequest("params: Input should be an object");
  for (const key of REMOVED_SAMPLING_KEYS) {
    if (key in params) {
      throw invalidRequest(`${key}: is not supported by this API version; remove it from the request`);
    }
  }
  const allowed = mode === "count_tokens" ? COUNT_TOKENS_KEYS : MESSAGES_KEYS;
  for (const key of Object.keys(params)) {
    if (!allowed.has(key)) throw invalidRequest(`${key}: Extra inputs are not permitted`);
  }
  checkModel(params.model, mode);
  if (mode !== "count_tokens") checkMaxTokens(params.max_tokens);
  if (params.stream !== void 0 && params.stream !== false) {
    if (params.stream !== true) throw invalidRequest("stream: Input should be a valid boolean");
    throw invalidRequest(
      mode === "batch" ? "stream: streaming is not supported in Message Batches" : "stream: streaming is not supported by this emulator (overnight never streams)"
    );
  }
  checkSystem(params.system);
  checkMessages(params.messages);
  checkCacheControls(params);
  if (params.output_config !== void 0) checkOutputConfig(params.output_config);
  if (params.stop_sequences !== void 0) {
    if (!Array.isArray(params.stop_sequences) || params.stop_sequences.some((s) => typeof s !== "string")) {
      throw invalidRequest("stop_sequences: Input should be a list of strings");
    }
  }
  if (params.metadata !== void 0) {
    if (!isRecord(params.metadata)) throw invalidRequest("metadata: Input should be an object");
    for (const key of Object.keys(params.metadata)) {
      if (key !== "user_id") throw invalidRequest(`metadata.${key}: Extra inputs are not permitted`);
    }
  }
  if (params.thinking !== void 0) checkThinking(params.thinking, params.max_tokens);
}
function checkModel(model, mode) {
  if (model === void 0) throw invalidRequest("model: Field required");
  if (typeof model !== "string" || model === "") throw invalidRequest("model: Input should be a valid string");
  if (!model.startsWith("claude-") || RETIRED_MODEL.test(model)) {
    const message = `model: ${model} is not a known model`;
    throw mode === "batch" ? invalidRequest(message) : notFound(message);
  }
}
function checkMaxTokens(maxTokens) {
  if (maxTokens === void 0) throw invalidRequest("max_tokens: Field required");
  if (typeof maxTokens !== "number" || !Number.isInteger(maxTokens)) {
    throw invalidRequest("max_tokens: Input should be a valid integer");
  }
  if (maxTokens < 1) throw invalidRequest("max_tokens: Input should be greater than or equal to 1");
  if (maxTokens > MAX_OUTPUT_TOKENS) {
    throw invalidRequest(`max_tokens: ${maxTokens} > ${MAX_OUTPUT_TOKENS}, which is the maximum allowed number of output tokens`);
  }
}
function checkTextBlock(block, where) {
  if (!isRecord(block)) throw invalidRequest(`${where}: Input should be an object`);
  if (typeof block.type !== "string") throw invalidRequest(`${where}.type: Field required`);
  if (block.type === "text") {
    if (typeof block.text !== "string") throw invalidRequest(`${where}.text: Field required`);
    if (block.text.trim() === "") throw invalidRequest(`${where}: text content blocks must contain non-whitespace text`);
    for (const key of Object.keys(block)) {
      if (!["type", "text", "cache_control", "citations"].includes(key)) {
        throw invalidRequest(`${where}.${key}: Extra inputs are not permitted`);
      }
    }
  }
  if (block.cache_control !== void 0 && block.cache_control !== null) {
    checkCacheControl(block.cache_control, `${where}.cache_control`);
  }
}
function checkSystem(system) {
  if (system === void 0) return;
  if (typeof system === "string") return;
  if (!Array.isArray(system)) throw invalidRequest("system: Input should be a valid string or list of text blocks");
  system.forEach((block, i) => {
    checkTextBlock(block, `system.${i}`);
    if (block.type !== "text") {
      throw invalidRequest(`system.${i}.type: Input should be 'text'`);
    }
  });
}
function checkMessages(messages) {
  if (messages === void 0) throw invalidRequest("messages: Field required");
  if (!Array.isArray(messages)) throw invalidRequest("messages: Input should be a valid list");
  if (messages.length === 0) throw invalidRequest("messages: at least one message is required");
  messages.forEach((message, i) => {
    const where = `messages.${i}`;
    if (!isRecord(message)) throw invalidRequest(`${where}: Input should be an object`);
    for (const key of Object.keys(message)) {
      if (key !== "role" && key !== "content") throw invalidRequest(`${where}.${key}: Extra inputs are not permitted`);
    }
    if (message.role !== "user" && message.role !== "assistant") {
      throw invalidRequest(`${where}.role: Input should be 'user' or 'assistant'`);
    }
    const content = message.content;
    if (typeof content === "string") {
      const finalAssistant = i === messages.length - 1 && message.role === "assistant";
      if (content.trim() === "" && !finalAssistant) {
        throw invalidRequest(
          `${where}: all messages must have non-empty content except for the optional final assistant message`
        );
      }
      return;
    }
    if (!Array.isArray(content)) throw invalidRequest(`${where}.content: Input should be a valid string or list`);
    content.forEach((block, j) => checkTextBlock(block, `${where}.content.${j}`));
  });
}
function checkCacheControl(value, where) {
  if (!isRecord(value)) throw invalidRequest(`${where}: Input should be an object`);
  if (value.type !== "ephemeral") throw invalidRequest(`${where}.type: Input should be 'ephemeral'`);
  if (value.ttl !== void 0 && value.ttl !== "5m" && value.ttl !== "1h") {
    throw invalidRequest(`${where}.ttl: Input should be '5m' or '1h'`);
  }
  for (const key of Object.keys(value)) {
    if (key !== "type" && key !== "ttl") throw invalidRequest(`${where}.${key}: Extra inputs are not permitted`);
  }
}
function checkCacheControls(params) {
  const ttls = [];
  const visit = (block) => {
    if (isRecord(block) && isRecord(block.cache_control)) ttls.push(String(block.cache_control.ttl ?? "5m"));
  };
  if (Array.isArray(params.tools)) params.tools.forEach(visit);
  if (Array.isArray(params.system)) params.system.forEach(visit);
  if (Array.isArray(params.messages)) {
    for (const message of params.messages) {
      if (isRecord(message) && Array.isArray(message.content)) message.content.forEach(visit);
    }
  }
  if (params.cache_control !== void 0 && params.cache_control !== null) {
    checkCacheControl(params.cache_control, "cache_control");
    ttls.push(String(params.cache_control.ttl ?? "5m"));
  }
  if (ttls.length > 4) {
    throw invalidRequest(`A maximum of 4 blocks with cache_control may be provided. Found ${ttls.length}.`);
  }
  const first5m = ttls.indexOf("5m");
  if (first5m !== -1 && ttls.indexOf("1h", first5m) !== -1) {
    throw invalidRequest("a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block");
  }
}
function checkOutputConfig(config) {
  if (!isRecord(config)) throw invalidRequest("output_config: Input should be an object");
  for (const key of Object.keys(config)) {
    if (key !== "effort" && key !== "format") throw invalidRequest(`output_config.${key}: Extra inputs are not permitted`);
  }
  if (config.effort !== void 0 && config.effort !== null) {
    if (!["low", "medium", "high", "xhigh", "max"].includes(String(config.effort))) {
      throw invalidRequest("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
    }
  }
  const format = config.format;
  if (format === void 0 || format === null) return;
  if (!isRecord(format) || format.type !== "json_schema") {
    throw invalidRequest("output_config.format.type: Input should be 'json_schema'");
  }
  if (!isRecord(format.schema)) throw invalidRequest("output_config.format.schema: Field required");
  checkOutputSchema(format.schema, "output_config.format.schema");
}
function checkOutputSchema(schema, where) {
  for (const keyword of UNSUPPORTED_SCHEMA_KEYWORDS) {
    if (keyword in schema) throw invalidRequest(`${where}: '${keyword}' is not supported in structured output schemas`);
  }
  if (typeof schema.minItems === "number" && schema.minItems > 1) {
    throw invalidRequest(`${where}: minItems values other than 0 or 1 are not supported`);
  }
  const isObject = schema.type === "object" || Array.isArray(schema.type) && schema.type.includes("object");
  if (isObject && schema.additionalProperties !== false) {
    throw invalidRequest(`${where}: For 'object' type, 'additionalProperties' must be explicitly set to false`);
  }
  if (isRecord(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (isRecord(sub)) checkOutputSchema(sub, `${where}.properties.${name}`);
    }
  }
  if (isRecord(schema.items)) checkOutputSchema(schema.items, `${where}.items`);
  for (const combinator of ["anyOf", "allOf", "oneOf"]) {
    const branches = schema[combinator];
    if (Array.isArray(branches)) {
      branches.forEach((sub, i) => isRecord(sub) && checkOutputSchema(sub, `${where}.${combinator}.${i}`));
    }
  }
  for (const defs of ["$defs", "definitions"]) {
    const table = schema[defs];
    if (isRecord(table)) {
      for (const [name, sub] of Object.entries(table)) {
        if (isRecord(sub)) checkOutputSchema(sub, `${where}.${defs}.${name}`);
      }
    }
  }
}
function checkThinking(thinking, maxTokens) {
  if (!isRecord(thinking)) throw invalidRequest("thinking: Input should be an object");
  if (thinking.type === "disabled" || thinking.type === "adaptive") return;
  if (thinking.type !== "enabled") throw invalidRequest("thinking.type: Input should be 'enabled', 'disabled' or 'adaptive'");
  const budget = thinking.budget_tokens;
  if (typeof budget !== "number" || !Number.isInteger(budget) || budget < 1024) {
    throw invalidRequest("thinking.budget_tokens: Input should be an integer greater than or equal to 1024");
  }
  if (typeof maxTokens === "number" && budget >= maxTokens) {
    throw invalidRequest("max_tokens must be greater than thinking.budget_tokens");
  }
}

// src/emulator/anthropic/tokens.ts
var tokensForChars = (chars) => Math.ceil(chars / 4);
function blockText(block) {
  if (!isRecord(block)) return "";
  if (block.type === "text" && typeof block.text === "string") return block.text;
  return JSON.stringify(block);
}
function ttlOf(block) {
  if (!isRecord(block) || !isRecord(block.cache_control)) return null;
  return block.cache_control.ttl === "1h" ? "1h" : "5m";
}
function promptSegments(params) {
  const segments = [];
  const system = params.system;
  if (typeof system === "string") segments.push({ text: system, cacheTtl: null });
  else if (Array.isArray(system)) for (const block of system) segments.push({ text: blockText(block), cacheTtl: ttlOf(block) });
  if (Array.isArray(params.messages)) {
    for (const message of params.messages) {
      if (!isRecord(message)) continue;
      const content = message.content;
      if (typeof content === "string") segments.push({ text: content, cacheTtl: null });
      else if (Array.isArray(content))
        for (const block of content) segments.push({ text: blockText(block), cacheTtl: ttlOf(block) });
    }
  }
  if (isRecord(params.cache_control) && segments.length > 0) {
    const last = segments[segments.length - 1];
    last.cacheTtl ??= params.cache_control.ttl === "1h" ? "1h" : "5m";
  }
  return segments;
}
function countTokens(params) {
  if (!isRecord(params)) return 0;
  const chars = promptSegments(params).reduce((sum, segment) => sum + segment.text.length, 0);
  return tokensForChars(chars);
}
function minCacheableTokens(model) {
  if (/haiku-4-5|opus-4-5|opus-4-6/.test(model)) return 4096;
  if (/opus-4-7/.test(model)) return 2048;
  return 1024;
}
var PromptCache = class {
  written = /* @__PURE__ */ new Set();
  usage(params) {
    const model = String(params.model);
    const segments = promptSegments(params);
    const total = tokensForChars(segments.reduce((sum, s) => sum + s.text.length, 0));
    const minimum = minCacheableTokens(model);
    const hash = createHash("sha256").update(model).update("\0").update(JSON.stringify(params.tools ?? null));
    const breakpoints = [];
    let chars = 0;
    for (const segment of segments) {
      hash.update("\0").update(segment.text);
      chars += segment.text.length;
      const tokens = tokensForChars(chars);
      if (segment.cacheTtl && tokens >= minimum) {
        breakpoints.push({ key: hash.copy().digest("hex"), tokens, ttl: segment.cacheTtl });
      }
    }
    let lastHit = -1;
    breakpoints.forEach((bp, i) => {
      if (this.written.has(bp.key)) lastHit = i;
    });
    const read = lastHit >= 0 ? breakpoints[lastHit].tokens : 0;
    const written = { "5m": 0, "1h": 0 };
    let covered = read;
    for (const bp of breakpoints.slice(lastHit + 1)) {
      written[bp.ttl] += bp.tokens - covered;
      covered = bp.tokens;
      this.written.add(bp.key);
    }
    const creation = written["5m"] + written["1h"];
    return {
      input_tokens: total - read - creation,
      cache_creation_input_tokens: creation,
      cache_read_input_tokens: read,
      cache_creation: { ephemeral_5m_input_tokens: written["5m"], ephemeral_1h_input_tokens: written["1h"] }
    };
  }
};

// src/emulator/anthropic/messages.ts
function malformedText(text) {
  const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  return cut.trim().startsWith("{") ? cut : `{"summary": "${cut.replace(/["\\]/g, "")}`;
}
function buildMessage(params, context, options = {}) {
  let text = context.responder(params);
  if (typeof text !== "string") throw new Error("responder must return a string");
  if (options.malformed) text = malformedText(text);
  const maxTokens = Number(params.max_tokens);
  let outputTokens = Math.max(1, tokensForChars(text.length));
  let stopReason = "end_turn";
  if (outputTokens > maxTokens) {
    text = text.slice(0, maxTokens * 4);
    outputTokens = maxTokens;
    stopReason = "max_tokens";
  }
  const usage = context.cache.usage(params);
  return {
    id: context.newId("msg"),
    type: "message",
    role: "assistant",
    model: String(params.model),
    content: [{ type: "text", text, citations: null }],
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      ...usage,
      output_tokens: outputTokens,
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: context.serviceTier,
      speed: "standard"
    }
  };
}

// src/emulator/anthropic/random.ts
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = state + 1831565813 >>> 0;
    let t = state;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
var ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789";
function makeIdFactory(random) {
  return (prefix) => {
    let id = `${prefix}_01`;
    for (let i = 0; i < 22; i++) id += ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length)];
    return id;
  };
}
function shuffled(items, random) {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// src/emulator/anthropic/batch-store.ts
var MAX_BATCH_REQUESTS = 1e5;
var DAY_MS = 24 * 60 * 60 * 1e3;
var RESULTS_KEPT_MS = 29 * DAY_MS;
function errorResult(type, message, requestId) {
  return { type: "errored", error: { type: "error", error: { type, message }, request_id: requestId } };
}
var BatchStore = class {
  constructor(options) {
    this.options = options;
  }
  options;
  records = /* @__PURE__ */ new Map();
  sequence = 0;
  /** Checks what the real API checks at create time; params themselves are judged when the batch ends. */
  create(body) {
    if (!isRecord(body)) throw invalidRequest("Request body must be a JSON object");
    for (const key of Object.keys(body)) {
      if (key !== "requests") throw invalidRequest(`${key}: Extra inputs are not permitted`);
    }
    const requests = body.requests;
    if (requests === void 0) throw invalidRequest("requests: Field required");
    if (!Array.isArray(requests)) throw invalidRequest("requests: Input should be a valid list");
    if (requests.length === 0) throw invalidRequest("requests: List should have at least 1 item");
    if (requests.length > this.options.maxRequests) {
      throw new ApiError(
        "request_too_large",
        `requests: a batch may hold at most ${this.options.maxRequests.toLocaleString("en-US")} requests, got ${requests.length.toLocaleString("en-US")}`
      );
    }
    const seen = /* @__PURE__ */ new Set();
    const accepted = requests.map((item, i) => {
      const where = `requests.${i}`;
      if (!isRecord(item)) throw invalidRequest(`${where}: Input should be an object`);
      for (const key of Object.keys(item)) {
        if (key !== "custom_id" && key !== "params") throw invalidRequest(`${where}.${key}: Extra inputs are not permitted`);
      }
      const customId = item.custom_id;
      if (typeof customId !== "string") throw invalidRequest(`${where}.custom_id: Field required (a string)`);
      if (!CUSTOM_ID_PATTERN.test(customId)) {
        throw invalidRequest(`${where}.custom_id: ${JSON.stringify(customId)} does not match ${CUSTOM_ID_PATTERN.source}`);
      }
      if (seen.has(customId)) {
        throw invalidRequest(
          `${where}.custom_id: ${JSON.stringify(customId)} is used more than once; custom_id must be unique within a batch`
        );
      }
      seen.add(customId);
      if (!isRecord(item.params)) throw invalidRequest(`${where}.params: Input should be an object`);
      return { custom_id: customId, params: item.params };
    });
    const record = {
      id: this.options.newId("msgbatch"),
      sequence: ++this.sequence,
      requests: accepted,
      status: "in_progress",
      createdAt: /* @__PURE__ */ new Date(),
      endedAt: null,
      cancelInitiatedAt: null,
      archivedAt: null,
      polls: 0,
      results: null,
      deleted: false
    };
    this.records.set(record.id, record);
    return this.view(record);
  }
  find(id) {
    const record = this.records.get(id);
    if (!record || record.deleted) throw notFound(`message_batch: ${id} not found`);
    this.age(record);
    return record;
  }
  /** What the clock alone does: unfinished requests expire at 24 h, results go away at 29 days. */
  age(record) {
    const now = Date.now();
    const created = record.createdAt.getTime();
    if (record.status !== "ended" && now >= created + DAY_MS) this.finish(record, "expired");
    if (record.archivedAt === null && now >= created + RESULTS_KEPT_MS) record.archivedAt = /* @__PURE__ */ new Date();
  }
  /** A poll: moves the batch along its lifecycle, then reports it. */
  retrieve(id) {
    const record = this.find(id);
    if (record.status === "canceling") this.finish(record, "canceled");
    else if (record.status === "in_progress") {
      if (record.polls >= this.options.pollsUntilEnded) this.finish(record, "processed");
      else record.polls += 1;
    }
    return this.view(record);
  }
  list(query) {
    const rawLimit = query.get("limit");
    const limit = rawLimit === null ? 20 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1e3) {
      throw invalidRequest(`limit: Input should be an integer between 1 and 1000, got ${JSON.stringify(rawLimit)}`);
    }
    const afterId = query.get("after_id");
    const beforeId = query.get("before_id");
    if (afterId && beforeId) throw invalidRequest("after_id and before_id cannot be used together");
    for (const record of this.records.values()) if (!record.deleted) this.age(record);
    const newestFirst = [...this.records.values()].sort((a, b) => b.sequence - a.sequence);
    const cursorOf = (id) => {
      const cursor = this.records.get(id);
      if (!cursor) throw invalidRequest(`${afterId ? "after_id" : "before_id"}: ${id} is not a message batch id`);
      return cursor.sequence;
    };
    let page;
    let hasMore;
    if (beforeId) {
      const cursor = cursorOf(beforeId);
      const newer = newestFirst.filter((r) => r.sequence > cursor && !r.deleted);
      page = newer.slice(Math.max(0, newer.length - limit));
      hasMore = newer.length > limit;
    } else {
      const cursor = afterId ? cursorOf(afterId) : Infinity;
      const older = newestFirst.filter((r) => r.sequence < cursor && !r.deleted);
      page = older.slice(0, limit);
      hasMore = older.length > limit;
    }
    const data = page.map((r) => this.view(r));
    return { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
  }
  cancel(id) {
    const record = this.find(id);
    if (record.status === "ended") throw invalidRequest(`message_batch ${id} has already ended and cannot be canceled`);
    if (record.status === "in_progress") {
      record.status = "canceling";
      record.cancelInitiatedAt = /* @__PURE__ */ new Date();
    }
    return this.view(record);
  }
  delete(id) {
    const record = this.find(id);
    if (record.status !== "ended") {
      throw invalidRequest(
        `message_batch ${id} is ${record.status}: a batch can be deleted only after it has ended (cancel it first)`
      );
    }
    record.deleted = true;
    return { id, type: "message_batch_deleted" };
  }
  /** The result lines to serve, or the error the results endpoint answers. */
  results(id) {
    const record = this.find(id);
    if (record.status !== "ended" || !record.results || !record.endedAt) {
      throw invalidRequest(`message_batch ${id} is ${record.status}: results are available once processing_status is ended`);
    }
    if (record.archivedAt) throw notFound(`results of message_batch ${id} are no longer available: the batch was archived`);
    if (Date.now() < record.endedAt.getTime() + this.options.resultsDelayMs) {
      throw notFound(`results of message_batch ${id} are not ready yet`);
    }
    return record.results;
  }
  /** `answered`: requests a canceling batch had processed before the cancel took hold (they keep their results). */
  endNow(id, answered = []) {
    const record = this.requireAny(id);
    if (record.status === "canceling") this.finish(record, "canceled", new Set(answered));
    else if (record.status === "in_progress") this.finish(record, "processed");
  }
  expire(id) {
    const record = this.requireAny(id);
    if (record.status !== "ended") this.finish(record, "expired");
  }
  archive(id) {
    const record = this.requireAny(id);
    this.endNow(id);
    record.archivedAt ??= /* @__PURE__ */ new Date();
  }
  all() {
    return [...this.records.values()].map((r) => ({
      id: r.id,
      processing_status: r.status,
      requests: r.requests,
      results: r.results,
      archived: r.archivedAt !== null,
      deleted: r.deleted
    }));
  }
  requireAny(id) {
    const record = this.records.get(id);
    if (!record) throw new Error(`no batch ${id} in this emulator`);
    return record;
  }
  /** Decides every request's outcome, in request order (so cache writes come before reads). */
  finish(record, how, answered) {
    const lines = record.requests.map((request) => ({
      custom_id: request.custom_id,
      result: this.outcome(request, answered?.has(request.custom_id) ? "processed" : how)
    }));
    record.results = shuffled(lines, this.options.shuffleRandom);
    record.status = "ended";
    record.endedAt = /* @__PURE__ */ new Date();
  }
  outcome(request, how) {
    if (how === "canceled") return { type: "canceled" };
    if (how === "expired") return { type: "expired" };
    const fault = this.options.faults.takeResultFault(request.custom_id);
    if (fault?.type === "errored") {
      return errorResult(fault.errorType, fault.message ?? `injected ${fault.errorType}`, this.options.newId("req"));
    }
    if (fault?.type === "expired" || fault?.type === "canceled") return { type: fault.type };
    const invalid = validateMessageParams(request.params, "batch");
    if (invalid) return errorResult("invalid_request_error", invalid.message, this.options.newId("req"));
    try {
      const message = buildMessage(request.params, this.options.answers, { malformed: fault?.type === "malformed" });
      return { type: "succeeded", message };
    } catch (error) {
      return errorResult("api_error", `Internal server error: ${error.message}`, this.options.newId("req"));
    }
  }
  view(record) {
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    if (record.status === "ended" && record.results) {
      for (const line of record.results) counts[line.result.type] += 1;
    } else counts.processing = record.requests.length;
    const iso = (date) => date?.toISOString() ?? null;
    return {
      id: record.id,
      type: "message_batch",
      processing_status: record.status,
      request_counts: counts,
      created_at: record.createdAt.toISOString(),
      expires_at: new Date(record.createdAt.getTime() + DAY_MS).toISOString(),
      ended_at: iso(record.endedAt),
      cancel_initiated_at: iso(record.cancelInitiatedAt),
      archived_at: iso(record.archivedAt),
      results_url: record.status === "ended" ? `${this.options.baseUrl()}/v1/messages/batches/${record.id}/results` : null
    };
  }
};

// src/emulator/anthropic/faults.ts
var ROUTE_NAMES = [
  "messages",
  "count_tokens",
  "batches.create",
  "batches.retrieve",
  "batches.list",
  "batches.cancel",
  "batches.delete",
  "batches.results"
];
function take(queue, matches) {
  const index = queue.findIndex((entry2) => entry2.remaining > 0 && matches(entry2.value));
  if (index === -1) return null;
  const entry = queue[index];
  entry.remaining -= 1;
  if (entry.remaining <= 0) queue.splice(index, 1);
  return entry.value;
}
function timesOf(times) {
  const value = times ?? 1;
  if (!(value >= 1)) throw new Error(`fault times must be at least 1, got ${String(times)}`);
  return value;
}
var Faults = class {
  requestFaults = [];
  truncations = [];
  resultFaults = [];
  http(route, spec) {
    this.requestFaults.push({ remaining: timesOf(spec.times), value: { route, fault: { kind: "http", spec } } });
  }
  spendCap(route, times) {
    this.http(route, {
      status: 429,
      type: "rate_limit_error",
      message: "You have reached your specified API usage limits. You will regain access on the first day of next month.",
      details: { error_code: "enforced_spend_limit_reached" },
      times: timesOf(times)
    });
  }
  dropConnection(route, times) {
    this.requestFaults.push({ remaining: timesOf(times), value: { route, fault: { kind: "drop" } } });
  }
  truncateResults(batchIdOrAny, afterLines, times) {
    if (!Number.isInteger(afterLines) || afterLines < 0) throw new Error(`afterLines must be a whole number, got ${afterLines}`);
    this.truncations.push({ remaining: timesOf(times), value: { batch: batchIdOrAny, afterLines } });
  }
  result(customId, spec) {
    this.resultFaults.push({ remaining: timesOf(spec.times), value: { customId, spec } });
  }
  pending() {
    return [...this.requestFaults, ...this.truncations, ...this.resultFaults].reduce((n, e) => n + e.remaining, 0);
  }
  clear() {
    this.requestFaults.length = 0;
    this.truncations.length = 0;
    this.resultFaults.length = 0;
  }
  /** @internal the fault for this call, consumed. */
  takeRequestFault(route) {
    const isAny = (r) => r === "*" || r === "any";
    return take(this.requestFaults, (f) => f.route === route || isAny(f.route))?.fault ?? null;
  }
  /** @internal lines to send before cutting this download, consumed; null = send everything. */
  takeTruncation(batchId) {
    const isAny = (b) => b === "*" || b === "any";
    return take(this.truncations, (t) => t.batch === batchId || isAny(t.batch))?.afterLines ?? null;
  }
  /** @internal the scripted outcome for this request, consumed. */
  takeResultFault(customId) {
    return take(this.resultFaults, (f) => f.customId === customId)?.spec ?? null;
  }
};

// src/emulator/anthropic/responders/prompt.ts
function textOf(content) {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((block) => isRecord(block) && block.type === "text" && typeof block.text === "string" ? block.text : "").filter(Boolean).join("\n");
}
function systemText(params) {
  return textOf(params.system);
}
function userText(params) {
  if (!Array.isArray(params.messages)) return "";
  return params.messages.filter((m) => isRecord(m) && m.role === "user").map((m) => textOf(m.content)).join("\n");
}
function outputSchema(params) {
  const config = params.output_config;
  if (!isRecord(config) || !isRecord(config.format)) return null;
  return isRecord(config.format.schema) ? config.format.schema : null;
}
function languageFamily(language, path) {
  const lang = language.toLowerCase();
  if (/^(typescript|javascript|tsx|jsx|ts|js)$/.test(lang) || /\.[cm]?[jt]sx?$/.test(path)) return "js";
  if (lang === "python" || path.endsWith(".py")) return "py";
  if (lang === "go" || path.endsWith(".go")) return "go";
  return "other";
}
function codeOnly(line, family) {
  let out = "";
  let quote2 = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote2) {
      if (ch === "\\") {
        out += "  ";
        i++;
        continue;
      }
      if (ch === quote2) {
        quote2 = null;
        out += ch;
      } else out += " ";
      continue;
    }
    if (ch === '"' || ch === "'" || ch === "`") {
      quote2 = ch;
      out += ch;
      continue;
    }
    if (family === "py" ? ch === "#" : ch === "/" && line[i + 1] === "/") break;
    out += ch;
  }
  return out;
}

// src/emulator/anthropic/responders/findings.ts
var SQL_KEYWORDS = /\b(select\s[\s\S]*\sfrom|insert\s+into|update\s+\w+\s+set|delete\s+from)\b/i;
var CONCATENATION = /['"`]\s*\+\s*[\w$(]|[\w$)\]]\s*\+\s*['"`]/;
var SECRET_NAME = /pass(word)?|passwd|pwd|secret|api_?key|apikey|access_?key|private_?key|token|credential/i;
var SECRETISH_CONTEXT = /token|secret|password|passwd|nonce|salt|session|uuid|\bid\b|[a-z]Id\b|key/i;
var REQUEST_INPUT_JS = /\b(req|request)\.(params|query|body|headers)\b/;
var REQUEST_INPUT_PY = /\brequest\.(args|form|GET|POST|values|json|data)\b/;
var near = (line, re, distance = 3) => {
  for (let n = line.n - distance; n <= line.n + distance; n++) if (re.test(line.lines.get(n) ?? "")) return true;
  return false;
};
function literalArguments(text, index) {
  const open = text.indexOf("(", index);
  if (open === -1) return false;
  const close = text.lastIndexOf(")");
  const args = text.slice(open + 1, close === -1 ? void 0 : close).trim();
  return /^((['"])[^'"`$]*\2\s*,?\s*)+$/.test(args);
}
function nextCodeLine(line, family) {
  for (let n = line.n + 1; n <= line.n + 5; n++) {
    const text = line.lines.get(n);
    if (text === void 0) return void 0;
    const trimmed = text.trim();
    if (trimmed === "" || /^(\/\/|\/\*|\*|#)/.test(trimmed)) {
      if (family === "js" && /^\/\*.*\*\/\s*\}/.test(trimmed)) return "}";
      continue;
    }
    return trimmed;
  }
  return void 0;
}
var RULES = [
  {
    category: "sql-injection",
    severity: "high",
    confidence: "certain",
    trigger: "caller-controlled value \u2192 spliced into the SQL text \u2192 attacker rewrites the query",
    cwe: "CWE-89",
    families: ["js"],
    matches: ({ text }) => SQL_KEYWORDS.test(text) && (/`[^`]*\$\{/.test(text) || CONCATENATION.test(text)),
    title: "SQL query built by string concatenation",
    why: "builds SQL text from values that can come from a caller, so crafted input can change the query.",
    fix: "Use a parameterised query: placeholders (`?` or `$1`) in the SQL and the values passed separately."
  },
  {
    category: "sql-injection",
    severity: "high",
    confidence: "certain",
    trigger: "caller-controlled value \u2192 spliced into the SQL text \u2192 attacker rewrites the query",
    cwe: "CWE-89",
    families: ["py"],
    matches: ({ text }) => /\.(execute|executemany|raw)\s*\(/.test(text) && (/\(\s*f['"]/.test(text) || /['"]\s*%\s*[\w(]/.test(text) || /\.format\(/.test(text) || CONCATENATION.test(text)),
    title: "SQL query built with string formatting",
    why: "formats values straight into the SQL text, so crafted input can change the query.",
    fix: 'Pass the values as parameters: cursor.execute("... WHERE id = %s", (value,)).'
  },
  {
    category: "code-injection",
    severity: "critical",
    confidence: "likely",
    trigger: "input reaching the string \u2192 evaluated as code \u2192 attacker runs arbitrary code",
    cwe: "CWE-95",
    families: ["js"],
    matches: ({ text, code }) => {
      const evalAt = code.search(/(^|[^\w$.])eval\s*\(/);
      const fnAt = code.search(/\bnew\s+Function\s*\(/);
      return evalAt !== -1 && !literalArguments(text, evalAt) || fnAt !== -1 && !literalArguments(text, fnAt);
    },
    title: "Dynamic code evaluation of non-constant input",
    why: "evaluates a string as code; if any part of it comes from input, an attacker can run arbitrary code.",
    fix: "Do not evaluate strings: parse data with JSON.parse, or dispatch through a fixed table of functions."
  },
  {
    category: "code-injection",
    severity: "critical",
    confidence: "likely",
    trigger: "input reaching the string \u2192 evaluated as code \u2192 attacker runs arbitrary code",
    cwe: "CWE-95",
    families: ["py"],
    matches: ({ text, code }) => {
      const at = code.search(/(^|[^\w.])(eval|exec)\s*\(/);
      return at !== -1 && !literalArguments(text, at);
    },
    title: "eval/exec of non-constant input",
    why: "evaluates a string as Python code; input reaching it runs arbitrary code.",
    fix: "Use ast.literal_eval for literals, or a fixed mapping of allowed operations."
  },
  {
    category: "command-injection",
    severity: "critical",
    confidence: "likely",
    trigger: "interpolated value \u2192 shell command line \u2192 attacker runs extra commands",
    cwe: "CWE-78",
    families: ["js"],
    matches: ({ text, code }) => /((^|[^.\w$])|\b(child_process|childProcess|cp|proc)\.)(exec|execSync|spawn|spawnSync)\s*\(/.test(code) && (/`[^`]*\$\{/.test(text) || CONCATENATION.test(text)) && !SQL_KEYWORDS.test(text),
    title: "Shell command built from interpolated values",
    why: "runs a shell command assembled from variables, so shell metacharacters in them run extra commands.",
    fix: "Use execFile/spawn with an argument array (no shell) and validate the values against an allowlist."
  },
  {
    category: "command-injection",
    severity: "critical",
    confidence: "likely",
    trigger: "interpolated value \u2192 shell command line \u2192 attacker runs extra commands",
    cwe: "CWE-78",
    families: ["py"],
    matches: ({ text, code }) => {
      const at = code.search(/\bos\.(system|popen)\s*\(/);
      return at !== -1 && !literalArguments(text, at) || /\bsubprocess\.\w+\(.*shell\s*=\s*True/.test(text);
    },
    title: "Shell command run with interpolated input",
    why: "hands a command string to the shell, so metacharacters in any interpolated value run extra commands.",
    fix: "Call subprocess.run([...args], shell=False) with an argument list."
  },
  {
    category: "hardcoded-credentials",
    severity: "high",
    confidence: "certain",
    trigger: "source or git history read \u2192 credential copied \u2192 attacker uses the account",
    cwe: "CWE-798",
    families: "any",
    matches: ({ text }) => {
      const match = /([A-Za-z_$][\w$]*)['"]?\s*(?::=|[:=])\s*(['"`])([^'"`]{4,})\2/.exec(text);
      if (!match || !SECRET_NAME.test(match[1])) return false;
      const value = match[3];
      return !/REDACTED|\*\*\*|^<.*>$|\$\{|^\s*$|process\.env|os\.environ/i.test(value) && !/\s/.test(value);
    },
    title: "Hard-coded credential",
    why: "stores a credential in source code, where everyone with read access (and the git history) has it.",
    fix: "Read the secret from the environment or a secret manager, and rotate the exposed value."
  },
  {
    category: "weak-randomness",
    severity: "medium",
    confidence: "likely",
    trigger: "observed outputs \u2192 Math.random state predicted \u2192 attacker guesses the token",
    cwe: "CWE-338",
    families: ["js"],
    matches: ({ text }) => /Math\.random\s*\(/.test(text) && SECRETISH_CONTEXT.test(text),
    title: "Math.random used for a security-sensitive value",
    why: "derives a token or identifier from Math.random, which is predictable.",
    fix: "Use crypto.randomBytes / crypto.randomUUID for tokens, ids and passwords."
  },
  {
    category: "weak-randomness",
    severity: "medium",
    confidence: "likely",
    trigger: "observed outputs \u2192 Math.random state predicted \u2192 attacker guesses the token",
    cwe: "CWE-338",
    families: ["py"],
    matches: ({ text }) => /\brandom\.(random|randint|choice|choices|getrandbits)\s*\(/.test(text) && SECRETISH_CONTEXT.test(text),
    title: "random module used for a security-sensitive value",
    why: "derives a token or identifier from the random module, which is predictable.",
    fix: "Use the secrets module (secrets.token_urlsafe, secrets.choice)."
  },
  {
    category: "weak-crypto",
    severity: "high",
    confidence: "certain",
    trigger: "leaked password hashes \u2192 fast MD5/SHA-1 brute force \u2192 passwords recovered",
    cwe: "CWE-327",
    families: ["js", "py"],
    matches: (line) => (/createHash\s*\(\s*['"](md5|sha1)['"]/i.test(line.text) || /\bhashlib\.(md5|sha1)\s*\(/.test(line.text)) && near(line, /pass(word)?|pwd|secret|credential/i),
    title: "Password hashed with a fast, broken hash",
    why: "hashes a password with MD5/SHA-1, which is fast to brute-force and broken for this purpose.",
    fix: "Hash passwords with a slow KDF: bcrypt, scrypt or argon2 (crypto.scrypt in Node, hashlib.scrypt in Python)."
  },
  {
    category: "off-by-one",
    severity: "medium",
    confidence: "certain",
    trigger: "last loop pass \u2192 reads index length \u2192 undefined used as an element",
    cwe: null,
    families: ["js"],
    matches: ({ code }) => /\bfor\s*\([^;]*;\s*[\w$]+\s*<=\s*[\w$.[\]]+\.length\s*;/.test(code),
    title: "Loop runs one past the end of the array",
    why: "iterates while the index is <= length, so the last pass reads an element that does not exist (undefined).",
    fix: "Use `<` instead of `<=` (or iterate with for...of).",
    replace: (text) => text.replace(/(;\s*[\w$]+\s*)<=(\s*[\w$.[\]]+\.length\s*;)/, "$1<$2")
  },
  {
    category: "loose-equality",
    severity: "low",
    confidence: "possible",
    trigger: "a value of another type \u2192 coerced by == \u2192 compares equal when it should not",
    cwe: null,
    families: ["js"],
    matches: ({ code }) => /(?<![=!<>])(==|!=)(?!=)/.test(code),
    title: ({ code }) => /(==|!=)\s*null\b/.test(code) ? "Loose comparison with null also matches undefined" : "Loose equality comparison",
    why: "compares with == / !=, which coerces types and can make unequal values compare equal.",
    fix: "Use === / !== (and compare with both null and undefined explicitly where both are meant).",
    // Only a line whose sole comparison is outside strings: `== null` may mean both null and undefined.
    replace: (text) => {
      const code = codeOnly(text, "js");
      if (/(==|!=)\s*null\b/.test(code) || code.match(/(?<![=!<>])(==|!=)(?!=)/g)?.length !== 1) return null;
      const at = code.search(/(?<![=!<>])(==|!=)(?!=)/);
      return `${text.slice(0, at + 2)}=${text.slice(at + 2)}`;
    }
  },
  {
    category: "swallowed-error",
    severity: "medium",
    confidence: "certain",
    trigger: "the call throws \u2192 catch does nothing \u2192 failure goes unnoticed",
    cwe: null,
    families: ["js"],
    matches: (line) => /\bcatch\s*(\([^)]*\))?\s*\{\s*(\/\*.*\*\/\s*)?\}/.test(line.code) || /\bcatch\s*(\([^)]*\))?\s*\{\s*$/.test(line.code) && nextCodeLine(line, "js")?.startsWith("}") === true,
    title: "Error silently swallowed by an empty catch block",
    why: "catches an error and does nothing with it, so failures vanish without a trace.",
    fix: "Handle the error, log it with context, or let it propagate."
  },
  {
    category: "swallowed-error",
    severity: "medium",
    confidence: "certain",
    trigger: "the call throws \u2192 catch does nothing \u2192 failure goes unnoticed",
    cwe: null,
    families: ["py"],
    matches: (line) => /^\s*except\b[^:]*:\s*pass\s*$/.test(line.code) || /^\s*except\b[^:]*:\s*$/.test(line.code) && nextCodeLine(line, "py") === "pass",
    title: "Exception silently swallowed",
    why: "catches an exception and passes, so failures vanish without a trace.",
    fix: "Catch the specific exception and handle or log it; re-raise what you cannot handle."
  },
  {
    category: "path-traversal",
    severity: "high",
    confidence: "certain",
    trigger: "request sends ../ in the name \u2192 joined into the path \u2192 attacker reads files outside the directory",
    cwe: "CWE-22",
    families: ["js"],
    matches: ({ text }) => /(path\.(join|resolve)|readFile(Sync)?|createReadStream|sendFile|writeFile(Sync)?)\s*\(/.test(text) && REQUEST_INPUT_JS.test(text),
    title: "File path built from request input",
    why: "uses request input in a file path, so `../` sequences can reach files outside the intended directory.",
    fix: "Resolve the path, then check it stays inside the base directory (or map ids to files through an allowlist)."
  },
  {
    category: "path-traversal",
    severity: "high",
    confidence: "certain",
    trigger: "request sends ../ in the name \u2192 joined into the path \u2192 attacker reads files outside the directory",
    cwe: "CWE-22",
    families: ["py"],
    matches: ({ text }) => /\b(open|os\.path\.join|send_file)\s*\(/.test(text) && REQUEST_INPUT_PY.test(text),
    title: "File path built from request input",
    why: "uses request input in a file path, so `../` sequences can reach files outside the intended directory.",
    fix: "Use werkzeug.utils.safe_join (or resolve and check the prefix) before opening the file."
  },
  {
    category: "xss",
    severity: "high",
    confidence: "likely",
    trigger: "user-controlled markup \u2192 innerHTML \u2192 script runs in the victim page",
    cwe: "CWE-79",
    families: ["js"],
    matches: ({ text, code }) => /\.(innerHTML|outerHTML)\s*\+?=(?!=)/.test(code) && !/\.(innerHTML|outerHTML)\s*\+?=\s*(['"])[^'"]*\2\s*;?\s*$/.test(text) || /\bdocument\.write\s*\(/.test(code),
    title: "Unescaped HTML written into the page",
    why: "assigns markup to innerHTML, so any user-controlled part of it can run script in the page.",
    fix: "Set textContent instead, or sanitise the markup (e.g. DOMPurify) before inserting it.",
    replace: (text) => /\.innerHTML\s*=(?!=)/.test(text) ? text.replace(/\.innerHTML(\s*=)(?!=)/, ".textContent$1") : null
  },
  {
    category: "log-injection",
    severity: "low",
    confidence: "likely",
    trigger: "request value \u2192 log line",
    cwe: "CWE-117",
    families: ["js"],
    matches: ({ text }) => /\bconsole\.(log|info|warn|error)\s*\(/.test(text) && REQUEST_INPUT_JS.test(text),
    title: "Request input written to the log unescaped",
    why: "writes request input into a log line, so a newline in it can forge log entries.",
    fix: "Log the value JSON-encoded (or strip CR/LF) so it cannot start a new entry."
  },
  {
    category: "insecure-deserialization",
    severity: "high",
    confidence: "likely",
    trigger: "crafted payload \u2192 unpickled or yaml.load-ed \u2192 attacker runs code",
    cwe: "CWE-502",
    families: ["py"],
    matches: ({ code }) => /\bpickle\.loads?\s*\(/.test(code) || /\byaml\.load\s*\(/.test(code) && !/Loader\s*=\s*yaml\.SafeLoader|SafeLoader/.test(code),
    title: "Untrusted data deserialised with an unsafe loader",
    why: "deserialises data with pickle / yaml.load, which can construct arbitrary objects and run code.",
    fix: "Use json, or yaml.safe_load; never unpickle data that crosses a trust boundary."
  }
];
function quote(text) {
  const trimmed = text.trim();
  return trimmed.length > 160 ? `${trimmed.slice(0, 157)}...` : trimmed;
}
function replacementOf(rule, text) {
  const replaced = rule.replace?.(text) ?? null;
  return replaced !== null && replaced !== text ? replaced : null;
}
function findDefects(block, options) {
  const family = languageFamily(block.language, block.path);
  const findings = [];
  const numbers = [...block.code.keys()].sort((a, b) => a - b);
  for (const n of numbers) {
    const text = block.code.get(n);
    const line = { text, code: codeOnly(text, family), n, lines: block.code };
    const seen = /* @__PURE__ */ new Set();
    for (const rule of RULES) {
      if (rule.families !== "any" && !rule.families.includes(family)) continue;
      if (options.securityOnly && rule.cwe === null) continue;
      if (seen.has(rule.category) || !rule.matches(line)) continue;
      seen.add(rule.category);
      findings.push({
        path: block.path,
        start_line: n,
        end_line: n,
        quote: text.trim(),
        trigger: rule.trigger,
        severity: rule.severity,
        confidence: rule.confidence,
        category: rule.category,
        title: typeof rule.title === "string" ? rule.title : rule.title(line),
        explanation: `Line ${n}, ${delimitCodeSpan(quote(text))}, ${rule.why}`,
        fix_explanation: rule.fix,
        replacement: replacementOf(rule, text),
        cwe: rule.cwe
      });
    }
  }
  return findings;
}
function findingsAnswer(blocks, options) {
  const findings = blocks.flatMap((block) => findDefects(block, options));
  const paths = blocks.map((b) => b.path).join(", ") || "no files";
  if (findings.length === 0) return { summary: `Reviewed ${paths}: no issues found.`, findings };
  const bySeverity = /* @__PURE__ */ new Map();
  for (const f of findings) bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
  const counts = [...bySeverity].map(([severity, count]) => `${count} ${severity}`).join(", ");
  return { summary: `Reviewed ${paths}: ${findings.length} issue(s) (${counts}).`, findings };
}

// src/emulator/anthropic/responders/files.ts
import { posix } from "node:path";

// src/emulator/anthropic/responders/signatures.ts
var JS_FUNCTION = /^(\s*)export\s+(default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^(]*>)?\s*\(/;
var JS_ARROW = /^(\s*)export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b[^(]*\(|(?:<[^(]*>)?\s*\(|([A-Za-z_$][\w$]*)\s*=>)/;
var JS_CLASS = /^(\s*)export\s+(default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/;
var JS_VALUE = /^(\s*)export\s+(?:const|let|var|enum|const\s+enum)\s+([A-Za-z_$][\w$]*)/;
var JS_TYPE = /^(\s*)export\s+(?:declare\s+)?(?:interface|type)\s+([A-Za-z_$][\w$]*)/;
var JS_LIST = /^\s*export\s*(?:type\s*)?\{([^}]*)\}/;
var PY_DEF = /^()(?:async\s+)?def\s+([A-Za-z]\w*)\s*\(/;
var PY_CLASS = /^()class\s+([A-Za-z]\w*)/;
var GO_FUNC = /^()func\s+([A-Z]\w*)\s*(?:\[[^\]]*\])?\s*\(/;
var GO_TYPE = /^()type\s+([A-Z]\w*)\s/;
function parenthesised(lines, line, column) {
  let depth = 0;
  let out = "";
  for (let n = line; lines.has(n) && n < line + 60; n++) {
    const text = lines.get(n);
    for (let i = n === line ? column : 0; i < text.length; i++) {
      const ch = text[i];
      if ("([{<".includes(ch)) depth++;
      if (")]}>".includes(ch) && !(ch === ">" && text[i - 1] === "=")) depth--;
      if (depth === 0) return out.slice(1);
      out += ch;
    }
    out += " ";
  }
  return out.slice(1);
}
function splitParams(list) {
  const params = [];
  let depth = 0;
  let current = "";
  let previous = "";
  for (const ch of list) {
    if ("([{<".includes(ch)) depth++;
    if (")]}>".includes(ch) && !(ch === ">" && previous === "=")) depth--;
    previous = ch;
    if (ch === "," && depth === 0) {
      params.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim()) params.push(current.trim());
  return params.filter((p) => p !== "" && !/^this\s*:/.test(p));
}
function arityOf(params, family) {
  if (family !== "js") return params.filter((p) => !p.includes("=") && !p.startsWith("*")).length;
  const index = params.findIndex((p) => p.startsWith("...") || /^[^:]*=/.test(p.replace(/=>/g, "")));
  return index === -1 ? params.length : index;
}
function paramName(param) {
  const cleaned = param.replace(/^\.\.\./, "").replace(/^\*+/, "");
  const match = /^([A-Za-z_$][\w$]*)/.exec(cleaned);
  return match ? match[1] : "options";
}
function findExports(lines, family) {
  const symbols = [];
  const numbers = [...lines.keys()].sort((a, b) => a - b);
  const functionPatterns = family === "js" ? [JS_FUNCTION, JS_ARROW] : family === "py" ? [PY_DEF] : family === "go" ? [GO_FUNC] : [];
  const classPatterns = family === "js" ? [JS_CLASS] : family === "py" ? [PY_CLASS] : family === "go" ? [GO_TYPE] : [];
  for (const n of numbers) {
    const text = lines.get(n);
    let matched = false;
    for (const pattern of functionPatterns) {
      const match = pattern.exec(text);
      if (!match) continue;
      const isDefault = pattern === JS_FUNCTION && Boolean(match[2]);
      const name = pattern === JS_FUNCTION ? match[3] : match[2];
      let params;
      const bareArrowParam = pattern === JS_ARROW ? match[3] : void 0;
      if (bareArrowParam) params = [bareArrowParam];
      else {
        const open = match[0].length - 1;
        params = splitParams(parenthesised(lines, n, open));
      }
      if (family === "py") params = params.filter((p) => p !== "self" && p !== "cls" && p !== "*" && p !== "/");
      if (family === "py" && name.startsWith("_")) break;
      symbols.push({
        name,
        kind: "function",
        line: n,
        params,
        arity: arityOf(params, family),
        isDefault,
        indent: match[1] ?? ""
      });
      matched = true;
      break;
    }
    if (matched) continue;
    for (const pattern of classPatterns) {
      const match = pattern.exec(text);
      if (!match) continue;
      const name = pattern === JS_CLASS ? match[3] : match[2];
      if (family === "py" && name.startsWith("_")) break;
      symbols.push({
        name,
        kind: family === "go" ? "type" : "class",
        line: n,
        params: [],
        arity: 0,
        isDefault: pattern === JS_CLASS && Boolean(match[2]),
        indent: match[1] ?? ""
      });
      matched = true;
      break;
    }
    if (matched || family !== "js") continue;
    const value = JS_VALUE.exec(text) ?? JS_TYPE.exec(text);
    if (value) {
      symbols.push({
        name: value[2],
        kind: JS_TYPE.test(text) ? "type" : "value",
        line: n,
        params: [],
        arity: 0,
        isDefault: false,
        indent: value[1] ?? ""
      });
      continue;
    }
    const list = JS_LIST.exec(text);
    if (list) {
      for (const item of list[1].split(",")) {
        const exported = item.trim().split(/\s+as\s+/).pop()?.trim();
        if (exported)
          symbols.push({ name: exported, kind: "value", line: n, params: [], arity: 0, isDefault: false, indent: "" });
      }
    }
  }
  return symbols;
}

// src/emulator/anthropic/responders/files.ts
var decodeOptional = (text) => text === void 0 ? null : decodeAttribute(text);
var TEST_PATH = /(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\.[^./]+$|(^|\/)test_[^/]+\.py$|_test\.(go|py)$/;
function readTestRequest(promptText, blocks) {
  const shownTests = /* @__PURE__ */ new Map();
  for (const block of blocks) {
    if (!TEST_PATH.test(block.path)) continue;
    const whole = wholeContent(block);
    if (whole !== null) shownTests.set(block.path, whole);
  }
  return {
    promptText,
    framework: /^framework:\s*([^(\n]+)/m.exec(promptText)?.[1]?.trim().toLowerCase() ?? null,
    // Paths in the request's text are written as in the path attribute (escapeAttribute).
    suggestedPath: decodeOptional(/^suggested path:\s*(\S+)/m.exec(promptText)?.[1]),
    suggestedFor: decodeOptional(/\bWrite tests for (\S+?)\.?(?:\s|$)/.exec(promptText)?.[1]),
    shownTests
  };
}
function wholeContent(block) {
  const lines = [];
  for (let n = 1; n <= block.totalLines; n++) {
    const line = block.code.get(n);
    if (line === void 0) return null;
    lines.push(line);
  }
  return lines.length ? `${lines.join("\n")}
` : "";
}
function jsTestLayout(promptText) {
  const paths = [...promptText.matchAll(/(?:^|[\s"'`(])((?:[\w.-]+\/)*[\w.-]+\.(test|spec)\.[cm]?[jt]sx?)\b/gm)].map((m) => ({
    path: m[1],
    suffix: m[2]
  }));
  const suffix = paths[0]?.suffix ?? "test";
  if (/\b(next to|alongside|beside) (the |its )?(source|file|module)|\bco-?located\b|same directory/i.test(promptText)) {
    return { layout: { kind: "colocated" }, suffix };
  }
  if (paths.some((p) => p.path.includes("__tests__/"))) return { layout: { kind: "__tests__" }, suffix };
  const inDir = paths.find((p) => /^(tests?|spec)\//.test(p.path));
  if (inDir) return { layout: { kind: "dir", dir: inDir.path.split("/")[0] }, suffix };
  if (paths.length > 0) return { layout: { kind: "colocated" }, suffix };
  return { layout: { kind: "dir", dir: "test" }, suffix };
}
function jsTestPath(source, promptText) {
  const { layout, suffix } = jsTestLayout(promptText);
  const ext = posix.extname(source);
  const base = posix.basename(source, ext);
  const dir = posix.dirname(source);
  const file = `${base}.${suffix}${ext}`;
  if (layout.kind === "colocated") return posix.join(dir, file);
  if (layout.kind === "__tests__") return posix.join(dir, "__tests__", file);
  const inner = dir.replace(/^(src|lib)(\/|$)/, "");
  return posix.join(layout.dir, inner, file);
}
function jsImportSpecifier(testPath, source) {
  let relative = posix.relative(posix.dirname(testPath), source);
  if (!relative.startsWith(".")) relative = `./${relative}`;
  return relative.replace(/\.ts$/, ".js").replace(/\.tsx$/, ".js").replace(/\.mts$/, ".mjs").replace(/\.cts$/, ".cjs");
}
function mergeInto(existing, imports, body) {
  const lines = existing.replace(/\n$/, "").split("\n");
  let lastImport = -1;
  lines.forEach((line, i) => {
    if (/^\s*(import\b|from\s+\S+\s+import\b|}\s*from\s+['"])/.test(line)) lastImport = i;
  });
  lines.splice(lastImport + 1, 0, ...imports);
  return `${[...lines, "", ...body].join("\n").replace(/\n+$/, "")}
`;
}
function importedNames(text) {
  const names = /* @__PURE__ */ new Set();
  for (const match of text.matchAll(/import\s+([\s\S]*?)\s+from\s+['"][^'"]+['"]/g)) {
    for (const part of match[1].replace(/[{}*]/g, ",").split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name && /^[A-Za-z_$][\w$]*$/.test(name)) names.add(name);
    }
  }
  for (const match of text.matchAll(/^from\s+\S+\s+import\s+(.+)$/gm)) {
    for (const part of match[1].split(","))
      names.add(
        part.trim().split(/\s+as\s+/).pop().trim()
      );
  }
  return names;
}
function jsTestFile(block, symbols, path, request) {
  const testable = symbols.filter((s) => s.kind === "function" || s.kind === "class");
  if (testable.length === 0) return null;
  const existing = request.shownTests.get(path);
  const already = existing === void 0 ? /* @__PURE__ */ new Set() : importedNames(existing);
  const specifier = jsImportSpecifier(path, block.path);
  const framework = request.framework ?? (/\bjest\b/i.test(request.promptText) && !/\bvitest\b/i.test(request.promptText) ? "jest" : "vitest");
  const nodeTest = framework.startsWith("node:test");
  const defaultExport = testable.find((s) => s.isDefault && !already.has(s.name));
  const named = testable.filter((s) => !s.isDefault && !already.has(s.name)).map((s) => s.name);
  const imports = [];
  if (nodeTest) {
    if (!/from\s+['"]node:test['"]/.test(existing ?? "")) imports.push("import { describe, it } from 'node:test';");
    if (!already.has("assert")) imports.push("import assert from 'node:assert/strict';");
  } else if (framework.startsWith("vitest") && !/from\s+['"]vitest['"]/.test(existing ?? "")) {
    imports.push("import { describe, expect, it } from 'vitest';");
  }
  const importParts = [defaultExport?.name, named.length ? `{ ${named.join(", ")} }` : void 0].filter(Boolean);
  if (importParts.length) imports.push(`import ${importParts.join(", ")} from '${specifier}';`);
  const isFunction = (name) => nodeTest ? `assert.equal(typeof ${name}, 'function');` : `expect(typeof ${name}).toBe('function');`;
  const hasArity = (name, arity) => nodeTest ? `assert.equal(${name}.length, ${arity});` : `expect(${name}.length).toBe(${arity});`;
  const body = [`describe('${posix.basename(block.path)} exports', () => {`];
  testable.forEach((symbol, i) => {
    if (i > 0) body.push("");
    if (symbol.kind === "class")
      body.push(`  it('exports the class ${symbol.name}', () => {`, `    ${isFunction(symbol.name)}`, "  });");
    else {
      body.push(
        `  it('exports ${symbol.name} taking ${symbol.arity} required parameter(s)', () => {`,
        `    ${isFunction(symbol.name)}`,
        `    ${hasArity(symbol.name, symbol.arity)}`,
        "  });"
      );
    }
  });
  body.push("});");
  const content = existing !== void 0 ? mergeInto(existing, imports, body) : `${[...imports, "", ...body].join("\n")}
`;
  return {
    path,
    content,
    description: `Tests for the exports of ${block.path}: ${testable.map((s) => s.name).join(", ")}.`,
    source_path: block.path
  };
}
function pyTestFile(block, symbols, path, request) {
  const existing = request.shownTests.get(path);
  const functions = symbols.filter(
    (s) => (s.kind === "function" || s.kind === "class") && !existing?.includes(`def test_${s.name.toLowerCase()}_is_callable(`)
  );
  if (functions.length === 0) return null;
  const module = block.path.replace(/\.py$/, "").replace(/^src\//, "").split("/").join(".");
  const already = existing === void 0 ? /* @__PURE__ */ new Set() : importedNames(existing);
  const missing = functions.filter((s) => !already.has(s.name)).map((s) => s.name);
  const imports = missing.length ? [`from ${module} import ${missing.join(", ")}`] : [];
  const body = [];
  for (const symbol of functions) {
    body.push("", `def test_${symbol.name.toLowerCase()}_is_callable():`, `    assert callable(${symbol.name})`);
  }
  const content = existing !== void 0 ? mergeInto(existing, imports, body) : `${[...imports, "", ...body].join("\n")}
`;
  return { path, content, description: `Tests for the public functions of ${block.path}.`, source_path: block.path };
}
function goTestFile(block, symbols, path, request) {
  const existing = request.shownTests.get(path);
  const functions = symbols.filter((s) => s.kind === "function" && !existing?.includes(`func Test${s.name}IsDefined(`));
  if (functions.length === 0) return null;
  const pkg = [...block.code.values()].map((l) => /^package\s+(\w+)/.exec(l)?.[1]).find(Boolean) ?? "main";
  const body = [];
  for (const symbol of functions) {
    body.push("", `func Test${symbol.name}IsDefined(t *testing.T) {`, `	fn := ${symbol.name}`, "	_ = fn", "}");
  }
  const content = existing !== void 0 ? mergeInto(existing, [], body) : `${[`package ${pkg}`, "", 'import "testing"', ...body].join("\n")}
`;
  return { path, content, description: `Tests for ${block.path}.`, source_path: block.path };
}
function testGenerationAnswer(blocks, promptText) {
  const request = readTestRequest(promptText, blocks);
  const sources = blocks.filter((block) => !TEST_PATH.test(block.path));
  const files = [];
  const skipped = [];
  for (const block of sources) {
    const family = languageFamily(block.language, block.path);
    const symbols = findExports(block.code, family);
    const suggested = request.suggestedPath && (request.suggestedFor === block.path || sources.length === 1) ? request.suggestedPath : null;
    const file = family === "js" ? jsTestFile(block, symbols, suggested ?? jsTestPath(block.path, promptText), request) : family === "py" ? pyTestFile(block, symbols, suggested ?? pyTestPath(block.path, promptText), request) : family === "go" ? goTestFile(block, symbols, suggested ?? block.path.replace(/\.go$/, "_test.go"), request) : null;
    if (file) files.push(file);
    else skipped.push(block.path);
  }
  const parts = [files.length ? `Wrote tests for ${files.map((f) => f.source_path).join(", ")}.` : "No tests written."];
  if (skipped.length) parts.push(`Nothing new to test in ${skipped.join(", ")}.`);
  return { summary: parts.join(" "), files };
}
function pyTestPath(source, promptText) {
  const dirMatch = /(?:^|[\s"'`])(tests?)\/(?:[\w-]+\/)*test_\w+\.py\b/m.exec(promptText);
  return posix.join(dirMatch?.[1] ?? "tests", `test_${posix.basename(source, ".py")}.py`);
}
function sentenceFromName(name) {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/_/g, " ").trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
function hasDocAbove(lines, index) {
  for (let i = index - 1; i >= 0; i--) {
    const trimmed = lines[i].trim();
    if (trimmed === "") return false;
    if (trimmed.startsWith("@")) continue;
    return trimmed.endsWith("*/") || trimmed.startsWith("//") || trimmed.startsWith("*");
  }
  return false;
}
function documented(block) {
  const family = languageFamily(block.language, block.path);
  const whole = wholeContent(block);
  if (whole === null) return null;
  const lines = whole.replace(/\n$/, "").split("\n");
  const symbols = findExports(block.code, family).filter((s) => s.kind === "function" || s.kind === "class");
  const added = [];
  for (const symbol of [...symbols].sort((a, b) => b.line - a.line)) {
    const index = symbol.line - 1;
    const sentence = `${sentenceFromName(symbol.name)}.`;
    if (family === "py") {
      const next = lines[index + 1]?.trim() ?? "";
      if (!lines[index].trimEnd().endsWith(":") || next.startsWith('"""') || next.startsWith("'''")) continue;
      const bodyIndent = /^(\s*)/.exec(lines[index + 1] ?? "")?.[1] || `${symbol.indent}    `;
      lines.splice(index + 1, 0, `${bodyIndent}"""${sentence}"""`);
    } else if (family === "go") {
      if (hasDocAbove(lines, index)) continue;
      lines.splice(index, 0, `// ${symbol.name} ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}`);
    } else if (family === "js") {
      if (hasDocAbove(lines, index)) continue;
      const doc = [`${symbol.indent}/**`, `${symbol.indent} * ${sentence}`];
      for (const param of symbol.params)
        doc.push(`${symbol.indent} * @param ${paramName(param)} - The ${sentenceFromName(paramName(param)).toLowerCase()}.`);
      doc.push(`${symbol.indent} */`);
      lines.splice(index, 0, ...doc);
    } else continue;
    added.push(symbol.name);
  }
  if (added.length === 0) return { content: "", added };
  return { content: `${lines.join("\n")}
`, added: added.reverse() };
}
function docsUpdateAnswer(blocks) {
  const files = [];
  const notes = [];
  for (const block of blocks) {
    const result = documented(block);
    if (!result) notes.push(`${block.path} was not sent whole, so it was left unchanged.`);
    else if (result.added.length === 0) notes.push(`${block.path} already documents its exports.`);
    else {
      files.push({
        path: block.path,
        content: result.content,
        description: `Added doc comments for ${result.added.join(", ")}.`,
        source_path: block.path
      });
    }
  }
  const head = files.length ? `Documented ${files.map((f) => f.path).join(", ")}.` : "No documentation changes.";
  return { summary: [head, ...notes].join(" "), files };
}

// src/emulator/anthropic/responders/schema-fit.ts
function resolve(schema, root) {
  let current = schema;
  for (let depth = 0; depth < 20 && isRecord(current) && typeof current.$ref === "string"; depth++) {
    const ref = current.$ref;
    if (!ref.startsWith("#")) return {};
    let target = root;
    for (const part of ref.slice(1).split("/").filter(Boolean)) {
      target = isRecord(target) ? target[decodeURIComponent(part.replace(/~1/g, "/").replace(/~0/g, "~"))] : void 0;
    }
    current = target;
  }
  return isRecord(current) ? current : {};
}
function typesOf(schema) {
  if (Array.isArray(schema.type)) return schema.type.map(String);
  if (typeof schema.type === "string") return [schema.type];
  if (isRecord(schema.properties)) return ["object"];
  if (schema.items !== void 0) return ["array"];
  if (Array.isArray(schema.enum)) return [...new Set(schema.enum.map((v) => v === null ? "null" : typeof v))];
  return [];
}
function jsonType(value) {
  if (value === null || value === void 0) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}
function exampleFor(schema, root) {
  return fitToSchema(void 0, schema, root);
}
function fitToSchema(value, rawSchema, root = isRecord(rawSchema) ? rawSchema : {}) {
  const schema = resolve(rawSchema, root);
  if ("const" in schema) return schema.const;
  for (const combinator of ["anyOf", "oneOf"]) {
    const branches = schema[combinator];
    if (Array.isArray(branches) && branches.length > 0) {
      const resolved = branches.map((b) => resolve(b, root));
      const kind2 = jsonType(value);
      const match = resolved.find((b) => typesOf(b).includes(kind2) || kind2 === "integer" && typesOf(b).includes("number")) ?? resolved.find((b) => !typesOf(b).includes("null")) ?? resolved[0];
      return fitToSchema(value, match, root);
    }
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return fitToSchema(value, schema.allOf[0], root);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    if (schema.enum.includes(value)) return value;
    if (typeof value === "string") {
      const folded = schema.enum.find((e) => typeof e === "string" && e.toLowerCase() === value.toLowerCase());
      if (folded !== void 0) return folded;
    }
    return schema.enum.find((e) => e !== null) ?? schema.enum[0];
  }
  const types = typesOf(schema);
  if (types.length === 0) return value === void 0 ? null : value;
  const kind = jsonType(value);
  if (kind === "null" && types.includes("null")) return null;
  const type = types.includes(kind) ? kind : kind === "integer" && types.includes("number") ? "number" : types.find((t) => t !== "null");
  switch (type) {
    case "object": {
      const source = isRecord(value) ? value : {};
      const properties = isRecord(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
      const out = {};
      for (const [name, sub] of Object.entries(properties)) {
        if (name in source) out[name] = fitToSchema(source[name], sub, root);
        else if (required.includes(name)) out[name] = exampleFor(sub, root);
      }
      if (schema.additionalProperties !== false) {
        for (const [name, v] of Object.entries(source)) if (!(name in properties)) out[name] = v;
      }
      return out;
    }
    case "array": {
      const items = Array.isArray(value) ? value.map((item) => fitToSchema(item, schema.items ?? {}, root)) : [];
      const min = typeof schema.minItems === "number" ? schema.minItems : 0;
      while (items.length < min) items.push(exampleFor(schema.items ?? {}, root));
      return typeof schema.maxItems === "number" ? items.slice(0, schema.maxItems) : items;
    }
    case "string":
      return typeof value === "string" ? value : value === void 0 || value === null ? "" : String(value);
    case "integer":
    case "number": {
      const n = Number(value);
      const finite = Number.isFinite(n) ? n : typeof schema.minimum === "number" ? schema.minimum : 0;
      return type === "integer" ? Math.round(finite) : finite;
    }
    case "boolean":
      return Boolean(value);
    case "null":
      return null;
    default:
      return value ?? null;
  }
}

// src/emulator/anthropic/responders/verdicts.ts
function closestSentLine(code, line) {
  let best = 1;
  let distance = Infinity;
  for (const n of code.keys()) {
    const d = Math.abs(n - line);
    if (d < distance) [best, distance] = [n, d];
  }
  return best;
}
function verdictFor(block) {
  if (block.baseCode.size === 0) {
    return { path: block.path, verdict: "VALID", summary: "New file: there is no original to compare with.", problems: [] };
  }
  const family = languageFamily(block.language, block.path);
  const before = findExports(block.baseCode, family);
  const after = new Map(findExports(block.code, family).map((s) => [s.name, s]));
  const headIsWhole = block.code.size >= block.totalLines;
  const problems = [];
  for (const symbol of before) {
    const now = after.get(symbol.name);
    if (!now) {
      if (!headIsWhole) continue;
      const line = closestSentLine(block.code, symbol.line);
      problems.push({
        start_line: line,
        end_line: line,
        kind: "missing-export",
        severity: "high",
        title: `Export ${symbol.name} was removed`,
        explanation: `The original exported ${symbol.kind} \`${symbol.name}\` (line ${symbol.line} of the original); the refactored file no longer exports it, so every importer breaks.`
      });
      continue;
    }
    if (symbol.kind === "function" && now.kind === "function" && symbol.params.length !== now.params.length) {
      problems.push({
        start_line: now.line,
        end_line: now.line,
        kind: "type-break",
        severity: "high",
        title: `${symbol.name} now takes ${now.params.length} parameter(s) instead of ${symbol.params.length}`,
        explanation: `\`${symbol.name}(${symbol.params.join(", ")})\` became \`${now.name}(${now.params.join(", ")})\`: existing callers pass the old arguments.`
      });
    }
  }
  if (problems.length === 0) {
    return {
      path: block.path,
      verdict: "VALID",
      summary: `Every export of the original (${before.length}) keeps its name and parameter count.`,
      problems
    };
  }
  return { path: block.path, verdict: "INVALID", summary: `${problems.length} break(s) in the public interface.`, problems };
}
function verdictsAnswer(blocks) {
  const verdicts = blocks.map(verdictFor);
  const invalid = verdicts.filter((v) => v.verdict === "INVALID").length;
  const summary = verdicts.length === 0 ? "No files to validate." : invalid === 0 ? `All ${verdicts.length} file(s) keep their behaviour.` : `${invalid} of ${verdicts.length} file(s) change their public interface.`;
  return { summary, verdicts };
}

// src/emulator/anthropic/responders/verify.ts
function isVerificationRequest(params) {
  const schema = outputSchema(params);
  const properties = schema?.properties;
  return typeof properties === "object" && properties !== null && "checks" in properties;
}
function checkedFindings(params) {
  const text = userText(params);
  const match = /<findings>\n([\s\S]*?)\n<\/findings>/.exec(text);
  if (!match) return [];
  try {
    const parsed = JSON.parse(match[1]);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}
function verificationAnswer(findings, decide) {
  const checks = findings.map((finding) => {
    const said = decide(finding);
    const full = typeof said === "string" ? {
      decision: said,
      reason: said === "keep" ? `lines ${finding.lines} do what the finding says` : `lines ${finding.lines} do not do that`,
      confidence: "certain"
    } : said;
    return { id: finding.id, reason: full.reason, decision: full.decision, confidence: full.confidence };
  });
  return JSON.stringify({ checks });
}
function defaultVerification(params) {
  return verificationAnswer(checkedFindings(params), (finding) => finding.quote.trim() ? "keep" : "drop");
}

// src/emulator/anthropic/responders/index.ts
function isDocsTask(text) {
  if (/test-generation/i.test(text)) return false;
  if (/docs-update/i.test(text)) return true;
  const tests = text.match(/\btests?\b/gi)?.length ?? 0;
  const docs = text.match(/\b(doc(s|string|strings)?|documentation|doc comments?|jsdoc)\b/gi)?.length ?? 0;
  return docs > tests;
}
function isSecurityScan(system) {
  return /security[- ](scan|audit|engineer|review)|auditing .{0,40}\bfor vulnerabilit/i.test(system);
}
var defaultResponder = (params) => {
  if (isVerificationRequest(params)) return defaultVerification(params);
  const request = params;
  const schema = outputSchema(request);
  const system = systemText(request);
  const user = userText(request);
  const blocks = parseFileBlocks(user);
  const properties = schema && typeof schema.properties === "object" && schema.properties !== null ? schema.properties : {};
  let answer;
  if ("findings" in properties) answer = findingsAnswer(blocks, { securityOnly: isSecurityScan(system) });
  else if ("files" in properties) {
    const taskText = `${system}
${JSON.stringify(schema)}`;
    answer = isDocsTask(taskText) ? docsUpdateAnswer(blocks) : testGenerationAnswer(blocks, `${system}
${user}`);
  } else if ("verdicts" in properties) answer = verdictsAnswer(blocks);
  else answer = { summary: `Read ${blocks.length} file(s): ${blocks.map((b) => b.path).join(", ") || "none"}.` };
  if (!schema) return typeof answer === "object" && answer && "summary" in answer ? String(answer.summary) : "";
  return JSON.stringify(fitToSchema(answer, schema));
};

// src/emulator/anthropic/server.ts
import { once } from "node:events";
import { createServer } from "node:http";
var DEFAULT_LIMITS = {
  maxBatchBytes: 256 * 1024 * 1024,
  maxMessageBytes: 32 * 1024 * 1024,
  maxBatchRequests: 1e5
};
var BATCH_PATH = /^\/v1\/messages\/batches\/([^/]+)(\/results|\/cancel)?$/;
function matchRoute(method, path) {
  if (path === "/v1/messages") return method === "POST" ? { name: "messages" } : { pathExists: true };
  if (path === "/v1/messages/count_tokens") return method === "POST" ? { name: "count_tokens" } : { pathExists: true };
  if (path === "/v1/messages/batches") {
    if (method === "POST") return { name: "batches.create" };
    if (method === "GET") return { name: "batches.list" };
    return { pathExists: true };
  }
  const match = BATCH_PATH.exec(path);
  if (!match) return { pathExists: false };
  const batchId = decodeURIComponent(match[1]);
  if (match[2] === "/results") return method === "GET" ? { name: "batches.results", batchId } : { pathExists: true };
  if (match[2] === "/cancel") return method === "POST" ? { name: "batches.cancel", batchId } : { pathExists: true };
  if (method === "GET") return { name: "batches.retrieve", batchId };
  if (method === "DELETE") return { name: "batches.delete", batchId };
  return { pathExists: true };
}
function sendJson(res, status, body, requestId, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "request-id": requestId,
    ...headers
  });
  res.end(text);
}
function sendError(res, error, requestId) {
  sendJson(res, error.status, errorBody(error.type, error.message, requestId, error.details), requestId, error.headers);
}
var BodyTooLarge = class extends Error {
};
function readBody(req, limit) {
  const declared = req.headers["content-length"];
  if (declared !== void 0 && Number(declared) > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve2, reject) => {
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData);
      req.pause();
      chunks.length = 0;
      reject(new BodyTooLarge());
    };
    req.on("data", onData);
    req.once("end", () => resolve2(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}
function parseJson(body) {
  if (body.length === 0) throw invalidRequest("Request body is empty; a JSON object is required");
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw invalidRequest(`Request body is not valid JSON: ${error.message}`);
  }
}
function checkAuth(req, apiKeys) {
  const header = req.headers["x-api-key"];
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
  const key = (Array.isArray(header) ? header[0] : header) || bearer;
  if (!key) {
    throw new ApiError("authentication_error", "No API key: send it in the x-api-key header or as Authorization: Bearer <key>");
  }
  if (apiKeys && !apiKeys.includes(key)) throw new ApiError("authentication_error", "invalid x-api-key");
  const version = req.headers["anthropic-version"];
  if (!version) throw invalidRequest("anthropic-version: header is required");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(version))) {
    throw invalidRequest(`anthropic-version: ${JSON.stringify(version)} is not a valid version (YYYY-MM-DD)`);
  }
}
async function streamResults(res, lines, cutAfter, requestId) {
  res.writeHead(200, { "content-type": "application/binary", "request-id": requestId });
  const count = cutAfter === null ? lines.length : Math.min(cutAfter, lines.length);
  for (let i = 0; i < count; i++) {
    if (!res.write(`${JSON.stringify(lines[i])}
`)) await once(res, "drain");
  }
  if (cutAfter === null) {
    res.end();
    return;
  }
  if (count < lines.length) {
    const torn = JSON.stringify(lines[count]);
    res.write(torn.slice(0, Math.ceil(torn.length / 2)));
  }
  await new Promise((resolve2) => res.write("", () => resolve2()));
  const socket = res.socket;
  socket?.end();
  setTimeout(() => socket?.destroy(), 1e3).unref();
}
async function handle(req, res, context, requestId) {
  const url = new URL(req.url ?? "/", "http://emulator");
  const route = matchRoute(req.method ?? "GET", url.pathname);
  if (!("name" in route)) {
    req.resume();
    const error = route.pathExists ? new ApiError("invalid_request_error", `Method ${req.method} is not allowed on ${url.pathname}`, { status: 405 }) : notFound(`Not found: ${req.method} ${url.pathname}`);
    sendError(res, error, requestId);
    return;
  }
  context.calls[route.name] = (context.calls[route.name] ?? 0) + 1;
  let body;
  const limit = route.name === "batches.create" ? context.limits.maxBatchBytes : context.limits.maxMessageBytes;
  try {
    body = await readBody(req, limit);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    const megabytes = Math.round(limit / 1024 / 1024);
    res.setHeader("connection", "close");
    sendError(
      res,
      new ApiError("request_too_large", `Request exceeds the maximum size of ${megabytes} MB for ${url.pathname}`),
      requestId
    );
    res.on("finish", () => req.destroy());
    return;
  }
  const fault = context.faults.takeRequestFault(route.name);
  if (fault?.kind === "drop") {
    req.socket.destroy();
    return;
  }
  if (fault?.kind === "http") {
    const { spec } = fault;
    const headers = {};
    if (spec.retryAfterSeconds !== void 0) headers["retry-after"] = String(spec.retryAfterSeconds);
    if (spec.shouldRetry !== void 0) headers["x-should-retry"] = String(spec.shouldRetry);
    const message = spec.message ?? `injected ${spec.type} (${spec.status})`;
    sendError(res, new ApiError(spec.type, message, { status: spec.status, details: spec.details, headers }), requestId);
    return;
  }
  checkAuth(req, context.apiKeys);
  const { store } = context;
  switch (route.name) {
    case "messages": {
      const params = parseJson(body);
      const invalid = validateMessageParams(params, "messages");
      if (invalid) throw invalid;
      let message;
      try {
        message = buildMessage(params, context.answers);
      } catch (error) {
        throw new ApiError("api_error", `Internal server error: ${error.message}`);
      }
      sendJson(res, 200, message, requestId);
      return;
    }
    case "count_tokens": {
      const params = parseJson(body);
      const invalid = validateMessageParams(params, "count_tokens");
      if (invalid) throw invalid;
      sendJson(res, 200, { input_tokens: countTokens(params) }, requestId);
      return;
    }
    case "batches.create":
      sendJson(res, 200, store.create(parseJson(body)), requestId);
      return;
    case "batches.list":
      sendJson(res, 200, store.list(url.searchParams), requestId);
      return;
    case "batches.retrieve":
      sendJson(res, 200, store.retrieve(route.batchId), requestId);
      return;
    case "batches.cancel":
      sendJson(res, 200, store.cancel(route.batchId), requestId);
      return;
    case "batches.delete":
      sendJson(res, 200, store.delete(route.batchId), requestId);
      return;
    case "batches.results": {
      const lines = store.results(route.batchId);
      await streamResults(res, lines, context.faults.takeTruncation(route.batchId), requestId);
      return;
    }
  }
}
async function listen(context) {
  const server = createServer((req, res) => {
    const requestId = context.newId("req");
    handle(req, res, context, requestId).catch((error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof ApiError) sendError(res, error, requestId);
      else sendError(res, new ApiError("api_error", `Internal server error: ${error.message}`), requestId);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  return { server, url: `http://127.0.0.1:${port}` };
}

// src/emulator/anthropic/index.ts
async function startAnthropicEmulator(options = {}) {
  const pollsUntilEnded = options.pollsUntilEnded ?? 1;
  if (!Number.isInteger(pollsUntilEnded) || pollsUntilEnded < 0) {
    throw new Error(`pollsUntilEnded must be a whole number >= 0, got ${pollsUntilEnded}`);
  }
  if (options.apiKeys && options.apiKeys.some((key) => !key)) throw new Error("apiKeys must not contain empty keys");
  const seed = options.seed ?? randomInt(2 ** 31);
  const newId = makeIdFactory(seededRandom(seed));
  const shuffleRandom = seededRandom(seed ^ 1540483477);
  const limits = { ...DEFAULT_LIMITS, maxBatchRequests: MAX_BATCH_REQUESTS, ...options.limits };
  const faults = new Faults();
  const answers = {
    responder: options.responder ?? defaultResponder,
    cache: new PromptCache(),
    newId,
    serviceTier: "standard"
  };
  let url = "";
  const store = new BatchStore({
    pollsUntilEnded,
    resultsDelayMs: options.resultsDelayMs ?? 0,
    maxRequests: limits.maxBatchRequests,
    baseUrl: () => url,
    answers: { ...answers, serviceTier: "batch" },
    faults,
    shuffleRandom,
    newId
  });
  const calls = Object.fromEntries(ROUTE_NAMES.map((name) => [name, 0]));
  const listening = await listen({
    store,
    faults,
    answers,
    calls,
    apiKeys: options.apiKeys ?? null,
    limits,
    newId
  });
  url = listening.url;
  return {
    url,
    faults,
    calls,
    batches: () => store.all(),
    endBatch: (id, answered) => store.endNow(id, answered),
    expireBatch: (id) => store.expire(id),
    archiveBatch: (id) => store.archive(id),
    close: async () => {
      const closed = new Promise((resolve2) => listening.server.close(() => resolve2()));
      listening.server.closeAllConnections();
      await closed;
    }
  };
}

// src/cli/sample-repo.ts
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
var OLD_FILES = {
  "README.md": "# shop\n\nA tiny order service used by the overnight demo.\n",
  "package.json": '{\n  "name": "shop",\n  "type": "module",\n  "scripts": { "test": "vitest run" }\n}\n',
  "src/money.ts": [
    "/** Adds two amounts in cents. */",
    "export function addCents(a: number, b: number): number {",
    "  return a + b;",
    "}",
    ""
  ].join("\n")
};
var NEW_FILES = {
  "src/orders.ts": [
    "import { db } from './db.js';",
    "",
    "export interface Order {",
    "  id: string;",
    "  customer: string;",
    "  total: number;",
    "}",
    "",
    "// Looks up the orders of one customer for the account page.",
    "export async function ordersFor(customer: string): Promise<Order[]> {",
    `  const rows = await db.query("SELECT * FROM orders WHERE customer = '" + customer + "'");`,
    "  return rows as Order[];",
    "}",
    "",
    "export function totalOf(orders: Order[]): number {",
    "  let total = 0;",
    "  for (let i = 0; i <= orders.length; i++) {",
    "    total += orders[i].total;",
    "  }",
    "  return total;",
    "}",
    ""
  ].join("\n"),
  "src/session.ts": [
    "import { createHash } from 'node:crypto';",
    "",
    "// A session token for the login cookie.",
    "export function newSessionToken(): string {",
    "  const token = Math.random().toString(36).slice(2);",
    "  return token;",
    "}",
    "",
    "export function hashPassword(password: string): string {",
    "  return createHash('md5').update(password).digest('hex');",
    "}",
    ""
  ].join("\n"),
  "src/backup.ts": [
    "import { exec } from 'node:child_process';",
    "",
    "// Archives one customer folder; called from the admin page with the name typed there.",
    "export function backupCustomer(name: string): void {",
    "  exec(`tar czf /backups/${name}.tgz /data/${name}`);",
    "}",
    "",
    "export function readSettings(text: string): unknown {",
    "  try {",
    "    return JSON.parse(text);",
    "  } catch (error) {",
    "  }",
    "  return null;",
    "}",
    ""
  ].join("\n"),
  "src/db.ts": [
    "// Stand-in for the database driver.",
    "export const db = {",
    "  async query(sql: string): Promise<unknown[]> {",
    "    return sql.length > 0 ? [] : [];",
    "  },",
    "};",
    ""
  ].join("\n"),
  ".env": "STRIPE_KEY=sk_live_demo_never_sent_0000000000\n"
};
function git(cwd, args, date) {
  const env = { ...process.env };
  if (date) {
    env.GIT_AUTHOR_DATE = date.toISOString();
    env.GIT_COMMITTER_DATE = date.toISOString();
  }
  execFileSync("git", args, { cwd, env, stdio: "ignore" });
}
function write(dir, files) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}
function buildSampleRepository(dir, now = /* @__PURE__ */ new Date()) {
  mkdirSync(dir, { recursive: true });
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["config", "user.name", "Demo Developer"]);
  git(dir, ["config", "user.email", "dev@example.com"]);
  git(dir, ["config", "commit.gpgsign", "false"]);
  const hoursAgo = (h) => new Date(now.getTime() - h * 36e5);
  write(dir, OLD_FILES);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "Initial service"], hoursAgo(72));
  const { ["src/backup.ts"]: backup, ...first } = NEW_FILES;
  write(dir, first);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "Orders page and sessions"], hoursAgo(20));
  write(dir, { "src/backup.ts": backup });
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "Admin backups"], hoursAgo(3));
}

// src/cli/demo.ts
async function runDemo(io, log) {
  const root = await mkdtemp(join2(tmpdir(), "overnight-demo-"));
  const repo = join2(root, "shop");
  buildSampleRepository(repo);
  io.out(`sample repository: ${repo} (3 commits, 2 in the last 24h; removed when the demo ends)`);
  const emulator = await startAnthropicEmulator({ pollsUntilEnded: 2 });
  io.out(`Anthropic API emulator: ${emulator.url}`);
  try {
    const env = { ...io.env, ANTHROPIC_API_KEY: "demo-key", ANTHROPIC_BASE_URL: emulator.url };
    const local = { repo, verbose: false, help: false };
    const demoIO = { ...io, cwd: repo, env };
    io.out("\n\u2500\u2500 night: overnight submit --task code-review --since 24h");
    const submitConfig = parseConfig({ mode: "submit", task: "code-review", since: "24h" }, env);
    const submitDeps = await cliDeps(submitConfig, local, demoIO, log);
    const submitted = await submit(submitConfig, submitDeps);
    io.out(
      `submitted ${plural(submitted.requestCount, "request")} as ${submitted.batchIds.join(", ")}; estimated $${submitted.estimate?.batchUsd.toFixed(4)}`
    );
    io.out("\n\u2500\u2500 morning: overnight collect --wait 5");
    const collectConfig = parseConfig({ mode: "collect", task: "", "wait-minutes": "5" }, env);
    const collectDeps = await cliDeps(collectConfig, local, demoIO, log);
    collectDeps.pollIntervalMs = { first: 50, max: 200 };
    const collected = await collect(collectConfig, collectDeps);
    const state = collected.states[0];
    if (!state?.results) {
      io.err("error: the demo batch did not end; this is a bug in overnight");
      return 1;
    }
    const reportPath = join2(dirname2(state.results.resultsPath), "report.md");
    const r = state.results;
    io.out(`
\u2500\u2500 report: ${reportPath}`);
    io.out(
      `${plural(r.findings.length, "finding")} in ${plural(new Set(r.findings.map((f) => f.path)).size, "file")}, ${r.failures.length} failed, cost $${r.usage.costUsd.toFixed(4)} (saved $${r.usage.savingsUsd.toFixed(4)} against interactive calls)`
    );
    for (const f of r.findings) io.out(`  [${f.severity}] ${f.path}:${f.startLine} ${f.title}`);
    io.out(`
${await readFile(reportPath, "utf8")}`);
    return 0;
  } finally {
    await emulator.close();
    await rm(root, { recursive: true, force: true });
  }
}
export {
  runDemo
};
