// collect: for every saved submission not yet collected, check its batches; stream the results of
// those that ended into a results file, resubmit retryable failures (bounded by max-retries), save
// the results before anything is posted, publish the reports (each carries a marker, so a re-run
// never posts twice), then record progress in a new state revision.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { getTask } from '../tasks/index.js';
import type { TaskDefinition } from '../tasks/task.js';
import { parsePriceOverrides } from '../cost/prices.js';
import { FatalApiError } from '../batch/retry.js';
import type { BatchClient } from '../batch/client.js';
import type { StoredState } from '../state/store.js';
import type { RunState } from '../state/state.js';
import type { CollectedResults, ReportContext, ReportResult } from '../reports/reporter.js';
import { renderMarkdownReport, renderResultsJson } from '../reports/markdown.js';
import { GITHUB_TARGETS, reportersFor } from '../reports/index.js';
import { writeSarif } from '../reports/sarif.js';
import { baseReader, selectGeneratedFiles, writePatchArtifact } from '../reports/pull-request.js';
import type { PlannedRequest, PullRequestInfo, ReportTarget, RequestOutcome, SourceFile, WorkUnit } from '../types.js';
import { gatherChanges } from '../gather/index.js';
import { FileSource } from './file-source.js';
import { outcomeOfResult } from './outcome.js';
import { ResultsWriter } from './results.js';
import { sendBatches } from './submit.js';
import type { EngineDeps, RunStatus } from './deps.js';

export interface StateCollectResult {
  stateId: string;
  status: 'pending' | 'collected' | 'partial' | 'failed';
  results: CollectedResults | null;
  reports: ReportResult[];
  /** One line when the state could not be collected. */
  error?: string;
}

export interface CollectResult {
  status: RunStatus;
  states: StateCollectResult[];
}

/** Identifies one collect round of a state by the batches whose results it publishes. */
export function roundKeyOf(batchIds: string[]): string {
  return createHash('sha256').update([...batchIds].sort().join(',')).digest('hex').slice(0, 12);
}

/** The targets of a round: `report`, or the task's default; without GitHub, defaults become files. */
function reportTargets(config: Config, task: TaskDefinition, state: RunState, hasGitHub: boolean): ReportTarget[] {
  if (config.report) return config.report;
  const defaults = task.defaultReports({ pullRequest: state.pullRequest !== null });
  if (hasGitHub) return defaults;
  return [...new Set(defaults.map((t) => (t === 'pull-request' ? 'artifact' : t)).filter((t) => !GITHUB_TARGETS.has(t)))];
}

/**
 * The changed files of a submission exactly as submit gathered them (status, diff, base version,
 * redactions), read again from git at the reviewed commits: a resubmitted request must be the request
 * that was sent, not the bare file. Empty when those commits are not in this checkout.
 */
async function regather(state: RunState, paths: string[], deps: EngineDeps): Promise<Map<string, SourceFile>> {
  // Submit's window again, pinned to its commits (a since-window is base..head, like a PR's).
  const window: PullRequestInfo | null =
    state.pullRequest ??
    (state.baseSha
      ? { number: 0, baseSha: state.baseSha, headSha: state.headSha, baseRef: state.baseSha, headRef: state.headSha, fromFork: false }
      : null);
  // Without a base the whole tree was reviewed: every file went whole, as added, with no diff.
  if (!window) return new Map();
  const escapeGlob = (path: string): string => path.replace(/[\\*?[\]{}()!+@]/g, '\\$&');
  try {
    const changeSet = await gatherChanges({
      cwd: deps.context.cwd,
      since: { kind: 'revision', rev: window.baseSha },
      pullRequest: window,
      include: paths.map(escapeGlob),
      exclude: [],
      maxFiles: 0,
      maxFileBytes: 0,
      contextFiles: [],
      repository: state.repository,
    });
    return new Map(changeSet.files.map((file) => [file.path, file]));
  } catch (error) {
    deps.log.debug(`resubmission: could not gather ${window.baseSha}..${window.headSha} again: ${(error as Error).message}`);
    return new Map();
  }
}

/** Rebuilds the exact request of a unit for a resubmission, from the files at the reviewed commit. */
async function rebuildRequest(
  customId: string,
  state: RunState,
  task: TaskDefinition,
  files: FileSource,
  gathered: Map<string, SourceFile>,
): Promise<PlannedRequest | null> {
  const record = state.requests[customId]!;
  const unitFiles: SourceFile[] = [];
  for (const path of record.paths) {
    const hash = record.contentHashes[path] ?? '';
    const again = gathered.get(path);
    // A file the unit carries without it being part of the change (an existing test) is read as is.
    const file = again && again.contentHash === hash ? again : await files.exact(state.headSha, path, hash);
    if (!file) return null;
    unitFiles.push(!again && !state.baseSha && !state.pullRequest ? { ...file, status: 'added' } : file);
  }
  const unit: WorkUnit = { customId, task: task.name, files: unitFiles, lineRanges: record.lineRanges, part: record.part };
  return {
    customId,
    params: {
      model: state.model,
      max_tokens: state.maxOutputTokens,
      system: state.systemPrefix,
      messages: [{ role: 'user', content: task.renderUnit(unit) }],
      output_config: { format: { type: 'json_schema', schema: task.outputSchema } },
    },
    record,
  };
}

async function refreshBatches(state: RunState, client: BatchClient, config: Config, deps: EngineDeps): Promise<void> {
  for (const batch of state.batches) {
    if (batch.resultsSaved || batch.status === 'ended') continue;
    const current =
      config.waitMinutes > 0
        ? await client.waitForEnd(batch.id, {
            waitMs: config.waitMinutes * 60_000,
            firstPollIntervalMs: deps.pollIntervalMs?.first,
            maxPollIntervalMs: deps.pollIntervalMs?.max,
            now: () => deps.now().getTime(),
          })
        : await client.retrieve(batch.id);
    batch.status = current.processing_status;
    batch.endedAt = current.ended_at ?? null;
    const counts = current.request_counts;
    deps.log.info(
      `batch ${batch.id}: ${current.processing_status}` +
        (current.processing_status === 'ended'
          ? ` (${counts.succeeded} succeeded, ${counts.errored} errored, ${counts.expired} expired, ${counts.canceled} canceled)`
          : ` (${counts.processing} processing; expires ${current.expires_at})`),
    );
  }
}

export interface RoundInput {
  state: RunState;
  stateId: string;
  roundKey: string;
  roundDir: string;
  results: CollectedResults;
  task: TaskDefinition;
  config: Config;
  deps: EngineDeps;
}

/** Saves a round's results, then publishes its reports; shared by collect and the interactive run. */
export async function publishRound(input: RoundInput): Promise<ReportResult[]> {
  const { state, stateId, roundKey, roundDir, results, task, config, deps } = input;
  // Save the results before any report is posted: nothing paid for is lost.
  const context: ReportContext = {
    state,
    stateId,
    round: roundKey,
    results,
    issueLabels: config.issueLabels,
    outputDir: roundDir,
    sarifPath: config.sarifPath,
    github: deps.github,
    log: deps.log,
  };
  const roundContext = context;
  await writeFile(join(roundDir, 'report.md'), renderMarkdownReport(roundContext));
  await writeFile(join(roundDir, 'results.json'), renderResultsJson(roundContext));
  const targets = reportTargets(config, task, state, deps.github !== null);
  if (task.name === 'security-scan' || targets.includes('sarif')) {
    await writeSarif(roundContext);
  }
  const resultFiles = ['results.jsonl', 'report.md', 'results.json'];
  // Generated files travel with the results as a patch (`git apply`), whatever becomes of the pull request.
  const selection = selectGeneratedFiles(results.files, task.name, deps.context.cwd);
  if (selection.accepted.length > 0) {
    const patch = await writePatchArtifact(roundContext, 'saved with the results', selection, baseReader(roundContext, deps.context.cwd));
    if (patch.path) resultFiles.push(relative(roundDir, patch.path));
  }
  const saved = await deps.store.saveResults(stateId, roundKey, roundDir, resultFiles);
  deps.log.info(`results saved: ${saved}`);

  const reports: ReportResult[] = [];
  for (const reporter of reportersFor(targets, task.name, () => reports, deps.context.cwd)) {
    const publishedKey = `${roundKey}:${reporter.target}`;
    try {
      const result = await reporter.publish(roundContext);
      reports.push(result);
      state.published[publishedKey] = result.url ?? result.path ?? result.note;
      deps.log.info(`${reporter.target}: ${result.note}`);
    } catch (error) {
      const message = `${reporter.target}: ${(error as Error).message}`;
      deps.log.warning(message);
      reports.push({ target: reporter.target, note: `failed: ${(error as Error).message}` });
    }
  }
  return reports;
}

async function collectState(stored: StoredState, config: Config, deps: EngineDeps): Promise<StateCollectResult> {
  const { state, id: stateId } = stored;
  const task = getTask(state.task);
  const client = deps.anthropic();
  await refreshBatches(state, client, config, deps);
  const ready = state.batches.filter((b) => b.status === 'ended' && !b.resultsSaved);
  if (ready.length === 0) {
    return { stateId, status: 'pending', results: null, reports: [] };
  }
  const roundKey = roundKeyOf(ready.map((b) => b.id));
  const roundDir = join(deps.context.outputDir, stateId, roundKey);
  await mkdir(roundDir, { recursive: true });
  const writer = new ResultsWriter(join(roundDir, 'results.jsonl'), task.name, config.minSeverity, parsePriceOverrides(config.priceOverrides), true);
  const files = new FileSource(deps.context.cwd, deps.log);
  const toRetry: string[] = [];
  const lost: string[] = [];
  try {
    for (const batch of ready) {
      writer.results.batchIds.push(batch.id);
      try {
        for await (const line of client.results(batch.id)) {
          const record = state.requests[line.custom_id];
          // A result for a request that was resubmitted since (a crashed collect) belongs to its new batch.
          if (!record || record.batchId !== batch.id) continue;
          const outcome: RequestOutcome = outcomeOfResult(
            line.custom_id,
            line.result,
            task,
            record,
            line.result.type === 'succeeded' ? await files.forRecord(state.headSha, record) : [],
            batch.id,
          );
          const retry = outcome.status !== 'succeeded' && outcome.retryable && record.attempt < config.maxRetries;
          if (retry) toRetry.push(line.custom_id);
          await writer.add(outcome, record, !retry);
        }
      } catch (error) {
        if (!(error instanceof FatalApiError) || error.status !== 404) throw error;
        // Results gone for good (archived or deleted): report every request of the batch, once.
        deps.log.warning(error.message);
        lost.push(batch.id);
        for (const [customId, record] of Object.entries(state.requests)) {
          if (record.batchId !== batch.id) continue;
          await writer.add(
            { customId, status: 'expired', reason: error.message, retryable: false, usage: null, model: null, batchId: batch.id },
            record,
            true,
          );
        }
      }
    }
    // Resubmit before publishing, and save the new batch ids at once: a crash must not lose them.
    if (toRetry.length > 0) {
      const rebuilt: PlannedRequest[] = [];
      const gathered = await regather(state, [...new Set(toRetry.flatMap((id) => state.requests[id]!.paths))], deps);
      for (const customId of toRetry) {
        const request = await rebuildRequest(customId, state, task, files, gathered);
        if (request) rebuilt.push(request);
        else {
          const record = state.requests[customId]!;
          writer.results.resubmitted -= 1;
          writer.results.failures.push({
            customId,
            paths: record.paths,
            status: 'errored',
            reason: `could not resubmit: ${record.paths.join(', ')} at ${state.headSha.slice(0, 7)} is not in this checkout (use fetch-depth: 0)`,
          });
        }
      }
      if (rebuilt.length > 0) {
        const attempt = Math.max(...rebuilt.map((r) => r.record.attempt)) + 1;
        await sendBatches(state, rebuilt, deps, attempt);
        await deps.store.update(stateId, state);
        deps.log.info(`resubmitted ${rebuilt.length} failed request(s) (attempt ${attempt} of ${config.maxRetries})`);
      }
    }
  } finally {
    files.close();
  }
  const results = await writer.close();

  const reports = await publishRound({ state, stateId, roundKey, roundDir, results, task, config, deps });
  for (const batch of ready) batch.resultsSaved = true;
  const outstanding = state.batches.some((b) => !b.resultsSaved);
  if (!outstanding) state.collectedAt = deps.now().toISOString();
  await deps.store.update(stateId, state);
  const failedReports = reports.some((r) => r.note.startsWith('failed:'));
  return {
    stateId,
    status: outstanding ? 'partial' : failedReports ? 'failed' : 'collected',
    results,
    reports,
    ...(lost.length ? { error: `results of ${lost.join(', ')} are gone` } : {}),
  };
}

export async function collect(config: Config, deps: EngineDeps): Promise<CollectResult> {
  let targets: StoredState[];
  if (config.batchId) {
    const all = await deps.store.list(config.task ?? undefined);
    const found = all.find((s) => s.state.batches.some((b) => b.id === config.batchId));
    if (!found) {
      throw new UsageError(
        `batch-id: no saved state names ${config.batchId} in ${deps.store.describe()}; collect without batch-id, or point --state at the file that submitted it`,
      );
    }
    // A batch whose submission is fully collected has nothing left to publish: say so, not "pending".
    if (found.state.collectedAt) {
      deps.log.info(`batch ${config.batchId}: already collected on ${found.state.collectedAt} (${deps.store.describe(found.id)}); nothing to do`);
      targets = [];
    } else targets = [found];
  } else {
    targets = (await deps.store.list(config.task ?? undefined)).filter((s) => !s.state.collectedAt);
  }
  if (targets.length === 0) {
    if (!config.batchId) deps.log.info(`nothing to collect: no submission waiting in ${deps.store.describe()}`);
    deps.setOutput('status', 'nothing-to-do');
    deps.setOutput('findings-count', 0);
    deps.setOutput('failed-count', 0);
    return { status: 'nothing-to-do', states: [] };
  }
  const states: StateCollectResult[] = [];
  for (const stored of targets) {
    states.push(await collectState(stored, config, deps));
  }
  const done = states.filter((s) => s.results);
  const sum = (f: (r: CollectedResults) => number): number => done.reduce((n, s) => n + f(s.results!), 0);
  const status: RunStatus = done.length === 0 ? 'pending' : 'collected';
  deps.setOutput('status', status);
  deps.setOutput('batch-ids', targets.flatMap((t) => t.state.batches.map((b) => b.id)).join(','));
  deps.setOutput('findings-count', sum((r) => r.findings.length + r.verdicts.reduce((n, v) => n + v.findings.length, 0)));
  deps.setOutput('failed-count', sum((r) => r.failures.length));
  deps.setOutput('cost-usd', sum((r) => r.usage.costUsd).toFixed(4));
  deps.setOutput('savings-usd', sum((r) => r.usage.savingsUsd).toFixed(4));
  const urlOf = (target: ReportTarget): string | undefined =>
    done.flatMap((s) => s.reports).find((r) => r.target === target && r.url)?.url;
  const issueUrl = urlOf('issue');
  if (issueUrl) deps.setOutput('issue-url', issueUrl);
  const prUrl = urlOf('pull-request');
  if (prUrl) deps.setOutput('pull-request-url', prUrl);
  const last = done.at(-1);
  if (last?.results) deps.setOutput('results-path', relative(deps.context.cwd, last.results.resultsPath) || last.results.resultsPath);
  if (done.some((s) => s.results && (s.results.task === 'security-scan' || s.reports.some((r) => r.target === 'sarif')))) {
    deps.setOutput('sarif-path', config.sarifPath);
  }
  return { status, states };
}
