// What every report target provides. main/engine pick reporters by name from `report`; each one
// turns the collected results into one kind of output and says where it went.
import type { Finding, GeneratedFile, Logger, RefactorVerdict, ReportTarget, TaskName } from '../types.js';
import type { RunState } from '../state/state.js';
import type { GitHubContext } from '../github/context.js';
import type { UsageSummary } from '../cost/types.js';
import type { NoiseOptions } from '../decisions/index.js';

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
}

export interface ReportResult {
  target: ReportTarget;
  /** Where it went: an issue/PR URL, a file path. */
  url?: string;
  path?: string;
  /** One line for the summary: what was done, or why nothing was. */
  note: string;
  /** Set when publishing failed (the note says why): the job fails, and a collect's round stays open. */
  failed?: true;
}

export interface Reporter {
  target: ReportTarget;
  publish(context: ReportContext): Promise<ReportResult>;
}
