// What a run commits against the budgets: the month's room (monthly-budget-usd, from the ledger, read
// once per run), the refusal when a month is spent, and each commitment written to the ledger. One
// Spending per run (EngineDeps), so a collect that resubmits for several nights counts them all.
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import { formatUsd } from '../cost/usage.js';
import { monthKey, nextMonth, spentIn, type LedgerEntry } from '../state/ledger.js';
import type { EngineDeps } from './deps.js';

export class Spending {
  private spent: Promise<number> | null = null;

  constructor(
    private readonly config: Pick<Config, 'monthlyBudgetUsd'>,
    private readonly deps: EngineDeps,
  ) {}

  /** USD the month has committed so far (0 without a ledger). */
  monthSpent(): Promise<number> {
    this.spent ??= this.deps.ledger
      ? this.deps.ledger.read().then((ledger) => spentIn(ledger, this.deps.now()))
      : Promise.resolve(0);
    return this.spent;
  }

  /**
   * USD the month may still commit; Infinity without a monthly budget. `monthlyUsd`: the budget that
   * applies (default this run's monthly-budget-usd; a collect passes the one its submission was made under).
   */
  async monthRoom(monthlyUsd = this.config.monthlyBudgetUsd): Promise<number> {
    if (!(monthlyUsd > 0)) return Number.POSITIVE_INFINITY;
    return Math.max(0, monthlyUsd - (await this.monthSpent()));
  }

  /**
   * Records a commitment in the ledger, when a monthly budget applies (`monthlyUsd`, as for monthRoom):
   * runs without one leave the ledger alone (no artifact a night for nothing). Called after the money
   * is committed: a ledger that cannot be saved is a warning, never a failure of what was paid for.
   */
  async commit(
    usd: number,
    what: LedgerEntry['what'],
    submission?: string,
    monthlyUsd = this.config.monthlyBudgetUsd,
  ): Promise<void> {
    if (!(usd > 0) || !(monthlyUsd > 0)) return;
    const before = await this.monthSpent();
    this.spent = Promise.resolve(before + usd);
    const ledger = this.deps.ledger;
    if (!ledger) return;
    try {
      const entry: LedgerEntry = { at: this.deps.now().toISOString(), usd, what, ...(submission ? { submission } : {}) };
      const saved = await ledger.add(entry);
      this.spent = Promise.resolve(spentIn(saved, this.deps.now()));
    } catch (error) {
      this.deps.log.warning(`${ledger.describe()}: could not record ${formatUsd(usd)} (${(error as Error).message})`);
    }
  }

  /**
   * Stops a paid run when the month's budget is spent: one line (and the same note in the job summary
   * or plan file), exit code 1. A dry run only says it.
   */
  async refuseWhenMonthSpent(dryRun: boolean): Promise<void> {
    const budget = this.config.monthlyBudgetUsd;
    if (!(budget > 0)) return;
    const spent = await this.monthSpent();
    if (spent < budget) return;
    const month = monthKey(this.deps.now());
    const line =
      `monthly-budget-usd: ${formatUsd(spent)} of ${formatUsd(budget)} already committed in ${month} (${this.deps.ledger?.describe() ?? 'ledger'}); ` +
      `nothing submitted: raise monthly-budget-usd or wait until ${nextMonth(month)}`;
    if (dryRun) {
      this.deps.log.warning(`${line} (dry run: planned anyway)`);
      return;
    }
    await this.deps.jobSummary(`### overnight: monthly budget reached\n\n${line}\n`);
    throw new ConfigError(line);
  }
}

const perRun = new WeakMap<EngineDeps, Spending>();

/** The run's Spending (made on first use). */
export function spendingOf(config: Pick<Config, 'monthlyBudgetUsd'>, deps: EngineDeps): Spending {
  let spending = perRun.get(deps);
  if (!spending) {
    spending = new Spending(config, deps);
    perRun.set(deps, spending);
  }
  return spending;
}
