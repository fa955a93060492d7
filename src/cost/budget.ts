// max-cost-usd: when the plan's estimate is above the budget, send fewer requests rather than overspend.
//
// Priority: a request is worth the changed lines it reviews per estimated dollar (its estimate when
// sent on its own). Requests are considered from the most to the least valuable; each is kept if the
// estimate of everything kept so far plus it stays within the budget, and dropped otherwise, so the
// least valuable requests go first and a cheap request can still use budget a pricier one left unused.
// Ties keep the request whose first path sorts first, then the smaller custom_id (deterministic plans).
// Whole requests only: half a review is worth less than none, and a request is the unit the state
// tracks. The kept set's estimate is checked with the caller's own estimate function every time one is
// added, so caching or any other non-additive effect cannot push the result over the budget.
import type { LineRange, RequestRecord } from '../types.js';
import type { ModelPrice } from './types.js';
import { planCost } from './estimate.js';
import { formatUsd } from './usage.js';

/** What the budget needs of a request: a PlannedRequest fits. */
export interface BudgetCandidate {
  customId: string;
  record: Pick<RequestRecord, 'paths' | 'lineRanges'>;
}

export interface BudgetOptions<T> {
  /**
   * Changed lines a request covers: what makes it worth its cost. By default the lines of its
   * record.lineRanges (the head lines the request asks about), overlaps counted once.
   */
  changedLines?: (request: T) => number;
}

export interface DroppedRequest {
  customId: string;
  paths: string[];
  reason: string;
}

export interface BudgetResult<T> {
  /** Requests to send, in their original order. */
  kept: T[];
  /** Requests left out, most valuable first, each with a one-line reason. */
  dropped: DroppedRequest[];
  /** Estimate of all requests. */
  totalUsd: number;
  /** Estimate of the kept requests (≤ budget whenever a budget applies). */
  keptUsd: number;
  /** Set when nothing fits: one line for the caller to refuse with; null otherwise. */
  refusal: string | null;
}

/** Lines covered by `ranges`, overlaps counted once. */
export function countRangeLines(ranges: readonly LineRange[]): number {
  const sorted = [...ranges].filter((r) => r.end >= r.start).sort((a, b) => a.start - b.start);
  let lines = 0;
  let coveredTo = 0;
  for (const range of sorted) {
    const start = Math.max(range.start, coveredTo + 1);
    if (range.end >= start) lines += range.end - start + 1;
    coveredTo = Math.max(coveredTo, range.end);
  }
  return lines;
}

const firstPath = (paths: readonly string[]): string => [...paths].sort()[0] ?? '';
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Changed lines of a request from its line ranges, all paths together. */
export function requestLines(request: BudgetCandidate): number {
  return Object.values(request.record.lineRanges).reduce((sum, ranges) => sum + countRangeLines(ranges), 0);
}

/**
 * Keeps the most valuable requests whose estimate fits `budgetUsd` (see the priority note above).
 * `estimateFn` prices a set of requests the way the real submission would (batch rates, caching).
 * A budget of 0 (or less) means no limit.
 */
export function applyBudget<T extends BudgetCandidate>(
  requests: readonly T[],
  estimateFn: (requests: T[]) => number,
  budgetUsd: number,
  options: BudgetOptions<T> = {},
): BudgetResult<T> {
  const linesOf = options.changedLines ?? requestLines;
  const totalUsd = estimateFn([...requests]);
  if (!(budgetUsd > 0) || totalUsd <= budgetUsd) {
    return { kept: [...requests], dropped: [], totalUsd, keptUsd: totalUsd, refusal: null };
  }

  const ranked = requests
    .map((request, index) => {
      const aloneUsd = estimateFn([request]);
      const lines = linesOf(request);
      const value = lines > 0 ? lines / Math.max(aloneUsd, Number.MIN_VALUE) : 0;
      return { request, index, aloneUsd, value, path: firstPath(request.record.paths) };
    })
    .sort((a, b) => b.value - a.value || compareText(a.path, b.path) || compareText(a.request.customId, b.request.customId));

  const fits = (set: T[]): boolean => set.length === 0 || estimateFn(set) <= budgetUsd;

  // The longest run of top-priority requests that fits, found by bisection (O(log n) estimates). It
  // holds `fits(lo) && !fits(hi)`, which stays true even if the estimate is not monotonic.
  let lo = 0;
  let hi = ranked.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(ranked.slice(0, mid).map((r) => r.request))) lo = mid;
    else hi = mid;
  }
  const keptSet = new Set(ranked.slice(0, lo));
  const kept = ranked.slice(0, lo).map((r) => r.request);
  // Then every less valuable request that still fits next to those.
  for (const candidate of ranked.slice(lo + 1)) {
    if (fits([...kept, candidate.request])) {
      kept.push(candidate.request);
      keptSet.add(candidate);
    }
  }

  const budget = formatUsd(budgetUsd);
  const reached = `budget ${budget} reached (estimated ${formatUsd(totalUsd)} for all ${requests.length} requests)`;
  const dropped = ranked
    .filter((r) => !keptSet.has(r))
    .map((r) => ({
      customId: r.request.customId,
      paths: [...r.request.record.paths],
      reason: r.aloneUsd > budgetUsd ? `estimated ${formatUsd(r.aloneUsd)} on its own, more than the budget ${budget}` : reached,
    }));
  const inOrder = [...keptSet].sort((a, b) => a.index - b.index).map((r) => r.request);

  let refusal: string | null = null;
  if (inOrder.length === 0) {
    const cheapest = ranked.reduce((best, r) => (r.aloneUsd < best.aloneUsd ? r : best));
    refusal =
      `max-cost-usd ${budget} is below the cheapest request (estimated ${formatUsd(cheapest.aloneUsd)} for ${cheapest.path}): ` +
      'raise max-cost-usd or narrow the files (include, exclude, max-files)';
  }
  return { kept: inOrder, dropped, totalUsd, keptUsd: inOrder.length === 0 ? 0 : estimateFn(inOrder), refusal };
}

// ---------------------------------------------------------------------------------------------
// A night's budget beyond the submit: max-cost-usd also caps what collect sends later (resubmissions
// of retryable failures, the deadline fallback), and monthly-budget-usd caps every night of a month.
// What a night has committed is kept in its state; a month's in the ledger (state/ledger.ts).

/** A night's budget and deadline, as the submit saved them in the state (absent in older states). */
export interface NightBudget {
  /** max-cost-usd at submit; 0 = none. */
  maxCostUsd: number;
  /** budget-strict: requests priced at max_tokens of output. */
  strict: boolean;
  /**
   * USD committed so far: the submit's batches and every resubmission at their estimate (worst case
   * when strict), each deadline fallback at its estimate before it is sent. A cap, not a bill: the
   * reports show what was actually paid.
   */
  committedUsd: number;
  /** deliver-by as given and the instant it meant at submit; null: no deadline. */
  deliverBy: { text: string; at: string } | null;
  /** monthly-budget-usd at submit (0 or absent: none): what collect sends for this night counts against it too. */
  monthlyBudgetUsd?: number;
}

/** What pricing a request for a budget needs of it: a RequestRecord fits. */
export interface PricedRecord {
  estimatedInputTokens: number;
  estimatedOutputTokens: number;
}

export interface RecordPricing {
  price: ModelPrice;
  /** Batch rates (half price) or interactive. */
  batch: boolean;
  /** Output at max_tokens (budget-strict) instead of the expected output. */
  strict: boolean;
  maxOutputTokens: number;
}

/**
 * What requests sent again (a resubmission, the deadline fallback) may cost: input at input price
 * (the shared prefix is not assumed cached), output expected or, when strict, at max_tokens.
 */
export function recordsCostUsd(records: readonly PricedRecord[], pricing: RecordPricing): number {
  return planCost(
    records.map((record, index) => ({
      customId: String(index),
      paths: [],
      inputTokens: record.estimatedInputTokens,
      outputTokens: pricing.strict ? pricing.maxOutputTokens : record.estimatedOutputTokens,
    })),
    pricing.price,
    { prefixTokens: 0, cached: false, batch: pricing.batch },
  );
}

/**
 * USD a night may still commit: the smaller of its cap (the submit's max-cost-usd, and this run's
 * when it sets one) less what it committed, and what the month has left. Infinity: no limit.
 */
export function nightRoomUsd(budget: NightBudget | undefined, runMaxCostUsd: number, monthRoomUsd: number): number {
  const caps = [budget?.maxCostUsd ?? 0, runMaxCostUsd].filter((cap) => cap > 0);
  const night = caps.length > 0 ? Math.min(...caps) - (budget?.committedUsd ?? 0) : Number.POSITIVE_INFINITY;
  return Math.max(0, Math.min(night, monthRoomUsd));
}

/** Which budget a room comes from, for the line that says why a request was not sent. */
export function roomSource(budget: NightBudget | undefined, runMaxCostUsd: number, monthRoomUsd: number): string {
  const caps = [budget?.maxCostUsd ?? 0, runMaxCostUsd].filter((cap) => cap > 0);
  const night = caps.length > 0 ? Math.min(...caps) - (budget?.committedUsd ?? 0) : Number.POSITIVE_INFINITY;
  if (monthRoomUsd < night) return `monthly-budget-usd (${formatUsd(Math.max(0, monthRoomUsd))} left this month)`;
  return `max-cost-usd ${formatUsd(Math.min(...caps))} (${formatUsd(budget?.committedUsd ?? 0)} already committed tonight)`;
}
