// collect: for every saved submission not yet collected, check its batches; stream the results of
// those that ended into a results file, resubmit retryable failures (bounded by max-retries), save
// the results before anything is posted, publish the reports (each carries a marker, so a re-run
// never posts twice), then record progress in a new state revision. The scheduled submissions of one
// findings task collected together are published as ONE report (one issue a night, however many
// submissions or batches it covers); pull request submissions keep one round each.
// Before streaming, each round is claimed (state/claims.ts), so that of two collects meeting on one
// submission only one streams, resubmits and publishes it; a state without its saved state (batch-id
// after the artifact expired) is rebuilt from the batch alone (rebuild.ts).
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { join, relative } from 'node:path';
import type { Config } from '../config.js';
import { getTask } from '../tasks/index.js';
import type { TaskDefinition } from '../tasks/task.js';
import { FatalApiError } from '../batch/retry.js';
import { batchProgress, type BatchClient } from '../batch/client.js';
import type { ListOptions, StoredState } from '../state/store.js';
import type { BatchRecord, RunState } from '../state/state.js';
import type { CollectedResults, ReportContext, ReportResult } from '../reports/reporter.js';
import { renderMarkdownReport, renderResultsJson } from '../reports/markdown.js';
import { mergeSkipped } from '../reports/skipped.js';
import { GITHUB_TARGETS, reportersFor } from '../reports/index.js';
import { writeSarif } from '../reports/sarif.js';
import { baseReader, selectGeneratedFiles, writePatchArtifact } from '../reports/pull-request.js';
import { DEFAULT_ISSUE_LABELS } from '../reports/issue.js';
import type {
  Finding,
  PlannedRequest,
  PullRequestInfo,
  ReportTarget,
  RequestOutcome,
  RequestRecord,
  SourceFile,
  WorkUnit,
} from '../types.js';
import { sumUsage } from '../cost/usage.js';
import {
  applyDismissals,
  CodeReader,
  dismissedNote,
  locateFinding,
  NO_DECISIONS,
  readDecisions,
  readIssueMemory,
  refOf,
  type IssueMemory,
  type NoiseOptions,
} from '../decisions/index.js';
import { gatherChanges } from '../gather/index.js';
import { FileSource } from './file-source.js';
import { outcomeOfResult } from './outcome.js';
import { requestParams } from './plan.js';
import { ResultsWriter } from './results.js';
import { sendBatches } from './submit.js';
import { isRebuilt, rebuildStateFromBatch } from './rebuild.js';
import { claimerOf, type RoundClaim } from '../state/claims.js';
import type { EngineDeps, RunStatus } from './deps.js';

export interface StateCollectResult {
  stateId: string;
  status: 'pending' | 'collected' | 'partial' | 'failed';
  results: CollectedResults | null;
  reports: ReportResult[];
  /** One line when the state could not be collected. */
  error?: string;
}

/** One published report: the submissions it covers and what it reported. */
export interface CollectedRound {
  stateIds: string[];
  roundKey: string;
  /** As reported: merged over the submissions, dismissed findings left out. */
  results: CollectedResults;
  reports: ReportResult[];
}

export interface CollectResult {
  status: RunStatus;
  states: StateCollectResult[];
  rounds: CollectedRound[];
}

/** Identifies one collect round of a state by the batches whose results it publishes. */
export function roundKeyOf(batchIds: string[]): string {
  return createHash('sha256')
    .update([...batchIds].sort().join(','))
    .digest('hex')
    .slice(0, 12);
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
      ? {
          number: 0,
          baseSha: state.baseSha,
          headSha: state.headSha,
          baseRef: state.baseSha,
          headRef: state.headSha,
          fromFork: false,
        }
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
    params: requestParams(task, unit, state.model, state.maxOutputTokens, state.systemPrefix),
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
    deps.log.info(`batch ${batch.id}: ${batchProgress(current)}`);
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

/** What a published round reported: its reports, and its results as reported (dismissed findings left out). */
export interface PublishedRound {
  reports: ReportResult[];
  reported: CollectedResults;
}

/** Reads what a round needs to keep quiet: the decisions file at the reviewed commit, and overnight's issues. */
async function noiseFor(input: RoundInput, targets: ReportTarget[]): Promise<NoiseOptions> {
  const { state, results, config, deps } = input;
  const now = deps.now();
  const findingsTask = results.findings.length > 0 || results.task === 'code-review' || results.task === 'security-scan';
  const decisions = findingsTask ? await readDecisions(deps.context.cwd, state.headSha) : NO_DECISIONS;
  for (const problem of decisions.problems) deps.log.warning(problem);
  const github = deps.github;
  let memory: IssueMemory | null = null;
  const scheduled = state.pullRequest === null;
  if (findingsTask && scheduled && targets.includes('issue') && github && !github.readOnly) {
    try {
      memory = await readIssueMemory(github, config.issueLabels[0] ?? DEFAULT_ISSUE_LABELS[0]!);
    } catch (error) {
      // The issue reporter reads them again and says what went wrong there.
      deps.log.debug(`could not read overnight's issues: ${(error as Error).message}`);
    }
  }
  return {
    maxFindings: config.maxFindings,
    decisions,
    memory,
    dismissed: [],
    code: findingsTask && scheduled ? new CodeReader(deps.context.cwd) : null,
    now,
  };
}

/**
 * Saves a round's results, then publishes its reports; shared by collect and the interactive run.
 * Dismissed findings (decisions file, issues closed as not planned or labelled dismissed) are left out
 * of every report; results.jsonl and results.json keep them.
 */
export async function publishRoundReporting(input: RoundInput): Promise<PublishedRound> {
  const { state, stateId, roundKey, roundDir, results, task, config, deps } = input;
  const targets = reportTargets(config, task, state, deps.github !== null);
  const noise = await noiseFor(input, targets);
  const { kept, dismissed } = applyDismissals(results.findings, noise.decisions, noise.memory, noise.now);
  noise.dismissed = dismissed;
  if (dismissed.length > 0) deps.log.info(dismissedNote(dismissed)!);
  const reported: CollectedResults = dismissed.length > 0 ? { ...results, findings: kept } : results;
  const context: ReportContext = {
    state,
    stateId,
    round: roundKey,
    results: reported,
    issueLabels: config.issueLabels,
    outputDir: roundDir,
    sarifPath: config.sarifPath,
    github: deps.github,
    log: deps.log,
    noise,
  };
  const dismissedLine = dismissedNote(dismissed);
  try {
    // Save the results before any report is posted: nothing paid for is lost (results.json keeps every finding).
    await writeFile(join(roundDir, 'report.md'), renderMarkdownReport(context, dismissedLine ? { notes: [dismissedLine] } : {}));
    await writeFile(join(roundDir, 'results.json'), renderResultsJson({ ...context, results }));
    if (task.name === 'security-scan' || targets.includes('sarif')) {
      await writeSarif(context);
    }
    const resultFiles = ['results.jsonl', 'report.md', 'results.json'];
    // Generated files travel with the results as a patch (`git apply`), whatever becomes of the pull request.
    const selection = selectGeneratedFiles(results.files, task.name, deps.context.cwd);
    if (selection.accepted.length > 0) {
      const patch = await writePatchArtifact(context, 'saved with the results', selection, baseReader(context, deps.context.cwd));
      if (patch.path) resultFiles.push(relative(roundDir, patch.path));
    }
    const saved = await deps.store.saveResults(stateId, roundKey, roundDir, resultFiles);
    deps.log.info(`results saved: ${saved}`);

    const reports: ReportResult[] = [];
    for (const reporter of reportersFor(targets, task.name, () => reports, deps.context.cwd)) {
      const publishedKey = `${roundKey}:${reporter.target}`;
      try {
        const result = await reporter.publish(context);
        reports.push(result);
        state.published[publishedKey] = result.url ?? result.path ?? result.note;
        deps.log.info(`${reporter.target}: ${result.note}`);
      } catch (error) {
        const message = `${reporter.target}: ${(error as Error).message}`;
        deps.log.warning(message);
        reports.push({ target: reporter.target, note: `failed: ${(error as Error).message}`, failed: true });
      }
    }
    return { reports, reported };
  } finally {
    noise.code?.close();
  }
}

/** The outputs of what was published (collect and the interactive run alike): counts, cost, links, paths. */
export function setRoundOutputs(
  rounds: readonly Pick<CollectedRound, 'results' | 'reports'>[],
  config: Config,
  deps: EngineDeps,
): void {
  const sum = (f: (r: CollectedResults) => number): number => rounds.reduce((n, round) => n + f(round.results), 0);
  deps.setOutput(
    'findings-count',
    sum((r) => r.findings.length + (r.findingsNotKept ?? 0) + r.verdicts.reduce((n, v) => n + v.findings.length, 0)),
  );
  deps.setOutput(
    'failed-count',
    sum((r) => r.failures.length),
  );
  deps.setOutput('cost-usd', sum((r) => r.usage.costUsd).toFixed(4));
  deps.setOutput('savings-usd', sum((r) => r.usage.savingsUsd).toFixed(4));
  const urlOf = (target: ReportTarget): string | undefined =>
    rounds.flatMap((round) => round.reports).find((r) => r.target === target && r.url)?.url;
  const issueUrl = urlOf('issue');
  if (issueUrl) deps.setOutput('issue-url', issueUrl);
  const prUrl = urlOf('pull-request');
  if (prUrl) deps.setOutput('pull-request-url', prUrl);
  const last = rounds.at(-1);
  if (last) deps.setOutput('results-path', relative(deps.context.cwd, last.results.resultsPath) || last.results.resultsPath);
  if (rounds.some((round) => round.results.task === 'security-scan' || round.reports.some((r) => r.target === 'sarif'))) {
    deps.setOutput('sarif-path', config.sarifPath);
  }
}

/** One line per report that failed to publish, for the job's error: "<target> failed: <why>". */
export function failedReportLines(states: readonly (StateCollectResult | null)[]): string[] {
  return states.flatMap((s) => (s?.reports ?? []).filter((r) => r.failed).map((r) => `${r.target} ${r.note}`));
}

/** One state's ended batches, streamed and saved locally, retries resubmitted; nothing published yet. */
interface StreamedState {
  stored: StoredState;
  task: TaskDefinition;
  ready: BatchRecord[];
  roundKey: string;
  roundDir: string;
  results: CollectedResults;
  lost: string[];
}

/** Why a failed request is reported instead of resubmitted: its files cannot be read back. */
const cannotResubmit = (record: RequestRecord, state: RunState): string =>
  `could not resubmit: ${record.paths.join(', ')} at ${state.headSha.slice(0, 7)} is not in this checkout (use fetch-depth: 0)`;

/** The batches of a state whose results are in and not yet saved. */
function readyBatches(state: RunState): BatchRecord[] {
  return state.batches.filter((b) => b.status === 'ended' && !b.resultsSaved);
}

async function streamState(
  stored: StoredState,
  config: Config,
  deps: EngineDeps,
  client: BatchClient,
): Promise<StreamedState | null> {
  const { state, id: stateId } = stored;
  const task = getTask(state.task);
  const ready = readyBatches(state);
  if (ready.length === 0) return null;
  const roundKey = roundKeyOf(ready.map((b) => b.id));
  const roundDir = join(deps.context.outputDir, stateId, roundKey);
  await mkdir(roundDir, { recursive: true });
  const writer = new ResultsWriter(join(roundDir, 'results.jsonl'), task.name, config.minSeverity, config.priceOverrides, true);
  const files = new FileSource(deps.context.cwd, deps.log, new Set(state.cleanHashes));
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
          // A state rebuilt from the batch alone cannot rebuild the exact request: its failures are reported.
          let retry =
            outcome.status !== 'succeeded' && outcome.retryable && record.attempt < config.maxRetries && !isRebuilt(state);
          let written = outcome;
          if (retry && outcome.status !== 'succeeded' && !(await files.canReadAll(state.headSha, record))) {
            // Its files cannot be read back to rebuild it: reported now, and final in results.jsonl too.
            retry = false;
            written = { ...outcome, reason: `${outcome.reason}; ${cannotResubmit(record, state)}` };
          }
          if (retry) toRetry.push(line.custom_id);
          await writer.add(written, record, !retry);
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
          record.failed = true;
          writer.results.resubmitted -= 1;
          writer.results.failures.push({
            customId,
            paths: record.paths,
            status: 'errored',
            reason: cannotResubmit(record, state),
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
  return { stored, task, ready, roundKey, roundDir, results, lost };
}

/** Tasks whose submissions collected together are published as one report (one issue a night). */
const MERGED_TASKS: ReadonlySet<string> = new Set(['code-review', 'security-scan']);

/** Which report a state goes into: the scheduled submissions of a findings task on one ref share one. */
function groupKeyOf(stored: StoredState): string {
  return stored.state.pullRequest === null && MERGED_TASKS.has(stored.state.task)
    ? `task:${stored.state.task}:${stored.state.ref ?? ''}`
    : `state:${stored.id}`;
}

/** Streamed states published together: the scheduled submissions of a findings task on one ref, or one state alone. */
function groupStreamed(streamed: StreamedState[]): StreamedState[][] {
  const groups = new Map<string, StreamedState[]>();
  for (const item of streamed) {
    const key = groupKeyOf(item.stored);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}

async function concatenate(sources: string[], target: string): Promise<void> {
  const out = createWriteStream(target, { flags: 'w' });
  try {
    for (const source of sources) await pipeline(createReadStream(source), out, { end: false });
  } finally {
    out.end();
    await once(out, 'finish');
  }
}

/**
 * Several submissions of one task collected together (a night whose collect failed, a slow batch):
 * one round about the newest reviewed commit. For a file reviewed by more than one of them only the
 * newest review counts; an older finding in a file that changed since is moved to where its code is
 * now, or left out when that code is gone.
 */
async function mergeStreamed(members: StreamedState[], deps: EngineDeps): Promise<Omit<RoundInput, 'task' | 'config' | 'deps'>> {
  const newest = members.at(-1)!;
  const oldest = members[0]!;
  const head = newest.stored.state.headSha;
  const roundKey = roundKeyOf(members.flatMap((m) => m.ready.map((b) => b.id)));
  const roundDir = join(deps.context.outputDir, newest.stored.id, roundKey);
  await mkdir(roundDir, { recursive: true });
  const resultsPath = join(roundDir, 'results.jsonl');
  await concatenate(
    members.map((m) => m.results.resultsPath),
    resultsPath,
  );
  const reviewedLast = new Map<string, number>();
  members.forEach((member, index) => {
    for (const record of Object.values(member.stored.state.requests))
      for (const path of record.paths) reviewedLast.set(path, index);
  });
  const code = new CodeReader(deps.context.cwd);
  const findings: Finding[] = [];
  let superseded = 0;
  let gone = 0;
  try {
    for (const [index, member] of members.entries()) {
      for (const finding of member.results.findings) {
        if ((reviewedLast.get(finding.path) ?? index) > index) {
          superseded += 1;
          continue;
        }
        if (member === newest) {
          findings.push(finding);
          continue;
        }
        const now = await code.read(head, finding.path);
        const sentHash = member.stored.state.requests[finding.customId]?.contentHashes[finding.path];
        if (now.state === 'unknown' || (now.state === 'present' && now.hash === sentHash)) {
          findings.push(finding);
          continue;
        }
        const at = now.state === 'present' ? locateFinding(now.content, refOf(finding)) : null;
        if (!at) {
          gone += 1;
          continue;
        }
        findings.push({ ...finding, startLine: at.start, endLine: at.end });
      }
    }
  } finally {
    code.close();
  }
  if (superseded + gone > 0) {
    deps.log.info(
      `one report for ${members.length} submissions: ${superseded} finding(s) superseded by a newer review of their file, ${gone} whose code is gone at ${head.slice(0, 7)}`,
    );
  }
  const all = members.map((m) => m.results);
  const sum = (f: (r: CollectedResults) => number): number => all.reduce((n, r) => n + f(r), 0);
  const results: CollectedResults = {
    task: newest.results.task,
    findings,
    files: all.flatMap((r) => r.files),
    verdicts: all.flatMap((r) => r.verdicts),
    failures: all.flatMap((r) => r.failures),
    succeeded: sum((r) => r.succeeded),
    received: sum((r) => r.received),
    resubmitted: sum((r) => r.resubmitted),
    duplicatesSkipped: sum((r) => r.duplicatesSkipped),
    belowSeverity: sum((r) => r.belowSeverity),
    findingsNotKept: sum((r) => r.findingsNotKept ?? 0),
    usage: sumUsage(all.map((r) => r.usage)),
    batchIds: all.flatMap((r) => r.batchIds),
    resultsPath,
  };
  // The round is about the newest commit, over the union of the windows.
  const state: RunState = {
    ...newest.stored.state,
    baseSha: oldest.stored.state.baseSha,
    window: `${members.length} submissions: ${members.map((m) => m.stored.state.window).join('; ')}`,
    skipped: mergeSkipped(members.map((m) => m.stored.state)),
    published: {},
  };
  return { state, stateId: newest.stored.id, roundKey, roundDir, results };
}

/** Marks what a round published in a state and saves it. */
async function finishState(
  item: StreamedState,
  published: Record<string, string>,
  reports: ReportResult[],
  deps: EngineDeps,
): Promise<StateCollectResult> {
  const { state } = item.stored;
  Object.assign(state.published, published);
  const failedReports = reports.some((r) => r.failed);
  // A report that could not be published keeps its round open: the next collect streams the results
  // again (free) and publishes what is missing; markers keep what did go out from going out twice.
  if (!failedReports) for (const batch of item.ready) batch.resultsSaved = true;
  const outstanding = state.batches.some((b) => !b.resultsSaved);
  if (!outstanding) state.collectedAt = deps.now().toISOString();
  await deps.store.update(item.stored.id, state);
  return {
    stateId: item.stored.id,
    status: failedReports ? 'failed' : outstanding ? 'partial' : 'collected',
    results: item.results,
    reports,
    ...(item.lost.length ? { error: `results of ${item.lost.join(', ')} are gone` } : {}),
  };
}

/** Publishes one group (one report) and records it in every state of the group. */
async function publishGroup(
  group: StreamedState[],
  config: Config,
  deps: EngineDeps,
): Promise<{ round: CollectedRound; states: StateCollectResult[] }> {
  const task = group[0]!.task;
  const input =
    group.length === 1
      ? {
          state: group[0]!.stored.state,
          stateId: group[0]!.stored.id,
          roundKey: group[0]!.roundKey,
          roundDir: group[0]!.roundDir,
          results: group[0]!.results,
        }
      : await mergeStreamed(group, deps);
  const { reports, reported } = await publishRoundReporting({ ...input, task, config, deps });
  const states: StateCollectResult[] = [];
  for (const item of group) states.push(await finishState(item, input.state.published, reports, deps));
  return {
    round: { stateIds: group.map((item) => item.stored.id), roundKey: input.roundKey, results: reported, reports },
    states,
  };
}

/**
 * Claims the rounds this collect is about to publish (see state/claims.ts), in the order the states
 * were listed. A state whose round another collect holds is left to that collect; so are the later
 * states of its report group, so that one night's submissions still make one report.
 */
async function claimRounds(
  ready: StoredState[],
  deps: EngineDeps,
  claims: RoundClaim[],
  byId: Map<string, StateCollectResult>,
): Promise<StoredState[]> {
  const claimer = deps.github?.readOnly ? null : claimerOf(deps.store);
  if (!claimer) return ready;
  const claimed: StoredState[] = [];
  const lostGroups = new Set<string>();
  for (const stored of ready) {
    const group = groupKeyOf(stored);
    const roundKey = roundKeyOf(readyBatches(stored.state).map((b) => b.id));
    if (lostGroups.has(group)) {
      deps.log.info(`${stored.id}: left to the collect that holds the rest of its report`);
      byId.set(stored.id, { stateId: stored.id, status: 'pending', results: null, reports: [] });
      continue;
    }
    const result = await claimer.claim(stored.id, roundKey);
    if (!result.claimed) {
      lostGroups.add(group);
      // Not an error: another collect is publishing this very round right now.
      deps.log.info(
        `${stored.id}: round ${roundKey} is being published by another collect (${result.holder.label}, since ${result.holder.claimedAt}); leaving it to that one`,
      );
      byId.set(stored.id, { stateId: stored.id, status: 'pending', results: null, reports: [] });
      continue;
    }
    if (result.note) deps.log.info(`${stored.id}: ${result.note}`);
    claims.push(result.claim);
    claimed.push(stored);
  }
  return claimed;
}

/**
 * The claimed states read again: a collect that finished while this one was listing and checking
 * left a newer revision (results saved, retries resubmitted, maybe collected). Working on the old
 * one would stream and resubmit (pay for) the same requests twice.
 */
async function reloadClaimed(
  claimed: StoredState[],
  config: Config,
  deps: EngineDeps,
  byId: Map<string, StateCollectResult>,
  listedHeads: ReadonlySet<string>,
): Promise<StoredState[]> {
  // Nothing was claimed (no claimer, or a read-only run): nothing can have changed under a claim.
  if (claimed.length === 0 || deps.github?.readOnly || !claimerOf(deps.store)) return claimed;
  // Only the claimed submissions are looked at again, and only one saved again since it was listed is
  // read in full: a state of 100,000 requests read a second time is ~200 MB of allocation for nothing
  // when, as almost always, no other collect ran.
  const fresh = new Map(
    (
      await deps.store.list(config.batchId ? undefined : (config.task ?? undefined), {
        ids: new Set(claimed.map((s) => s.id)),
        withRequests: (head) => !head.collectedAt && !listedHeads.has(headKey(head)),
      })
    ).map((s) => [s.id, s]),
  );
  const current: StoredState[] = [];
  for (const stored of claimed) {
    const now = fresh.get(stored.id);
    if (!now || listedHeads.has(headKey(now.state))) {
      current.push(stored);
      continue;
    }
    // What this collect learnt about the batches (ended or not) still holds.
    for (const batch of now.state.batches) {
      const seen = stored.state.batches.find((b) => b.id === batch.id);
      if (seen && !batch.resultsSaved) {
        batch.status = seen.status;
        batch.endedAt = seen.endedAt;
      }
    }
    if (now.state.collectedAt || readyBatches(now.state).length === 0) {
      deps.log.info(`${stored.id}: published meanwhile by another collect; nothing left to do`);
      byId.set(stored.id, { stateId: stored.id, status: 'collected', results: null, reports: [] });
      continue;
    }
    // The fresh revision replaces the listed one in place (the caller's targets hold these objects):
    // a state of 100,000 requests parsed twice is two copies of ~80 MB kept for the whole collect.
    stored.state = now.state;
    current.push(stored);
  }
  return current;
}

/**
 * A state's head (everything but its requests) as text. Every revision submit or collect saves changes
 * the head (batches added or ended, resultsSaved, published, collectedAt), so a head unchanged since
 * the listing means the same revision, requests included.
 */
function headKey(state: RunState): string {
  const { requests: _requests, ...head } = state;
  return JSON.stringify(head);
}

/**
 * A collect needs the nights it collects, not every night still in retention: collected states are
 * left out (an artifact store does not even download them), and any other is read in full only if open
 * (each ~40 MB of JSON at 100,000 requests).
 */
const UNCOLLECTED_ONLY: ListOptions = { withRequests: (head) => !head.collectedAt, skipCollected: true };

export async function collect(config: Config, deps: EngineDeps): Promise<CollectResult> {
  let targets: StoredState[];
  if (config.batchId) {
    // Batch ids are unique: look through every task's states (the task input need not match).
    const holds = (state: RunState): boolean => state.batches.some((b) => b.id === config.batchId);
    const all = await deps.store.list(undefined, { withRequests: (head) => !head.collectedAt && holds(head) });
    const found = all.find((s) => holds(s.state));
    if (!found) {
      // The state is gone (artifact expired or deleted, file lost): rebuild one from the batch alone.
      const rebuilt = await rebuildStateFromBatch(config.batchId, config, deps);
      if ('pending' in rebuilt) {
        deps.log.info(
          `batch ${config.batchId}: ${rebuilt.pending}; no saved state names it, so collect it with batch-id again once it has ended`,
        );
        deps.setOutput('status', 'pending');
        deps.setOutput('batch-ids', config.batchId);
        deps.setOutput('findings-count', 0);
        deps.setOutput('failed-count', 0);
        return { status: 'pending', states: [], rounds: [] };
      }
      // Saved first, like a submit's: a re-run after a crash finds it and publishes under the same id.
      const id = await deps.store.create(rebuilt.state);
      targets = [{ id, state: rebuilt.state }];
    } else if (found.state.collectedAt) {
      // A batch whose submission is fully collected has nothing left to publish: say so, not "pending".
      deps.log.info(
        `batch ${config.batchId}: already collected on ${found.state.collectedAt} (${deps.store.describe(found.id)}); nothing to do`,
      );
      targets = [];
    } else targets = [found];
  } else {
    targets = (await deps.store.list(config.task ?? undefined, UNCOLLECTED_ONLY)).filter((s) => !s.state.collectedAt);
  }
  // Before refreshBatches changes them in memory: what the store held when listed.
  const listedHeads = new Set(targets.map((t) => headKey(t.state)));
  if (targets.length === 0) {
    if (!config.batchId) deps.log.info(`nothing to collect: no submission waiting in ${deps.store.describe()}`);
    deps.setOutput('status', 'nothing-to-do');
    deps.setOutput('findings-count', 0);
    deps.setOutput('failed-count', 0);
    return { status: 'nothing-to-do', states: [], rounds: [] };
  }
  const client = deps.anthropic();
  for (const stored of targets) await refreshBatches(stored.state, client, config, deps);
  const byId = new Map<string, StateCollectResult>();
  for (const stored of targets) {
    if (readyBatches(stored.state).length === 0)
      byId.set(stored.id, { stateId: stored.id, status: 'pending', results: null, reports: [] });
  }
  const rounds: CollectedRound[] = [];
  // Claims are given up once the round's state revision is saved, or when anything fails (a re-run
  // must not wait for them); a collect killed outright leaves them to be taken over (claims.ts).
  const claims: RoundClaim[] = [];
  try {
    const claimed = await claimRounds(
      targets.filter((t) => readyBatches(t.state).length > 0),
      deps,
      claims,
      byId,
    );
    const working = await reloadClaimed(claimed, config, deps, byId, listedHeads);
    // Stream every state first (each one's results saved, its retries resubmitted), then publish one
    // report per task for the scheduled submissions collected together: one issue a night.
    const streamed: StreamedState[] = [];
    for (const stored of working) {
      const item = await streamState(stored, config, deps, client);
      if (item) streamed.push(item);
      else byId.set(stored.id, { stateId: stored.id, status: 'pending', results: null, reports: [] });
    }
    for (const group of groupStreamed(streamed)) {
      const published = await publishGroup(group, config, deps);
      rounds.push(published.round);
      for (const state of published.states) byId.set(state.stateId, state);
    }
  } finally {
    for (const claim of claims) await claim.release();
  }
  const states = targets.map((t) => byId.get(t.id)!);
  // Nothing published: still pending (or left to a racing collect), or nothing left at all.
  const status: RunStatus =
    rounds.length > 0 ? 'collected' : states.some((s) => s.status === 'pending') ? 'pending' : 'nothing-to-do';
  deps.setOutput('status', status);
  deps.setOutput('batch-ids', targets.flatMap((t) => t.state.batches.map((b) => b.id)).join(','));
  setRoundOutputs(rounds, config, deps);
  return { status, states, rounds };
}
