// Every input of the action and flag of the CLI, in one table: name, default, description, and how
// it is read. action.yml is checked against this table by a test, and both entry points parse their
// raw strings through parseConfig, so the action and the CLI cannot drift apart.
import { CONFIDENCES, MODES, REPORT_TARGETS, SEVERITIES, TASK_NAMES } from './types.js';
import type { Confidence, Mode, ReportTarget, Severity, TaskName } from './types.js';
import { UsageError } from './errors.js';
import { parsePriceOverrides } from './cost/prices.js';
import { checkNotifyUrl } from './reports/notify-url.js';
import { parseDeliverBy, type DeliverBy } from './engine/deliver-by.js';
import type { ModelPrice } from './cost/types.js';
import { PROVIDER_INPUTS, parseProviderConfig, type ProviderConfig } from './providers/config.js';

export interface InputSpec {
  name: string;
  default: string;
  description: string;
  /** Not shown in the CLI (GitHub-only inputs). */
  actionOnly?: boolean;
}

export const INPUTS: InputSpec[] = [
  {
    name: 'mode',
    default: 'submit',
    description: 'submit, collect, run (interactive API now) or auto (run below sync-threshold requests, submit above).',
  },
  {
    name: 'task',
    default: 'code-review',
    description:
      'code-review, security-scan, test-generation, docs-update or refactor-validation. For collect: the task whose submissions to collect, or all.',
  },
  {
    name: 'anthropic-api-key',
    default: '',
    description:
      'Anthropic API key; falls back to the ANTHROPIC_API_KEY environment variable. Not needed for collect-only runs that find nothing to do.',
  },
  { name: 'anthropic-base-url', default: '', description: 'API base URL; empty = the SDK default or ANTHROPIC_BASE_URL.' },
  ...PROVIDER_INPUTS,
  {
    name: 'model',
    default: '',
    description: 'Model id; empty = the task default (claude-sonnet-4-6 for reviews, claude-haiku-4-5 for docs).',
  },
  { name: 'max-output-tokens', default: '', description: 'Output budget per request; empty = the task default.' },
  {
    name: 'since',
    default: 'last',
    description:
      'Which changes: last (everything since the commit the last submit of this task reviewed; 24h when there is none; content already reviewed is skipped), 24h, 7d, a commit SHA or a ref. Ignored on pull_request events (the PR is reviewed).',
  },
  {
    name: 'include',
    default: '',
    description: 'Globs of files to review (comma or newline separated); empty = all changed files.',
  },
  { name: 'exclude', default: '', description: 'Globs of files never to review (comma or newline separated).' },
  { name: 'max-files', default: '300', description: 'At most this many files per run; the most changed first.' },
  { name: 'max-file-bytes', default: '200000', description: 'Files larger than this are skipped.' },
  {
    name: 'context-files',
    default: '',
    description:
      'Globs of project docs (style guides, architecture) put in the shared, cached prompt prefix. CLAUDE.md and AGENTS.md are always included when present.',
  },
  {
    name: 'instructions',
    default: '',
    description:
      "Extra instructions for the model: the text, or the path of a file committed in the repository (a one-line value naming a file; read at a pull request's base, never through a symlink).",
  },
  {
    name: 'max-cost-usd',
    default: '0',
    description:
      'Budget for one night in USD: the submit, collect-time resubmissions and deadline fallbacks together; requests are dropped by priority to fit. 0 = no budget.',
  },
  {
    name: 'budget-strict',
    default: 'false',
    description:
      'Price every request at its max_tokens of output (the worst case) instead of the expected output when holding it to max-cost-usd and monthly-budget-usd.',
  },
  {
    name: 'monthly-budget-usd',
    default: '0',
    description:
      'Budget for a calendar month (UTC) in USD, tracked in a signed ledger carried with the states: once reached, submit stops with one line. 0 = none.',
  },
  {
    name: 'deliver-by',
    default: '',
    description:
      'When results must be there: a time of day in a time zone (08:00 Europe/Berlin) or a duration after submit (6h). Submit warns when the batch may end later; a collect at or after it answers what is still processing through the interactive API (full price, within max-cost-usd). With mode auto, a deadline under 2h sends small work interactively.',
  },
  {
    name: 'price-overrides',
    default: '',
    description:
      'Prices for models the built-in table lacks or that changed: JSON {"model": {"input": 3, "output": 15}} or model=input/output lines (USD per million tokens).',
  },
  {
    name: 'sync-threshold',
    default: '5',
    description: 'With mode auto: fewer requests than this run interactively now, more go to a batch.',
  },
  {
    name: 'wait-minutes',
    default: '0',
    description: 'Collect: poll a batch still in progress for up to this many minutes (capped exponential backoff).',
  },
  {
    name: 'batch-id',
    default: '',
    description: 'Collect only this batch (msgbatch_…); works even when its state artifact is gone.',
  },
  {
    name: 'report',
    default: '',
    description: 'Comma list of issue, pr-review, pr-comment, sarif, pull-request, summary, artifact; empty = the task default.',
  },
  { name: 'issue-labels', default: 'overnight', description: 'Labels for the issues overnight opens (created if missing).' },
  {
    name: 'min-severity',
    default: 'low',
    description: 'Leave out findings below this severity: critical, high, medium, low, info.',
  },
  {
    name: 'min-confidence',
    default: 'likely',
    description:
      'Post only findings at least this sure: certain, likely, possible. Less sure ones stay in the results file and the job summary.',
  },
  {
    name: 'verify',
    default: '',
    description:
      'Collect: check findings at or above medium in a second batch (whole file, finding, evidence: keep or drop) before publishing them: true or false; empty = on for security-scan, off for code-review.',
  },
  {
    name: 'fail-on-severity',
    default: 'none',
    description:
      'Fail the collect (or run) step, after everything is published, when a published finding is at or above this severity: none, critical, high, medium, low.',
  },
  {
    name: 'max-findings',
    default: '50',
    description:
      'Most findings shown in one issue, worst first; the rest are summarised by severity and file (all are in the results artifact). 0 = no cap.',
  },
  { name: 'max-retries', default: '2', description: 'Resubmissions of errored (retryable) and expired requests.' },
  {
    name: 'min-first-pass-rate',
    default: '90',
    description:
      'Percent of requests that must succeed on their first try; below it the run report warns, naming the commonest failure. 0 = never warn.',
  },
  {
    name: 'notify-url',
    default: '',
    description:
      'A Slack-compatible incoming webhook (https) that gets one short message per published round: counts by severity, cost, link. Secret: pass it from a secret; it is masked and never logged.',
  },
  { name: 'state-name', default: 'overnight-state', description: 'Name prefix of the state artifacts.' },
  { name: 'retention-days', default: '7', description: 'Days the state artifact is kept (a batch must be collected before).' },
  {
    name: 'sarif-path',
    default: 'overnight.sarif',
    description: 'Where the SARIF file is written (security-scan always; code-review when report has sarif).',
  },
  {
    name: 'github-token',
    default: '${{ github.token }}',
    description: 'Token for issues, comments, reviews, pull requests, code scanning and artifacts.',
    actionOnly: true,
  },
  {
    name: 'dry-run',
    default: 'false',
    description: 'Plan and estimate only: no paid call, no state, no GitHub write but the job summary.',
  },
];

interface BaseConfig {
  mode: Mode;
  /** null: collect every task. */
  task: TaskName | null;
  apiKey: string;
  baseUrl: string;
  model: string | null;
  maxOutputTokens: number | null;
  since: string;
  include: string[];
  exclude: string[];
  maxFiles: number;
  maxFileBytes: number;
  contextFiles: string[];
  instructions: string;
  maxCostUsd: number;
  /** Budgets priced at max_tokens of output, not the expected output. */
  budgetStrict: boolean;
  /** 0: no monthly budget. */
  monthlyBudgetUsd: number;
  /** null: no deadline. */
  deliverBy: DeliverBy | null;
  /** Parsed here, so that a bad value is one usage line before anything runs (submit, collect and run alike). */
  priceOverrides: Record<string, ModelPrice>;
  syncThreshold: number;
  waitMinutes: number;
  batchId: string | null;
  /** null: the task's default reports. */
  report: ReportTarget[] | null;
  issueLabels: string[];
  minSeverity: Severity;
  minConfidence: Confidence;
  /** The verification pass: true, false, or null for the task's default (on for security-scan only). */
  verify: boolean | null;
  /** null: never fail the step on findings. */
  failOnSeverity: Exclude<Severity, 'info'> | null;
  /** Findings shown per issue report, worst first; 0 = all. */
  maxFindings: number;
  maxRetries: number;
  /** 0..1: the first-pass success rate under which the run report warns. */
  minFirstPassRate: number;
  /** The webhook a published round is announced to (a secret); null: none. */
  notifyUrl: string | null;
  stateName: string;
  retentionDays: number;
  sarifPath: string;
  githubToken: string;
  dryRun: boolean;
}

export type Config = BaseConfig & ProviderConfig;

/** Splits a comma/newline list, trimming blanks. */
export function splitList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${name}: unknown value '${value}'; use one of ${allowed.join(', ')}`);
}

function wholeNumber(name: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new UsageError(`${name}: '${value}' is not a whole number; give a number from ${min} to ${max}`);
  }
  const n = Number(value.trim());
  if (n < min || n > max) throw new UsageError(`${name}: ${n} is out of range; give a number from ${min} to ${max}`);
  return n;
}

function amount(name: string, value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`${name}: '${value}' is not an amount in USD; give 0 (no budget) or a positive number like 2.50`);
  }
  return n;
}

/** "90", "90%" or "99.5" → 0.9 / 0.995. */
function percentage(name: string, value: string): number {
  const text = value.trim().replace(/%$/, '');
  const n = Number(text);
  if (text === '' || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new UsageError(`${name}: '${value}' is not a percentage; give a number from 0 to 100 like 90`);
  }
  return n / 100;
}

function bool(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(v)) return true;
  if (['false', 'no', '0', 'off', ''].includes(v)) return false;
  throw new UsageError(`${name}: '${value}' is not true or false`);
}

function checkGlobs(name: string, globs: string[]): string[] {
  for (const glob of globs) {
    let depth = 0;
    for (const ch of glob) {
      if (ch === '{' || ch === '[') depth++;
      if (ch === '}' || ch === ']') depth--;
      if (depth < 0) break;
    }
    if (depth !== 0) throw new UsageError(`${name}: the glob '${glob}' has unbalanced brackets or braces`);
  }
  return globs;
}

/**
 * Reads raw input strings (action inputs or CLI flags, by input name) into a Config. Missing names
 * take the table's default; every problem is a UsageError with one line naming the input.
 */
export function parseConfig(raw: Record<string, string | undefined>, env: NodeJS.ProcessEnv = process.env): Config {
  // Every input is checked, and every problem named: one line each, all at once, so a workflow with
  // three typos is fixed in one round, not three.
  const problems: string[] = [];
  const checked = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(error.message);
      return fallback;
    }
  };
  const known = new Set(INPUTS.map((i) => i.name));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) problems.push(`unknown option '${key}'; see --help for the options`);
  }
  const get = (name: string): string => {
    const spec = INPUTS.find((i) => i.name === name)!;
    const value = raw[name];
    if (value === undefined || value === '') return spec.default.startsWith('${{') ? '' : spec.default;
    return value;
  };
  const mode = checked(() => oneOf('mode', get('mode').trim(), MODES), 'submit');
  // An explicitly empty task means every task for collect (`overnight collect`); get() would put the
  // default (code-review) in its place and leave the other tasks' submissions uncollected.
  const taskText = mode === 'collect' && raw.task !== undefined && raw.task.trim() === '' ? '' : get('task').trim();
  const task = checked(
    () => ((taskText === '' || taskText === 'all') && mode === 'collect' ? null : oneOf('task', taskText, TASK_NAMES)),
    null,
  );
  const reportText = get('report').trim();
  const report = checked(() => (reportText ? splitList(reportText).map((t) => oneOf('report', t, REPORT_TARGETS)) : null), null);
  const maxOutput = get('max-output-tokens').trim();
  const batchId = get('batch-id').trim();
  checked(() => {
    if (batchId && !/^msgbatch_[A-Za-z0-9_-]+$/.test(batchId)) {
      throw new UsageError(`batch-id: '${batchId}' is not a batch id; it looks like msgbatch_…`);
    }
  }, undefined);
  const since = get('since').trim();
  if (!since) problems.push('since: empty; use 24h, 7d, last, a commit SHA or a ref');
  const config: Config = {
    mode,
    task,
    apiKey: (get('anthropic-api-key') || env.ANTHROPIC_API_KEY || '').trim(),
    baseUrl: (get('anthropic-base-url') || env.ANTHROPIC_BASE_URL || '').trim(),
    model: get('model').trim() || null,
    maxOutputTokens: checked(() => (maxOutput ? wholeNumber('max-output-tokens', maxOutput, 1, 128_000) : null), null),
    since,
    include: checked(() => checkGlobs('include', splitList(get('include'))), []),
    exclude: checked(() => checkGlobs('exclude', splitList(get('exclude'))), []),
    maxFiles: checked(() => wholeNumber('max-files', get('max-files'), 1, 100_000), 0),
    maxFileBytes: checked(() => wholeNumber('max-file-bytes', get('max-file-bytes'), 1), 0),
    contextFiles: checked(() => checkGlobs('context-files', splitList(get('context-files'))), []),
    instructions: get('instructions'),
    maxCostUsd: checked(() => amount('max-cost-usd', get('max-cost-usd')), 0),
    budgetStrict: checked(() => bool('budget-strict', get('budget-strict')), false),
    monthlyBudgetUsd: checked(() => amount('monthly-budget-usd', get('monthly-budget-usd')), 0),
    deliverBy: checked(() => parseDeliverBy(get('deliver-by')), null),
    priceOverrides: checked(() => {
      try {
        return parsePriceOverrides(get('price-overrides'));
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }, {}),
    syncThreshold: checked(() => wholeNumber('sync-threshold', get('sync-threshold'), 0, 100_000), 0),
    waitMinutes: checked(() => wholeNumber('wait-minutes', get('wait-minutes'), 0, 24 * 60), 0),
    batchId: batchId || null,
    report,
    issueLabels: checked(() => {
      const labels = splitList(get('issue-labels'));
      // GitHub refuses a label name over 50 characters: say so now, not after a paid batch.
      for (const label of labels) {
        if (label.length > 50)
          throw new UsageError(`issue-labels: '${label.slice(0, 50)}…' is longer than GitHub's 50 characters for a label`);
      }
      return labels;
    }, []),
    minSeverity: checked(() => oneOf('min-severity', get('min-severity').trim(), SEVERITIES), 'low'),
    minConfidence: checked(() => oneOf('min-confidence', get('min-confidence').trim(), CONFIDENCES), 'likely'),
    verify: checked(() => (get('verify').trim() === '' ? null : bool('verify', get('verify'))), null),
    failOnSeverity: checked(() => {
      const level = oneOf('fail-on-severity', get('fail-on-severity').trim(), [
        'none',
        'critical',
        'high',
        'medium',
        'low',
      ] as const);
      return level === 'none' ? null : level;
    }, null),
    maxFindings: checked(() => wholeNumber('max-findings', get('max-findings'), 0, 100_000), 0),
    maxRetries: checked(() => wholeNumber('max-retries', get('max-retries'), 0, 10), 0),
    minFirstPassRate: checked(() => percentage('min-first-pass-rate', get('min-first-pass-rate')), 0.9),
    notifyUrl: checked(() => checkNotifyUrl(get('notify-url') || env.OVERNIGHT_NOTIFY_URL || ''), null),
    stateName: checked(() => {
      const name = get('state-name').trim();
      if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) {
        throw new UsageError(`state-name: '${name}' may hold only letters, digits, '.', '_' and '-'`);
      }
      return name;
    }, ''),
    retentionDays: checked(() => wholeNumber('retention-days', get('retention-days'), 1, 90), 0),
    sarifPath: get('sarif-path').trim(),
    githubToken: (raw['github-token'] || env.GITHUB_TOKEN || '').trim(),
    dryRun: checked(() => bool('dry-run', get('dry-run')), false),
    ...parseProviderConfig(get, env, problems),
  };
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return config;
}
