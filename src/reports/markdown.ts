// The readable report (report.md for the CLI; issue bodies and the job summary reuse its parts) and the
// machine-readable results document (results.json). The report is built as a list of blocks so that a
// target with a size limit (an issue body) can cut between blocks, never inside one, and knows which
// findings went where (fingerprints) and which heading to repeat on the continuation.
import { budgetLines } from './budget-lines.js';
import type { Finding } from '../types.js';
import type { ReportContext } from './reporter.js';
import { countBySeverity, groupBySeverityThenFile, permalink, SEVERITY_LABEL, sortFindings } from './group.js';
import { formatUsd } from '../cost/usage.js';
import { codeSpan, sanitizeInline } from './sanitize.js';
import { findingListItem, sortVerdicts, verdictRow, VERDICT_TABLE_HEADER } from './findings.js';
import {
  formatCount,
  isoDate,
  plural,
  repositoryOf,
  sanitizeOptionsFor,
  severityBreakdown,
  taskTitle,
  type RepositoryRef,
} from './format.js';
import { writesFiles } from '../tasks/paths.js';
import { skippedBlocks, skippedOf, type SkippedListOptions } from './skipped.js';
import { findingRefMarker } from '../decisions/index.js';
import { runReportBlocks, runReportCompact } from './run-report-render.js';
import { isFirstPassBatch } from '../state/state.js';

export const RESULTS_JSON_VERSION = 1;

export interface ReportLink {
  label: string;
  url: string;
}

export interface MarkdownOptions {
  /** Start with a `#` title line (report.md); issues have their own title. */
  includeTitle?: boolean;
  /** Issues / PRs published earlier in the same collect. */
  links?: ReportLink[];
  /** Findings to render instead of context.results.findings (the issue reporter leaves duplicates out). */
  findings?: Finding[];
  /** Extra line(s) for the summary paragraph (e.g. "3 findings already reported in #12"). */
  notes?: string[];
  /** Where the complete results are, said in the footer (default: the local results path). */
  resultsLocation?: string;
  /** A hidden marker per finding (fingerprint, path, category, line count): issues, read back to tell what got resolved. */
  findingMarkers?: boolean;
  /** Blocks placed right after the findings (the issue's overflow summary and resolved list). */
  afterFindings?: ReportBlock[];
  /** How the skipped files are listed (a size-limited target lists up to a number and says where the rest are). */
  skipped?: SkippedListOptions;
  /** The run report's sections in full (report.md, the job summary; default) or as a paragraph (the issue). */
  runReport?: 'full' | 'compact';
}

export interface ReportBlock {
  text: string;
  /** Fingerprints of the findings this block reports. */
  fingerprints: string[];
  /** Joined to the previous block with one newline instead of a blank line (table rows). */
  tight?: boolean;
  /** Repeated before this block when it starts a continuation (heading, table header). */
  continuation?: string;
  /** A heading (or table header): never left as the last block of a part. */
  heading?: boolean;
}

/** One line on what the answers cost and saved. */
export function usageLine(context: ReportContext): string {
  const usage = context.results.usage;
  const parts = [
    `Cost ${formatUsd(usage.costUsd)}`,
    `saved ${formatUsd(usage.savingsUsd)} against ${formatUsd(usage.interactiveUsd)} interactive`,
    `cache hit rate ${Math.round(usage.cacheHitRate * 100)}%`,
    `${formatCount(usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens)} input / ${formatCount(usage.outputTokens)} output tokens`,
    `${plural(usage.requests, 'request')} (${context.state.model})`,
  ];
  return parts.join(' · ');
}

/** The title every report of a round shares: `overnight <task>: <N> findings (<YYYY-MM-DD>)`. */
export function reportTitle(context: ReportContext, findingCount = context.results.findings.length): string {
  return `overnight ${context.results.task}: ${plural(findingCount, 'finding')} (${isoDate(context.state.createdAt)})`;
}

function inlinePath(path: string): string {
  return codeSpan(path);
}

function findingBlock(finding: Finding, context: ReportContext, repository: RepositoryRef | null, withMarker = false): string {
  const link = repository
    ? permalink(
        repository.serverUrl,
        repository.owner,
        repository.repo,
        context.state.headSha,
        finding.path,
        finding.startLine,
        finding.endLine,
      )
    : null;
  return findingListItem(finding, link, sanitizeOptionsFor(context), withMarker ? findingRefMarker(finding) : '');
}

/** Findings grouped by severity, then file: one block per finding, headings as their own blocks. */
export function findingBlocks(findings: Finding[], context: ReportContext, headingLevel = 2, withMarkers = false): ReportBlock[] {
  if (findings.length === 0) return [];
  const repository = repositoryOf(context);
  const h = '#'.repeat(headingLevel);
  const blocks: ReportBlock[] = [{ text: `${h} Findings`, fingerprints: [], heading: true }];
  for (const [severity, byFile] of groupBySeverityThenFile(findings)) {
    const count = [...byFile.values()].reduce((sum, list) => sum + list.length, 0);
    const severityHeading = `${h}# ${SEVERITY_LABEL[severity]} (${count})`;
    blocks.push({ text: severityHeading, fingerprints: [], heading: true });
    for (const [path, list] of byFile) {
      const fileHeading = `**${inlinePath(path)}**`;
      blocks.push({
        text: fileHeading,
        fingerprints: [],
        heading: true,
        continuation: `${h}# ${SEVERITY_LABEL[severity]} (continued)`,
      });
      for (const finding of list) {
        blocks.push({
          text: findingBlock(finding, context, repository, withMarkers),
          fingerprints: [finding.fingerprint],
          continuation: `${h}# ${SEVERITY_LABEL[severity]} (continued)\n\n${fileHeading}`,
        });
      }
    }
  }
  return blocks;
}

function generatedFileBlocks(context: ReportContext, headingLevel: number): ReportBlock[] {
  const files = context.results.files;
  if (files.length === 0) return [];
  const sanitize = sanitizeOptionsFor(context);
  const h = '#'.repeat(headingLevel);
  const heading = `${h} Generated files (${files.length})`;
  const blocks: ReportBlock[] = [{ text: heading, fingerprints: [], heading: true }];
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const lines = file.content.length === 0 ? 0 : file.content.split('\n').length;
    const description = sanitizeInline(file.description, { ...sanitize, maxLength: 300 });
    // The normaliser's verdict, which the pull request and the patch act on: a refused path is never written.
    const what =
      file.refused === null
        ? `(${plural(lines, 'line')})${description ? `: ${description}` : ''}`
        : `**refused**, not written: ${sanitizeInline(file.refused, { ...sanitize, maxLength: 300 })}`;
    blocks.push({
      text: `- ${inlinePath(file.path)} for ${inlinePath(file.sourcePath)} ${what}`,
      fingerprints: [],
      tight: blocks.length > 1,
      continuation: `${h} Generated files (continued)`,
    });
  }
  return blocks;
}

function verdictBlocks(context: ReportContext, headingLevel: number): ReportBlock[] {
  const verdicts = context.results.verdicts;
  if (verdicts.length === 0) return [];
  const sanitize = sanitizeOptionsFor(context);
  const repository = repositoryOf(context);
  const h = '#'.repeat(headingLevel);
  const invalid = verdicts.filter((verdict) => verdict.verdict === 'INVALID').length;
  const tableHeader = VERDICT_TABLE_HEADER;
  const blocks: ReportBlock[] = [
    { text: `${h} Refactor verdicts (${verdicts.length - invalid} valid, ${invalid} invalid)`, fingerprints: [], heading: true },
    { text: tableHeader, fingerprints: [], heading: true },
  ];
  const sorted = sortVerdicts(verdicts);
  for (const verdict of sorted) {
    blocks.push({
      text: verdictRow(verdict, sanitize),
      fingerprints: [],
      tight: true,
      continuation: `${h} Refactor verdicts (continued)\n\n${tableHeader}`,
    });
  }
  const problems = sortFindings(sorted.flatMap((verdict) => verdict.findings));
  if (problems.length > 0) {
    blocks.push({ text: `${h}# Problems found`, fingerprints: [], heading: true });
    for (const problem of problems) {
      blocks.push({
        text: findingBlock(problem, context, repository),
        fingerprints: [problem.fingerprint],
        continuation: `${h}# Problems found (continued)`,
      });
    }
  }
  return blocks;
}

/** Every failed item with its files and reason; a report never drops one silently. */
export function failureBlocks(context: ReportContext, headingLevel = 2): ReportBlock[] {
  const failures = context.results.failures;
  if (failures.length === 0) return [];
  const sanitize = sanitizeOptionsFor(context);
  const h = '#'.repeat(headingLevel);
  const byStatus = new Map<string, number>();
  for (const failure of failures) byStatus.set(failure.status, (byStatus.get(failure.status) ?? 0) + 1);
  const breakdown = [...byStatus].map(([status, n]) => `${n} ${status}`).join(', ');
  const blocks: ReportBlock[] = [
    {
      text: `${h} Failures (${failures.length}: ${breakdown})\n\nThese requests produced no usable answer; their files were not reviewed in this report.`,
      fingerprints: [],
      heading: true,
    },
  ];
  const sorted = [...failures].sort((a, b) => {
    const pathA = a.paths[0] ?? '';
    const pathB = b.paths[0] ?? '';
    return pathA < pathB ? -1 : pathA > pathB ? 1 : a.customId < b.customId ? -1 : 1;
  });
  for (const failure of sorted) {
    const files = failure.paths.length > 0 ? failure.paths.map(inlinePath).join(', ') : '(no file recorded)';
    blocks.push({
      text: `- ${files}: **${failure.status}**: ${sanitizeInline(failure.reason, { ...sanitize, maxLength: 500 }) || 'no reason given'} (request ${inlinePath(failure.customId)})`,
      fingerprints: [],
      tight: blocks.length > 1,
      continuation: `${h} Failures (continued)`,
    });
  }
  return blocks;
}

/**
 * How many of a submission's requests succeeded the first time they were sent, for the round that
 * received that first pass (every first-submission batch is in it); null for a round of retries only.
 * A request failed its first pass when it was resubmitted since (attempt > 0) or failed for good in
 * this round while still at attempt 0.
 */
export function firstPassSuccess(context: ReportContext): { succeeded: number; total: number } | null {
  const { state, results } = context;
  const firstBatches = (state.batches ?? []).filter(isFirstPassBatch);
  if (firstBatches.length === 0) {
    // The interactive run: one pass, nothing resubmitted.
    return results.received > 0 ? { succeeded: results.succeeded, total: results.received } : null;
  }
  if (!firstBatches.every((batch) => results.batchIds.includes(batch.id))) return null;
  const total = firstBatches.reduce((n, batch) => n + batch.requestCount, 0);
  const requests = state.requests ?? {};
  const resubmitted = Object.values(requests).filter((record) => record.attempt > 0).length;
  const failedNow = results.failures.filter((failure) => requests[failure.customId]?.attempt === 0).length;
  return total > 0 ? { succeeded: Math.max(0, total - resubmitted - failedNow), total } : null;
}

/** Summary paragraph: what came back, what was left out and why, what it cost. */
export function summaryBlock(context: ReportContext, findings: Finding[], options: MarkdownOptions = {}): string {
  const results = context.results;
  const state = context.state;
  const lines: string[] = [];
  const what: string[] = [];
  if (results.task === 'code-review' || results.task === 'security-scan' || findings.length > 0) {
    what.push(`**${plural(findings.length, 'finding')}**${findings.length > 0 ? ` (${severityBreakdown(findings)})` : ''}`);
  }
  if (results.files.length > 0 || writesFiles(results.task)) {
    const refused = results.files.filter((file) => file.refused !== null).length;
    what.push(
      `**${plural(results.files.length - refused, 'generated file')}**${refused > 0 ? ` (${formatCount(refused)} refused)` : ''}`,
    );
  }
  if (results.verdicts.length > 0 || results.task === 'refactor-validation') {
    what.push(`**${plural(results.verdicts.length, 'verdict')}**`);
  }
  what.push(
    `${plural(results.received, 'answer')} received, ${formatCount(results.succeeded)} succeeded, ${formatCount(results.failures.length)} failed`,
  );
  lines.push(`${taskTitle(results.task)}: ${what.join(' · ')}.`);
  const reviewed = [`\`${state.headSha.slice(0, 12)}\``];
  // A PR's window already reads "pull request #N (...)": name the PR once.
  if (state.pullRequest && !state.window?.startsWith(`pull request #${state.pullRequest.number}`)) {
    reviewed.push(`pull request #${state.pullRequest.number}`);
  }
  if (state.window) reviewed.push(sanitizeInline(state.window, sanitizeOptionsFor(context)));
  lines.push(
    `Reviewed ${reviewed.join(', ')} of ${inlinePath(state.repository)}; submitted ${isoDate(state.createdAt)}; batches ${results.batchIds.map(inlinePath).join(', ') || 'none'}.`,
  );
  const leftOut: string[] = [];
  if (results.duplicatesSkipped > 0) leftOut.push(`${plural(results.duplicatesSkipped, 'finding')} already reported earlier`);
  if (results.belowSeverity > 0) leftOut.push(`${plural(results.belowSeverity, 'finding')} below the minimum severity`);
  if (results.belowConfidenceCount)
    leftOut.push(
      `${plural(results.belowConfidenceCount, 'finding')} below the minimum confidence (in the results file and the job summary)`,
    );
  if (results.mislocated)
    leftOut.push(`${plural(results.mislocated, 'finding')} whose quoted code is not on the lines sent (mislocated)`);
  const dropped = results.verification?.dropped.length ?? 0;
  if (dropped > 0)
    leftOut.push(
      `${plural(dropped, 'finding')} dropped by the verification pass (with its reason in the results file and the job summary)`,
    );
  if (results.findingsNotKept)
    leftOut.push(
      `${plural(results.findingsNotKept, 'less severe finding')} beyond the ${formatCount(results.findings.length)} kept for reports (all are in the results file)`,
    );
  if (leftOut.length > 0) lines.push(`Left out: ${leftOut.join('; ')}.`);
  const firstPass = firstPassSuccess(context);
  if (firstPass) {
    const percent = Math.floor((firstPass.succeeded / firstPass.total) * 1000) / 10;
    lines.push(
      `First-pass success rate: ${percent}% (${formatCount(firstPass.succeeded)} of ${plural(firstPass.total, 'request')} answered usefully on the first try).`,
    );
  }
  const warning = context.runReport?.retries.warning;
  if (warning) lines.push(`⚠️ ${warning}`);
  if ((state.redactions ?? 0) > 0) {
    lines.push(`${plural(state.redactions, 'secret-looking string')} redacted before sending (the files were still reviewed).`);
  }
  if ((results.answerRedactions ?? 0) > 0) {
    lines.push(
      `${plural(results.answerRedactions!, 'secret-looking string')} in the model's answers redacted before publishing.`,
    );
  }
  if (results.resubmitted > 0) {
    lines.push(
      `${plural(results.resubmitted, 'request')} resubmitted after a retryable failure; their results come with a later collect.`,
    );
  }
  lines.push(...budgetLines(results, state));
  for (const note of options.notes ?? []) lines.push(note);
  lines.push(usageLine(context));
  return lines.join('  \n');
}

function linksBlock(links: ReportLink[] | undefined, headingLevel: number): ReportBlock[] {
  if (!links || links.length === 0) return [];
  const h = '#'.repeat(headingLevel);
  return [
    {
      text: `${h} Published\n\n${links.map((link) => `- [${link.label.replace(/[[\]]/g, '')}](${link.url.replace(/[()\s]/g, encodeURIComponent)})`).join('\n')}`,
      fingerprints: [],
    },
  ];
}

/** The whole report as blocks, in order. */
export function renderReportBlocks(context: ReportContext, options: MarkdownOptions = {}): ReportBlock[] {
  const findings = options.findings ?? context.results.findings;
  const blocks: ReportBlock[] = [];
  if (options.includeTitle) blocks.push({ text: `# ${reportTitle(context, findings.length)}`, fingerprints: [] });
  blocks.push({ text: summaryBlock(context, findings, options), fingerprints: [] });
  blocks.push(...findingBlocks(findings, context, 2, options.findingMarkers ?? false));
  blocks.push(...(options.afterFindings ?? []));
  blocks.push(...generatedFileBlocks(context, 2));
  blocks.push(...verdictBlocks(context, 2));
  blocks.push(...failureBlocks(context, 2));
  blocks.push(...skippedBlocks(skippedOf(context.state), 2, options.skipped));
  if (context.runReport) {
    blocks.push(
      ...(options.runReport === 'compact'
        ? [{ text: runReportCompact(context.runReport), fingerprints: [] }]
        : runReportBlocks(context.runReport, 2, sanitizeOptionsFor(context))),
    );
  }
  blocks.push(...linksBlock(options.links, 2));
  const location = options.resultsLocation ?? (context.results.resultsPath ? inlinePath(context.results.resultsPath) : null);
  if (location) {
    blocks.push({
      text: `<sub>Complete results: ${location}. Generated by overnight from model output; verify before acting on it.</sub>`,
      fingerprints: [],
    });
  }
  return blocks;
}

/** Joins blocks: a blank line between blocks, a single newline before a tight one. */
export function joinBlocks(blocks: ReportBlock[]): string {
  let out = '';
  for (const block of blocks) {
    if (out.length > 0) out += block.tight ? '\n' : '\n\n';
    out += block.text;
  }
  return out;
}

/** The readable report (report.md). */
export function renderMarkdownReport(context: ReportContext, options: MarkdownOptions = {}): string {
  return `${joinBlocks(renderReportBlocks(context, { includeTitle: true, ...options }))}\n`;
}

/** The machine-readable results document (results.json). Model text is data here: consumers must not render it unsanitised. */
export function renderResultsJson(context: ReportContext): string {
  const results = context.results;
  const state = context.state;
  const repository = repositoryOf(context);
  const link = (finding: Finding) =>
    repository
      ? permalink(
          repository.serverUrl,
          repository.owner,
          repository.repo,
          state.headSha,
          finding.path,
          finding.startLine,
          finding.endLine,
        )
      : null;
  const findingJson = (finding: Finding) => ({ ...finding, permalink: link(finding) });
  const document = {
    tool: 'overnight',
    version: RESULTS_JSON_VERSION,
    task: results.task,
    repository: state.repository,
    serverUrl: state.serverUrl,
    headSha: state.headSha,
    baseSha: state.baseSha,
    ref: state.ref,
    pullRequest: state.pullRequest ? state.pullRequest.number : null,
    model: state.model,
    stateId: context.stateId,
    round: context.round,
    batchIds: results.batchIds,
    submittedAt: state.createdAt,
    generatedAt: new Date().toISOString(),
    counts: {
      findings: results.findings.length,
      bySeverity: countBySeverity(results.findings),
      files: results.files.length,
      verdicts: results.verdicts.length,
      failures: results.failures.length,
      received: results.received,
      succeeded: results.succeeded,
      resubmitted: results.resubmitted,
      duplicatesSkipped: results.duplicatesSkipped,
      belowSeverity: results.belowSeverity,
      findingsNotKept: results.findingsNotKept ?? 0,
      belowConfidence: results.belowConfidenceCount ?? 0,
      moved: results.moved ?? 0,
      mislocated: results.mislocated ?? 0,
    },
    belowConfidence: sortFindings(results.belowConfidence ?? []).map(findingJson),
    // The verification pass: its counts and cost, and every finding it dropped with the reason.
    verification: results.verification
      ? {
          ...results.verification,
          dropped: results.verification.dropped.map((d) => ({ ...d, finding: findingJson(d.finding) })),
        }
      : null,
    usage: results.usage,
    // The run report as computed for the Markdown (processing, tokens, cost by category, units, retries).
    runReport: context.runReport ?? null,
    findings: sortFindings(results.findings).map(findingJson),
    files: results.files,
    verdicts: results.verdicts.map((verdict) => ({ ...verdict, findings: sortFindings(verdict.findings).map(findingJson) })),
    failures: results.failures,
    // The deadline fallback and the night's budget (budget-lines.ts says them in the text reports).
    ...(results.deadline ? { deadline: results.deadline } : {}),
    ...(state.budget ? { budget: { ...state.budget, budgetCut: results.budgetCut ?? 0 } } : {}),
    skipped: skippedOf(state),
    resultsPath: results.resultsPath,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
