// max-cost-usd after the submit: what collect sends on a night's account later (resubmissions of
// retryable failures, the deadline fallback) is held to what the night's cap and the month leave,
// most valuable requests first (applyBudget), and committed in the state and the ledger.
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import type { PlannedRequest } from '../types.js';
import type { CostEstimate } from '../cost/types.js';
import { applyBudget, nightRoomUsd, recordsCostUsd, roomSource, type BudgetCandidate } from '../cost/budget.js';
import { resolvePrice } from '../cost/prices.js';
import { formatUsd } from '../cost/usage.js';
import { plural } from '../reports/format.js';
import type { RunState } from '../state/state.js';
import type { EngineDeps } from './deps.js';
import { spendingOf } from './spending.js';

export interface NightFit<T> {
  kept: T[];
  /** Left out, each with the one line that says why. */
  dropped: { customId: string; reason: string }[];
  /** What the kept ones commit (their estimate, or worst case with budget-strict). */
  usd: number;
}

/**
 * Holds requests of `state` that collect is about to send (at batch or interactive rates) to the room
 * the night's cap and the month leave. Without a cap, everything is kept.
 */
export async function fitToNight<
  T extends BudgetCandidate & { record: { estimatedInputTokens: number; estimatedOutputTokens: number } },
>(state: RunState, candidates: readonly T[], rates: { batch: boolean }, config: Config, deps: EngineDeps): Promise<NightFit<T>> {
  const price = resolvePrice(state.model, config.priceOverrides);
  const strict = (state.budget?.strict ?? false) || config.budgetStrict;
  const costOf = (set: readonly T[]): number =>
    price
      ? recordsCostUsd(
          set.map((c) => c.record),
          { price, batch: rates.batch, strict, maxOutputTokens: state.maxOutputTokens },
        )
      : 0;
  const monthRoom = await spendingOf(config, deps).monthRoom(monthlyOf(state, config));
  const room = nightRoomUsd(state.budget, config.maxCostUsd, monthRoom);
  if (!Number.isFinite(room)) return { kept: [...candidates], dropped: [], usd: costOf(candidates) };
  const source = roomSource(state.budget, config.maxCostUsd, monthRoom);
  const wouldCost = costOf(candidates);
  if (room <= 0 || wouldCost > room) {
    const fitted = room > 0 ? applyBudget(candidates, (set) => costOf(set), room) : null;
    const kept = fitted?.kept ?? [];
    const keptIds = new Set(kept.map((c) => c.customId));
    const reason = `${source} leaves ${formatUsd(room)}; sending ${candidates.length === 1 ? 'it' : `all ${candidates.length}`} would commit ${formatUsd(wouldCost)}${strict ? ' (budget-strict: at max_tokens of output)' : ''}`;
    return {
      kept,
      dropped: candidates.filter((c) => !keptIds.has(c.customId)).map((c) => ({ customId: c.customId, reason })),
      usd: costOf(kept),
    };
  }
  return { kept: [...candidates], dropped: [], usd: wouldCost };
}

/** Adds what collect sent to the night's committed total (the state is saved by the caller) and to the month's ledger. */
export async function commitToNight(
  state: RunState,
  usd: number,
  what: 'resubmit' | 'deadline' | 'verify',
  stateId: string,
  config: Config,
  deps: EngineDeps,
): Promise<void> {
  if (state.budget) state.budget.committedUsd += usd;
  else state.budget = { maxCostUsd: 0, strict: false, committedUsd: usd, deliverBy: null };
  await spendingOf(config, deps).commit(usd, what, stateId, monthlyOf(state, config));
}

/** The monthly budget a night's later sends count against: this run's, else the one it was submitted under. */
const monthlyOf = (state: RunState, config: Config): number =>
  config.monthlyBudgetUsd > 0 ? config.monthlyBudgetUsd : (state.budget?.monthlyBudgetUsd ?? 0);

/**
 * A submit's plan held to the tighter of max-cost-usd and what the month has left (monthly-budget-usd):
 * the most valuable requests that fit (applyBudget), those left out said in one warning line. Nothing
 * fitting at all is one line and exit code 1.
 */
export async function fitPlanToBudget(
  requests: PlannedRequest[],
  committedOf: (kept: PlannedRequest[]) => number,
  config: Config,
  deps: EngineDeps,
): Promise<{ kept: PlannedRequest[]; dropped: CostEstimate['dropped'] }> {
  const monthRoom = await spendingOf(config, deps).monthRoom();
  const capUsd = Math.min(config.maxCostUsd > 0 ? config.maxCostUsd : Number.POSITIVE_INFINITY, monthRoom);
  if (!Number.isFinite(capUsd)) return { kept: requests, dropped: [] };
  const capName =
    monthRoom < (config.maxCostUsd || Number.POSITIVE_INFINITY)
      ? `monthly-budget-usd (${formatUsd(monthRoom)} left this month)`
      : 'max-cost-usd';
  const fitted = applyBudget(requests, committedOf, capUsd);
  if (fitted.kept.length === 0 && requests.length > 0) {
    throw new ConfigError(
      `${capName}: even the cheapest request costs more than the budget of ${formatUsd(capUsd)}${config.budgetStrict ? ' (budget-strict: at max_tokens of output)' : ''}; raise it or narrow include`,
    );
  }
  if (fitted.dropped.length > 0) {
    // One line, however many were cut: the full plan lists every file left out (Skipped files).
    const files = new Set(fitted.dropped.flatMap((d) => d.paths)).size;
    const cap = capName === 'max-cost-usd' ? `max-cost-usd ${formatUsd(capUsd)}` : capName;
    deps.log.warning(
      `${cap}: left out ${fitted.dropped.length} of ${plural(requests.length, 'request')} (${plural(files, 'file')}), estimated ${formatUsd(fitted.totalUsd)} for all; the full plan lists them as over ${capName === 'max-cost-usd' ? 'max-cost-usd' : 'monthly-budget-usd'}`,
    );
  }
  return { kept: fitted.kept, dropped: fitted.dropped };
}
