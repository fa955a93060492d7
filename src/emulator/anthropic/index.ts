// The Anthropic API emulator: an in-process HTTP server that answers the Messages and Message Batches
// endpoints the way the real API does (../shared/API-NOTES.md), strictly enough that client bugs show.
// Tests and `overnight demo` point the real @anthropic-ai/sdk at `emulator.url`.
import { randomInt } from 'node:crypto';
import type { Server } from 'node:http';
import { BatchStore, MAX_BATCH_REQUESTS, type EmulatedBatch } from './batch-store.js';
import { Faults, ROUTE_NAMES, type FaultPlan } from './faults.js';
import type { AnswerContext } from './messages.js';
import { makeIdFactory, seededRandom } from './random.js';
import { defaultResponder, type Responder } from './responders/index.js';
import { DEFAULT_LIMITS, listen, type ServerLimits } from './server.js';
import { PromptCache } from './tokens.js';

export {
  defaultResponder,
  verifyingResponder,
  checkedFindings,
  isVerificationRequest,
  type Responder,
  type CheckedFinding,
  type VerifyDecision,
} from './responders/index.js';
export { countTokens, minCacheableTokens } from './tokens.js';
export type { EmulatedBatch, BatchRequest } from './batch-store.js';
export type { FaultPlan, HttpFaultSpec, ResultFaultSpec, RouteName, RouteSelector } from './faults.js';
export { ROUTE_NAMES } from './faults.js';
export type { ServerLimits } from './server.js';

export interface AnthropicEmulatorOptions {
  /** GET /v1/messages/batches/{id} calls a batch answers `in_progress` before it is `ended` (default 1). */
  pollsUntilEnded?: number;
  /** Produces the answer text for one Messages request (default: defaultResponder). */
  responder?: Responder;
  /** Accepted API keys; default: any non-empty key. A wrong key -> 401 authentication_error. */
  apiKeys?: string[];
  /** Seed for the shuffled result order and ids (deterministic tests); random when absent. */
  seed?: number;
  /** Milliseconds between `ended` and the moment results are readable: default 0 (404 until then). */
  resultsDelayMs?: number;
  /** Size limits; the real API's by default. Lower them to exercise the limits cheaply. */
  limits?: Partial<ServerLimits>;
}

export interface AnthropicEmulator {
  /** http://127.0.0.1:PORT (use as baseURL). */
  url: string;
  close(): Promise<void>;
  faults: FaultPlan;
  /** Every batch created, with its requests as received (inspect custom_ids, params, cache_control). */
  batches(): EmulatedBatch[];
  /** Count of calls per route name ('messages', 'count_tokens', 'batches.create', ...), faulted ones included. */
  calls: Record<string, number>;
  /**
   * Forces a batch to end now (its requests processed, or canceled when it was canceling; `answered`
   * names requests a canceling batch had already processed, which keep their results, as the API does).
   */
  endBatch(id: string, answered?: readonly string[]): void;
  /** Ends a batch with every unfinished request `expired`. */
  expireBatch(id: string): void;
  /** Marks a batch archived: its results are gone (404). */
  archiveBatch(id: string): void;
}

export async function startAnthropicEmulator(options: AnthropicEmulatorOptions = {}): Promise<AnthropicEmulator> {
  const pollsUntilEnded = options.pollsUntilEnded ?? 1;
  if (!Number.isInteger(pollsUntilEnded) || pollsUntilEnded < 0) {
    throw new Error(`pollsUntilEnded must be a whole number >= 0, got ${pollsUntilEnded}`);
  }
  if (options.apiKeys && options.apiKeys.some((key) => !key)) throw new Error('apiKeys must not contain empty keys');
  const seed = options.seed ?? randomInt(2 ** 31);
  // Separate streams, so the number of ids drawn never changes the result order for a given seed.
  const newId = makeIdFactory(seededRandom(seed));
  const shuffleRandom = seededRandom(seed ^ 0x5bd1e995);
  const limits: ServerLimits = { ...DEFAULT_LIMITS, maxBatchRequests: MAX_BATCH_REQUESTS, ...options.limits };
  const faults = new Faults();
  const answers: AnswerContext = {
    responder: options.responder ?? defaultResponder,
    cache: new PromptCache(),
    newId,
    serviceTier: 'standard',
  };
  let url = '';
  const store = new BatchStore({
    pollsUntilEnded,
    resultsDelayMs: options.resultsDelayMs ?? 0,
    maxRequests: limits.maxBatchRequests,
    baseUrl: () => url,
    answers: { ...answers, serviceTier: 'batch' },
    faults,
    shuffleRandom,
    newId,
  });
  const calls: Record<string, number> = Object.fromEntries(ROUTE_NAMES.map((name) => [name, 0]));
  const listening: { server: Server; url: string } = await listen({
    store,
    faults,
    answers,
    calls,
    apiKeys: options.apiKeys ?? null,
    limits,
    newId,
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
      const closed = new Promise<void>((resolve) => listening.server.close(() => resolve()));
      listening.server.closeAllConnections();
      await closed;
    },
  };
}
