// The versioned document submit saves and collect reads (PRODUCT.md "State").
import type { LineRange, PullRequestInfo, RequestRecord, TaskName } from '../types.js';
import type { TextBlockParam } from '@anthropic-ai/sdk/resources/messages/messages';
import type { CostEstimate } from '../cost/types.js';
import type { CollectedResults } from '../reports/reporter.js';
import type { NightBudget } from '../cost/budget.js';
import type { ProviderName } from '../providers/types.js';

export const STATE_VERSION = 1;

export interface BatchRecord {
  id: string;
  requestCount: number;
  /** 0 for the first submission, n for the n-th resubmission round. */
  attempt: number;
  submittedAt: string;
  /** Last processing_status seen. */
  status: 'in_progress' | 'canceling' | 'ended' | 'unknown';
  endedAt: string | null;
  /** Results of this batch have been streamed and saved. */
  resultsSaved: boolean;
  /** A batch of the verification pass (engine/verify-round.ts), not of the task's own requests. */
  verify?: boolean;
  /**
   * Not a batch: requests answered through the interactive API at the deadline (engine/deadline.ts),
   * and the batches that held them, canceled because all they still had to do is answered here.
   */
  interactive?: { cancel: string[] };
}

/**
 * A batch of the night's own requests as first sent: not a resubmission (attempt > 0), not a
 * verification round (verify-round.ts), not a deadline fallback's pseudo-batch (deadline.ts). The one
 * rule for what the first pass, the planned units and the night's request count are made of.
 */
export const isFirstPassBatch = (batch: Pick<BatchRecord, 'attempt' | 'verify' | 'interactive'>): boolean =>
  batch.attempt === 0 && batch.verify !== true && batch.interactive === undefined;

/**
 * A verification pass under way (engine/verify-round.ts): the first answers, collected and held back
 * until their findings are checked, and the requests checking them. Saved BEFORE its batch is
 * created (startedAt, no batchIds): a collect killed between the create and the save leaves this, and
 * the next one adopts the batch made since startedAt instead of paying for a second.
 */
export interface VerificationRecord {
  /** The round of the first answers (their results.jsonl was saved under it). */
  roundKey: string;
  startedAt: string;
  /** The first answers as collected; published, with what verification decided, by the next collect. */
  results: Omit<CollectedResults, 'resultsPath'>;
  /** Verification custom_id → the file and the indexes in results.findings it checks. */
  requests: Record<string, { path: string; findings: number[]; batchId?: string }>;
  /** The verification batches; empty until created. */
  batchIds: string[];
  estimatedUsd: number;
}

export interface RunState {
  version: typeof STATE_VERSION;
  tool: 'overnight';
  task: TaskName;
  model: string;
  maxOutputTokens: number;
  /** owner/name, or the directory name for a local run. */
  repository: string;
  serverUrl: string;
  headSha: string;
  baseSha: string | null;
  ref: string | null;
  pullRequest: PullRequestInfo | null;
  /** Event that triggered the submit (schedule, pull_request, cli, ...). */
  event: string;
  window: string;
  createdAt: string;
  /** The run (action) or process (CLI) that submitted. */
  submittedBy: string;
  batches: BatchRecord[];
  /** The batch service holding the batches (src/providers); absent in older states = anthropic. */
  provider?: ProviderName;
  requests: Record<string, RequestRecord>;
  estimate: CostEstimate;
  /** Set once every batch ended, results were saved and reports were published. */
  collectedAt: string | null;
  /** Where each round's reports went (`<round>:<target>` → URL or note), for the job summary's links.
   * Exactly-once does not rest on this record but on the markers every post carries on GitHub. */
  published: Record<string, string>;
  /** The shared system prefix every request was sent with (to rebuild resubmitted requests exactly). */
  systemPrefix: TextBlockParam[];
  /** Number of secret-looking strings redacted before sending. */
  redactions: number;
  /**
   * sha256 of each reviewed file in which submit found nothing to redact. Collect reads files back
   * from git and must see them as they were sent: a file whose hash is listed was sent as it is, so
   * it is not scanned again (the scan was most of a collect's time). Absent in older states and in
   * states rebuilt from a batch: every file is scanned.
   */
  cleanHashes?: string[];
  skipped: { path: string; reason: string }[];
  /** A verification pass whose findings are not yet published (absent when none is under way). */
  verification?: VerificationRecord;
  /** max-cost-usd, budget-strict and deliver-by as submitted, and what the night committed (cost/budget.ts). */
  budget?: NightBudget;
}

export type { LineRange };
