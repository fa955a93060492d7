// The pull request's check run: what the PR shows beside its merge button while the batch runs and
// once it is collected. Submit opens it ("overnight: code review queued, results by …"); collect
// completes it with a conclusion, the counts and a link to the report. Its id is not kept anywhere:
// it is found again by name and head commit, so a lost state never orphans it, and a collect whose
// submit could not create one (a read-only token) still leaves a completed run.
//
// It needs `checks: write`. When GitHub refuses (403), a commit status (`statuses: write`) says the
// same in one line of text; when that is refused too, nothing is shown, and ONE log line says which
// permission to grant. Everything it writes is overnight's own words and GitHub's own URLs: no text
// of the repository or of the model reaches it.
import type { GitHubContext } from '../github/context.js';
import { describeHttpError, httpStatus } from '../github/errors.js';
import type { RunState } from '../state/state.js';
import type { Logger, TaskName } from '../types.js';
import { plural, severityBreakdown, taskTitle } from './format.js';
import type { CollectedResults, Reporter, ReportResult } from './reporter.js';

/** A batch ends within 24 hours (the API's limit): the latest the results can come. */
const BATCH_WORST_CASE_MS = 24 * 60 * 60 * 1000;
/** GitHub's limit on a commit status description. */
const STATUS_DESCRIPTION_MAX = 140;

export type CheckConclusion = 'success' | 'neutral' | 'failure';

/** One name per task, so a pull request reviewed by two tasks shows two runs. */
export function checkRunName(task: TaskName): string {
  return `overnight ${task}`;
}

interface CheckSignal {
  name: string;
  headSha: string;
  /** queued while the batch runs; in_progress while resubmitted requests are still to come. */
  status: 'queued' | 'in_progress' | 'completed';
  /** Set when completed. */
  conclusion: CheckConclusion | null;
  title: string;
  summary: string;
  detailsUrl?: string;
}

/** "2026-12-07 09:35 UTC" */
function utcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** When a submission's results come at the latest: its newest batch's submission plus the API's 24 hours. */
export function resultsDueBy(state: RunState): Date {
  const submitted = state.batches.map((b) => Date.parse(b.submittedAt)).filter((t) => !Number.isNaN(t));
  const latest = submitted.length > 0 ? Math.max(...submitted) : Date.parse(state.createdAt);
  return new Date(latest + BATCH_WORST_CASE_MS);
}

/** The check run a submit opens on the pull request's head commit. */
export function queuedSignal(state: RunState, runUrl?: string): CheckSignal | null {
  if (!state.pullRequest) return null;
  const due = utcMinute(resultsDueBy(state));
  const requests = Object.keys(state.requests).length;
  return {
    name: checkRunName(state.task),
    headSha: state.pullRequest.headSha,
    status: 'queued',
    conclusion: null,
    title: `overnight: ${taskTitle(state.task).toLowerCase()} queued, results by ${due}`,
    summary: [
      `${plural(requests, 'request')} sent in ${plural(state.batches.length, 'batch', 'batches')} on ${utcMinute(new Date(state.createdAt))}.`,
      `A batch ends within 24 hours: the first collect after it ends (by ${due} at the latest) publishes the results and completes this check.`,
    ].join('\n\n'),
    ...(runUrl ? { detailsUrl: runUrl } : {}),
  };
}

export interface CompletedCheckOptions {
  /** fail-on-severity's line when it trips for these results (engine/publish.ts severityGateLine). */
  gateLine: string | null;
  /** Where the reports went (target, URL), the review first. */
  links: { label: string; url: string }[];
  runUrl?: string;
}

/**
 * The verdict collect writes: failure when fail-on-severity trips, neutral when there is anything to
 * read, else success. While resubmitted requests are still to come, the run stays in progress with
 * what is known so far (the collect that receives them completes it).
 */
export function completedSignal(state: RunState, results: CollectedResults, options: CompletedCheckOptions): CheckSignal | null {
  if (!state.pullRequest) return null;
  const invalid = results.verdicts.filter((v) => v.verdict === 'INVALID').length;
  const findings = results.findings.length + (results.findingsNotKept ?? 0);
  const parts: string[] = [];
  if (results.verdicts.length > 0) parts.push(`${invalid} of ${plural(results.verdicts.length, 'verdict')} INVALID`);
  if (findings > 0 || results.verdicts.length === 0) {
    parts.push(findings === 0 ? 'no findings' : `${plural(findings, 'finding')} (${severityBreakdown(results.findings)})`);
  }
  if (results.files.length > 0) parts.push(plural(results.files.length, 'file') + ' generated');
  if (results.failures.length > 0) parts.push(`${plural(results.failures.length, 'request')} failed`);
  const pending = results.resubmitted > 0;
  if (pending) parts.push(`${plural(results.resubmitted, 'request')} resubmitted, still to come`);
  const conclusion: CheckConclusion | null = pending
    ? null
    : options.gateLine
      ? 'failure'
      : findings > 0 || invalid > 0 || results.failures.length > 0
        ? 'neutral'
        : 'success';
  const report = options.links.map((l) => `[${l.label}](${l.url})`);
  if (options.runUrl) report.push(`[the run's job summary](${options.runUrl})`);
  const summary = [
    `**${taskTitle(state.task)}** of \`${state.pullRequest.headSha.slice(0, 7)}\`: ${parts.join(', ')}.`,
    ...(options.gateLine ? [`The step failed: ${options.gateLine}.`] : []),
    report.length > 0 ? `Report: ${report.join(', ')}.` : 'Report: the job summary of the collect run.',
  ];
  const detailsUrl = options.links[0]?.url ?? options.runUrl;
  return {
    name: checkRunName(state.task),
    headSha: state.pullRequest.headSha,
    status: conclusion ? 'completed' : 'in_progress',
    conclusion,
    title: `overnight: ${parts.join(', ')}`,
    summary: summary.join('\n\n'),
    ...(detailsUrl ? { detailsUrl } : {}),
  };
}

/** The newest check run of this name on the commit, or null. */
async function findCheckRun(
  github: GitHubContext,
  name: string,
  headSha: string,
): Promise<{ id: number; completed: boolean } | null> {
  const { data } = await github.octokit.rest.checks.listForRef({
    owner: github.owner,
    repo: github.repo,
    ref: headSha,
    check_name: name,
    filter: 'latest',
    per_page: 1,
  });
  const run = data.check_runs[0];
  return run ? { id: run.id, completed: run.status === 'completed' } : null;
}

/** Creates or updates the check run; returns its URL. Throws GitHub's error (a 403 when `checks: write` is missing). */
async function writeCheckRun(github: GitHubContext, signal: CheckSignal): Promise<string> {
  const found = await findCheckRun(github, signal.name, signal.headSha);
  const fields = {
    owner: github.owner,
    repo: github.repo,
    ...(signal.detailsUrl ? { details_url: signal.detailsUrl } : {}),
    output: { title: signal.title, summary: signal.summary },
    ...(signal.conclusion ? { conclusion: signal.conclusion } : { status: signal.status }),
  };
  // A queued signal on a commit whose run already completed is a new review of the same commit: a new run.
  if (found && (signal.status !== 'queued' || !found.completed)) {
    const { data } = await github.octokit.rest.checks.update({ ...fields, check_run_id: found.id });
    return data.html_url ?? '';
  }
  const { data } = await github.octokit.rest.checks.create({ ...fields, name: signal.name, head_sha: signal.headSha });
  return data.html_url ?? '';
}

async function writeCommitStatus(github: GitHubContext, signal: CheckSignal): Promise<void> {
  const state = signal.conclusion === null ? 'pending' : signal.conclusion === 'failure' ? 'failure' : 'success';
  const description = signal.title.replace(/^overnight: /, '');
  await github.octokit.rest.repos.createCommitStatus({
    owner: github.owner,
    repo: github.repo,
    sha: signal.headSha,
    state,
    context: signal.name,
    description:
      description.length > STATUS_DESCRIPTION_MAX ? `${description.slice(0, STATUS_DESCRIPTION_MAX - 1)}…` : description,
    ...(signal.detailsUrl ? { target_url: signal.detailsUrl } : {}),
  });
}

export interface SignalResult {
  /** The check run's page, when there is one. */
  url?: string;
  note: string;
  /** Set when GitHub failed for another reason than a missing permission (the note says why). */
  failed?: true;
  /** Set when a permission was missing: the note says which to grant, as a warning. */
  warn?: true;
}

/**
 * Shows `signal` on the pull request: a check run, else a commit status, else nothing. A refused
 * permission comes back as one note naming the permission to grant (`warn`); it never fails the step.
 */
export async function postSignal(github: GitHubContext, signal: CheckSignal): Promise<SignalResult> {
  try {
    const url = await writeCheckRun(github, signal);
    const what = signal.conclusion ? `completed (${signal.conclusion})` : signal.status.replace('_', ' ');
    return { ...(url ? { url } : {}), note: `check run '${signal.name}' ${what}` };
  } catch (error) {
    if (httpStatus(error) !== 403) {
      return { note: `check run '${signal.name}' not written: ${describeHttpError(error)}`, failed: true };
    }
  }
  try {
    await writeCommitStatus(github, signal);
    return {
      note: `check run '${signal.name}': the token may not write checks; posted a commit status instead (grant \`checks: write\` to this job for the check run)`,
      warn: true,
    };
  } catch (error) {
    if (httpStatus(error) !== 403) {
      return { note: `commit status '${signal.name}' not written: ${describeHttpError(error)}`, failed: true };
    }
  }
  return {
    note: `check run '${signal.name}': the token may write neither checks nor commit statuses, so the pull request shows no status from overnight; grant \`checks: write\` to this job`,
    warn: true,
  };
}

/**
 * Submit's half: opens the check run of a pull request's submission. Never fails the submit (its
 * batches are sent and saved): a failure is one warning line.
 */
export async function openCheckRun(github: GitHubContext | null, state: RunState, log: Logger, runUrl?: string): Promise<void> {
  const signal = queuedSignal(state, runUrl);
  if (!signal || !github || github.readOnly) return;
  const result = await postSignal(github, signal);
  if (result.failed || result.warn) log.warning(result.note);
  else log.info(result.note);
}

/** Collect's half, a reporter: completes the check run of a pull request's round (publishes after the others, links to them). */
export function createCheckRunReporter(options: {
  links: () => { label: string; url: string }[];
  gateLine: (results: CollectedResults) => string | null;
  runUrl?: string;
}): Reporter {
  return {
    target: 'check-run',
    async publish(context): Promise<ReportResult> {
      const signal = completedSignal(context.state, context.results, {
        gateLine: options.gateLine(context.results),
        links: options.links(),
        ...(options.runUrl ? { runUrl: options.runUrl } : {}),
      });
      if (!signal) return { target: 'check-run', note: 'not a pull request' };
      if (!context.github || context.github.readOnly) return { target: 'check-run', note: 'no token that may write checks' };
      const result = await postSignal(context.github, signal);
      return { target: 'check-run', ...result };
    },
  };
}
