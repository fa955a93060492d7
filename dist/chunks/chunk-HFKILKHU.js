import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  readLines
} from "./chunk-G22B7D6J.js";
import {
  DEFAULT_RETRY_POLICY,
  FatalApiError,
  callAt,
  classify,
  toFatal,
  unreachable,
  withRetries
} from "./chunk-PSXNXEIF.js";
import {
  Anthropic
} from "./chunk-F3LGO6JY.js";

// src/batch/client.ts
import { closeSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
function hostOf(baseURL) {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}
function batchProgress(batch) {
  const c = batch.request_counts;
  return batch.processing_status === "ended" ? `ended (${c.succeeded} succeeded, ${c.errored} errored, ${c.expired} expired, ${c.canceled} canceled)` : `${batch.processing_status} (${c.processing} processing; expires ${batch.expires_at})`;
}
var BATCH_LIMITS = {
  maxRequests: 1e5,
  maxBytes: 256 * 1024 * 1024
};
var serialise = (request) => JSON.stringify({ custom_id: request.customId, params: request.params });
var BODY_HEAD = '{"requests":[';
var BODY_TAIL = "]}";
var bodyLength = (count, requestBytes) => BODY_HEAD.length + BODY_TAIL.length + Math.max(0, count - 1) + requestBytes;
function splitIntoBatches(requests, limits = BATCH_LIMITS) {
  const batches = [];
  let current = [];
  let requestBytes = 0;
  for (const request of requests) {
    const size = Buffer.byteLength(serialise(request));
    if (bodyLength(1, size) > limits.maxBytes) {
      throw new Error(`request ${request.customId} alone is ${size} bytes, over the ${limits.maxBytes}-byte batch limit`);
    }
    if (current.length > 0 && (current.length >= limits.maxRequests || bodyLength(current.length + 1, requestBytes + size) > limits.maxBytes)) {
      batches.push({ requests: current, bodyBytes: bodyLength(current.length, requestBytes) });
      current = [];
      requestBytes = 0;
    }
    current.push(request);
    requestBytes += size;
  }
  if (current.length > 0) batches.push({ requests: current, bodyBytes: bodyLength(current.length, requestBytes) });
  return batches;
}
var BODY_CHUNK_BYTES = 1 << 20;
function batchBody(requests, length = bodyLength(
  requests.length,
  requests.reduce((n, request) => n + Buffer.byteLength(serialise(request)), 0)
)) {
  async function* chunks() {
    let pending = [BODY_HEAD];
    let size = BODY_HEAD.length;
    for (let i = 0; i < requests.length; i++) {
      const text = (i === 0 ? "" : ",") + serialise(requests[i]);
      pending.push(text);
      size += text.length;
      if (size >= BODY_CHUNK_BYTES) {
        yield Buffer.from(pending.join(""));
        pending = [];
        size = 0;
      }
    }
    pending.push(BODY_TAIL);
    yield Buffer.from(pending.join(""));
  }
  return { length, chunks };
}
var knownBatches = /* @__PURE__ */ new Set();
var adoptedBatches = /* @__PURE__ */ new Set();
var BatchClient = class {
  sdk;
  policy;
  log;
  constructor(options) {
    this.log = options.log;
    this.sdk = new Anthropic({
      apiKey: options.apiKey,
      ...options.baseURL ? { baseURL: options.baseURL } : {},
      maxRetries: 0,
      timeout: options.timeoutMs ?? 10 * 60 * 1e3
    });
    this.policy = {
      ...DEFAULT_RETRY_POLICY,
      host: hostOf(this.sdk.baseURL),
      onRetry: (what, attempt, delay, reason) => this.log.warning(`${what}: ${reason}; retry ${attempt} in ${Math.round(delay / 1e3)}s`),
      ...options.retry
    };
  }
  /** `bodyBytes`: the body's length as splitIntoBatches measured it (else measured here). */
  createBatch(requests, bodyBytes) {
    const startedAt = Date.now();
    let ambiguous = false;
    return withRetries(
      "creating a batch",
      async () => {
        if (ambiguous) {
          const made = await this.findCreatedSince(startedAt, requests.length);
          if (made) {
            this.log.warning(`batch ${made.id} was created although the answer was lost; using it`);
            return made;
          }
        }
        const body = batchBody(requests, bodyBytes);
        try {
          const created = await this.sdk.messages.batches.create(
            { requests: [] },
            { body: body.chunks(), headers: { "content-type": "application/json", "content-length": String(body.length) } }
          );
          knownBatches.add(created.id);
          return created;
        } catch (error) {
          if (classify(error).retry && typeof error.status !== "number") ambiguous = true;
          throw error;
        }
      },
      this.policy
    );
  }
  /**
   * A batch of `count` requests created since `sinceMs` that is neither in `exclude` nor adopted yet:
   * the batch a process killed between creating it and saving its id left behind (engine/verify-round.ts
   * saves when it began before creating one).
   */
  adoptCreatedSince(sinceMs, count, exclude) {
    const skip = (id) => exclude.has(id) || adoptedBatches.has(id);
    return withRetries("listing batches", () => this.findCreatedSince(sinceMs, count, skip), this.policy);
  }
  /** A batch of `count` requests created since `sinceMs` that this client has not adopted yet. */
  async findCreatedSince(sinceMs, count, skip = (id) => knownBatches.has(id)) {
    const page = await this.sdk.messages.batches.list({ limit: 20 });
    for (const batch of page.data) {
      if (Date.parse(batch.created_at) < sinceMs - 1e4 || skip(batch.id)) continue;
      const c = batch.request_counts;
      if (c.processing + c.succeeded + c.errored + c.canceled + c.expired === count) {
        knownBatches.add(batch.id);
        adoptedBatches.add(batch.id);
        return batch;
      }
    }
    return null;
  }
  /**
   * The batch as the API sees it now. A batch the API no longer knows (404: deleted, or created in
   * another workspace) comes back as ended without results, so collect goes on to its results, finds
   * them gone, and reports its requests once instead of failing on every later collect.
   */
  async retrieve(id) {
    try {
      return await withRetries(`checking batch ${id}`, () => this.sdk.messages.batches.retrieve(id), this.policy);
    } catch (error) {
      if (!(error instanceof FatalApiError) || error.status !== 404) throw error;
      this.log.warning(
        `batch ${id} was not found (404): it was deleted, or submitted with an API key of another workspace; its requests are reported as failed`
      );
      return {
        id,
        type: "message_batch",
        processing_status: "ended",
        request_counts: { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
        created_at: "",
        expires_at: "",
        ended_at: null,
        archived_at: null,
        cancel_initiated_at: null,
        results_url: null
      };
    }
  }
  /** Polls with capped exponential backoff until the batch ended or `waitMs` ran out. */
  async waitForEnd(id, options) {
    const now = options.now ?? Date.now;
    const started = now();
    let interval = options.firstPollIntervalMs ?? 3e4;
    const maxInterval = options.maxPollIntervalMs ?? 30 * 6e4;
    for (; ; ) {
      const batch = await this.retrieve(id);
      if (batch.processing_status === "ended") return batch;
      const left = options.waitMs - (now() - started);
      if (left <= 0) return batch;
      options.onPoll?.(batch, now() - started, Math.min(interval, left));
      await this.policy.sleep(Math.min(interval, left));
      interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
    }
  }
  /**
   * Streams a batch's results once each. The results body is first copied to a temporary file as
   * fast as it arrives, then read back line by line: a consumer that does real work per line (git
   * reads, redaction, normalising) pauses the HTTP body, which then piles up in memory, where undici
   * (the npm copy @actions/http-client installs as the global dispatcher) re-concatenates it on every
   * read: 100,000 results took 11 minutes and 1.2 GB. A stream that
   * breaks part-way is fetched again from the start and the lines already kept are skipped, so
   * nothing is counted twice.
   */
  async *results(id) {
    const dir = await mkdtemp(join(tmpdir(), "overnight-results-"));
    try {
      const file = join(dir, "results.jsonl");
      const repeats = await this.downloadResults(id, file);
      const seen = repeats ? /* @__PURE__ */ new Set() : null;
      for await (const line of readLines(file)) {
        if (!line.trim()) continue;
        const result = JSON.parse(line);
        if (seen) {
          if (seen.has(result.custom_id)) continue;
          seen.add(result.custom_id);
        }
        yield result;
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  /**
   * Copies the results body to `file` as its bytes come, without parsing a line (parsed and
   * re-serialised, 100,000 results left ~70 MB of old-generation garbage), in synchronous writes:
   * awaiting a write stream's 'drain' would pause the body and let it pile up again. A read that
   * breaks part-way is retried from the start after cutting the torn last line; the results it
   * repeats are then skipped as they are read back. Returns whether that happened.
   */
  async downloadResults(id, file) {
    const out = openSync(file, "w");
    let whole = 0;
    let lines = 0;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          ftruncateSync(out, whole);
          let written = whole;
          const response = await this.resultsResponse(id);
          for await (const chunk of response.body) {
            writeSync(out, chunk, 0, chunk.length, written);
            written += chunk.length;
            for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) {
              whole = written - chunk.length + at + 1;
              lines += 1;
            }
          }
          if (written > whole) writeSync(out, "\n", written);
          this.log.debug(
            `results of batch ${id}: ${lines.toLocaleString("en-US")} lines, ${Math.round(written / 1024).toLocaleString("en-US")} KB`
          );
          return attempt > 0;
        } catch (error) {
          const verdict = classify(error);
          if (error instanceof Anthropic.NotFoundError) {
            throw new FatalApiError(
              `results of batch ${id} are gone (archived after 29 days or deleted); its requests cannot be recovered`,
              404
            );
          }
          if (!verdict.retry) throw toFatal(error, `reading the results of batch ${id}`, this.policy.host);
          if (verdict.unreachable && attempt >= this.policy.connectionRetries) {
            throw unreachable(`reading the results of batch ${id}`, this.policy, attempt, verdict.reason);
          }
          if (attempt >= this.policy.retries) {
            throw new FatalApiError(
              `${callAt(`reading the results of batch ${id}`, this.policy.host)}: still failing (${verdict.reason}); run collect again later`,
              null
            );
          }
          const delay = Math.min(this.policy.maxDelayMs, verdict.retryAfterMs ?? this.policy.baseDelayMs * 2 ** attempt);
          this.policy.onRetry?.(
            `reading the results of batch ${id}`,
            attempt + 1,
            delay,
            `${verdict.reason} after ${lines} results`
          );
          await this.policy.sleep(delay);
        }
      }
    } finally {
      closeSync(out);
    }
  }
  /** The results body of an ended batch, unparsed; errors (404 and the rest) as the SDK raises them. */
  async resultsResponse(id) {
    const batch = await this.sdk.messages.batches.retrieve(id);
    if (!batch.results_url) {
      throw new FatalApiError(
        `batch ${id} has no results yet (${batch.processing_status}); collect again once it has ended`,
        null
      );
    }
    return this.sdk.get(batch.results_url, { headers: { Accept: "application/binary" }, stream: true }).asResponse();
  }
  /** Asks the API to cancel a batch (a provider's cancel); retried like every call. */
  cancel(id) {
    return withRetries(`canceling batch ${id}`, () => this.sdk.messages.batches.cancel(id), this.policy);
  }
  message(params) {
    return withRetries("sending a request", () => this.sdk.messages.create(params), this.policy);
  }
  async countTokens(params) {
    const { max_tokens: _max, ...rest } = params;
    void _max;
    const counted = await withRetries("counting tokens", () => this.sdk.messages.countTokens(rest), this.policy);
    return counted.input_tokens;
  }
};

export {
  batchProgress,
  BATCH_LIMITS,
  splitIntoBatches,
  batchBody,
  BatchClient
};
