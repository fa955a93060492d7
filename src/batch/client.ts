// The one place overnight talks to Anthropic: batches (create, retrieve, wait, stream results),
// interactive messages for `run`, and token counting. Every call goes through withRetries.
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageBatch, MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { Logger, PlannedRequest } from '../types.js';
import { readLines } from '../io/lines.js';
import {
  DEFAULT_RETRY_POLICY,
  FatalApiError,
  callAt,
  classify,
  toFatal,
  unreachable,
  withRetries,
  type RetryPolicy,
} from './retry.js';

/** The host of the API's base URL, as failures name it ("api.anthropic.com", "127.0.0.1:8080"). */
function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}

/** Where a batch stands, in one phrase: "ended (3 succeeded, 0 errored, …)" or "in_progress (5 processing; expires …)". */
export function batchProgress(batch: MessageBatch): string {
  const c = batch.request_counts;
  return batch.processing_status === 'ended'
    ? `ended (${c.succeeded} succeeded, ${c.errored} errored, ${c.expired} expired, ${c.canceled} canceled)`
    : `${batch.processing_status} (${c.processing} processing; expires ${batch.expires_at})`;
}

export interface BatchLimits {
  maxRequests: number;
  maxBytes: number;
}

/** The API's limits for one batch (API-NOTES.md). */
export const BATCH_LIMITS: Readonly<BatchLimits> = {
  maxRequests: 100_000,
  maxBytes: 256 * 1024 * 1024,
};

export interface BatchClientOptions {
  apiKey: string;
  /** Empty: the SDK default or ANTHROPIC_BASE_URL. */
  baseURL?: string | undefined;
  log: Logger;
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout; large batch uploads need minutes. */
  timeoutMs?: number;
}

export interface WaitOptions {
  /** Give up (and return the batch as it is) after this long; 0 = look once. */
  waitMs: number;
  /** First pause between polls; grows 1.5x up to maxPollIntervalMs. */
  firstPollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** The clock `waitMs` is measured on (ms since the epoch); default Date.now. A test clock that the
   * retry policy's `sleep` advances lets a long wait run out without real waiting. */
  now?: () => number;
  /** Told after each poll that finds the batch still running: how long it has waited, when it looks again. */
  onPoll?: (batch: MessageBatch, waitedMs: number, nextCheckMs: number) => void;
}

const serialise = (request: PlannedRequest): string => JSON.stringify({ custom_id: request.customId, params: request.params });

/** One batch's requests and the exact byte length of its create body, measured as it was split. */
export interface SizedBatch {
  requests: PlannedRequest[];
  bodyBytes: number;
}

const BODY_HEAD = '{"requests":[';
const BODY_TAIL = ']}';

/** The create body's length for requests whose serialised lengths add up to `requestBytes`. */
const bodyLength = (count: number, requestBytes: number): number =>
  BODY_HEAD.length + BODY_TAIL.length + Math.max(0, count - 1) + requestBytes;

/**
 * Splits requests into batches within the API limits, keeping their order. Each request is serialised
 * here once to measure it; the sizes travel with the batch, so creating it serialises it only to send.
 */
export function splitIntoBatches(requests: PlannedRequest[], limits: BatchLimits = BATCH_LIMITS): SizedBatch[] {
  const batches: SizedBatch[] = [];
  let current: PlannedRequest[] = [];
  let requestBytes = 0;
  for (const request of requests) {
    const size = Buffer.byteLength(serialise(request));
    if (bodyLength(1, size) > limits.maxBytes) {
      throw new Error(`request ${request.customId} alone is ${size} bytes, over the ${limits.maxBytes}-byte batch limit`);
    }
    if (
      current.length > 0 &&
      (current.length >= limits.maxRequests || bodyLength(current.length + 1, requestBytes + size) > limits.maxBytes)
    ) {
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

/** Bytes of serialised requests per chunk of the create body. */
const BODY_CHUNK_BYTES = 1 << 20;

/**
 * The create body `{"requests":[…]}` as a stream of ~1 MB chunks, with its exact length (measured by
 * the split, or here by a first pass over the requests), so the upload keeps a content-length and
 * never exists as one string. Letting the SDK stringify a 256 MB batch held it as one string plus its
 * UTF-8 copy plus fetch's buffer: 100,000 requests (770 MB) peaked at 2.6 GB of RSS. Holding the
 * serialised batch instead of serialising it again to send would keep up to 256 MB alive per batch.
 */
export function batchBody(
  requests: readonly PlannedRequest[],
  length: number = bodyLength(
    requests.length,
    requests.reduce((n, request) => n + Buffer.byteLength(serialise(request)), 0),
  ),
): { length: number; chunks: () => AsyncGenerator<Uint8Array> } {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let pending: string[] = [BODY_HEAD];
    let size = BODY_HEAD.length;
    for (let i = 0; i < requests.length; i++) {
      const text = (i === 0 ? '' : ',') + serialise(requests[i]!);
      pending.push(text);
      size += text.length;
      if (size >= BODY_CHUNK_BYTES) {
        yield Buffer.from(pending.join(''));
        pending = [];
        size = 0;
      }
    }
    pending.push(BODY_TAIL);
    yield Buffer.from(pending.join(''));
  }
  return { length, chunks };
}

/** Batches this process created or adopted: a lost answer never adopts one of them. */
const knownBatches = new Set<string>();
/** Batches this process adopted: never adopted twice. */
const adoptedBatches = new Set<string>();

export class BatchClient {
  readonly sdk: Anthropic;
  private readonly policy: RetryPolicy;
  private readonly log: Logger;

  constructor(options: BatchClientOptions) {
    this.log = options.log;
    this.sdk = new Anthropic({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      maxRetries: 0,
      timeout: options.timeoutMs ?? 10 * 60 * 1000,
    });
    this.policy = {
      ...DEFAULT_RETRY_POLICY,
      host: hostOf(this.sdk.baseURL),
      onRetry: (what, attempt, delay, reason) =>
        this.log.warning(`${what}: ${reason}; retry ${attempt} in ${Math.round(delay / 1000)}s`),
      ...options.retry,
    };
  }

  /** `bodyBytes`: the body's length as splitIntoBatches measured it (else measured here). */
  createBatch(requests: PlannedRequest[], bodyBytes?: number): Promise<MessageBatch> {
    const startedAt = Date.now();
    let ambiguous = false;
    return withRetries(
      'creating a batch',
      async () => {
        // The API has no idempotency key: a create whose answer was lost (the connection dropped or timed
        // out, so no status came back) may have made the batch all the same. Adopt it rather than pay for
        // the same work twice. An answer with a status (429, 5xx) says the batch was not made.
        if (ambiguous) {
          const made = await this.findCreatedSince(startedAt, requests.length);
          if (made) {
            this.log.warning(`batch ${made.id} was created although the answer was lost; using it`);
            return made;
          }
        }
        // The SDK's `body` request option replaces the JSON it would build from the params (kept
        // empty here): a fresh stream per attempt, since a sent body cannot be read twice.
        const body = batchBody(requests, bodyBytes);
        try {
          const created = await this.sdk.messages.batches.create(
            { requests: [] },
            { body: body.chunks(), headers: { 'content-type': 'application/json', 'content-length': String(body.length) } },
          );
          knownBatches.add(created.id);
          return created;
        } catch (error) {
          if (classify(error).retry && typeof (error as { status?: unknown }).status !== 'number') ambiguous = true;
          throw error;
        }
      },
      this.policy,
    );
  }

  /**
   * A batch of `count` requests created since `sinceMs` that is neither in `exclude` nor adopted yet:
   * the batch a process killed between creating it and saving its id left behind (engine/verify-round.ts
   * saves when it began before creating one).
   */
  adoptCreatedSince(sinceMs: number, count: number, exclude: ReadonlySet<string>): Promise<MessageBatch | null> {
    // Not `knownBatches`: the process that created the batch may be this one (a collect whose save
    // failed, run again in-process); the state's own batch ids are what rule a batch out.
    const skip = (id: string): boolean => exclude.has(id) || adoptedBatches.has(id);
    return withRetries('listing batches', () => this.findCreatedSince(sinceMs, count, skip), this.policy);
  }

  /** A batch of `count` requests created since `sinceMs` that this client has not adopted yet. */
  private async findCreatedSince(
    sinceMs: number,
    count: number,
    skip: (id: string) => boolean = (id) => knownBatches.has(id),
  ): Promise<MessageBatch | null> {
    const page = await this.sdk.messages.batches.list({ limit: 20 });
    for (const batch of page.data) {
      // Server and runner clocks differ a little: a few seconds of slack.
      if (Date.parse(batch.created_at) < sinceMs - 10_000 || skip(batch.id)) continue;
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
  async retrieve(id: string): Promise<MessageBatch> {
    try {
      return await withRetries(`checking batch ${id}`, () => this.sdk.messages.batches.retrieve(id), this.policy);
    } catch (error) {
      if (!(error instanceof FatalApiError) || error.status !== 404) throw error;
      this.log.warning(
        `batch ${id} was not found (404): it was deleted, or submitted with an API key of another workspace; its requests are reported as failed`,
      );
      return {
        id,
        type: 'message_batch',
        processing_status: 'ended',
        request_counts: { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
        created_at: '',
        expires_at: '',
        ended_at: null,
        archived_at: null,
        cancel_initiated_at: null,
        results_url: null,
      };
    }
  }

  /** Polls with capped exponential backoff until the batch ended or `waitMs` ran out. */
  async waitForEnd(id: string, options: WaitOptions): Promise<MessageBatch> {
    const now = options.now ?? Date.now;
    const started = now();
    let interval = options.firstPollIntervalMs ?? 30_000;
    const maxInterval = options.maxPollIntervalMs ?? 30 * 60_000;
    for (;;) {
      const batch = await this.retrieve(id);
      if (batch.processing_status === 'ended') return batch;
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
  async *results(id: string): AsyncGenerator<MessageBatchIndividualResponse> {
    const dir = await mkdtemp(join(tmpdir(), 'overnight-results-'));
    try {
      const file = join(dir, 'results.jsonl');
      const repeats = await this.downloadResults(id, file);
      // Only a re-read can repeat results; then each is passed on once.
      const seen = repeats ? new Set<string>() : null;
      // readLines, not readline: its async iterator queues up to 1,024 lines ahead of a slow consumer.
      for await (const line of readLines(file)) {
        if (!line.trim()) continue;
        const result = JSON.parse(line) as MessageBatchIndividualResponse;
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
  private async downloadResults(id: string, file: string): Promise<boolean> {
    const out = openSync(file, 'w');
    // Bytes of `file` up to the end of its last whole line, and how many lines that is (for the log).
    let whole = 0;
    let lines = 0;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          ftruncateSync(out, whole);
          let written = whole;
          const response = await this.resultsResponse(id);
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            writeSync(out, chunk, 0, chunk.length, written);
            written += chunk.length;
            for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) {
              whole = written - chunk.length + at + 1;
              lines += 1;
            }
          }
          if (written > whole) writeSync(out, '\n', written);
          this.log.debug(
            `results of batch ${id}: ${lines.toLocaleString('en-US')} lines, ${Math.round(written / 1024).toLocaleString('en-US')} KB`,
          );
          return attempt > 0;
        } catch (error) {
          const verdict = classify(error);
          if (error instanceof Anthropic.NotFoundError) {
            throw new FatalApiError(
              `results of batch ${id} are gone (archived after 29 days or deleted); its requests cannot be recovered`,
              404,
            );
          }
          if (!verdict.retry) throw toFatal(error, `reading the results of batch ${id}`, this.policy.host);
          if (verdict.unreachable && attempt >= this.policy.connectionRetries) {
            throw unreachable(`reading the results of batch ${id}`, this.policy, attempt, verdict.reason);
          }
          if (attempt >= this.policy.retries) {
            throw new FatalApiError(
              `${callAt(`reading the results of batch ${id}`, this.policy.host)}: still failing (${verdict.reason}); run collect again later`,
              null,
            );
          }
          const delay = Math.min(this.policy.maxDelayMs, verdict.retryAfterMs ?? this.policy.baseDelayMs * 2 ** attempt);
          this.policy.onRetry?.(
            `reading the results of batch ${id}`,
            attempt + 1,
            delay,
            `${verdict.reason} after ${lines} results`,
          );
          await this.policy.sleep(delay);
        }
      }
    } finally {
      closeSync(out);
    }
  }

  /** The results body of an ended batch, unparsed; errors (404 and the rest) as the SDK raises them. */
  private async resultsResponse(id: string): Promise<Response> {
    const batch = await this.sdk.messages.batches.retrieve(id);
    if (!batch.results_url) {
      throw new FatalApiError(
        `batch ${id} has no results yet (${batch.processing_status}); collect again once it has ended`,
        null,
      );
    }
    return this.sdk.get(batch.results_url, { headers: { Accept: 'application/binary' }, stream: true }).asResponse();
  }

  /** Asks the API to cancel a batch (a provider's cancel); retried like every call. */
  cancel(id: string): Promise<MessageBatch> {
    return withRetries(`canceling batch ${id}`, () => this.sdk.messages.batches.cancel(id), this.policy);
  }

  message(params: MessageCreateParamsNonStreaming): Promise<Message> {
    return withRetries('sending a request', () => this.sdk.messages.create(params), this.policy);
  }

  async countTokens(params: MessageCreateParamsNonStreaming): Promise<number> {
    const { max_tokens: _max, ...rest } = params;
    void _max;
    const counted = await withRetries('counting tokens', () => this.sdk.messages.countTokens(rest as never), this.policy);
    return counted.input_tokens;
  }
}
