// The `summary` target: the job summary of the collect (what came back, counts by severity, batches,
// cost and savings, failures, links to what was published earlier in the same collect), appended to
// the file GITHUB_STEP_SUMMARY names, or written to <outputDir>/summary.md outside Actions. The submit
// side writes its plan (plan.ts). GitHub refuses a step summary over 1 MiB, so what we add is capped to
// the room the file has left.
import { appendFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SEVERITIES } from '../types.js';
import type { ReportContext, ReportResult, Reporter } from './reporter.js';
import { countBySeverity, SEVERITY_LABEL, sortFindings } from './group.js';
import { emitAnnotations, findingAnnotations } from './annotations.js';
import { capBody, codeSpan, sanitizeInline } from './sanitize.js';
import { formatUsd } from '../cost/usage.js';
import { findingBlocks, joinBlocks, renderReportBlocks, summaryBlock, type ReportLink } from './markdown.js';
import { formatCount, plural, sanitizeOptionsFor, severityBreakdown } from './format.js';

/** GitHub's limit for one step's summary, in bytes. */
export const JOB_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Findings rendered into a job summary at most (~1 KB each: about what GitHub's 1 MiB holds). */
export const JOB_SUMMARY_MAX_FINDINGS = 1_000;

/** Skipped files a job summary names; results.json has them all. */
export const JOB_SUMMARY_MAX_SKIPPED = 2_000;

const SUMMARY_NOTICE = '\n\n_Summary truncated to fit GitHub’s 1 MiB limit: the full report is in the results artifact._\n';

/** Caps Markdown to a number of UTF-8 bytes, cutting between lines and closing an open fence. */
export function capBytes(markdown: string, limitBytes: number, notice = SUMMARY_NOTICE): string {
  if (Buffer.byteLength(markdown, 'utf8') <= limitBytes) return markdown;
  if (limitBytes <= Buffer.byteLength(notice, 'utf8')) return '';
  // A UTF-16 unit is at most 3 UTF-8 bytes; shrink until it fits.
  let chars = Math.min(markdown.length, limitBytes);
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const capped = capBody(markdown, chars, notice).body;
    const bytes = Buffer.byteLength(capped, 'utf8');
    if (bytes <= limitBytes) return capped;
    chars = Math.floor(chars * (limitBytes / bytes)) - 64;
  }
  return notice.trim();
}

/** Links to what this round published before the summary (state.published values that are URLs). */
export function publishedLinks(context: ReportContext): ReportLink[] {
  const links: ReportLink[] = [];
  const prefix = `${context.round}:`;
  for (const [key, value] of Object.entries(context.state.published ?? {})) {
    if (!key.startsWith(prefix) || !/^https?:\/\//.test(value)) continue;
    const target = key.slice(prefix.length);
    links.push({ label: target === 'issue' ? `Issue ${value.replace(/^.*\//, '#')}` : `${target}: ${value}`, url: value });
  }
  return links;
}

export interface JobSummaryOptions {
  /** Issues / PRs published earlier in the same collect; added to those found in state.published. */
  links?: ReportLink[];
  /**
   * One line per report target of the same collect that published nothing linkable (read-only token,
   * patch instead of a pull request, refused paths): the summary says what happened to each.
   */
  notes?: string[];
}

/** The collect's job summary Markdown (not capped). */
export function renderJobSummary(context: ReportContext, options: JobSummaryOptions = {}): string {
  const results = context.results;
  const usage = results.usage;
  const sections: string[] = [];
  sections.push(
    `## overnight ${results.task}: ${results.findings.length > 0 ? plural(results.findings.length, 'finding') : 'collected'}`,
  );
  // Notes may quote model-proposed paths: one sanitised line each.
  const notes = (options.notes ?? []).map(
    (note) => `- ${sanitizeInline(note, { ...sanitizeOptionsFor(context), maxLength: 1_000 })}`,
  );
  sections.push(summaryBlock(context, results.findings));
  if (notes.length > 0) sections.push(['**Reports**', '', ...notes].join('\n'));

  if (results.findings.length > 0) {
    const counts = countBySeverity(results.findings);
    const rows = SEVERITIES.map((severity) => `| ${SEVERITY_LABEL[severity]} | ${counts[severity]} |`);
    sections.push(['| Severity | Findings |', '|---|---:|', ...rows].join('\n'));
  }

  const batchRows = context.state.batches
    .filter((batch) => results.batchIds.includes(batch.id))
    .map(
      (batch) =>
        `| ${codeSpan(batch.id)} | ${formatCount(batch.requestCount)} | ${batch.verify ? 'verification' : batch.attempt === 0 ? 'first' : `retry ${batch.attempt}`} | ${batch.status} |`,
    );
  if (batchRows.length > 0) {
    sections.push(['| Batch | Requests | Attempt | Status |', '|---|---:|---|---|', ...batchRows].join('\n'));
  } else if (results.batchIds.length > 0) {
    sections.push(`Batches: ${results.batchIds.map(codeSpan).join(', ')}`);
  }

  sections.push(
    [
      '| Cost | USD |',
      '|---|---:|',
      `| Paid (batch${usage.cacheReadInputTokens + usage.cacheCreationInputTokens > 0 ? ', with caching' : ''}) | ${formatUsd(usage.costUsd)} |`,
      `| Same tokens, interactive, no caching | ${formatUsd(usage.interactiveUsd)} |`,
      `| Saved | ${formatUsd(usage.savingsUsd)} |`,
      `| Cache hit rate | ${Math.round(usage.cacheHitRate * 100)}% |`,
      ...verificationCostRows(results),
    ].join('\n'),
  );
  if (results.verification?.skipped)
    sections.push(`_Verification skipped: ${sanitizeInline(results.verification.skipped, sanitizeOptionsFor(context))}._`);

  // Findings, files, verdicts and failures, one level below the summary's own heading.
  const links = [...publishedLinks(context), ...(options.links ?? [])].filter(
    (link, index, all) => all.findIndex((other) => other.url === link.url) === index,
  );
  // GitHub shows at most 1 MiB of summary: render the most severe findings that can fit, not all 5,000
  // a large night may keep only to cut most of them off again (a collect's peak memory was here).
  const shown =
    results.findings.length > JOB_SUMMARY_MAX_FINDINGS
      ? sortFindings(results.findings).slice(0, JOB_SUMMARY_MAX_FINDINGS)
      : results.findings;
  const detail = renderReportBlocks(context, {
    links,
    findings: shown,
    skipped: { maxPaths: JOB_SUMMARY_MAX_SKIPPED, fullListAt: 'results.json in the results artifact' },
  })
    .slice(1) // the summary paragraph is already above
    .map((block) => (block.text.startsWith('#') ? { ...block, text: `#${block.text}` } : block));
  sections.push(joinBlocks(detail));
  if (shown.length < results.findings.length) {
    sections.push(
      `_The ${formatCount(shown.length)} most severe of ${formatCount(results.findings.length)} findings are shown here; all of them are in the results artifact._`,
    );
  }
  // The tail: findings under min-confidence, never posted anywhere else (results.jsonl has them all).
  const held = results.belowConfidence ?? [];
  if (held.length > 0) {
    const count = results.belowConfidenceCount ?? held.length;
    sections.push(
      `### Below min-confidence, not posted (${formatCount(count)})\n\n_Kept for a second look; ${held.length < count ? `the first ${formatCount(held.length)} are shown, ` : ''}all are in the results file._`,
    );
    sections.push(joinBlocks(findingBlocks(held, context, 4)));
  }
  // The tail, too: findings the verification pass dropped, with its reason (results.json has them all).
  const dropped = results.verification?.dropped ?? [];
  if (dropped.length > 0) {
    const shownDropped = dropped.slice(0, JOB_SUMMARY_MAX_FINDINGS);
    sections.push(`### Dropped by verification, not posted (${formatCount(dropped.length)})`);
    sections.push(
      joinBlocks(
        findingBlocks(
          shownDropped.map(({ finding, reason, confidence }) => ({
            ...finding,
            explanation: `${finding.explanation}\n\nVerification (${confidence}): ${reason}`,
          })),
          context,
          4,
        ),
      ),
    );
  }
  return `${sections.filter((section) => section.length > 0).join('\n\n')}\n`;
}

/** The cost table's line for the verification pass (included in the paid total above it). */
function verificationCostRows(results: ReportContext['results']): string[] {
  const v = results.verification;
  if (!v || v.skipped) return [];
  return [
    `| of which verification (${plural(v.requests, 'request')}: ${v.kept} kept, ${v.dropped.length} dropped, ${v.unverified} unverified) | ${formatUsd(v.usage.costUsd)} |`,
  ];
}

/**
 * Adds Markdown to the job summary: appended to GITHUB_STEP_SUMMARY when set (capped to the room the
 * 1 MiB limit leaves), else written to <outputDir>/<fileName>. Returns where it went.
 */
export async function writeJobSummary(
  markdown: string,
  options: { outputDir: string; fileName?: string; env?: NodeJS.ProcessEnv },
): Promise<{ path: string; appended: boolean; truncated: boolean }> {
  const env = options.env ?? process.env;
  const stepSummary = env.GITHUB_STEP_SUMMARY?.trim();
  if (stepSummary) {
    const used = await stat(stepSummary).then(
      (info) => info.size,
      () => 0,
    );
    const room = Math.max(0, JOB_SUMMARY_LIMIT_BYTES - used - 2);
    const capped = capBytes(markdown, room);
    if (capped.length > 0) await appendFile(stepSummary, `${used > 0 ? '\n' : ''}${capped}`, 'utf8');
    return { path: stepSummary, appended: true, truncated: capped !== markdown };
  }
  const path = join(options.outputDir, options.fileName ?? 'summary.md');
  await mkdir(dirname(path), { recursive: true });
  const capped = capBytes(markdown, JOB_SUMMARY_LIMIT_BYTES);
  await writeFile(path, capped, 'utf8');
  return { path, appended: false, truncated: capped !== markdown };
}

/** The job summary reporter; `links` adds links to what the same collect published before it. */
export function createSummaryReporter(options: JobSummaryOptions = {}): Reporter {
  return {
    target: 'summary',
    async publish(context: ReportContext): Promise<ReportResult> {
      // A read-only token (a fork's pull_request run) posts nothing: inside Actions the findings also
      // go on their lines as annotations, and the summary says so.
      const annotated = context.github?.readOnly && process.env.GITHUB_ACTIONS === 'true' ? findingAnnotations(context) : null;
      const notes = [...(options.notes ?? [])];
      if (annotated && annotated.annotations.length > 0) {
        notes.push(
          `annotations: the token is read-only, so ${annotated.annotations.length < annotated.total ? `the ${annotated.annotations.length} most severe of ${annotated.total} findings are` : `${plural(annotated.total, 'finding')} ${annotated.total === 1 ? 'is' : 'are'}`} shown as warnings on their lines instead of review comments`,
        );
      }
      const markdown = renderJobSummary(context, { ...options, notes });
      const written = await writeJobSummary(markdown, { outputDir: context.outputDir });
      if (annotated) emitAnnotations(annotated.annotations);
      const results = context.results;
      const what = [
        plural(results.findings.length, 'finding') +
          (results.findings.length > 0 ? ` (${severityBreakdown(results.findings)})` : ''),
        plural(results.failures.length, 'failure'),
      ].join(', ');
      return {
        target: 'summary',
        path: written.path,
        note: `${written.appended ? 'job summary written' : `summary written to ${written.path}`}: ${what}${written.truncated ? ' (truncated to 1 MiB)' : ''}`,
      };
    },
  };
}

export const summaryReporter: Reporter = createSummaryReporter();
