// The run report (run-report.ts) as Markdown: the full sections for report.md and the job summary, a
// compact paragraph for the issue. Every number comes from the structure results.json carries; the
// only untrusted text here is paths and the model's summaries, sanitised where they are written.
import type { ReportBlock } from './markdown.js';
import type { RunReport } from './run-report.js';
import { formatUsd } from '../cost/usage.js';
import { writesFiles } from '../tasks/paths.js';
import { codeSpan, sanitizeInline, type SanitizeOptions } from './sanitize.js';
import { formatCount, plural } from './format.js';

/** No-output units and budget cuts named in a report; the rest are counted (results.json has them). */
const UNITS_LISTED = 50;

/** 40 s → "40s"; 95 s → "1m35s"; 7 h 12 min → "7h12m". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** "2026-12-06 01:02 UTC". */
function utc(iso: string | null): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return 'unknown';
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const rate = (n: number | null, unit: string): string =>
  n === null ? 'n/a' : `${n < 10 ? n.toFixed(2) : formatCount(Math.round(n))} ${unit}`;

const percent = (rate: number): string => `${Math.floor(rate * 1000) / 10}%`;

const perRequest = (n: number): string => formatCount(Math.round(n));

/** What "answered with output" means for the task. */
function outputLabel(report: RunReport): string {
  if (writesFiles(report.task)) return 'Answered with files';
  if (report.task === 'refactor-validation') return 'Answered with verdicts';
  return 'Answered with findings';
}

function noOutputLabel(report: RunReport): string {
  if (report.task === 'test-generation') return 'No output (no test written)';
  if (report.task === 'docs-update') return 'No output (no doc changed)';
  return 'No output';
}

function processingSection(report: RunReport, h: string): string {
  const p = report.processing;
  const rows = [
    `| Submitted | ${utc(p.submittedAt)} |`,
    ...(p.mode === 'batch' ? [`| Ended | ${utc(p.endedAt)} |`] : []),
    ...(p.batchSeconds !== null ? [`| Batch processing time | ${formatDuration(p.batchSeconds)} |`] : []),
    `| Wall time (submit to this report) | ${formatDuration(p.wallSeconds)} |`,
    `| Requests per minute | ${rate(p.requestsPerMinute, 'requests/min')} |`,
    `| Output tokens per second | ${rate(p.outputTokensPerSecond, 'tokens/s')} |`,
  ];
  const how = p.mode === 'batch' ? `${plural(p.batches, 'batch', 'batches')} of the Message Batches API` : 'the interactive API';
  return `${h}# Processing\n\n${plural(report.tokens.requests, 'answer')} through ${how}.\n\n| | |\n|---|---|\n${rows.join('\n')}`;
}

function costSection(report: RunReport, h: string): string {
  const { tokens: t, cost: c } = report;
  const usd = (n: number | undefined): string => (c.priced && n !== undefined ? formatUsd(n) : 'n/a');
  const lines = c.byCategory;
  const rows = [
    `| Input (uncached) | ${formatCount(t.input)} | ${perRequest(t.perRequest.input)} | ${usd(lines?.input)} |`,
    `| Output | ${formatCount(t.output)} | ${perRequest(t.perRequest.output)} | ${usd(lines?.output)} |`,
    `| Cache write | ${formatCount(t.cacheWrite)} | ${perRequest(t.perRequest.cacheWrite)} | ${usd(lines?.cacheWrite)} |`,
    `| Cache read | ${formatCount(t.cacheRead)} | ${perRequest(t.perRequest.cacheRead)} | ${usd(lines?.cacheRead)} |`,
    `| **Total** | **${formatCount(t.total)}** | ${perRequest(t.requests > 0 ? t.total / t.requests : 0)} | **${usd(c.totalUsd)}** |`,
  ];
  const notes: string[] = [];
  if (!c.priced) notes.push(`No price is known for ${codeSpan(report.model)}: add it with price-overrides to see dollars.`);
  else {
    notes.push(`Per request: ${formatUsd(c.perRequestUsd)}.`);
    if (t.cacheRead + t.cacheWrite === 0) notes.push('Nothing was cached or read from the cache.');
    else {
      const saved =
        c.cachingSavedUsd >= 0 ? `saved ${formatUsd(c.cachingSavedUsd)}` : `cost ${formatUsd(-c.cachingSavedUsd)} more`;
      notes.push(`Caching ${saved} against the same run without it (${formatUsd(c.withoutCachingUsd)}).`);
    }
    notes.push(
      `Against the same tokens through the interactive API without caching (${formatUsd(c.interactiveUsd)}): saved ${formatUsd(c.savedVsInteractiveUsd)}.`,
    );
    if (!lines) notes.push('_The cost by category is not known for results saved by an older version._');
  }
  if (c.otherModels.length > 0) {
    const others = c.otherModels.map(
      (other) =>
        `${codeSpan(other.model)} ${formatUsd(other.usd)}${other.cached ? '' : ' (prefix under its caching minimum: not cached)'}`,
    );
    notes.push(`The same tokens on other models: ${others.join(', ')}.`);
  }
  return `${h}# Tokens and cost\n\n| | Tokens | Per request | Cost |\n|---|---:|---:|---:|\n${rows.join('\n')}\n\n${notes.join('  \n')}`;
}

function contextSection(report: RunReport, h: string): string {
  const ctx = report.context;
  if (ctx.parts.length === 0) return `${h}# Shared prefix\n\nNot recorded in this state.`;
  const rows = ctx.parts.map((part) => {
    const what = part.kind === 'context file' && part.path !== null ? codeSpan(part.path) : part.kind;
    return `| ${what} | ${formatCount(part.bytes)} | ${formatCount(part.tokens)} |`;
  });
  const files = ctx.parts.filter((part) => part.kind === 'context file').length;
  const lead = `${ctx.cached ? 'Cached' : 'Not cached'}: a shared prefix of ${formatCount(ctx.prefixTokens)} tokens sent with every request${files > 0 ? `, ${plural(files, 'context file')} in it` : ', no context file in it'}.`;
  return `${h}# Shared prefix\n\n${lead}\n\n| Part | Bytes | Tokens (estimated) |\n|---|---:|---:|\n${rows.join('\n')}`;
}

function unitsSection(report: RunReport, h: string, sanitize: SanitizeOptions): string {
  const u = report.units;
  const rows = [
    `| Planned | ${formatCount(u.planned)} |`,
    ...(u.counted
      ? [
          `| ${outputLabel(report)} | ${formatCount(u.withOutput)} |`,
          ...(writesFiles(report.task) || report.task === 'refactor-validation'
            ? [`| ${noOutputLabel(report)} | ${formatCount(u.noOutput)} |`]
            : [`| Answered with none | ${formatCount(u.withNone)} |`]),
        ]
      : [`| Answered | ${formatCount(u.planned - u.failed - u.retrying - u.cutByBudget - u.unaccounted)} |`]),
    `| Failed | ${formatCount(u.failed)} |`,
    `| Resubmitted, answer to come | ${formatCount(u.retrying)} |`,
    `| Cut by max-cost-usd | ${formatCount(u.cutByBudget)} |`,
    ...(u.unaccounted > 0 ? [`| **No answer received** | **${formatCount(u.unaccounted)}** |`] : []),
  ];
  const parts = [`${h}# Expected against actual\n\n| Units | Requests |\n|---|---:|\n${rows.join('\n')}`];
  if (u.counted && u.withOutput > 0 && !writesFiles(report.task) && report.task !== 'refactor-validation') {
    parts.push(
      '_An answer with findings counts whatever it found, findings left out by min-severity, min-confidence or as duplicates included._',
    );
  }
  const paths = (list: readonly string[]): string => (list.length > 0 ? list.map(codeSpan).join(', ') : '(no file recorded)');
  if (u.noOutputUnits.length > 0) {
    const listed = u.noOutputUnits.slice(0, UNITS_LISTED).map((unit) => {
      const why = sanitizeInline(unit.summary, { ...sanitize, maxLength: 200 });
      return `- ${paths(unit.paths)}${why ? `: ${why}` : ''}`;
    });
    const more = u.noOutput - listed.length;
    parts.push(
      `**${noOutputLabel(report)}**\n\n${listed.join('\n')}${more > 0 ? `\n- and ${formatCount(more)} more (results.jsonl)` : ''}`,
    );
  }
  if (u.failuresByKind.length > 0) {
    const kinds = u.failuresByKind.map((kind) => `- ${sanitizeInline(kind.kind, sanitize)} (${formatCount(kind.count)})`);
    parts.push(
      `**Failed answers by kind** (resubmitted ones included; each failure is listed under Failures)\n\n${kinds.join('\n')}`,
    );
  }
  if (u.cutUnits.length > 0) {
    const listed = u.cutUnits
      .slice(0, UNITS_LISTED)
      .map((unit) => `- ${paths(unit.paths)}: ${sanitizeInline(unit.reason, { ...sanitize, maxLength: 200 })}`);
    const more = u.cutUnits.length - listed.length;
    parts.push(
      `**Cut by max-cost-usd**\n\n${listed.join('\n')}${more > 0 ? `\n- and ${formatCount(more)} more (results.json)` : ''}`,
    );
  }
  return parts.join('\n\n');
}

function retriesSection(report: RunReport, h: string): string {
  const r = report.retries;
  const c = report.cost;
  const lines: string[] = [];
  if (r.warning) lines.push(`⚠️ ${r.warning}`);
  lines.push(
    r.firstPass
      ? `First-pass success rate: ${percent(r.firstPass.rate)} (${formatCount(r.firstPass.succeeded)} of ${plural(r.firstPass.total, 'request')}; warning below ${percent(r.minRate)}).`
      : 'This round collects resubmissions only: the first pass was reported with the round that received it.',
  );
  if (c.priced) {
    lines.push(`Resubmissions answered in this round: ${formatCount(r.retryAnswers)}, costing ${formatUsd(r.retryUsd)}.`);
    if (report.units.retrying > 0) {
      const its = report.units.retrying === 1 ? 'its' : 'their';
      lines.push(`${plural(report.units.retrying, 'request')} resubmitted now: ${its} cost comes with a later collect's report.`);
    }
    lines.push(`Answers billed without a usable result (malformed, cut off, refused): ${formatUsd(r.failedAnswersUsd)}.`);
    lines.push(
      `Net saving against interactive after retries: ${formatUsd(r.netSavingUsd)} (the useful answers interactively, no caching: ${formatUsd(r.usefulInteractiveUsd)}; paid: ${formatUsd(c.totalUsd)}).`,
    );
  }
  return `${h}# Retries and net saving\n\n${lines.join('  \n')}`;
}

/** The full run report as blocks (report.md, the job summary), under a heading of `headingLevel`. */
export function runReportBlocks(report: RunReport, headingLevel: number, sanitize: SanitizeOptions): ReportBlock[] {
  const h = '#'.repeat(headingLevel);
  return [
    { text: `${h} Run report`, fingerprints: [], heading: true },
    { text: processingSection(report, h), fingerprints: [] },
    { text: costSection(report, h), fingerprints: [] },
    { text: contextSection(report, h), fingerprints: [] },
    { text: unitsSection(report, h, sanitize), fingerprints: [] },
    { text: retriesSection(report, h), fingerprints: [] },
  ];
}

/** The run report in a few lines (the issue): units, time, tokens, cost by category, savings, the warning. */
export function runReportCompact(report: RunReport): string {
  const { units: u, processing: p, tokens: t, cost: c, retries: r } = report;
  const fates = [
    u.counted ? `${formatCount(u.withOutput)} ${outputLabel(report).replace(/^Answered /, '')}` : null,
    u.counted && u.withNone > 0 ? `${formatCount(u.withNone)} with none` : null,
    u.counted && u.noOutput > 0 ? `${formatCount(u.noOutput)} with no output` : null,
    u.failed > 0 ? `${formatCount(u.failed)} failed` : null,
    u.retrying > 0 ? `${formatCount(u.retrying)} resubmitted` : null,
    u.cutByBudget > 0 ? `${formatCount(u.cutByBudget)} cut by max-cost-usd` : null,
    u.unaccounted > 0 ? `${formatCount(u.unaccounted)} with no answer` : null,
  ].filter((part): part is string => part !== null);
  const lines = [
    `**Run**: ${plural(u.planned, 'planned unit')}: ${fates.join(', ')}.`,
    `Time: ${p.batchSeconds !== null ? `batch ${formatDuration(p.batchSeconds)}, ` : ''}wall ${formatDuration(p.wallSeconds)}; tokens: ${formatCount(t.input)} input, ${formatCount(t.output)} output, ${formatCount(t.cacheWrite)} cache write, ${formatCount(t.cacheRead)} cache read.`,
  ];
  if (c.priced) {
    const b = c.byCategory;
    const lineCosts = b
      ? ` (input ${formatUsd(b.input)}, output ${formatUsd(b.output)}, cache write ${formatUsd(b.cacheWrite)}, cache read ${formatUsd(b.cacheRead)})`
      : '';
    lines.push(
      `Cost ${formatUsd(c.totalUsd)}${lineCosts}, ${formatUsd(c.perRequestUsd)} a request; caching saved ${formatUsd(c.cachingSavedUsd)}; net saving against interactive after retries ${formatUsd(r.netSavingUsd)}${r.retryAnswers > 0 ? ` (retries cost ${formatUsd(r.retryUsd)})` : ''}.`,
    );
    if (c.otherModels.length > 0)
      lines.push(`On other models: ${c.otherModels.map((o) => `${codeSpan(o.model)} ${formatUsd(o.usd)}`).join(', ')}.`);
  }
  if (r.warning) lines.push(`⚠️ ${r.warning}`);
  return lines.join('  \n');
}
