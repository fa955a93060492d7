// Collect's second half, per round (one report), shared with the interactive run: the round's files
// saved (report.md, results.json, SARIF, the patch of generated files, with results.jsonl) before
// anything is posted, then its reports published, each carrying a marker so a re-run never posts
// twice, with what earlier nights decided kept quiet (dismissals, issue memory); and the outputs
// (counts, cost, links, paths) of everything published.
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Config } from '../config.js';
import type { TaskDefinition } from '../tasks/task.js';
import type { RunState } from '../state/state.js';
import type { CollectedResults, ReportContext, ReportResult } from '../reports/reporter.js';
import { renderMarkdownReport, renderResultsJson } from '../reports/markdown.js';
import { GITHUB_TARGETS, reportersFor } from '../reports/index.js';
import { writeSarif } from '../reports/sarif.js';
import { baseReader, selectGeneratedFiles, writePatchArtifact } from '../reports/pull-request.js';
import { DEFAULT_ISSUE_LABELS } from '../reports/issue.js';
import { SEVERITIES, type ReportTarget } from '../types.js';
import {
  applyDismissals,
  CodeReader,
  dismissedNote,
  NO_DECISIONS,
  readDecisions,
  readIssueMemory,
  type IssueMemory,
  type NoiseOptions,
} from '../decisions/index.js';
import type { EngineDeps } from './deps.js';
import type { CollectedRound } from './rounds.js';
import { buildRunReport } from '../reports/run-report.js';
import { noticeText, sendNotice } from '../reports/notify.js';

/** The targets of a round: `report`, or the task's default; without GitHub, defaults become files. */
function reportTargets(config: Config, task: TaskDefinition, state: RunState, hasGitHub: boolean): ReportTarget[] {
  if (config.report) return config.report;
  const defaults = task.defaultReports({ pullRequest: state.pullRequest !== null });
  if (hasGitHub) return defaults;
  return [...new Set(defaults.map((t) => (t === 'pull-request' ? 'artifact' : t)).filter((t) => !GITHUB_TARGETS.has(t)))];
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
  const decisions = findingsTask ? await readDecisions(deps.context.cwd, state) : NO_DECISIONS;
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
    // Computed on every result of the round (dismissals change what is posted, not what was paid for).
    runReport: buildRunReport(
      {
        state,
        stateId,
        round: roundKey,
        results,
        issueLabels: [],
        outputDir: roundDir,
        sarifPath: '',
        github: null,
        log: deps.log,
      },
      { now: deps.now(), priceOverrides: config.priceOverrides, minFirstPassRate: config.minFirstPassRate },
    ),
  };
  // A first pass under min-first-pass-rate is worth a warning in the log (an annotation in Actions) too.
  if (context.runReport?.retries.warning) deps.log.warning(context.runReport.retries.warning);
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
    // A pull request's round completes the check run its submit opened, whatever `report` says.
    const checkRun =
      state.pullRequest && deps.github
        ? {
            gateLine: (collected: CollectedResults) => severityGateLine([{ results: collected }], config),
            ...(deps.context.runUrl ? { runUrl: deps.context.runUrl } : {}),
          }
        : undefined;
    for (const reporter of reportersFor(targets, task.name, () => reports, deps.context.cwd, checkRun)) {
      const publishedKey = `${roundKey}:${reporter.target}`;
      try {
        const result = await reporter.publish(context);
        reports.push(result);
        state.published[publishedKey] = result.url ?? result.path ?? result.note;
        if (result.warn) deps.log.warning(`${reporter.target}: ${result.note}`);
        else deps.log.info(`${reporter.target}: ${result.note}`);
      } catch (error) {
        const message = `${reporter.target}: ${(error as Error).message}`;
        deps.log.warning(message);
        reports.push({ target: reporter.target, note: `failed: ${(error as Error).message}`, failed: true });
      }
    }
    await notifyRound(input, context, reports);
    return { reports, reported };
  } finally {
    noise.code?.close();
  }
}

/**
 * notify-url: one notice per round. What was sent is recorded with the round (`<round>:notify`), so the
 * collect that publishes a failed report again does not announce the round twice. A notice that fails
 * is one warning; it never fails the publish.
 */
async function notifyRound(input: RoundInput, context: ReportContext, reports: ReportResult[]): Promise<void> {
  const { config, deps, state, roundKey } = input;
  const key = `${roundKey}:notify`;
  if (!config.notifyUrl || state.published[key]) return;
  const text = noticeText({
    repository: state.repository,
    results: context.results,
    reports,
    ...(context.runReport ? { runReport: context.runReport } : {}),
    runUrl: deps.context.runUrl ?? null,
  });
  const failure = await sendNotice(config.notifyUrl, text);
  if (failure) {
    deps.log.warning(failure);
    return;
  }
  state.published[key] = 'sent';
  deps.log.info(`notify-url: notice sent to ${new URL(config.notifyUrl).host}`);
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
  // The tokens behind cost-usd, as the API reported them (uncached input, output, cache reads and writes).
  deps.setOutput(
    'input-tokens',
    sum((r) => r.usage.inputTokens),
  );
  deps.setOutput(
    'output-tokens',
    sum((r) => r.usage.outputTokens),
  );
  deps.setOutput(
    'cache-read-tokens',
    sum((r) => r.usage.cacheReadInputTokens),
  );
  deps.setOutput(
    'cache-write-tokens',
    sum((r) => r.usage.cacheCreationInputTokens),
  );
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

/**
 * fail-on-severity: the one line that fails the step when a published finding is at or above it (null
 * when none is, or the input is `none`). Asked after everything is published: a failing step must not
 * keep the findings it fails on from their issue, review or SARIF upload.
 */
export function severityGateLine(rounds: readonly Pick<CollectedRound, 'results'>[], config: Config): string | null {
  const level = config.failOnSeverity;
  if (!level) return null;
  const rank = (severity: string): number => SEVERITIES.indexOf(severity as (typeof SEVERITIES)[number]);
  const counts = new Map<string, number>();
  for (const finding of rounds.flatMap((round) => round.results.findings)) {
    if (rank(finding.severity) >= 0 && rank(finding.severity) <= rank(level)) {
      counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
    }
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const bySeverity = SEVERITIES.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`);
  return `fail-on-severity ${level}: ${total === 1 ? '1 published finding is' : `${total} published findings are`} at or above ${level} (${bySeverity.join(', ')})`;
}
