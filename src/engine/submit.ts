// submit: gather the changed files, plan one request per unit of work, hold it to the budget, send
// it as one or more batches and save what was sent. Also serves dry-run and (through run.ts) the
// interactive `run` mode, which share everything up to the point of sending.
import type { Config } from '../config.js';
import { ConfigError, UsageError } from '../errors.js';
import { gatherChanges, readInstructions, trustedCommitOf } from '../gather/index.js';
import { parseSince, type Since } from '../gather/since.js';
import { runGit } from '../gather/git.js';
import { getTask } from '../tasks/index.js';
import { DEFAULT_PLAN_OPTIONS, type TaskDefinition } from '../tasks/task.js';
import { dataChangeLeftOut } from '../tasks/units.js';
import { recordRedactions } from '../tasks/redaction-findings.js';
import { resolvePrice, retirementWarning } from '../cost/prices.js';
import { estimatePlan } from '../cost/estimate.js';
import type { NightBudget } from '../cost/budget.js';
import { FatalApiError } from '../batch/retry.js';
import { splitIntoBatches } from '../batch/client.js';
import { batchService } from '../providers/index.js';
import { renderPlanLines, renderPlanMarkdown, type PlanReportInput } from '../reports/plan.js';
import type { SkippedEntry } from '../reports/skipped.js';
import { STATE_VERSION, type BatchRecord, type RunState } from '../state/state.js';
import type { ChangeSet, PlannedRequest } from '../types.js';
import type { CostEstimate, ModelPrice } from '../cost/types.js';
import { decideCachingAgain, planRequests, type Plan } from './plan.js';
import { calibrateInputTokens, countPrefixTokens } from './calibrate.js';
import { windowDays } from './window-days.js';
import type { EngineDeps, RunStatus } from './deps.js';
import { plural } from '../reports/format.js';
import { openCheckRun } from '../reports/check-run.js';
import { deadlineAfter, deadlineWarning } from './deliver-by.js';
import { spendingOf } from './spending.js';
import { fitPlanToBudget } from './night-budget.js';
import { formatUsd } from '../cost/usage.js';

export interface PreparedWork {
  task: TaskDefinition;
  model: string;
  maxOutputTokens: number;
  price: ModelPrice | undefined;
  changeSet: ChangeSet;
  plan: Plan;
  /** The requests that fit the budget. */
  requests: PlannedRequest[];
  estimate: CostEstimate;
  /**
   * The night's budget and deadline for the state; committedUsd is what `requests` commit (their
   * estimate, or their worst case with budget-strict).
   */
  budget: NightBudget;
}

export interface SubmitResult {
  status: RunStatus;
  stateId: string | null;
  batchIds: string[];
  requestCount: number;
  estimate: CostEstimate | null;
}

async function commitExists(cwd: string, sha: string): Promise<boolean> {
  const out = await runGit(cwd, ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`], { okExitCodes: [1, 128] }).catch(
    () => '',
  );
  return out !== '';
}

/** What `since` resolved to: the window, and for the watermark what earlier submits already sent. */
export interface ResolvedSince {
  since: Since;
  /** Content already sent by earlier scheduled submits of the task (`since: last` only). */
  alreadyReviewed?: (path: string, contentHash: string) => boolean;
}

/**
 * The watermark behind `since: last`. The window starts at the commit the last submit of this task
 * reviewed (its state's headSha), so a night whose submit failed or never ran is caught up by the next
 * one. When that submit left files out (max-files, max-cost-usd), the window starts where ITS window
 * started instead, so the files left out are reviewed next time. Either way, a file whose exact content
 * an earlier submit already sent is skipped ('already-reviewed'): overlapping windows send nothing twice.
 * Pull request submissions do not count: they review a branch, and report on the pull request.
 * With no earlier submit: the last 24h, said in the log.
 */
export async function resolveSince(config: Config, deps: EngineDeps, task: TaskDefinition): Promise<ResolvedSince> {
  const since = parseSince(config.since);
  if (since.kind !== 'last') return { since };
  const ref = deps.context.ref;
  const earlier = (await deps.store.list(task.name)).filter(
    (s) => s.state.batches.length > 0 && s.state.pullRequest === null && (!ref || !s.state.ref || s.state.ref === ref),
  );
  const reviewed = new Set<string>();
  for (const { state } of earlier) {
    for (const record of Object.values(state.requests)) {
      // A request that failed for good was not reviewed: its files go again.
      if (record.failed) continue;
      for (const [path, hash] of Object.entries(record.contentHashes)) reviewed.add(`${path}\0${hash}`);
    }
  }
  const alreadyReviewed = (path: string, contentHash: string): boolean => reviewed.has(`${path}\0${contentHash}`);
  const previous = earlier.at(-1);
  if (!previous) {
    deps.log.info(`since: last found no earlier submit of ${task.name}; reviewing the last 24h instead`);
    return { since: { kind: 'duration', ms: 24 * 3_600_000, text: '24h' }, alreadyReviewed };
  }
  const leftOut =
    previous.state.skipped.filter((s) => s.reason === 'max-files' || s.reason === 'budget' || s.reason === 'not-sent').length +
    previous.state.estimate.dropped.length +
    Object.values(previous.state.requests).filter((r) => r.failed).length;
  const watermark = leftOut > 0 ? previous.state.baseSha : previous.state.headSha;
  if (!watermark) {
    deps.log.info(
      `since: last → the whole tree again: the submit of ${previous.state.createdAt} reviewed the whole tree and left ${leftOut} file(s) out; what it sent is skipped`,
    );
    // A window reaching back to 1970: the whole history again.
    return { since: { kind: 'duration', ms: deps.now().getTime() + 1, text: 'last' }, alreadyReviewed };
  }
  if (!(await commitExists(deps.context.cwd, watermark))) {
    if ((await runGit(deps.context.cwd, ['rev-parse', '--is-shallow-repository']).catch(() => '')) === 'true') {
      throw new ConfigError(
        `since: last: the last reviewed commit ${watermark.slice(0, 7)} is not in this shallow checkout; use actions/checkout with fetch-depth: 0`,
      );
    }
    // History was rewritten (a force push): the watermark is gone; what was sent is still skipped.
    deps.log.warning(
      `since: last: the last reviewed commit ${watermark.slice(0, 7)} is no longer in the history; reviewing the last 24h instead`,
    );
    return { since: { kind: 'duration', ms: 24 * 3_600_000, text: '24h' }, alreadyReviewed };
  }
  deps.log.info(
    leftOut > 0
      ? `since: last → ${watermark.slice(0, 7)}, where the submit of ${previous.state.createdAt} started: it left ${leftOut} file(s) out (max-files, max-cost-usd, not sent or failed), so they come now; what it sent is skipped`
      : `since: last → ${watermark.slice(0, 7)} (reviewed by the submit of ${previous.state.createdAt})`,
  );
  return { since: { kind: 'revision', rev: watermark }, alreadyReviewed };
}

/** Checks what does not need the repository, before any work: model, prices, key. */
export function checkSubmitConfig(
  config: Config,
  needsKey: boolean,
): { task: TaskDefinition; model: string; price: ModelPrice | undefined } {
  if (!config.task) throw new UsageError('task: empty; name the task to submit, e.g. code-review');
  const task = getTask(config.task);
  const model = config.model ?? task.defaultModel;
  const price = resolvePrice(model, config.priceOverrides);
  if (!price) {
    throw new ConfigError(
      `model: no price known for '${model}'; add it with price-overrides (e.g. ${model}=3/15 for $3 input, $15 output per million tokens) or pick a model from the table`,
    );
  }
  // A cloud provider authenticates with its own credentials (found when the first call is made).
  if (needsKey && config.provider === 'anthropic' && !config.apiKey) {
    throw new ConfigError('anthropic-api-key: missing; set the ANTHROPIC_API_KEY secret (or use dry-run to plan without a key)');
  }
  return { task, model, price };
}

/** Everything up to the point of sending: gather, plan, estimate, budget. */
export async function prepareWork(config: Config, deps: EngineDeps, needsKey: boolean): Promise<PreparedWork> {
  const { task, model, price } = checkSubmitConfig(config, needsKey);
  const spending = spendingOf(config, deps);
  await spending.refuseWhenMonthSpent(config.dryRun);
  const warning = retirementWarning(model, deps.now());
  if (warning) deps.log.warning(warning);
  const { context } = deps;
  const resolved: ResolvedSince = context.pullRequest
    ? { since: { kind: 'duration', ms: 0, text: 'pr' } }
    : await resolveSince(config, deps, task);
  deps.progress?.('gathering the changed files');
  const changeSet = await gatherChanges({
    cwd: context.cwd,
    since: resolved.since,
    ...(resolved.alreadyReviewed ? { alreadyReviewed: resolved.alreadyReviewed } : {}),
    pullRequest: context.pullRequest,
    include: config.include,
    exclude: config.exclude,
    // The task's own filter before max-files: files it would drop take no slot.
    ...(task.acceptsPath ? { acceptsPath: task.acceptsPath, taskName: task.name } : {}),
    maxFiles: config.maxFiles,
    maxFileBytes: config.maxFileBytes,
    contextFiles: config.contextFiles,
    now: deps.now(),
    repository: context.repository,
  });
  if (resolved.since.kind === 'revision' && parseSince(config.since).kind === 'last') {
    // "since 1a2b3c4d… (3 commits, …)" reads better as what it is: the watermark.
    changeSet.window = changeSet.window.replace(
      `since ${resolved.since.rev}`,
      `since the last submit (${resolved.since.rev.slice(0, 7)})`,
    );
  }
  const alreadyReviewed = changeSet.skipped.filter((s) => s.reason === 'already-reviewed').length;
  if (alreadyReviewed > 0)
    deps.log.info(`${alreadyReviewed} file(s) skipped: this exact content was already sent by an earlier submit of ${task.name}`);
  // planUnits filters with task.accepts itself: test-generation uses the other files (existing tests).
  deps.progress?.(`planning requests for ${plural(changeSet.files.length, 'file')}`);
  const units = task.planUnits(changeSet.files, DEFAULT_PLAN_OPTIONS);
  // Every changed file is sent or listed with a reason: data sets the planner leaves out as 'data',
  // whatever else no unit took as declined by the task.
  const planned = new Set(units.flatMap((unit) => unit.files.map((file) => file.path)));
  for (const file of changeSet.files) {
    if (planned.has(file.path)) continue;
    if (task.accepts(file) && dataChangeLeftOut(file)) changeSet.skipped.push({ path: file.path, reason: 'data' });
    else changeSet.skipped.push({ path: file.path, reason: 'not-for-task', detail: task.name });
  }
  changeSet.files = changeSet.files.filter((file) => planned.has(file.path));
  const maxOutputTokens = config.maxOutputTokens ?? task.defaultMaxOutputTokens;
  let plan = planRequests({
    task,
    units,
    model,
    maxOutputTokens,
    instructions: await readInstructions(config.instructions, context.cwd, trustedCommitOf(changeSet)),
    contextFiles: changeSet.contextFiles,
    price,
    pullRequest: context.pullRequest,
  });
  // With a key, a sample of requests is counted by the API and the heuristic scaled to match.
  let tokenSource: CostEstimate['tokenSource'] = 'heuristic';
  // Only Anthropic's API counts tokens, and only its key may see the code: never a cloud provider's run.
  if (config.apiKey && config.provider === 'anthropic' && plan.requests.length > 0) {
    try {
      const client = deps.anthropic();
      const count = (params: Parameters<typeof client.countTokens>[0]): Promise<number> => client.countTokens(params);
      deps.progress?.('counting input tokens with the API');
      const calibration = await calibrateInputTokens(plan.requests, count);
      tokenSource = 'count_tokens';
      // Cache or not on the prefix the API counts: the minimum is a line in its tokens, not ours.
      if (plan.requests.length > 1) plan = decideCachingAgain(plan, await countPrefixTokens(model, plan.system, count), price);
      deps.log.info(
        `input tokens: ${plural(calibration.sampled, 'request')} counted by the API; estimate scaled by ${calibration.ratio.toFixed(2)}`,
      );
    } catch (error) {
      // A refused key or account stops here, before anything is sent; other trouble only costs precision.
      if (error instanceof FatalApiError && error.status !== null && [401, 402, 403, 429].includes(error.status)) throw error;
      deps.log.warning(`count_tokens failed (${(error as Error).message}); the estimate uses the heuristic`);
    }
  }
  const days = await windowDays(context.cwd, resolved.since, changeSet);
  const estimateFor = (requests: PlannedRequest[], dropped: CostEstimate['dropped'] = [], worstCase = false): CostEstimate => ({
    provider: config.provider,
    ...estimatePlan({
      model,
      price,
      requests: requests.map((r) => ({
        customId: r.customId,
        paths: r.record.paths,
        inputTokens: r.record.estimatedInputTokens,
        // budget-strict: every request may write up to its max_tokens.
        outputTokens: worstCase ? maxOutputTokens : r.record.estimatedOutputTokens,
      })),
      prefixTokens: plan.prefixTokens,
      cached: plan.cached,
      files: new Set(requests.flatMap((r) => r.record.paths)).size,
      tokenSource,
      dropped,
      windowDays: days,
    }),
  });
  const strict = config.budgetStrict;
  const committedOf = (kept: PlannedRequest[]): number => estimateFor(kept, [], strict).batchUsd;
  const { kept: requests, dropped } = await fitPlanToBudget(plan.requests, committedOf, config, deps);
  if (dropped.length > 0) {
    // Caching is decided for the requests that are sent: fewer of them read the shared prefix.
    const source = tokenSource === 'count_tokens' ? 'counted by the API' : null;
    plan = { ...decideCachingAgain({ ...plan, requests }, plan.prefixTokens, price, source), requests: plan.requests };
  }
  const budget: NightBudget = {
    maxCostUsd: config.maxCostUsd,
    strict,
    monthlyBudgetUsd: config.monthlyBudgetUsd,
    committedUsd: committedOf(requests),
    deliverBy: config.deliverBy
      ? { text: config.deliverBy.text, at: deadlineAfter(config.deliverBy, deps.now()).toISOString() }
      : null,
  };
  // The final requests carry their files' redactions to collect, which reports them as findings.
  recordRedactions(task.name, requests, changeSet.files);
  const estimate = estimateFor(requests, dropped);
  if (config.provider === 'bedrock' && requests.length > 0 && requests.length < config.bedrock.minRecords) {
    // Said with the plan (dry runs too), not only once the money is spent.
    deps.log.warning(
      `bedrock: ${plural(requests.length, 'request')} is below the minimum of ${config.bedrock.minRecords} records per batch job: answered on demand at the full price (about ${formatUsd(estimate.interactiveUsd)}, not ${formatUsd(estimate.batchUsd)})`,
    );
  }
  return { task, model, maxOutputTokens, price, changeSet, plan, requests, estimate, budget };
}

export function newState(work: PreparedWork, deps: EngineDeps): RunState {
  const { changeSet } = work;
  const requests: RunState['requests'] = {};
  for (const r of work.requests) requests[r.customId] = r.record;
  return {
    version: STATE_VERSION,
    tool: 'overnight',
    task: work.task.name,
    model: work.model,
    maxOutputTokens: work.maxOutputTokens,
    repository: changeSet.repository,
    serverUrl: deps.context.serverUrl,
    headSha: changeSet.headSha,
    baseSha: changeSet.baseSha,
    ref: changeSet.ref ?? deps.context.ref,
    pullRequest: changeSet.pullRequest ?? deps.context.pullRequest,
    event: deps.context.event,
    window: changeSet.window,
    createdAt: deps.now().toISOString(),
    submittedBy: deps.context.runLabel,
    batches: [],
    requests,
    estimate: work.estimate,
    collectedAt: null,
    published: {},
    systemPrefix: (work.requests[0]?.params.system as RunState['systemPrefix'] | undefined) ?? [],
    redactions: changeSet.files.reduce((n, f) => n + f.redactions, 0),
    cleanHashes: [...new Set(changeSet.files.filter((f) => f.redactions === 0).map((f) => f.contentHash))],
    // What the budget dropped is in estimate.dropped; everything else unsent is listed here for the reports.
    skipped: unsentFiles(work, false),
    // Committed once the batches are sent (submit).
    budget: { ...work.budget, committedUsd: 0 },
  };
}

function setPlanOutputs(deps: EngineDeps, work: PreparedWork): void {
  deps.setOutput('request-count', work.requests.length);
  deps.setOutput('estimated-cost-usd', work.estimate.batchUsd.toFixed(4));
}

/** Sends prepared requests as batches and saves the state; a failure part-way keeps what was sent. */
export async function sendBatches(
  state: RunState,
  requests: PlannedRequest[],
  deps: EngineDeps,
  attempt: number,
): Promise<BatchRecord[]> {
  const client = await batchService(deps);
  const created: BatchRecord[] = [];
  for (const { requests: group, bodyBytes } of splitIntoBatches(requests, deps.batchLimits ?? client.limits)) {
    const batch = await client.createJob(group, bodyBytes);
    const record: BatchRecord = {
      id: batch.id,
      requestCount: group.length,
      attempt,
      submittedAt: deps.now().toISOString(),
      status: batch.status,
      endedAt: null,
      resultsSaved: false,
    };
    for (const r of group) {
      const existing = state.requests[r.customId];
      state.requests[r.customId] = { ...(existing ?? r.record), attempt, batchId: batch.id };
    }
    state.provider = client.name;
    state.batches.push(record);
    created.push(record);
    deps.log.info(`batch ${batch.id}: ${plural(group.length, 'request')}`);
  }
  return created;
}

/** Every changed file this submit does not send, with why: skipped while gathering, not for the task, and (with `budget`) dropped to fit max-cost-usd. */
export function unsentFiles(work: PreparedWork, budget = true): SkippedEntry[] {
  const planned = new Set(work.plan.requests.flatMap((r) => r.record.paths));
  const entries: SkippedEntry[] = work.changeSet.skipped.map((s) => ({ path: s.path, reason: s.reason }));
  const listed = new Set(entries.map((entry) => entry.path));
  for (const file of work.changeSet.files) {
    if (!planned.has(file.path) && !listed.has(file.path)) entries.push({ path: file.path, reason: 'not-for-task' });
  }
  if (budget) {
    const sent = new Set(work.requests.flatMap((r) => r.record.paths));
    for (const dropped of work.estimate.dropped) {
      for (const path of dropped.paths) if (!sent.has(path)) entries.push({ path, reason: 'budget' });
    }
  }
  return entries;
}

/** Writes the full plan (job summary / plan file) and prints the compact plan, saying where the full one is. */
async function reportPlan(
  work: PreparedWork,
  deps: EngineDeps,
  dryRun: boolean,
  batches: { id: string; requestCount: number }[],
): Promise<void> {
  const input: PlanReportInput = {
    task: work.task.name,
    repository: work.changeSet.repository,
    headSha: work.changeSet.headSha,
    window: work.changeSet.window,
    model: work.model,
    dryRun,
    requests: work.requests.map((r) => ({
      paths: r.record.paths,
      part: r.record.part,
      inputTokens: r.record.estimatedInputTokens,
    })),
    batches,
    estimate: work.estimate,
    skipped: unsentFiles(work),
    redacted: work.changeSet.files.filter((f) => f.redactions > 0).map((f) => ({ path: f.path, count: f.redactions })),
    caching: work.plan.cachingReason,
  };
  const where = await deps.jobSummary(renderPlanMarkdown(input));
  // One log call a line: the logger escapes a newline inside a message (it may come from a path).
  for (const line of renderPlanLines(input, where || undefined)) deps.log.info(line);
}

/**
 * A dry run, or nothing to send: says so with the plan and its price (log, status output, job
 * summary) and returns the status; null when there is work to send. Shared by submit and run.
 */
export async function reportUnsent(
  work: PreparedWork,
  config: Config,
  deps: EngineDeps,
): Promise<'dry-run' | 'nothing-to-do' | null> {
  if (!config.dryRun && work.requests.length > 0) return null;
  if (config.dryRun) {
    deps.log.info(`dry-run: ${work.requests.length} requests would be sent for ${work.estimate.files} files`);
  } else deps.log.info(`nothing to do: no file in ${work.changeSet.window} needs ${work.task.name}`);
  const status = config.dryRun ? 'dry-run' : 'nothing-to-do';
  deps.setOutput('status', status);
  await reportPlan(work, deps, config.dryRun, []);
  return status;
}

/** `prepared`: work already gathered and planned (auto mode), so nothing is gathered or counted twice. */
export async function submit(config: Config, deps: EngineDeps, prepared?: PreparedWork): Promise<SubmitResult> {
  const work = prepared ?? (await prepareWork(config, deps, !config.dryRun));
  setPlanOutputs(deps, work);
  const unsent = await reportUnsent(work, config, deps);
  if (unsent) return { status: unsent, stateId: null, batchIds: [], requestCount: work.requests.length, estimate: work.estimate };
  const state = newState(work, deps);
  if (work.budget.deliverBy && config.deliverBy) {
    const warning = deadlineWarning(config.deliverBy, new Date(work.budget.deliverBy.at), deps.now());
    if (warning) deps.log.warning(warning);
  }
  let stateId: string | null = null;
  try {
    await sendBatches(state, work.requests, deps, 0);
  } finally {
    // What was sent is committed: all of it, or the share of the requests that went out.
    const sent = Object.values(state.requests).filter((record) => record.batchId !== null).length;
    state.budget!.committedUsd = work.requests.length > 0 ? (work.budget.committedUsd * sent) / work.requests.length : 0;
    // Whatever was created is saved, even when a later batch failed: nothing paid for is lost. What
    // was not sent is recorded as such, so the next `since: last` submit sends it.
    for (const [customId, record] of Object.entries(state.requests)) {
      if (record.batchId !== null) continue;
      delete state.requests[customId];
      for (const path of record.paths) state.skipped.push({ path, reason: 'not-sent' });
    }
    if (state.batches.length > 0) stateId = await deps.store.create(state);
  }
  await spendingOf(config, deps).commit(state.budget!.committedUsd, 'submit', stateId ?? undefined);
  const batchIds = state.batches.map((b) => b.id);
  deps.setOutput('status', 'submitted');
  deps.setOutput('batch-ids', batchIds.join(','));
  deps.log.info(
    `submitted ${plural(work.requests.length, 'request')} in ${plural(batchIds.length, 'batch', 'batches')}; state saved to ${deps.store.describe(stateId!)}`,
  );
  await reportPlan(work, deps, false, state.batches);
  // A pull request shows the review as queued until collect completes it (needs `checks: write`).
  await openCheckRun(deps.github, state, deps.log, deps.context.runUrl);
  return { status: 'submitted', stateId, batchIds, requestCount: work.requests.length, estimate: work.estimate };
}
