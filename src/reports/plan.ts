// What a submit (or a dry run) plans, for the people who pay for it: the full plan as Markdown (the job
// summary in Actions, <output-dir>/plan.md for the CLI: every changed file sent or skipped with why,
// every request, the estimate) and the compact plan printed to the log (at most ~25 lines: every
// changed file's fate by count and reason, the largest requests, caching, redactions, the cost, and
// where the full plan is).
import type { TaskName } from '../types.js';
import type { CostEstimate } from '../cost/types.js';
import { nightlyLabel, renderEstimate } from '../cost/estimate.js';
import { formatUsd } from '../cost/usage.js';
import { codeCell, codeSpan } from './sanitize.js';
import { formatCount, plural } from './format.js';
import { skippedCounts, skippedLines, type SkippedEntry } from './skipped.js';
import { capBytes, JOB_SUMMARY_LIMIT_BYTES } from './summary.js';
import { plainLine } from './annotations.js';

export interface PlannedItem {
  paths: string[];
  /** '1/3' when a large change is split, else null. */
  part: string | null;
  inputTokens: number;
}

export interface PlanReportInput {
  task: TaskName;
  repository: string;
  headSha: string;
  /** "since 24h (12 commits)", "pull request #7 (…)". */
  window: string;
  model: string;
  dryRun: boolean;
  /** The requests that fit the budget (sent, or to be sent). */
  requests: PlannedItem[];
  batches: { id: string; requestCount: number }[];
  estimate: CostEstimate;
  /** Every changed file not sent, with why (dropped by the budget included). */
  skipped: SkippedEntry[];
  /** Files in which secret-looking strings were redacted before sending, and how many each. */
  redacted: { path: string; count: number }[];
  /** The caching decision, said as a reason ("shared prefix of 903 tokens is below …"). */
  caching: string;
  notes?: string[];
}

/** Requests named in the compact plan, largest first. */
const LARGEST_SHOWN = 5;

const redactionCount = (input: PlanReportInput): number => input.redacted.reduce((n, file) => n + file.count, 0);

const sentPaths = (input: PlanReportInput): Set<string> => new Set(input.requests.flatMap((request) => request.paths));

/** Skipped entries for files no request covers (a file split in parts is sent when any part is). */
function unsent(input: PlanReportInput): SkippedEntry[] {
  const sent = sentPaths(input);
  return input.skipped.filter((entry) => !sent.has(entry.path));
}

function changedCount(input: PlanReportInput): number {
  return new Set([...sentPaths(input), ...unsent(input).map((entry) => entry.path)]).size;
}

function itemLabel(item: PlannedItem): string {
  const first = item.paths[0] ?? '(no file)';
  const more = item.paths.length > 1 ? ` +${item.paths.length - 1} more` : '';
  return `${first}${more}${item.part ? ` (part ${item.part})` : ''}`;
}

const bySize = (items: PlannedItem[]): PlannedItem[] => [...items].sort((a, b) => b.inputTokens - a.inputTokens);

/** "7 changed files: 3 sent in 3 requests, 4 skipped" */
function fateLine(input: PlanReportInput): string {
  const skipped = new Set(unsent(input).map((entry) => entry.path)).size;
  return `${plural(changedCount(input), 'changed file')}: ${formatCount(sentPaths(input).size)} sent in ${plural(input.requests.length, 'request')}, ${formatCount(skipped)} skipped`;
}

/** What the plan calls each provider's batch service. */
const BATCH_SERVICE = {
  anthropic: 'the Batches API',
  bedrock: 'Bedrock batch inference',
  vertex: 'Vertex AI batch prediction',
} as const;

function costLine(estimate: CostEstimate): string {
  if (!estimate.priced) return `Cost: unknown (no price for ${estimate.model}; add it with price-overrides)`;
  const parts = [
    `Cost: ${formatUsd(estimate.batchUsd)} with ${BATCH_SERVICE[estimate.provider ?? 'anthropic']} (interactive, no caching: ${formatUsd(estimate.interactiveUsd)})`,
  ];
  const nightly = nightlyLabel(estimate);
  if (nightly && estimate.monthlyUsd !== null) {
    parts.push(`${formatUsd(estimate.monthlyUsd)} for a month of nightly runs${nightly.replace(/^Nightly for \d+ days/, '')}`);
  }
  return parts.join('; ');
}

/**
 * The compact plan for the log, one string per line, at most ~25 lines whatever the repository.
 * `fullPlanAt` says where the full plan went (a path, "the job summary"); omitted when unknown.
 */
export function renderPlanLines(input: PlanReportInput, fullPlanAt?: string): string[] {
  const lines: string[] = [];
  const verb = input.dryRun ? 'dry run, nothing sent' : 'submit';
  lines.push(
    plainLine(
      `overnight ${input.task} (${verb}): ${input.repository} at ${input.headSha.slice(0, 12)}, ${input.window} → ${input.model}`,
      300,
    ),
  );
  lines.push(fateLine(input));
  const counts = skippedCounts(unsent(input));
  if (counts) lines.push(`  skipped: ${counts}`);
  const largest = bySize(input.requests).slice(0, LARGEST_SHOWN);
  if (largest.length > 0) {
    lines.push('Largest requests (estimated input tokens):');
    const width = formatCount(largest[0]!.inputTokens).length;
    for (const item of largest) {
      lines.push(`  ${formatCount(item.inputTokens).padStart(width)} tokens  ${plainLine(itemLabel(item), 160)}`);
    }
  }
  lines.push(`Caching: ${input.estimate.cached ? 'cached' : 'not cached'}: ${plainLine(input.caching, 200)}`);
  const redactions = redactionCount(input);
  lines.push(
    `Redacted: ${redactions > 0 ? `${plural(redactions, 'secret-looking string')} in ${plural(input.redacted.length, 'file')} (replaced before sending)` : 'nothing'}`,
  );
  lines.push(costLine(input.estimate));
  if (input.estimate.otherModels.length > 0 && input.estimate.priced) {
    lines.push(
      `  on other models (batch): ${input.estimate.otherModels.map((other) => `${other.model} ${formatUsd(other.batchUsd)}`).join(', ')}`,
    );
  }
  for (const note of input.notes ?? []) lines.push(plainLine(note, 300));
  if (fullPlanAt) lines.push(`Full plan (every file and why): ${plainLine(fullPlanAt, 500)}`);
  return lines;
}

/** The full plan as Markdown: what is sent (every request), in which batches, the estimate, every skipped file and why. */
export function renderPlanMarkdown(input: PlanReportInput): string {
  const sections: string[] = [];
  const verb = input.dryRun ? 'dry run, nothing submitted' : 'submitted';
  sections.push(`## overnight ${input.task}: ${plural(input.requests.length, 'request')} ${verb}`);
  const lines = [
    `${plural(sentPaths(input).size, 'file')} of ${codeSpan(input.repository)} at ${codeSpan(input.headSha.slice(0, 12))}${input.window ? ` (${input.window.replace(/[<>@`]/g, '')})` : ''} → ${plural(input.requests.length, 'request')} to ${codeSpan(input.model)}.`,
    `${fateLine(input)}.`,
    `Caching: ${input.estimate.cached ? 'cached' : 'not cached'}: ${input.caching.replace(/[<>@`]/g, '')}.`,
  ];
  const redactions = redactionCount(input);
  if (redactions > 0) lines.push(`${plural(redactions, 'secret-looking string')} redacted before sending.`);
  if (!input.dryRun) {
    lines.push(
      input.batches.length > 0
        ? `Results are collected by a later run (usually within the hour, at most 24 hours).`
        : 'No batch was submitted.',
    );
  }
  for (const note of input.notes ?? []) lines.push(note);
  sections.push(lines.join('  \n'));

  if (input.batches.length > 0) {
    sections.push(
      [
        '| Batch | Requests |',
        '|---|---:|',
        ...input.batches.map((batch) => `| ${codeSpan(batch.id)} | ${formatCount(batch.requestCount)} |`),
      ].join('\n'),
    );
  }
  sections.push(`### Cost estimate\n\n${renderEstimate(input.estimate).trim()}`);
  if (input.requests.length > 0) {
    const rows = bySize(input.requests).map(
      (item) => `| ${item.paths.map(codeCell).join(', ')} | ${item.part ?? ''} | ${formatCount(item.inputTokens)} |`,
    );
    sections.push(
      `### Requests (${formatCount(input.requests.length)}), largest first\n\n| Files | Part | Input tokens (estimated) |\n|---|---|---:|\n${rows.join('\n')}`,
    );
  }
  if (input.redacted.length > 0) {
    const rows = [...input.redacted]
      .sort((a, b) => b.count - a.count || (a.path < b.path ? -1 : 1))
      .map((file) => `- ${codeSpan(file.path)} (${formatCount(file.count)})`);
    sections.push(`### Redacted before sending (${plural(input.redacted.length, 'file')})\n\n${rows.join('\n')}`);
  }
  const skipped = unsent(input);
  if (skipped.length > 0) {
    sections.push(
      `### Skipped files (${formatCount(new Set(skipped.map((e) => e.path)).size)})\n\n${skippedLines(skipped).join('\n')}`,
    );
  }
  return capBytes(`${sections.join('\n\n')}\n`, JOB_SUMMARY_LIMIT_BYTES);
}
