// What the engine needs from the outside world. The action, the CLI and the tests each build one of
// these; the engine never reads process.env or @actions/core itself.
import type { BatchClient, BatchLimits } from '../batch/client.js';
import type { GitHubContext } from '../github/context.js';
import type { BatchProvider } from '../providers/types.js';
import type { StateStore } from '../state/store.js';
import type { LedgerStore } from '../state/ledger.js';
import type { Logger, PullRequestInfo } from '../types.js';

export interface RunContext {
  /** GitHub event name (schedule, pull_request, workflow_dispatch, push) or 'cli'. */
  event: string;
  /** owner/name, or the directory name for a local run. */
  repository: string;
  serverUrl: string;
  /** Root of the checked-out repository. */
  cwd: string;
  pullRequest: PullRequestInfo | null;
  /** Full ref of the run (refs/heads/main); null when unknown. */
  ref: string | null;
  /** Who submits: "run 1234" or "cli pid 42". */
  runLabel: string;
  /** Where reports, results and patches are written. */
  outputDir: string;
  /** The workflow run's page (the action); what a check run links to when no report has a URL. */
  runUrl?: string;
}

export interface EngineDeps {
  log: Logger;
  now: () => Date;
  /** Builds the Anthropic client; throws a ConfigError when no key is configured. */
  anthropic: () => BatchClient;
  /**
   * The batch service when it is not Anthropic's API (provider: bedrock); absent = Anthropic through
   * `anthropic`. Built from the config by the action and the CLI (src/providers/index.ts).
   */
  provider?: () => Promise<BatchProvider>;
  store: StateStore;
  /** Where each month's spending is kept (monthly-budget-usd); none: months are not tracked. */
  ledger?: LedgerStore;
  github: GitHubContext | null;
  context: RunContext;
  setOutput: (name: string, value: string | number) => void;
  /**
   * Adds the submit's full plan to the job summary (the action) or writes it, fresh, to a plan file
   * (the CLI). Returns where it went (a path, "the job summary"), which the printed plan names.
   */
  jobSummary: (markdown: string) => Promise<string | void>;
  /**
   * What a long step is doing now ("gathering the changed files"), for a person at a terminal: the
   * CLI shows it on a TTY only; the action and logs leave it out (their lines say what was done).
   */
  progress?: (stage: string) => void;
  /** Polling schedule while waiting for a batch. */
  pollIntervalMs?: { first: number; max: number };
  /** Per-batch limits submit splits at; default BATCH_LIMITS (the API's). Tests lower them. */
  batchLimits?: BatchLimits;
}

export type RunStatus = 'submitted' | 'pending' | 'collected' | 'nothing-to-do' | 'dry-run';
