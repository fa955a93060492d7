// The report's lines about the night's promises (issue 16 items 3 and 4): what the deadline fallback
// answered interactively and what it cost, what the budget held back, and how much of max-cost-usd
// the night has committed. One short line each, in the summary every report opens with.
import type { RunState } from '../state/state.js';
import type { CollectedResults } from './reporter.js';
import { formatUsd } from '../cost/usage.js';
import { codeSpan } from './sanitize.js';
import { plural } from './format.js';

export function budgetLines(results: CollectedResults, state: Pick<RunState, 'budget'>): string[] {
  const lines: string[] = [];
  const deadline = results.deadline;
  if (deadline && (deadline.answered > 0 || deadline.canceled.length > 0)) {
    const canceled = deadline.canceled.length > 0 ? `; batch ${deadline.canceled.map(codeSpan).join(', ')} canceled` : '';
    const left =
      deadline.leftToBatch > 0 ? `; ${plural(deadline.leftToBatch, 'request')} left to the batch (no room in the budget)` : '';
    lines.push(
      `Deadline (deliver-by ${codeSpan(deadline.deliverBy)}): ${plural(deadline.answered, 'request')} still processing answered through the interactive API for ${formatUsd(deadline.costUsd)} at full price${canceled}${left}.`,
    );
  }
  if (results.budgetCut) {
    lines.push(
      `${plural(results.budgetCut, 'failed request')} not resubmitted: the budget had no room for ${results.budgetCut === 1 ? 'it' : 'them'} (listed with the failures).`,
    );
  }
  const budget = state.budget;
  if (budget && budget.maxCostUsd > 0) {
    lines.push(
      `Budget: ${formatUsd(budget.committedUsd)} of max-cost-usd ${formatUsd(budget.maxCostUsd)} committed tonight${budget.strict ? ' (worst case, budget-strict)' : ' (estimated)'}.`,
    );
  }
  return lines;
}
