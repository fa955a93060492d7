// Cost vocabulary shared by the estimate (before) and the usage accounting (after).
import type { ProviderName } from '../providers/types.js';

/** USD per million tokens, standard (interactive) prices; the batch discount is applied separately. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  /** Shortest prefix (tokens) the model caches; shorter prefixes are silently not cached. */
  minCacheablePrefix: number;
}

export interface CostEstimate {
  model: string;
  /** The batch service priced (absent in older states: anthropic). */
  provider?: ProviderName;
  /** 'count_tokens' when measured through the API, 'heuristic' otherwise. */
  tokenSource: 'count_tokens' | 'heuristic';
  files: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Tokens of the shared prefix and whether it is marked for caching. */
  prefixTokens: number;
  cached: boolean;
  /** Expected cost through the Batches API (with caching if used). */
  batchUsd: number;
  /** Same requests one by one through the interactive API, no caching. */
  interactiveUsd: number;
  /** The same work priced on other models of the table, batch rates. */
  otherModels: { model: string; batchUsd: number }[];
  /**
   * Days of changes the window holds (a 7d window: 7; a range of commits: the days between its first
   * and last commit, at least 1); null for a pull request or the whole history. Absent in older states.
   */
  windowDays?: number | null;
  /** A month of nightly runs: batchUsd scaled to one night (÷ windowDays) × 30; null: no projection. */
  monthlyUsd: number | null;
  /** Requests dropped to fit max-cost-usd, with why. */
  dropped: { customId: string; paths: string[]; reason: string }[];
  /** null when the model's price is unknown and the user opted in to an unknown cost. */
  priced: boolean;
}

export interface UsageSummary {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  /** Actual cost at the rate used (batch or interactive), with cache prices. */
  costUsd: number;
  /** What the same tokens would have cost interactively, no caching. */
  interactiveUsd: number;
  savingsUsd: number;
  /** cacheRead / (input + cacheWrite + cacheRead), 0..1. */
  cacheHitRate: number;
  /** Of cacheCreationInputTokens, those written with the 1h TTL (absent in older results). */
  cacheCreation1hInputTokens?: number;
  /** costUsd by what was billed (absent in older results); the four add up to costUsd. */
  costByCategoryUsd?: CostByCategory;
}

/** Dollars by billing line: uncached input, output, cache writes (5m and 1h), cache reads. */
export interface CostByCategory {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}
