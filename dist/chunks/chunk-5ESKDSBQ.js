import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  DEFAULT_ISSUE_LABELS,
  GITHUB_TARGETS,
  baseReader,
  reportersFor,
  writePatchArtifact,
  writeSarif
} from "./chunk-LR7B56ZW.js";
import {
  CodeReader,
  NO_DECISIONS,
  applyDismissals,
  dismissedNote,
  readDecisions,
  readIssueMemory,
  renderMarkdownReport,
  renderResultsJson
} from "./chunk-35P4ICNZ.js";
import {
  selectGeneratedFiles
} from "./chunk-6L2I24YT.js";
import {
  SEVERITIES
} from "./chunk-2Y3VZYX5.js";

// src/engine/publish.ts
import { writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
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
    noise
  };
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
    for (const reporter of reportersFor(targets, task.name, () => reports, deps.context.cwd)) {
      const publishedKey = `${roundKey}:${reporter.target}`;
      try {
        const result = await reporter.publish(context);
        reports.push(result);
        state.published[publishedKey] = result.url ?? result.path ?? result.note;
        deps.log.info(`${reporter.target}: ${result.note}`);
      } catch (error) {
        const message = `${reporter.target}: ${error.message}`;
        deps.log.warning(message);
        reports.push({ target: reporter.target, note: `failed: ${error.message}`, failed: true });
      }
    }
    return { reports, reported };
  } finally {
    noise.code?.close();
  }
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
