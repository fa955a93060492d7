// The cost of a plan before anything is sent: what the batch should cost, what the same work would
// cost interactively, on the other models, and over a month of nightly runs (this window's cost
// scaled to one night by the window's length: a week's changes are seven nights' worth).
import { expectedPrefixCost } from './caching.js';
import { BATCH_DISCOUNT, COMPARISON_MODELS, PRICES_CHECKED, priceFamily, resolvePrice } from './prices.js';
import type { CostEstimate, ModelPrice } from './types.js';
import { formatUsd } from './usage.js';

/** Nightly runs in a month, for CostEstimate.monthlyUsd. */
export const RUNS_PER_MONTH = 30;

/** A month of nightly runs costing what this window's would, scaled to one night; null: no projection. */
export function nightlyMonthUsd(batchUsd: number, windowDays: number | null): number | null {
  if (windowDays === null || !Number.isFinite(windowDays) || windowDays <= 0) return null;
  return (batchUsd / windowDays) * RUNS_PER_MONTH;
}

export interface EstimateRequest {
  customId: string;
  paths: string[];
  /** All input tokens of the request, the shared prefix included (what count_tokens reports). */
  inputTokens: number;
  /** Expected output tokens (see expectedOutputTokens). */
  outputTokens: number;
}

export interface PlanCostOptions {
  /** Tokens of the shared prefix contained in every request's inputTokens. */
  prefixTokens: number;
  /** Whether the prefix carries a cache breakpoint (see decideCaching). */
  cached: boolean;
  /** Batch rates (default) or interactive rates. */
  batch?: boolean;
  /** Expected cache hit rate after the first request (EXPECTED_BATCH_HIT_RATE by default). */
  expectedHitRate?: number;
}

const PER_MILLION = 1_000_000;

/**
 * Expected cost in USD of sending `requests` on `price`: the shared prefix at cache prices when cached
 * (and long enough for the model), the rest of the input at input price, the output at output price.
 */
export function planCost(requests: readonly EstimateRequest[], price: ModelPrice, options: PlanCostOptions): number {
  if (requests.length === 0) return 0;
  // A request cannot contain more prefix than it has input: keep inconsistent numbers from going negative.
  const prefix = Math.max(
    0,
    requests.reduce((least, r) => Math.min(least, r.inputTokens), options.prefixTokens),
  );
  let ownInput = 0;
  let output = 0;
  for (const request of requests) {
    ownInput += request.inputTokens - prefix;
    output += request.outputTokens;
  }
  const hitRate = options.expectedHitRate;
  const prefixUsd = expectedPrefixCost(prefix, requests.length, price, {
    cached: options.cached,
    ...(hitRate === undefined ? {} : { hitRate }),
  });
  const standard = prefixUsd + (ownInput * price.input + output * price.output) / PER_MILLION;
  return standard * (options.batch === false ? 1 : BATCH_DISCOUNT);
}

export interface EstimatePlanInput {
  model: string;
  /** undefined when the model's price is unknown and the user chose to go on anyway. */
  price: ModelPrice | undefined;
  requests: readonly EstimateRequest[];
  prefixTokens: number;
  cached: boolean;
  /** Files the requests cover. */
  files: number;
  tokenSource: CostEstimate['tokenSource'];
  /** Models to compare against; by default one current model per family from the price table. */
  otherPrices?: Readonly<Record<string, ModelPrice>>;
  /** Requests the budget dropped (see applyBudget), carried into the estimate for the reports. */
  dropped?: CostEstimate['dropped'];
  expectedHitRate?: number;
  /**
   * How many days of changes the window holds, to project a month of nightly runs (1 when omitted);
   * null when the window is not about a night (a pull request, the whole history): no projection.
   */
  windowDays?: number | null;
}

function defaultComparison(): Record<string, ModelPrice> {
  const prices: Record<string, ModelPrice> = {};
  for (const model of COMPARISON_MODELS) prices[model] = resolvePrice(model)!;
  return prices;
}

/** The estimate submit saves in the state and prints on a dry run. */
export function estimatePlan(input: EstimatePlanInput): CostEstimate {
  const { model, price, requests, prefixTokens, cached } = input;
  const hitRate = input.expectedHitRate;
  const costOn = (p: ModelPrice, options: { cached: boolean; batch: boolean }): number =>
    planCost(requests, p, { prefixTokens, ...options, ...(hitRate === undefined ? {} : { expectedHitRate: hitRate }) });

  const family = priceFamily(model);
  const otherModels = Object.entries(input.otherPrices ?? defaultComparison())
    .filter(([other]) => priceFamily(other) !== family)
    // Caching is a property of the prompt, not the model: keep the same choice (planCost drops it
    // where that model's minimum is above the prefix).
    .map(([other, p]) => ({ model: other, batchUsd: costOn(p, { cached, batch: true }) }));

  const batchUsd = price ? costOn(price, { cached, batch: true }) : 0;
  return {
    model,
    tokenSource: input.tokenSource,
    files: input.files,
    requests: requests.length,
    inputTokens: requests.reduce((sum, r) => sum + r.inputTokens, 0),
    outputTokens: requests.reduce((sum, r) => sum + r.outputTokens, 0),
    prefixTokens,
    cached,
    batchUsd,
    interactiveUsd: price ? costOn(price, { cached: false, batch: false }) : 0,
    otherModels,
    windowDays: input.windowDays === undefined ? 1 : input.windowDays,
    monthlyUsd: nightlyMonthUsd(batchUsd, input.windowDays === undefined ? 1 : input.windowDays),
    dropped: [...(input.dropped ?? [])],
    priced: price !== undefined,
  };
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');
/** Paths are user data: keep them from breaking out of their code span. */
const code = (text: string): string => `\`${text.replace(/`/g, "'").replace(/[\r\n]+/g, ' ')}\``;

/** "7-day", "12-hour": a window's length as the projection names it. */
function windowLength(days: number): string {
  if (days < 1) return `${Math.max(1, Math.round(days * 24))}-hour`;
  // Rounded first: a window of 10 days and a second is "10-day", not "10.0-day".
  const tenths = Math.round(days * 10) / 10;
  return `${Number.isInteger(tenths) ? tenths : tenths.toFixed(1)}-day`;
}

/** The projection's row label; null when there is none (a pull request, the whole history, an old state). */
export function nightlyLabel(estimate: Pick<CostEstimate, 'monthlyUsd' | 'windowDays'>): string | null {
  if (estimate.monthlyUsd === null || estimate.monthlyUsd === undefined) return null;
  const days = estimate.windowDays ?? 1;
  const label = `Nightly for ${RUNS_PER_MONTH} days`;
  return days === 1 ? label : `${label} (this ${windowLength(days)} window scaled to one night)`;
}

/** A short Markdown block for the job summary and the CLI. */
export function renderEstimate(estimate: CostEstimate): string {
  const lines: string[] = [];
  const source = estimate.tokenSource === 'count_tokens' ? 'counted with count_tokens' : 'estimated offline';
  lines.push(
    `**Cost estimate** · ${code(estimate.model)} · ${count(estimate.requests)} request${estimate.requests === 1 ? '' : 's'} ` +
      `over ${count(estimate.files)} file${estimate.files === 1 ? '' : 's'} · tokens ${source} · list prices of ${PRICES_CHECKED}`,
    '',
  );
  const usd = (value: number): string => (estimate.priced ? formatUsd(value) : 'unknown');
  lines.push(
    '| | cost |',
    '|---|---:|',
    `| Batch (this run) | ${usd(estimate.batchUsd)} |`,
    `| Interactive, no caching | ${usd(estimate.interactiveUsd)} |`,
  );
  if (estimate.priced && estimate.interactiveUsd > 0) {
    const saved = estimate.interactiveUsd - estimate.batchUsd;
    lines.push(
      `| Saved by batching${estimate.cached ? ' and caching' : ''} | ${formatUsd(saved)} (${Math.round((saved / estimate.interactiveUsd) * 100)}%) |`,
    );
  }
  const nightly = nightlyLabel(estimate);
  if (nightly) lines.push(`| ${nightly} | ${usd(estimate.monthlyUsd ?? 0)} |`);
  for (const other of estimate.otherModels) lines.push(`| Batch on ${code(other.model)} | ${formatUsd(other.batchUsd)} |`);
  lines.push('');
  lines.push(
    `Tokens: ${count(estimate.inputTokens)} input, ${count(estimate.outputTokens)} output (expected). ` +
      `Shared prefix: ${count(estimate.prefixTokens)} tokens, ${estimate.cached ? 'cached (1h)' : 'not cached'}.`,
  );
  if (!estimate.priced) {
    lines.push('', `No price is known for ${code(estimate.model)}: add it with \`price-overrides\` to get a cost.`);
  }
  if (estimate.dropped.length > 0) {
    // Their files are listed once, where every unsent file is (the plan's Skipped files).
    const files = new Set(estimate.dropped.flatMap((item) => item.paths)).size;
    lines.push(
      '',
      `**Dropped to fit the budget**: ${count(estimate.dropped.length)} request${estimate.dropped.length === 1 ? '' : 's'} (${count(files)} file${files === 1 ? '' : 's'}), listed under skipped files as over max-cost-usd.`,
    );
  }
  return lines.join('\n');
}
