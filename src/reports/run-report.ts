// The run report: the accounting a lead budgets with, computed once from a collected round (a pure
// function of the round's state and results) into a plain structure that results.json carries as it is
// and run-report-render.ts turns into Markdown: processing times and rates, tokens, cost by billing
// line, what caching saved, the same tokens priced on the other models, the cached prefix, every
// planned unit accounted for, and what retries cost against the first-pass rate.
import type { TextBlockParam } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ReportContext } from './reporter.js';
import type { TaskName } from '../types.js';
import type { CostByCategory, ModelPrice, UsageSummary } from '../cost/types.js';
import { COMPARISON_MODELS, priceFamily, resolvePrice } from '../cost/prices.js';
import { uncachedCost, usageCost, usageOfSummary } from '../cost/usage.js';
import { estimateTokens } from '../cost/tokens.js';
import { PREFIX_HEADERS } from '../engine/plan.js';
import { firstPassSuccess } from './markdown.js';
import { isFirstPassBatch } from '../state/state.js';

export const RUN_REPORT_VERSION = 1;

/** The first-pass success rate below which the report warns (min-first-pass-rate's default). */
export const DEFAULT_MIN_FIRST_PASS_RATE = 0.9;

export interface RunReportOptions {
  /** When the report is made (the end of the wall time). */
  now: Date;
  priceOverrides?: Readonly<Record<string, ModelPrice>>;
  /** 0..1; below it the report warns, naming the commonest failure. */
  minFirstPassRate?: number;
}

export interface ProcessingReport {
  /** 'batch' (Message Batches API) or 'interactive' (the run mode). */
  mode: 'batch' | 'interactive';
  batches: number;
  /** When the round's first batch was submitted (the run's start, interactive). */
  submittedAt: string;
  /** When its last batch ended (null: interactive, or not reported). */
  endedAt: string | null;
  reportedAt: string;
  /** submittedAt → reportedAt: how long the people waited. */
  wallSeconds: number;
  /** submittedAt → endedAt: how long the API took (null when unknown). */
  batchSeconds: number | null;
  /** Answers per minute of processing (batch time, else wall time); null when no time passed. */
  requestsPerMinute: number | null;
  outputTokensPerSecond: number | null;
}

export interface TokenReport {
  requests: number;
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
  /** All four added. */
  total: number;
  /** Per answered request (0 when none). */
  perRequest: { input: number; output: number; cacheWrite: number; cacheRead: number };
}

export interface CostReport {
  /** False when the model's price is unknown: the dollars below are then 0 and mean nothing. */
  priced: boolean;
  totalUsd: number;
  /** The billing lines; they add up to totalUsd. null for results saved before the breakdown existed. */
  byCategory: CostByCategory | null;
  perRequestUsd: number;
  /** The same tokens at the same rate with no caching (every prompt token as plain input). */
  withoutCachingUsd: number;
  /** withoutCachingUsd - totalUsd (negative: caching cost more than it saved). */
  cachingSavedUsd: number;
  /** The same tokens through the interactive API with no caching. */
  interactiveUsd: number;
  /** interactiveUsd - totalUsd. */
  savedVsInteractiveUsd: number;
  /** The same tokens priced on the other models of the price table, at the same rate (post-run comparison). */
  otherModels: { model: string; usd: number; cached: boolean }[];
}

export interface PrefixPart {
  kind: 'task rules' | 'instructions' | 'context file' | 'pull request';
  /** The context file's path; null for the other parts. */
  path: string | null;
  bytes: number;
  /** Estimated (the API counts the prefix only as a whole). */
  tokens: number;
}

export interface ContextReport {
  /** The prefix was sent with a cache breakpoint. */
  cached: boolean;
  /** The prefix's size the caching decision was made on (estimated or counted by the API). */
  prefixTokens: number;
  parts: PrefixPart[];
}

export interface UnitReport {
  /** Every unit this round was to answer: the requests of its batches, plus those cut by the budget. */
  planned: number;
  /** Answered with findings, generated files or verdicts. */
  withOutput: number;
  /** A findings task answered with no finding. */
  withNone: number;
  /** A file-writing or verdict task answered with nothing. */
  noOutput: number;
  /** Failed for good in this round. */
  failed: number;
  /** Failed now, resubmitted: their answers come with a later collect. */
  retrying: number;
  /** Dropped before sending to fit max-cost-usd. */
  cutByBudget: number;
  /** planned minus all of the above: requests whose answer never arrived (0 when everything is accounted for). */
  unaccounted: number;
  /** False for results saved before answers were counted by fate: withOutput/withNone/noOutput are then 0. */
  counted: boolean;
  noOutputUnits: { customId: string; paths: string[]; summary: string }[];
  cutUnits: { customId: string; paths: string[]; reason: string }[];
  /** Failed answers by kind, the commonest first (resubmitted ones included). */
  failuresByKind: { kind: string; count: number }[];
}

export interface RetryReport {
  /** Of the round's first submission: succeeded on the first try, out of total. null for a round of retries only. */
  firstPass: { succeeded: number; total: number; rate: number } | null;
  minRate: number;
  /** The commonest failure kind of this round, null when nothing failed. */
  commonestFailure: { kind: string; count: number } | null;
  /** One line when the first-pass rate is under minRate, else null. */
  warning: string | null;
  /** Answers received now for resubmitted requests, and what they cost. */
  retryAnswers: number;
  retryUsd: number;
  /** Answers billed that gave nothing usable (malformed, cut off, refused). */
  failedAnswersUsd: number;
  /** The useful answers one by one through the interactive API, no caching (no retries, no failures). */
  usefulInteractiveUsd: number;
  /** usefulInteractiveUsd - totalUsd: what batching saved after paying for retries and failed answers. */
  netSavingUsd: number;
}

export interface RunReport {
  version: typeof RUN_REPORT_VERSION;
  task: TaskName;
  model: string;
  processing: ProcessingReport;
  tokens: TokenReport;
  cost: CostReport;
  context: ContextReport;
  units: UnitReport;
  retries: RetryReport;
}

/** A difference of sums in floating point: what is a rounding crumb (under a billionth of a dollar) is 0. */
const dollars = (usd: number): number => (Math.abs(usd) < 1e-9 ? 0 : usd);

const seconds = (from: string, to: string): number => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

function processingOf(context: ReportContext, now: Date): ProcessingReport {
  const { state, results } = context;
  const batches = state.batches.filter((batch) => results.batchIds.includes(batch.id));
  const reportedAt = now.toISOString();
  const submitted = batches.map((batch) => batch.submittedAt).sort()[0] ?? state.createdAt;
  const ends = batches.map((batch) => batch.endedAt).filter((at): at is string => at !== null);
  const endedAt = ends.length > 0 && ends.length === batches.length ? ends.sort().at(-1)! : null;
  // The clock of this machine and the API's may disagree by a little: the wall time is never shorter than the batch's.
  const wallSeconds = Math.max(seconds(submitted, reportedAt), endedAt ? seconds(submitted, endedAt) : 0);
  const batchSeconds = endedAt ? seconds(submitted, endedAt) : null;
  const busy = batchSeconds ?? wallSeconds;
  const answered = results.usage.requests;
  return {
    mode: results.batchIds.length > 0 ? 'batch' : 'interactive',
    batches: results.batchIds.length,
    submittedAt: submitted,
    endedAt,
    reportedAt,
    wallSeconds,
    batchSeconds,
    requestsPerMinute: busy > 0 ? answered / (busy / 60) : null,
    outputTokensPerSecond: busy > 0 ? results.usage.outputTokens / busy : null,
  };
}

function tokensOf(usage: UsageSummary): TokenReport {
  const per = (n: number): number => (usage.requests > 0 ? n / usage.requests : 0);
  return {
    requests: usage.requests,
    input: usage.inputTokens,
    output: usage.outputTokens,
    cacheWrite: usage.cacheCreationInputTokens,
    cacheRead: usage.cacheReadInputTokens,
    total: usage.inputTokens + usage.outputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens,
    perRequest: {
      input: per(usage.inputTokens),
      output: per(usage.outputTokens),
      cacheWrite: per(usage.cacheCreationInputTokens),
      cacheRead: per(usage.cacheReadInputTokens),
    },
  };
}

function costOf(context: ReportContext, options: RunReportOptions, prefixTokens: number): CostReport {
  const { state, results } = context;
  const usage = results.usage;
  const rate = { batch: results.batchIds.length > 0 };
  const price = resolvePrice(state.model, options.priceOverrides);
  const tokens = usageOfSummary(usage);
  const withoutCachingUsd = price ? uncachedCost(tokens, price, rate) : 0;
  const family = priceFamily(state.model);
  const otherModels = COMPARISON_MODELS.filter((model) => model !== family).flatMap((model) => {
    const other = resolvePrice(model, options.priceOverrides);
    if (!other) return [];
    // A prefix shorter than that model caches would not have been cached there: its tokens are plain input.
    const cached = prefixTokens >= other.minCacheablePrefix;
    return [{ model, usd: cached ? usageCost(tokens, other, rate) : uncachedCost(tokens, other, rate), cached }];
  });
  return {
    priced: price !== undefined,
    totalUsd: usage.costUsd,
    byCategory: usage.costByCategoryUsd ? { ...usage.costByCategoryUsd } : null,
    perRequestUsd: usage.requests > 0 ? usage.costUsd / usage.requests : 0,
    withoutCachingUsd,
    cachingSavedUsd: price ? dollars(withoutCachingUsd - usage.costUsd) : 0,
    interactiveUsd: usage.interactiveUsd,
    savedVsInteractiveUsd: usage.savingsUsd,
    otherModels,
  };
}

const DOC = /<project_doc path="([^"]*)">\n([\s\S]*?)\n<\/project_doc>(?=\n<project_doc path="|$)/g;

/**
 * The parts of the shared prefix as saved in the state (what every request was sent with): the task's
 * rules, the maintainers' instructions, each context file, the pull request's description. A context
 * file whose own text holds a `</project_doc>` line followed by an opening tag would be read as two;
 * the sizes still add up to what was sent.
 */
export function prefixParts(system: readonly TextBlockParam[]): PrefixPart[] {
  const part = (kind: PrefixPart['kind'], text: string, path: string | null = null): PrefixPart => ({
    kind,
    path,
    bytes: Buffer.byteLength(text, 'utf8'),
    tokens: estimateTokens(text),
  });
  return system.flatMap((block, index): PrefixPart[] => {
    const text = block.text;
    if (index === 0) return [part('task rules', text)];
    if (text.startsWith(PREFIX_HEADERS.instructions)) return [part('instructions', text)];
    if (text.startsWith(PREFIX_HEADERS.pullRequest)) return [part('pull request', text)];
    if (text.startsWith(PREFIX_HEADERS.projectDocs)) {
      const docs = [...text.matchAll(DOC)].map((match) => part('context file', match[2]!, match[1]!.replace(/&quot;/g, '"')));
      if (docs.length > 0) return docs;
    }
    return [part('task rules', text)];
  });
}

function contextOf(context: ReportContext): ContextReport {
  const system = context.state.systemPrefix ?? [];
  return {
    cached: system.some((block) => block.cache_control),
    prefixTokens: context.state.estimate?.prefixTokens ?? 0,
    parts: prefixParts(system),
  };
}

/** Whether the round holds the first submission of its state (the budget cut belongs to it). */
function holdsFirstPass(context: ReportContext): boolean {
  const { state, results } = context;
  const first = state.batches.filter(isFirstPassBatch);
  return first.length === 0 || first.some((batch) => results.batchIds.includes(batch.id));
}

function unitsOf(context: ReportContext): UnitReport {
  const { state, results } = context;
  const accounting = results.accounting;
  // A verification round's requests check findings; they are not units of the night.
  const checks = new Set(state.batches.filter((batch) => batch.verify).map((batch) => batch.id));
  const ownIds = results.batchIds.filter((id) => !checks.has(id));
  const inRound = state.batches.filter((batch) => !batch.verify && ownIds.includes(batch.id));
  // A merged round's older batches are not in the newest state: then the answers are what was planned.
  const sent =
    inRound.length === ownIds.length && inRound.length > 0
      ? inRound.reduce((n, batch) => n + batch.requestCount, 0)
      : results.received;
  const cut = holdsFirstPass(context) ? (state.estimate?.dropped ?? []) : [];
  const failed = results.failures.length;
  const withOutput = accounting?.withOutput ?? 0;
  const withNone = accounting?.withNone ?? 0;
  const noOutput = accounting?.noOutput ?? 0;
  const answered = accounting ? withOutput + withNone + noOutput : results.succeeded;
  const planned = sent + cut.length;
  const failuresByKind = Object.entries(accounting?.failureKinds ?? {})
    .map(([kind, count]) => ({ kind, count }))
    .sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : 1));
  return {
    planned,
    withOutput,
    withNone,
    noOutput,
    failed,
    retrying: results.resubmitted,
    cutByBudget: cut.length,
    unaccounted: Math.max(0, planned - answered - failed - results.resubmitted - cut.length),
    counted: accounting !== undefined,
    noOutputUnits: accounting?.noOutputUnits ?? [],
    cutUnits: cut.map((d) => ({ customId: d.customId, paths: d.paths, reason: d.reason })),
    failuresByKind,
  };
}

function retriesOf(context: ReportContext, units: UnitReport, minRate: number): RetryReport {
  const { results } = context;
  const accounting = results.accounting;
  const pass = firstPassSuccess(context);
  const firstPass = pass ? { ...pass, rate: pass.total > 0 ? pass.succeeded / pass.total : 1 } : null;
  const commonestFailure = units.failuresByKind[0] ?? null;
  let warning: string | null = null;
  if (firstPass && firstPass.rate < minRate) {
    const percent = (rate: number): string => `${Math.floor(rate * 1000) / 10}%`;
    const commonest = commonestFailure
      ? `; the commonest failure: ${commonestFailure.kind} (${commonestFailure.count} of ${firstPass.total - firstPass.succeeded})`
      : '';
    warning = `First-pass success rate ${percent(firstPass.rate)} is below the ${percent(minRate)} threshold (min-first-pass-rate)${commonest}.`;
  }
  const failedInteractive = accounting?.failedUsage.interactiveUsd ?? 0;
  const usefulInteractiveUsd = results.usage.interactiveUsd - failedInteractive;
  return {
    firstPass,
    minRate,
    commonestFailure,
    warning,
    retryAnswers: accounting?.retryUsage.requests ?? 0,
    retryUsd: accounting?.retryUsage.costUsd ?? 0,
    failedAnswersUsd: accounting?.failedUsage.costUsd ?? 0,
    usefulInteractiveUsd,
    netSavingUsd: dollars(usefulInteractiveUsd - results.usage.costUsd),
  };
}

/** The run report of a collected round: a pure function of its state and results. */
export function buildRunReport(context: ReportContext, options: RunReportOptions): RunReport {
  const contextReport = contextOf(context);
  const units = unitsOf(context);
  return {
    version: RUN_REPORT_VERSION,
    task: context.results.task,
    model: context.state.model,
    processing: processingOf(context, options.now),
    tokens: tokensOf(context.results.usage),
    cost: costOf(context, options, contextReport.prefixTokens),
    context: contextReport,
    units,
    retries: retriesOf(context, units, options.minFirstPassRate ?? DEFAULT_MIN_FIRST_PASS_RATE),
  };
}
