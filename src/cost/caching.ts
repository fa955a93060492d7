// Whether to mark the shared prompt prefix for caching, and how. A cache write costs more than plain
// input (1h TTL: 2x), so caching pays only when enough later requests read the prefix back. In a batch
// the requests run in no promised order and cache hits are best-effort, so the decision assumes only a
// share of the later requests hit; a request that misses writes the prefix again (and pays the write).
import type { TextBlockParam } from '@anthropic-ai/sdk/resources/messages/messages';
import { BATCH_DISCOUNT } from './prices.js';
import type { ModelPrice } from './types.js';
import { formatUsd } from './usage.js';

/**
 * Share of the requests after the first that are expected to read the cached prefix in a batch.
 * Anthropic calls batch cache hits best-effort (typically 30-98%); 0.7 is a middle estimate that keeps
 * the decision from betting on the best case. Interactive runs that send one request after another can
 * pass a higher rate.
 */
export const EXPECTED_BATCH_HIT_RATE = 0.7;

export interface PrefixCostOptions {
  cached: boolean;
  /** Expected hit rate of requests after the first (0..1); EXPECTED_BATCH_HIT_RATE by default. */
  hitRate?: number;
}

/**
 * Expected cost in USD, at standard (non-batch) rates, of sending a `prefixTokens` prefix with each of
 * `requestCount` requests. Cached: the first request writes it with the 1h TTL; each later one reads it
 * with probability `hitRate` and writes it again otherwise. A prefix below the model's minimum is never
 * cached, whatever `cached` says, because the API silently ignores the breakpoint.
 */
export function expectedPrefixCost(
  prefixTokens: number,
  requestCount: number,
  price: ModelPrice,
  options: PrefixCostOptions,
): number {
  if (requestCount <= 0 || prefixTokens <= 0) return 0;
  const perToken = (rate: number): number => (rate * prefixTokens) / 1_000_000;
  if (!options.cached || prefixTokens < price.minCacheablePrefix) return requestCount * perToken(price.input);
  const hitRate = Math.min(1, Math.max(0, options.hitRate ?? EXPECTED_BATCH_HIT_RATE));
  const later = hitRate * perToken(price.cacheRead) + (1 - hitRate) * perToken(price.cacheWrite1h);
  return perToken(price.cacheWrite1h) + (requestCount - 1) * later;
}

export interface CachingInput {
  /** Tokens of the part identical across requests (system blocks). */
  prefixTokens: number;
  /** Requests that share the prefix. */
  requestCount: number;
  price: ModelPrice;
  /** Price the saving at batch rates (default) or interactive rates; only the reason's dollars change. */
  batch?: boolean;
  /** Expected hit rate of the requests after the first (EXPECTED_BATCH_HIT_RATE by default). */
  expectedHitRate?: number;
}

export interface CachingDecision {
  cache: boolean;
  /** One line for logs and the job summary. */
  reason: string;
  /** Expected saving in USD (negative when caching would cost more); 0 when caching cannot apply. */
  savingUsd: number;
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Cache the shared prefix only when the model can cache it and the expected saving is positive. */
export function decideCaching(input: CachingInput): CachingDecision {
  const { prefixTokens, requestCount, price } = input;
  const hitRate = input.expectedHitRate ?? EXPECTED_BATCH_HIT_RATE;
  const rate = input.batch === false ? 1 : BATCH_DISCOUNT;
  if (requestCount < 2) {
    return {
      cache: false,
      reason: `${count(requestCount)} request: no later request would read the cached prefix`,
      savingUsd: 0,
    };
  }
  if (prefixTokens < price.minCacheablePrefix) {
    return {
      cache: false,
      reason: `shared prefix of ${count(prefixTokens)} tokens is below the model's ${count(price.minCacheablePrefix)}-token caching minimum`,
      savingUsd: 0,
    };
  }
  const plain = expectedPrefixCost(prefixTokens, requestCount, price, { cached: false });
  const cached = expectedPrefixCost(prefixTokens, requestCount, price, { cached: true, hitRate });
  const savingUsd = (plain - cached) * rate;
  const shape = `shared prefix of ${count(prefixTokens)} tokens × ${count(requestCount)} requests`;
  const hits = `${Math.round(hitRate * 100)}% expected cache hits`;
  if (savingUsd <= 0) {
    return { cache: false, reason: `${shape}: caching would cost ${formatUsd(-savingUsd)} more (${hits})`, savingUsd };
  }
  return { cache: true, reason: `${shape}: caching saves ≈ ${formatUsd(savingUsd)} (${hits})`, savingUsd };
}

/**
 * The system blocks with one cache breakpoint (`ttl: '1h'`) on the last non-empty block and none
 * elsewhere: the blocks are identical across requests, so every request marks the same prefix and a
 * batch can share one cache entry. Returns copies; the input is not changed.
 */
export function applyCacheControl(system: readonly TextBlockParam[]): TextBlockParam[] {
  const blocks = system.map((block) => {
    const { cache_control: _dropped, ...rest } = block;
    return { ...rest } as TextBlockParam;
  });
  // The API rejects cache_control on an empty text block.
  for (let i = blocks.length - 1; i >= 0; i--) {
    if (blocks[i]!.text !== '') {
      blocks[i] = { ...blocks[i]!, cache_control: { type: 'ephemeral', ttl: '1h' } };
      break;
    }
  }
  return blocks;
}
