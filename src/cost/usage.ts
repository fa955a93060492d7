// What answered requests actually cost, from the usage the API reports. Money stays an unrounded
// number of dollars all the way through; only formatUsd rounds, for display.
import type { TokenUsage } from '../types.js';
import { BATCH_DISCOUNT, resolvePrice } from './prices.js';
import type { CostByCategory, ModelPrice, UsageSummary } from './types.js';

const PER_MILLION = 1_000_000;

export interface RateOptions {
  /** Billed through the Batches API: every line at BATCH_DISCOUNT. */
  batch: boolean;
}

/** Of the cache-creation tokens, how many were written with each TTL (the API reports the 1h share). */
function cacheWrites(usage: TokenUsage): { write5m: number; write1h: number } {
  const write1h = Math.min(usage.cacheCreation1hInputTokens, usage.cacheCreationInputTokens);
  return { write5m: Math.max(0, usage.cacheCreationInputTokens - write1h), write1h };
}

/** Cost in USD of one usage record by billing line: input, output, 5m + 1h cache writes, cache reads. */
export function usageCostByCategory(usage: TokenUsage, price: ModelPrice, options: RateOptions): CostByCategory {
  const { write5m, write1h } = cacheWrites(usage);
  const rate = (options.batch ? BATCH_DISCOUNT : 1) / PER_MILLION;
  return {
    input: usage.inputTokens * price.input * rate,
    output: usage.outputTokens * price.output * rate,
    cacheWrite: (write5m * price.cacheWrite5m + write1h * price.cacheWrite1h) * rate,
    cacheRead: usage.cacheReadInputTokens * price.cacheRead * rate,
  };
}

/** Cost in USD of one usage record: input, 5m and 1h cache writes, cache reads and output. */
export function usageCost(usage: TokenUsage, price: ModelPrice, options: RateOptions): number {
  const lines = usageCostByCategory(usage, price, options);
  return lines.input + lines.output + lines.cacheWrite + lines.cacheRead;
}

/** The same tokens billed as plain input (no cache writes or reads): what a run without caching pays. */
export function uncachedCost(usage: TokenUsage, price: ModelPrice, options: RateOptions): number {
  const promptTokens = usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
  return ((promptTokens * price.input + usage.outputTokens * price.output) / PER_MILLION) * (options.batch ? BATCH_DISCOUNT : 1);
}

/** The token usage a summary adds up (for pricing the same tokens again, on another model or without caching). */
export function usageOfSummary(summary: UsageSummary): TokenUsage {
  return {
    inputTokens: summary.inputTokens,
    outputTokens: summary.outputTokens,
    cacheCreationInputTokens: summary.cacheCreationInputTokens,
    cacheReadInputTokens: summary.cacheReadInputTokens,
    cacheCreation1hInputTokens: summary.cacheCreation1hInputTokens ?? 0,
  };
}

/** The same tokens sent through the interactive API with no caching: every prompt token at input price. */
export function interactiveBaseline(usage: TokenUsage, price: ModelPrice): number {
  const promptTokens = usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
  return (promptTokens * price.input + usage.outputTokens * price.output) / PER_MILLION;
}

/** cacheRead / (input + cacheWrite + cacheRead); 0 when nothing was sent. */
export function cacheHitRate(
  usage: Pick<TokenUsage, 'inputTokens' | 'cacheCreationInputTokens' | 'cacheReadInputTokens'>,
): number {
  const prompt = usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
  return prompt === 0 ? 0 : usage.cacheReadInputTokens / prompt;
}

/**
 * Dollars for people: cents from $1 up ($1,234.56), three significant digits below ($0.50, $0.0123),
 * and "<$0.0001" for crumbs, so a cheap run never shows as "$0.00" when it cost something.
 */
export function formatUsd(amount: number): string {
  if (!Number.isFinite(amount)) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const value = Math.abs(amount);
  if (value === 0) return '$0.00';
  if (value < 0.0001) return `${sign}<$0.0001`;
  if (value >= 1) {
    return `${sign}$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  const decimals = Math.max(2, 2 - Math.floor(Math.log10(value)));
  const text = value.toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, '$1');
  // Rounding can carry up (0.9996 -> "1.000"): show that as whole cents.
  return Number(text) >= 1 ? `${sign}$1.00` : `${sign}$${text}`;
}

function emptySummary(): UsageSummary {
  return {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationInputTokens: 0,
    cacheReadInputTokens: 0,
    costUsd: 0,
    interactiveUsd: 0,
    savingsUsd: 0,
    cacheHitRate: 0,
    cacheCreation1hInputTokens: 0,
    costByCategoryUsd: { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 },
  };
}

function addCategories(total: CostByCategory, part: CostByCategory): void {
  total.input += part.input;
  total.output += part.output;
  total.cacheWrite += part.cacheWrite;
  total.cacheRead += part.cacheRead;
}

/**
 * Adds up the usage of answered requests (per model and in total). Requests on a model nobody knows
 * the price of count their tokens but no dollars; `unpricedModels()` names them so reports can say so.
 */
export class UsageAccumulator {
  private readonly totals = new Map<string, UsageSummary>();
  private readonly unpriced = new Set<string>();
  private readonly priceOf: (model: string) => ModelPrice | undefined;

  constructor(overrides?: Readonly<Record<string, ModelPrice>>) {
    this.priceOf = (model) => resolvePrice(model, overrides);
  }

  add(usage: TokenUsage, model: string, options: RateOptions): void {
    const summary = this.totals.get(model) ?? emptySummary();
    summary.requests += 1;
    summary.inputTokens += usage.inputTokens;
    summary.outputTokens += usage.outputTokens;
    summary.cacheCreationInputTokens += usage.cacheCreationInputTokens;
    summary.cacheReadInputTokens += usage.cacheReadInputTokens;
    summary.cacheCreation1hInputTokens = (summary.cacheCreation1hInputTokens ?? 0) + usage.cacheCreation1hInputTokens;
    const price = this.priceOf(model);
    if (price) {
      const lines = usageCostByCategory(usage, price, options);
      addCategories((summary.costByCategoryUsd ??= { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 }), lines);
      summary.costUsd += lines.input + lines.output + lines.cacheWrite + lines.cacheRead;
      summary.interactiveUsd += interactiveBaseline(usage, price);
      summary.savingsUsd = summary.interactiveUsd - summary.costUsd;
    } else {
      this.unpriced.add(model);
    }
    summary.cacheHitRate = cacheHitRate(summary);
    this.totals.set(model, summary);
  }

  /** Totals over every model. */
  summary(): UsageSummary {
    return sumUsage([...this.totals.values()]);
  }

  /** One summary per model id as reported by the API, sorted by model id. */
  byModel(): Record<string, UsageSummary> {
    return Object.fromEntries(
      [...this.totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([model, s]) => [model, { ...s }]),
    );
  }

  /** Models whose usage was counted without a price. */
  unpricedModels(): string[] {
    return [...this.unpriced].sort();
  }
}

/** Adds up usage summaries (per model, per submission) into one, with its savings and hit rate. */
export function sumUsage(parts: readonly UsageSummary[]): UsageSummary {
  const total = emptySummary();
  for (const part of parts) {
    total.requests += part.requests;
    total.inputTokens += part.inputTokens;
    total.outputTokens += part.outputTokens;
    total.cacheCreationInputTokens += part.cacheCreationInputTokens;
    total.cacheReadInputTokens += part.cacheReadInputTokens;
    total.cacheCreation1hInputTokens! += part.cacheCreation1hInputTokens ?? 0;
    if (part.costByCategoryUsd) addCategories(total.costByCategoryUsd!, part.costByCategoryUsd);
    total.costUsd += part.costUsd;
    total.interactiveUsd += part.interactiveUsd;
  }
  total.savingsUsd = total.interactiveUsd - total.costUsd;
  total.cacheHitRate = cacheHitRate(total);
  // A part from an older results file has no breakdown: then the total has none either (never a guess).
  if (parts.some((part) => !part.costByCategoryUsd)) delete total.costByCategoryUsd;
  return total;
}
