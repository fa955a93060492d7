// What every report target provides. main/engine pick reporters by name from `report`; each one
// turns the collected results into one kind of output and says where it went.
import type { Finding, GeneratedFile, Logger, RefactorVerdict, ReportTarget, TaskName } from '../types.js';
import type { RunState } from '../state/state.js';
import type { GitHubContext } from '../github/context.js';
import type { UsageSummary } from '../cost/types.js';
import type { NoiseOptions } from '../decisions/index.js';
import type { RunReport } from './run-report.js';

/** A request that did not produce a usable answer, as listed in every report. */
export interface FailedItem {
  customId: string;
  paths: string[];
  status: 'errored' | 'expired' | 'canceled' | 'malformed';
  reason: string;
}

/** Everything one collect round produced for one state, aggregated (findings are few; results were streamed). */
export interface CollectedResults {
  task: TaskName;
  findings: Finding[];
  files: GeneratedFile[];
  verdicts: RefactorVerdict[];
  failures: FailedItem[];
  succeeded: number;
  /** Requests answered in this round (first pass + retries received now). */
  received: number;
  /** Requests resubmitted in this round, still to come. */
  resubmitted: number;
  /** Findings left out because an earlier report already has them (fingerprint match). */
  duplicatesSkipped: number;
  /** Findings under min-severity, left out. */
  belowSeverity: number;
  /**
   * Findings under min-confidence: never posted (issue, review, comment, SARIF), listed at the tail of
   * the job summary and kept in the results file. At most MAX_HELD_BACK are held here.
   */
  belowConfidence?: Finding[];
  /** How many findings were under min-confidence (belowConfidence may hold fewer). */
  belowConfidenceCount?: number;
  /** Findings dropped because their quoted code is not at (or near) the lines they cite. */
  mislocated?: number;
  /** Findings moved to the sent lines their quoted code is on. */
  moved?: number;
  /** Findings beyond what a collect keeps in memory (the least severe): only in the results file. */
  findingsNotKept?: number;
  /** Secret-looking strings replaced in the model's answers (engine/outcome.ts) before publishing. */
  answerRedactions?: number;
  usage: UsageSummary;
  /** How each answered request came out, and what retries and failed answers cost (absent in older results). */
  accounting?: RoundAccounting;
  /** The verification pass of this round (engine/verify-round.ts), when one ran or was skipped. */
  verification?: VerificationSummary;
  batchIds: string[];
  /** Local path of the results JSONL (saved before any report is posted). */
  resultsPath: string;
  /** Failed requests not resubmitted because max-cost-usd or monthly-budget-usd would be passed (listed in failures). */
  budgetCut?: number;
  /** The deadline fallback of this round (engine/deadline.ts), when deliver-by had passed. */
  deadline?: DeadlineFallback;
}

/** Requests still processing at deliver-by, answered through the interactive API instead. */
export interface DeadlineFallback {
  /** deliver-by as given, and the instant it meant. */
  deliverBy: string;
  at: string;
  /** Requests answered interactively (at full price) and what they cost. */
  answered: number;
  costUsd: number;
  /** Batches canceled because everything they still held was answered here. */
  canceled: string[];
  /** Requests left to their batch because the budget had no room for them. */
  leftToBatch: number;
}

/** A unit answered with nothing to publish (no test written, no doc changed, no verdict). */
export interface NoOutputUnit {
  customId: string;
  paths: string[];
  /** The model's own summary of its answer (untrusted text: sanitise before rendering). */
  summary: string;
}

/** The fate of every answered request of a round, for the run report (engine/results.ts counts it). */
export interface RoundAccounting {
  /** Answered with at least one finding, generated file or verdict. */
  withOutput: number;
  /** A findings task answered with no finding. */
  withNone: number;
  /** A file-writing or verdict task answered with nothing: a test-generation unit that wrote no test, a docs unit that changed nothing. */
  noOutput: number;
  /** The first of them (MAX_NO_OUTPUT_LISTED), with the model's summary. */
  noOutputUnits: NoOutputUnit[];
  /** Failed answers by kind ("errored: overloaded_error", "expired", "malformed answer"), resubmitted ones included. */
  failureKinds: Record<string, number>;
  /** Answers to resubmitted requests (attempt > 0) received in this round: what the retries cost. */
  retryUsage: UsageSummary;
  /** Answers billed that gave nothing usable (malformed, cut off, refused). */
  failedUsage: UsageSummary;
}

/** What the verification pass did: findings checked, dropped (with the reason), left unverified, its cost. */
export interface VerificationSummary {
  /** Why no verification ran (budget, nothing at or above medium); absent when one ran. */
  skipped?: string;
  requests: number;
  checked: number;
  kept: number;
  /** Dropped findings: off GitHub, listed in the job summary's tail and results.json with why. */
  dropped: { finding: Finding; reason: string; confidence: string }[];
  /** Findings whose check failed (errored, expired, malformed answer): kept, marked unverified. */
  unverified: number;
  usage: UsageSummary;
}

export interface ReportContext {
  state: RunState;
  /** Stable id of the state being reported (artifact origin or file path hash), used in markers. */
  stateId: string;
  /** Key of this collect round (a short hash of the batch ids whose results it publishes), used in markers:
   * a crashed and re-run collect publishes the same round under the same key, so nothing is posted twice. */
  round: string;
  results: CollectedResults;
  /** Labels for issues (issue-labels input). */
  issueLabels: string[];
  /** Directory where file outputs (Markdown, JSON, SARIF, patches) are written. */
  outputDir: string;
  /** sarif-path input: where the SARIF file goes. */
  sarifPath: string;
  /** null when no token / repository (CLI without GitHub): GitHub targets then report a note. */
  github: GitHubContext | null;
  log: Logger;
  /** What keeps the round quiet (dismissals, issue memory, max-findings); collect always sets it, unit tests may not. */
  noise?: NoiseOptions;
  /** The round's accounting (run-report.ts); collect and run always set it, unit tests may not. */
  runReport?: RunReport;
}

/** A report target, or the pull request's check run (check-run.ts), which every PR round completes whatever `report` says. */
export type ReporterName = ReportTarget | 'check-run';

export interface ReportResult {
  target: ReporterName;
  /** Where it went: an issue/PR URL, a file path. */
  url?: string;
  path?: string;
  /** One line for the summary: what was done, or why nothing was. */
  note: string;
  /** Set when publishing failed (the note says why): the job fails, and a collect's round stays open. */
  failed?: true;
  /** Set when the note is a warning (a permission to grant), logged as such. */
  warn?: true;
}

export interface Reporter {
  target: ReporterName;
  publish(context: ReportContext): Promise<ReportResult>;
}
