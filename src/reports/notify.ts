// notify-url: one short message per published round to a Slack-compatible incoming webhook
// (`{"text": "…"}`): counts by severity, cost, a link to the issue, pull request or run. The URL is a
// secret (a Slack webhook's path is its credential): it is masked by the action and the CLI, and
// nothing here ever logs, returns or throws it; a line about it names its host only. A notice that
// fails (non-2xx, timeout, DNS, refused connection) is one warning and never fails the publish; a 5xx
// or a connection error is retried once.
import { formatUsd } from '../cost/usage.js';
import { countBySeverity } from './group.js';
import type { CollectedResults, ReportResult } from './reporter.js';
import type { RunReport } from './run-report.js';
import { SEVERITIES } from '../types.js';
import { plural } from './format.js';
import { plainLine } from './annotations.js';

/** How long one attempt may take. */
export const NOTIFY_TIMEOUT_MS = 10_000;

/** Pause before the one retry. */
export const NOTIFY_RETRY_DELAY_MS = 2_000;

/** What a notice says about a round. */
export interface NoticeInput {
  repository: string;
  results: CollectedResults;
  reports: readonly ReportResult[];
  runReport?: RunReport;
  /** The Actions run of this collect, when known (GITHUB_SERVER_URL/…/actions/runs/GITHUB_RUN_ID). */
  runUrl?: string | null;
}

/** The one link a notice carries: the issue, else the pull request or review, else the run. */
export function noticeLink(input: NoticeInput): string | null {
  const url = (target: string): string | undefined => input.reports.find((r) => r.target === target && r.url)?.url;
  return url('issue') ?? url('pull-request') ?? url('pr-review') ?? url('pr-comment') ?? input.runUrl ?? null;
}

/**
 * The Slack text: "overnight code-review on owner/repo: 3 findings (1 high, 2 medium), 1 failed ·
 * $0.42 (saved $0.40) · <link|issue>". Plain text with Slack's control characters escaped.
 */
export function noticeText(input: NoticeInput): string {
  const { results } = input;
  const slack = (text: string): string => plainLine(text, 300).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const counts = countBySeverity(results.findings);
  const bySeverity = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const what: string[] = [];
  if (results.findings.length > 0 || results.task === 'code-review' || results.task === 'security-scan') {
    what.push(`${plural(results.findings.length, 'finding')}${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''}`);
  }
  if (results.files.length > 0) what.push(plural(results.files.length, 'generated file'));
  if (results.verdicts.length > 0) what.push(plural(results.verdicts.length, 'verdict'));
  if (results.failures.length > 0) what.push(`${results.failures.length} failed`);
  if (what.length === 0) what.push(`${plural(results.received, 'answer')}, nothing to report`);
  const cost = `${formatUsd(results.usage.costUsd)} (saved ${formatUsd(results.usage.savingsUsd)} against interactive)`;
  const parts = [`overnight ${results.task} on ${slack(input.repository)}: ${what.join(', ')}`, cost];
  const failedReports = input.reports.filter((r) => r.failed).map((r) => r.target);
  if (failedReports.length > 0) parts.push(`not published: ${failedReports.join(', ')}`);
  const warning = input.runReport?.retries.warning;
  if (warning) parts.push(`⚠️ ${slack(warning)}`);
  const link = noticeLink(input);
  if (link) parts.push(`<${link.replace(/[<>|\s]/g, encodeURIComponent)}|${link.includes('/actions/runs/') ? 'run' : 'report'}>`);
  return parts.join(' · ');
}

export interface NotifyOptions {
  timeoutMs?: number;
  retryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Why an attempt failed, in words that never carry the URL, and whether one retry may help. */
interface AttemptFailure {
  why: string;
  retry: boolean;
}

function connectionFailure(error: unknown, timeoutMs: number): AttemptFailure {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return { why: `no answer within ${timeoutMs / 1000}s`, retry: true };
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  const known: Record<string, string> = {
    ENOTFOUND: 'its host name did not resolve (DNS)',
    EAI_AGAIN: 'its host name did not resolve (DNS, temporary)',
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'connection timed out',
    UND_ERR_SOCKET: 'connection closed',
    UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  };
  const reason =
    typeof code === 'string' ? (known[code] ?? `connection error (${code.replace(/[^A-Z0-9_]/g, '')})`) : 'connection error';
  return { why: reason, retry: true };
}

async function attempt(url: string, body: string, timeoutMs: number): Promise<AttemptFailure | null> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      // A redirect would carry the message somewhere the user did not name.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return connectionFailure(error, timeoutMs);
  }
  // The body is not read into any message: a receiver may echo the URL back.
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return null;
  return { why: `HTTP ${response.status}`, retry: response.status >= 500 };
}

/**
 * Posts `{"text": text}` to the webhook; returns null when it was accepted, else one line saying why not
 * (naming the host only). Never throws.
 */
export async function sendNotice(url: string, text: string, options: NotifyOptions = {}): Promise<string | null> {
  const host = new URL(url).host;
  const timeoutMs = options.timeoutMs ?? NOTIFY_TIMEOUT_MS;
  const body = JSON.stringify({ text });
  let failure = await attempt(url, body, timeoutMs);
  let retried = false;
  if (failure?.retry) {
    retried = true;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    await sleep(options.retryDelayMs ?? NOTIFY_RETRY_DELAY_MS);
    failure = await attempt(url, body, timeoutMs);
  }
  if (!failure) return null;
  return `notify-url: the notice to ${host} was not delivered: ${failure.why}${retried ? ' (retried once)' : ''}; the reports are published all the same`;
}
