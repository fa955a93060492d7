import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  PREFIX_HEADERS,
  estimateTokens
} from "./chunk-25S7AB5Y.js";
import {
  DEFAULT_ISSUE_LABELS,
  GITHUB_TARGETS,
  baseReader,
  reportersFor,
  writePatchArtifact,
  writeSarif
} from "./chunk-IM6I7XTX.js";
import {
  CodeReader,
  NO_DECISIONS,
  applyDismissals,
  dismissedNote,
  firstPassSuccess,
  formatUsd,
  plainLine,
  readDecisions,
  readIssueMemory,
  renderMarkdownReport,
  renderResultsJson,
  uncachedCost,
  usageCost,
  usageOfSummary
} from "./chunk-VO54GUAL.js";
import {
  isFirstPassBatch
} from "./chunk-62ANB5A3.js";
import {
  countBySeverity,
  plural,
  selectGeneratedFiles
} from "./chunk-FU5ULAXL.js";
import {
  COMPARISON_MODELS,
  priceFamily,
  resolvePrice
} from "./chunk-2S72PKWC.js";
import {
  SEVERITIES
} from "./chunk-2Y3VZYX5.js";

// src/engine/publish.ts
import { writeFile } from "node:fs/promises";
import { join, relative } from "node:path";

// src/reports/run-report.ts
var RUN_REPORT_VERSION = 1;
var DEFAULT_MIN_FIRST_PASS_RATE = 0.9;
var dollars = (usd) => Math.abs(usd) < 1e-9 ? 0 : usd;
var seconds = (from, to) => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1e3);
function processingOf(context, now) {
  const { state, results } = context;
  const batches = state.batches.filter((batch) => results.batchIds.includes(batch.id));
  const reportedAt = now.toISOString();
  const submitted = batches.map((batch) => batch.submittedAt).sort()[0] ?? state.createdAt;
  const ends = batches.map((batch) => batch.endedAt).filter((at) => at !== null);
  const endedAt = ends.length > 0 && ends.length === batches.length ? ends.sort().at(-1) : null;
  const wallSeconds = Math.max(seconds(submitted, reportedAt), endedAt ? seconds(submitted, endedAt) : 0);
  const batchSeconds = endedAt ? seconds(submitted, endedAt) : null;
  const busy = batchSeconds ?? wallSeconds;
  const answered = results.usage.requests;
  return {
    mode: results.batchIds.length > 0 ? "batch" : "interactive",
    batches: results.batchIds.length,
    submittedAt: submitted,
    endedAt,
    reportedAt,
    wallSeconds,
    batchSeconds,
    requestsPerMinute: busy > 0 ? answered / (busy / 60) : null,
    outputTokensPerSecond: busy > 0 ? results.usage.outputTokens / busy : null
  };
}
function tokensOf(usage) {
  const per = (n) => usage.requests > 0 ? n / usage.requests : 0;
  return {
    requests: usage.requests,
    input: usage.inputTokens,
    output: usage.outputTokens,
    cacheWrite: usage.cacheCreationInputTokens,
    cacheRead: usage.cacheReadInputTokens,
    total: usage.inputTokens + usage.outputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens,
    perRequest: {
      input: per(usage.inputTokens),
      output: per(usage.outputTokens),
      cacheWrite: per(usage.cacheCreationInputTokens),
      cacheRead: per(usage.cacheReadInputTokens)
    }
  };
}
function costOf(context, options, prefixTokens) {
  const { state, results } = context;
  const usage = results.usage;
  const rate = { batch: results.batchIds.length > 0 };
  const price = resolvePrice(state.model, options.priceOverrides);
  const tokens = usageOfSummary(usage);
  const withoutCachingUsd = price ? uncachedCost(tokens, price, rate) : 0;
  const family = priceFamily(state.model);
  const otherModels = COMPARISON_MODELS.filter((model) => model !== family).flatMap((model) => {
    const other = resolvePrice(model, options.priceOverrides);
    if (!other) return [];
    const cached = prefixTokens >= other.minCacheablePrefix;
    return [{ model, usd: cached ? usageCost(tokens, other, rate) : uncachedCost(tokens, other, rate), cached }];
  });
  return {
    priced: price !== void 0,
    totalUsd: usage.costUsd,
    byCategory: usage.costByCategoryUsd ? { ...usage.costByCategoryUsd } : null,
    perRequestUsd: usage.requests > 0 ? usage.costUsd / usage.requests : 0,
    withoutCachingUsd,
    cachingSavedUsd: price ? dollars(withoutCachingUsd - usage.costUsd) : 0,
    interactiveUsd: usage.interactiveUsd,
    savedVsInteractiveUsd: usage.savingsUsd,
    otherModels
  };
}
var DOC = /<project_doc path="([^"]*)">\n([\s\S]*?)\n<\/project_doc>(?=\n<project_doc path="|$)/g;
function prefixParts(system) {
  const part = (kind, text, path = null) => ({
    kind,
    path,
    bytes: Buffer.byteLength(text, "utf8"),
    tokens: estimateTokens(text)
  });
  return system.flatMap((block, index) => {
    const text = block.text;
    if (index === 0) return [part("task rules", text)];
    if (text.startsWith(PREFIX_HEADERS.instructions)) return [part("instructions", text)];
    if (text.startsWith(PREFIX_HEADERS.pullRequest)) return [part("pull request", text)];
    if (text.startsWith(PREFIX_HEADERS.projectDocs)) {
      const docs = [...text.matchAll(DOC)].map((match) => part("context file", match[2], match[1].replace(/&quot;/g, '"')));
      if (docs.length > 0) return docs;
    }
    return [part("task rules", text)];
  });
}
function contextOf(context) {
  const system = context.state.systemPrefix ?? [];
  return {
    cached: system.some((block) => block.cache_control),
    prefixTokens: context.state.estimate?.prefixTokens ?? 0,
    parts: prefixParts(system)
  };
}
function holdsFirstPass(context) {
  const { state, results } = context;
  const first = state.batches.filter(isFirstPassBatch);
  return first.length === 0 || first.some((batch) => results.batchIds.includes(batch.id));
}
function unitsOf(context) {
  const { state, results } = context;
  const accounting = results.accounting;
  const checks = new Set(state.batches.filter((batch) => batch.verify).map((batch) => batch.id));
  const ownIds = results.batchIds.filter((id) => !checks.has(id));
  const inRound = state.batches.filter((batch) => !batch.verify && ownIds.includes(batch.id));
  const sent = inRound.length === ownIds.length && inRound.length > 0 ? inRound.reduce((n, batch) => n + batch.requestCount, 0) : results.received;
  const cut = holdsFirstPass(context) ? state.estimate?.dropped ?? [] : [];
  const failed = results.failures.length;
  const withOutput = accounting?.withOutput ?? 0;
  const withNone = accounting?.withNone ?? 0;
  const noOutput = accounting?.noOutput ?? 0;
  const answered = accounting ? withOutput + withNone + noOutput : results.succeeded;
  const planned = sent + cut.length;
  const failuresByKind = Object.entries(accounting?.failureKinds ?? {}).map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : 1));
  return {
    planned,
    withOutput,
    withNone,
    noOutput,
    failed,
    retrying: results.resubmitted,
    cutByBudget: cut.length,
    unaccounted: Math.max(0, planned - answered - failed - results.resubmitted - cut.length),
    counted: accounting !== void 0,
    noOutputUnits: accounting?.noOutputUnits ?? [],
    cutUnits: cut.map((d) => ({ customId: d.customId, paths: d.paths, reason: d.reason })),
    failuresByKind
  };
}
function retriesOf(context, units, minRate) {
  const { results } = context;
  const accounting = results.accounting;
  const pass = firstPassSuccess(context);
  const firstPass = pass ? { ...pass, rate: pass.total > 0 ? pass.succeeded / pass.total : 1 } : null;
  const commonestFailure = units.failuresByKind[0] ?? null;
  let warning = null;
  if (firstPass && firstPass.rate < minRate) {
    const percent = (rate) => `${Math.floor(rate * 1e3) / 10}%`;
    const commonest = commonestFailure ? `; the commonest failure: ${commonestFailure.kind} (${commonestFailure.count} of ${firstPass.total - firstPass.succeeded})` : "";
    warning = `First-pass success rate ${percent(firstPass.rate)} is below the ${percent(minRate)} threshold (min-first-pass-rate)${commonest}.`;
  }
  const failedInteractive = accounting?.failedUsage.interactiveUsd ?? 0;
  const usefulInteractiveUsd = results.usage.interactiveUsd - failedInteractive;
  return {
    firstPass,
    minRate,
    commonestFailure,
    warning,
    retryAnswers: accounting?.retryUsage.requests ?? 0,
    retryUsd: accounting?.retryUsage.costUsd ?? 0,
    failedAnswersUsd: accounting?.failedUsage.costUsd ?? 0,
    usefulInteractiveUsd,
    netSavingUsd: dollars(usefulInteractiveUsd - results.usage.costUsd)
  };
}
function buildRunReport(context, options) {
  const contextReport = contextOf(context);
  const units = unitsOf(context);
  return {
    version: RUN_REPORT_VERSION,
    task: context.results.task,
    model: context.state.model,
    processing: processingOf(context, options.now),
    tokens: tokensOf(context.results.usage),
    cost: costOf(context, options, contextReport.prefixTokens),
    context: contextReport,
    units,
    retries: retriesOf(context, units, options.minFirstPassRate ?? DEFAULT_MIN_FIRST_PASS_RATE)
  };
}

// src/reports/notify.ts
var NOTIFY_TIMEOUT_MS = 1e4;
var NOTIFY_RETRY_DELAY_MS = 2e3;
function noticeLink(input) {
  const url = (target) => input.reports.find((r) => r.target === target && r.url)?.url;
  return url("issue") ?? url("pull-request") ?? url("pr-review") ?? url("pr-comment") ?? input.runUrl ?? null;
}
function noticeText(input) {
  const { results } = input;
  const slack = (text) => plainLine(text, 300).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const counts = countBySeverity(results.findings);
  const bySeverity = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const what = [];
  if (results.findings.length > 0 || results.task === "code-review" || results.task === "security-scan") {
    what.push(`${plural(results.findings.length, "finding")}${bySeverity.length > 0 ? ` (${bySeverity.join(", ")})` : ""}`);
  }
  if (results.files.length > 0) what.push(plural(results.files.length, "generated file"));
  if (results.verdicts.length > 0) what.push(plural(results.verdicts.length, "verdict"));
  if (results.failures.length > 0) what.push(`${results.failures.length} failed`);
  if (what.length === 0) what.push(`${plural(results.received, "answer")}, nothing to report`);
  const cost = `${formatUsd(results.usage.costUsd)} (saved ${formatUsd(results.usage.savingsUsd)} against interactive)`;
  const parts = [`overnight ${results.task} on ${slack(input.repository)}: ${what.join(", ")}`, cost];
  const failedReports = input.reports.filter((r) => r.failed).map((r) => r.target);
  if (failedReports.length > 0) parts.push(`not published: ${failedReports.join(", ")}`);
  const warning = input.runReport?.retries.warning;
  if (warning) parts.push(`\u26A0\uFE0F ${slack(warning)}`);
  const link = noticeLink(input);
  if (link) parts.push(`<${link.replace(/[<>|\s]/g, encodeURIComponent)}|${link.includes("/actions/runs/") ? "run" : "report"}>`);
  return parts.join(" \xB7 ");
}
function connectionFailure(error, timeoutMs) {
  const name = error.name;
  if (name === "TimeoutError" || name === "AbortError") return { why: `no answer within ${timeoutMs / 1e3}s`, retry: true };
  const code = error.cause?.code;
  const known = {
    ENOTFOUND: "its host name did not resolve (DNS)",
    EAI_AGAIN: "its host name did not resolve (DNS, temporary)",
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection reset",
    ETIMEDOUT: "connection timed out",
    UND_ERR_SOCKET: "connection closed",
    UND_ERR_CONNECT_TIMEOUT: "connection timed out"
  };
  const reason = typeof code === "string" ? known[code] ?? `connection error (${code.replace(/[^A-Z0-9_]/g, "")})` : "connection error";
  return { why: reason, retry: true };
}
async function attempt(url, body, timeoutMs) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      // A redirect would carry the message somewhere the user did not name.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs)
    });
  } catch (error) {
    return connectionFailure(error, timeoutMs);
  }
  await response.body?.cancel().catch(() => void 0);
  if (response.status >= 200 && response.status < 300) return null;
  return { why: `HTTP ${response.status}`, retry: response.status >= 500 };
}
async function sendNotice(url, text, options = {}) {
  const host = new URL(url).host;
  const timeoutMs = options.timeoutMs ?? NOTIFY_TIMEOUT_MS;
  const body = JSON.stringify({ text });
  let failure = await attempt(url, body, timeoutMs);
  let retried = false;
  if (failure?.retry) {
    retried = true;
    const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    await sleep(options.retryDelayMs ?? NOTIFY_RETRY_DELAY_MS);
    failure = await attempt(url, body, timeoutMs);
  }
  if (!failure) return null;
  return `notify-url: the notice to ${host} was not delivered: ${failure.why}${retried ? " (retried once)" : ""}; the reports are published all the same`;
}

// src/engine/publish.ts
function reportTargets(config, task, state, hasGitHub) {
  if (config.report) return config.report;
  const defaults = task.defaultReports({ pullRequest: state.pullRequest !== null });
  if (hasGitHub) return defaults;
  return [...new Set(defaults.map((t) => t === "pull-request" ? "artifact" : t).filter((t) => !GITHUB_TARGETS.has(t)))];
}
async function noiseFor(input, targets) {
  const { state, results, config, deps } = input;
  const now = deps.now();
  const findingsTask = results.findings.length > 0 || results.task === "code-review" || results.task === "security-scan";
  const decisions = findingsTask ? await readDecisions(deps.context.cwd, state) : NO_DECISIONS;
  for (const problem of decisions.problems) deps.log.warning(problem);
  const github = deps.github;
  let memory = null;
  const scheduled = state.pullRequest === null;
  if (findingsTask && scheduled && targets.includes("issue") && github && !github.readOnly) {
    try {
      memory = await readIssueMemory(github, config.issueLabels[0] ?? DEFAULT_ISSUE_LABELS[0]);
    } catch (error) {
      deps.log.debug(`could not read overnight's issues: ${error.message}`);
    }
  }
  return {
    maxFindings: config.maxFindings,
    decisions,
    memory,
    dismissed: [],
    code: findingsTask && scheduled ? new CodeReader(deps.context.cwd) : null,
    now
  };
}
async function publishRoundReporting(input) {
  const { state, stateId, roundKey, roundDir, results, task, config, deps } = input;
  const targets = reportTargets(config, task, state, deps.github !== null);
  const noise = await noiseFor(input, targets);
  const { kept, dismissed } = applyDismissals(results.findings, noise.decisions, noise.memory, noise.now);
  noise.dismissed = dismissed;
  if (dismissed.length > 0) deps.log.info(dismissedNote(dismissed));
  const reported = dismissed.length > 0 ? { ...results, findings: kept } : results;
  const context = {
    state,
    stateId,
    round: roundKey,
    results: reported,
    issueLabels: config.issueLabels,
    outputDir: roundDir,
    sarifPath: config.sarifPath,
    github: deps.github,
    log: deps.log,
    noise,
    // Computed on every result of the round (dismissals change what is posted, not what was paid for).
    runReport: buildRunReport(
      {
        state,
        stateId,
        round: roundKey,
        results,
        issueLabels: [],
        outputDir: roundDir,
        sarifPath: "",
        github: null,
        log: deps.log
      },
      { now: deps.now(), priceOverrides: config.priceOverrides, minFirstPassRate: config.minFirstPassRate }
    )
  };
  if (context.runReport?.retries.warning) deps.log.warning(context.runReport.retries.warning);
  const dismissedLine = dismissedNote(dismissed);
  try {
    await writeFile(join(roundDir, "report.md"), renderMarkdownReport(context, dismissedLine ? { notes: [dismissedLine] } : {}));
    await writeFile(join(roundDir, "results.json"), renderResultsJson({ ...context, results }));
    if (task.name === "security-scan" || targets.includes("sarif")) {
      await writeSarif(context);
    }
    const resultFiles = ["results.jsonl", "report.md", "results.json"];
    const selection = selectGeneratedFiles(results.files, task.name, deps.context.cwd);
    if (selection.accepted.length > 0) {
      const patch = await writePatchArtifact(context, "saved with the results", selection, baseReader(context, deps.context.cwd));
      if (patch.path) resultFiles.push(relative(roundDir, patch.path));
    }
    const saved = await deps.store.saveResults(stateId, roundKey, roundDir, resultFiles);
    deps.log.info(`results saved: ${saved}`);
    const reports = [];
    const checkRun = state.pullRequest && deps.github ? {
      gateLine: (collected) => severityGateLine([{ results: collected }], config),
      ...deps.context.runUrl ? { runUrl: deps.context.runUrl } : {}
    } : void 0;
    for (const reporter of reportersFor(targets, task.name, () => reports, deps.context.cwd, checkRun)) {
      const publishedKey = `${roundKey}:${reporter.target}`;
      try {
        const result = await reporter.publish(context);
        reports.push(result);
        state.published[publishedKey] = result.url ?? result.path ?? result.note;
        if (result.warn) deps.log.warning(`${reporter.target}: ${result.note}`);
        else deps.log.info(`${reporter.target}: ${result.note}`);
      } catch (error) {
        const message = `${reporter.target}: ${error.message}`;
        deps.log.warning(message);
        reports.push({ target: reporter.target, note: `failed: ${error.message}`, failed: true });
      }
    }
    await notifyRound(input, context, reports);
    return { reports, reported };
  } finally {
    noise.code?.close();
  }
}
async function notifyRound(input, context, reports) {
  const { config, deps, state, roundKey } = input;
  const key = `${roundKey}:notify`;
  if (!config.notifyUrl || state.published[key]) return;
  const text = noticeText({
    repository: state.repository,
    results: context.results,
    reports,
    ...context.runReport ? { runReport: context.runReport } : {},
    runUrl: deps.context.runUrl ?? null
  });
  const failure = await sendNotice(config.notifyUrl, text);
  if (failure) {
    deps.log.warning(failure);
    return;
  }
  state.published[key] = "sent";
  deps.log.info(`notify-url: notice sent to ${new URL(config.notifyUrl).host}`);
}
function setRoundOutputs(rounds, config, deps) {
  const sum = (f) => rounds.reduce((n, round) => n + f(round.results), 0);
  deps.setOutput(
    "findings-count",
    sum((r) => r.findings.length + (r.findingsNotKept ?? 0) + r.verdicts.reduce((n, v) => n + v.findings.length, 0))
  );
  deps.setOutput(
    "failed-count",
    sum((r) => r.failures.length)
  );
  deps.setOutput("cost-usd", sum((r) => r.usage.costUsd).toFixed(4));
  deps.setOutput("savings-usd", sum((r) => r.usage.savingsUsd).toFixed(4));
  deps.setOutput(
    "input-tokens",
    sum((r) => r.usage.inputTokens)
  );
  deps.setOutput(
    "output-tokens",
    sum((r) => r.usage.outputTokens)
  );
  deps.setOutput(
    "cache-read-tokens",
    sum((r) => r.usage.cacheReadInputTokens)
  );
  deps.setOutput(
    "cache-write-tokens",
    sum((r) => r.usage.cacheCreationInputTokens)
  );
  const urlOf = (target) => rounds.flatMap((round) => round.reports).find((r) => r.target === target && r.url)?.url;
  const issueUrl = urlOf("issue");
  if (issueUrl) deps.setOutput("issue-url", issueUrl);
  const prUrl = urlOf("pull-request");
  if (prUrl) deps.setOutput("pull-request-url", prUrl);
  const last = rounds.at(-1);
  if (last) deps.setOutput("results-path", relative(deps.context.cwd, last.results.resultsPath) || last.results.resultsPath);
  if (rounds.some((round) => round.results.task === "security-scan" || round.reports.some((r) => r.target === "sarif"))) {
    deps.setOutput("sarif-path", config.sarifPath);
  }
}
function severityGateLine(rounds, config) {
  const level = config.failOnSeverity;
  if (!level) return null;
  const rank = (severity) => SEVERITIES.indexOf(severity);
  const counts = /* @__PURE__ */ new Map();
  for (const finding of rounds.flatMap((round) => round.results.findings)) {
    if (rank(finding.severity) >= 0 && rank(finding.severity) <= rank(level)) {
      counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
    }
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const bySeverity = SEVERITIES.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`);
  return `fail-on-severity ${level}: ${total === 1 ? "1 published finding is" : `${total} published findings are`} at or above ${level} (${bySeverity.join(", ")})`;
}

export {
  publishRoundReporting,
  setRoundOutputs,
  severityGateLine
};
