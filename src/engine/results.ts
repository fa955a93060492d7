// Where a collect round's outcomes go: one JSONL line per request written as it arrives (so 100,000
// results never sit in memory), and a running aggregate of what the reports need.
import { ChunkedFileWriter } from '../io/lines.js';
import type { CollectedResults, FailedItem, RoundAccounting } from '../reports/reporter.js';
import { sumUsage, UsageAccumulator } from '../cost/usage.js';
import type { ModelPrice } from '../cost/types.js';
import { meetsSeverity } from '../reports/group.js';
import {
  CONFIDENCES,
  type Confidence,
  type Finding,
  type RequestOutcome,
  type RequestRecord,
  type Severity,
  type TaskName,
} from '../types.js';

/**
 * Findings kept in memory for the reports, the most severe first. Reports show far fewer (an issue
 * shows max-findings, GitHub reads at most 5,000 SARIF results a run); the rest stay in results.jsonl,
 * so a night of 100,000 results collects in bounded memory.
 */
export const MAX_FINDINGS_KEPT = 5000;

/** Findings under min-confidence listed in the job summary's tail; the rest are counted (all are in results.jsonl). */
export const MAX_HELD_BACK = 50;

/** Units answered with no output named in a report (the rest are counted; results.jsonl has them all). */
export const MAX_NO_OUTPUT_LISTED = 200;

/**
 * The kind of a failed answer, for counting ("the commonest failure"): an error by its API error type,
 * a malformed answer by what was wrong with it in general terms (not the model's words).
 */
export function failureKind(outcome: Extract<RequestOutcome, { reason: string }>): string {
  if (outcome.status === 'errored') {
    const type = /^([a-z_]+):/.exec(outcome.reason)?.[1];
    return type ? `errored: ${type}` : 'errored';
  }
  if (outcome.status !== 'malformed') return outcome.status;
  if (outcome.reason.startsWith('answer cut off')) return 'cut off at max-output-tokens';
  if (outcome.reason.startsWith('the model declined')) return 'refused by the model';
  return 'malformed answer';
}

/** The accounting of several rounds published as one (a night's submissions merged into one report). */
export function mergeAccounting(parts: readonly (RoundAccounting | undefined)[]): RoundAccounting | undefined {
  const present = parts.filter((part): part is RoundAccounting => part !== undefined);
  if (present.length === 0 || present.length < parts.length) return undefined;
  const failureKinds: Record<string, number> = {};
  for (const part of present)
    for (const [kind, n] of Object.entries(part.failureKinds)) failureKinds[kind] = (failureKinds[kind] ?? 0) + n;
  return {
    withOutput: present.reduce((n, part) => n + part.withOutput, 0),
    withNone: present.reduce((n, part) => n + part.withNone, 0),
    noOutput: present.reduce((n, part) => n + part.noOutput, 0),
    noOutputUnits: present.flatMap((part) => part.noOutputUnits).slice(0, MAX_NO_OUTPUT_LISTED),
    failureKinds,
    retryUsage: sumUsage(present.map((part) => part.retryUsage)),
    failedUsage: sumUsage(present.map((part) => part.failedUsage)),
  };
}

/** What a finding must reach to be posted: min-severity and min-confidence. */
export interface PostingBar {
  severity: Severity;
  confidence: Confidence;
}

/**
 * Whether a finding is at least as sure as `min`. A finding without a confidence (a refactor
 * verdict's, or one from before confidences) is not held back by it.
 */
export function meetsConfidence(finding: Pick<Finding, 'confidence'>, min: Confidence): boolean {
  return finding.confidence === undefined || CONFIDENCES.indexOf(finding.confidence) <= CONFIDENCES.indexOf(min);
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export class ResultsWriter {
  private file: ChunkedFileWriter | null = null;
  private readonly usage: UsageAccumulator;
  private readonly retryUsage: UsageAccumulator;
  private readonly failedUsage: UsageAccumulator;
  private readonly accounting: RoundAccounting;
  /**
   * Once the cap is full, the rank of the least severe finding kept: a later finding of that
   * severity or lower can never be kept (earlier ones win within a severity), so it is counted at
   * once instead of being held until the next trim (over a large night, most findings are these).
   */
  private cutoffRank = Number.POSITIVE_INFINITY;
  readonly results: CollectedResults;

  constructor(
    readonly path: string,
    task: TaskName,
    private readonly minimum: PostingBar,
    priceOverrides: Record<string, ModelPrice>,
    private readonly batchRate: boolean,
    private readonly maxFindings: number = MAX_FINDINGS_KEPT,
  ) {
    this.usage = new UsageAccumulator(priceOverrides);
    this.retryUsage = new UsageAccumulator(priceOverrides);
    this.failedUsage = new UsageAccumulator(priceOverrides);
    this.accounting = {
      withOutput: 0,
      withNone: 0,
      noOutput: 0,
      noOutputUnits: [],
      failureKinds: {},
      retryUsage: this.retryUsage.summary(),
      failedUsage: this.failedUsage.summary(),
    };
    this.results = {
      task,
      findings: [],
      files: [],
      verdicts: [],
      failures: [],
      succeeded: 0,
      received: 0,
      resubmitted: 0,
      duplicatesSkipped: 0,
      belowSeverity: 0,
      usage: this.usage.summary(),
      batchIds: [],
      resultsPath: path,
    };
  }

  private async write(line: string): Promise<void> {
    // Chunked synchronous writes (io/lines.ts): a write stream would hold every line until the
    // thread pool wrote it, long enough for 100,000 lines to pile up as old-generation garbage.
    this.file ??= await ChunkedFileWriter.create(this.path);
    this.file.write(line);
  }

  /**
   * Records one outcome; `final` false for a failure that is being resubmitted. `batchRate`: billed at
   * batch rates (default: the writer's); false for a request answered interactively (the deadline fallback).
   */
  async add(outcome: RequestOutcome, record: RequestRecord, final: boolean, batchRate = this.batchRate): Promise<void> {
    const r = this.results;
    r.received += 1;
    if (outcome.usage && outcome.model) {
      const rate = { batch: batchRate };
      this.usage.add(outcome.usage, outcome.model, rate);
      if (record.attempt > 0) this.retryUsage.add(outcome.usage, outcome.model, rate);
      if (outcome.status !== 'succeeded') this.failedUsage.add(outcome.usage, outcome.model, rate);
    }
    this.count(outcome, record);
    // The line is composed as text, not as a spread copy of the outcome: V8 may pretenure such a
    // per-result object literal into the old generation, and a dead old copy keeps everything it
    // points to (the answer, its findings) alive through scavenges until a full GC — ~90 MB of old
    // generation growth over 100,000 results (bench: BENCH_HEAP_PROFILE).
    const outcomeJson = JSON.stringify(outcome);
    await this.write(
      `${outcomeJson.slice(0, -1)},"paths":${JSON.stringify(record.paths)},"attempt":${record.attempt},"final":${final}}\n`,
    );
    // What finally failed is sent again by the next `since: last` submit; a later success clears it.
    if (final) record.failed = outcome.status !== 'succeeded';
    if (outcome.status === 'succeeded') {
      r.succeeded += 1;
      if (outcome.redactions) r.answerRedactions = (r.answerRedactions ?? 0) + outcome.redactions;
      const output = outcome.output;
      if (output.kind === 'findings') {
        for (const f of output.findings) {
          if (!meetsSeverity(f, this.minimum.severity)) r.belowSeverity += 1;
          else if (!meetsConfidence(f, this.minimum.confidence)) this.holdBack(f);
          else if (SEVERITY_RANK[f.severity] >= this.cutoffRank) r.findingsNotKept = (r.findingsNotKept ?? 0) + 1;
          else r.findings.push(f);
        }
        if (output.moved) r.moved = (r.moved ?? 0) + output.moved;
        if (output.mislocated) r.mislocated = (r.mislocated ?? 0) + output.mislocated;
        if (r.findings.length > 2 * this.maxFindings) this.trimFindings();
      } else if (output.kind === 'files') {
        r.files.push(...output.files);
      } else {
        r.verdicts.push(...output.verdicts);
      }
      return;
    }
    if (!final) {
      r.resubmitted += 1;
      return;
    }
    const failure: FailedItem = {
      customId: outcome.customId,
      paths: record.paths,
      status: outcome.status,
      reason: outcome.reason,
    };
    r.failures.push(failure);
  }

  /** The fate of one answer, for the run report's expected-against-actual accounting. */
  private count(outcome: RequestOutcome, record: RequestRecord): void {
    const a = this.accounting;
    if (outcome.status !== 'succeeded') {
      const kind = failureKind(outcome);
      a.failureKinds[kind] = (a.failureKinds[kind] ?? 0) + 1;
      return;
    }
    const output = outcome.output;
    const produced =
      output.kind === 'findings'
        ? output.findings.length
        : output.kind === 'files'
          ? output.files.length
          : output.verdicts.length;
    if (produced > 0) a.withOutput += 1;
    else if (output.kind === 'findings') a.withNone += 1;
    else {
      a.noOutput += 1;
      if (a.noOutputUnits.length < MAX_NO_OUTPUT_LISTED) {
        a.noOutputUnits.push({ customId: outcome.customId, paths: record.paths, summary: output.summary.slice(0, 500) });
      }
    }
  }

  /** A finding under min-confidence: counted, and the first MAX_HELD_BACK kept for the summary's tail. */
  private holdBack(finding: Finding): void {
    const r = this.results;
    r.belowConfidenceCount = (r.belowConfidenceCount ?? 0) + 1;
    r.belowConfidence ??= [];
    if (r.belowConfidence.length < MAX_HELD_BACK) r.belowConfidence.push(finding);
  }

  /** Keeps the most severe findings (stable within a severity), counting the ones let go. */
  private trimFindings(): void {
    const r = this.results;
    if (r.findings.length <= this.maxFindings) return;
    const sorted = r.findings
      .map((finding, index) => ({ finding, index }))
      .sort((a, b) => SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] || a.index - b.index);
    r.findingsNotKept = (r.findingsNotKept ?? 0) + sorted.length - this.maxFindings;
    r.findings = sorted.slice(0, this.maxFindings).map((s) => s.finding);
    const last = r.findings.at(-1);
    this.cutoffRank = last ? SEVERITY_RANK[last.severity] : Number.NEGATIVE_INFINITY;
  }

  async close(): Promise<CollectedResults> {
    this.trimFindings();
    // An empty round still leaves its (empty) results file.
    this.file ??= await ChunkedFileWriter.create(this.path);
    this.file.close();
    this.results.usage = this.usage.summary();
    this.results.accounting = {
      ...this.accounting,
      retryUsage: this.retryUsage.summary(),
      failedUsage: this.failedUsage.summary(),
    };
    return this.results;
  }
}
