import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);

// src/providers/wait.ts
async function pollUntilEnded(retrieve, sleep, options) {
  const now = options.now ?? Date.now;
  const started = now();
  let interval = options.firstPollIntervalMs ?? 3e4;
  const maxInterval = options.maxPollIntervalMs ?? 30 * 6e4;
  for (; ; ) {
    const job = await retrieve();
    if (job.status === "ended") return job;
    const left = options.waitMs - (now() - started);
    if (left <= 0) return job;
    options.onPoll?.(job, now() - started, Math.min(interval, left));
    await sleep(Math.min(interval, left));
    interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
  }
}

// src/providers/bedrock/records.ts
var BEDROCK_ANTHROPIC_VERSION = "bedrock-2023-05-31";
function recordIdOf(customId) {
  return Buffer.from(customId, "utf8").toString("hex");
}
function customIdOfRecord(recordId) {
  if (typeof recordId !== "string" || recordId.length === 0 || recordId.length % 2 !== 0 || !/^[0-9a-f]+$/.test(recordId)) {
    return null;
  }
  return Buffer.from(recordId, "hex").toString("utf8");
}
function bedrockBody(params) {
  const { model: _model, stream: _stream, ...rest } = params;
  void _model;
  void _stream;
  return { anthropic_version: BEDROCK_ANTHROPIC_VERSION, ...rest };
}
function recordLine(request) {
  return JSON.stringify({ recordId: recordIdOf(request.customId), modelInput: bedrockBody(request.params) });
}
function jobModel(requests) {
  const models = new Set(requests.map((r) => r.params.model));
  if (models.size !== 1) throw new Error(`internal: one Bedrock job holds one model, got ${[...models].join(", ")}`);
  return [...models][0];
}
function errorTypeOf(code) {
  const text = String(code ?? "");
  if (/validation|^400$|^413$|^422$/i.test(text)) return "invalid_request_error";
  if (/accessdenied|^403$/i.test(text)) return "permission_error";
  if (/throttl|toomany|^429$/i.test(text)) return "rate_limit_error";
  if (/unavailable|overload|^503$|^529$/i.test(text)) return "overloaded_error";
  if (/timeout|^408$/i.test(text)) return "timeout_error";
  return "api_error";
}
function erroredResult(type, message) {
  return {
    type: "errored",
    error: { type: "error", error: { type, message }, request_id: null }
  };
}
function resultOfOutputLine(line) {
  let doc;
  try {
    doc = JSON.parse(line);
  } catch {
    return null;
  }
  const customId = customIdOfRecord(doc.recordId);
  if (customId === null) return null;
  const output = doc.modelOutput;
  if (output && typeof output === "object" && Array.isArray(output.content)) {
    return { custom_id: customId, result: { type: "succeeded", message: output } };
  }
  const error = doc.error;
  if (error && typeof error === "object") {
    const code = String(error.errorCode ?? "unknown");
    return {
      custom_id: customId,
      result: erroredResult(errorTypeOf(code), `Bedrock ${code}: ${String(error.errorMessage ?? "no message")}`)
    };
  }
  const keys = Object.keys(doc).join(", ");
  return {
    custom_id: customId,
    result: erroredResult("api_error", `Bedrock output line has neither modelOutput nor error (keys: ${keys})`)
  };
}

export {
  pollUntilEnded,
  recordIdOf,
  customIdOfRecord,
  bedrockBody,
  recordLine,
  jobModel,
  erroredResult,
  resultOfOutputLine
};
