import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  DETAIL_LIMITS,
  DISMISS_LABEL,
  GITHUB_BODY_LIMIT,
  NO_DECISIONS,
  VERDICT_TABLE_HEADER,
  activeFingerprints,
  applyDismissals,
  capBody,
  codeCell,
  codeSpan,
  collapsedSkipped,
  createCheckRunReporter,
  createSummaryReporter,
  dismissalFor,
  dismissedNote,
  findGone,
  fingerprintsMarker,
  hasMarker,
  joinBlocks,
  marker,
  readFingerprints,
  readIssueMemory,
  renderFindingDetails,
  renderReportBlocks,
  reportTitle,
  require_parse_diff,
  sanitizeInline,
  severityCell,
  shortFingerprint,
  skippedOf,
  sortVerdicts,
  verdictRow
} from "./chunk-VO54GUAL.js";
import {
  describeHttpError,
  errorMessage,
  httpStatus
} from "./chunk-VN6QSKR3.js";
import {
  countBySeverity,
  formatCount,
  lineLabel,
  permalink,
  plural,
  repositoryOf,
  sanitizeOptionsFor,
  selectGeneratedFiles,
  severityBreakdown,
  sortFindings,
  taskTitle,
  writesFiles
} from "./chunk-FU5ULAXL.js";
import {
  __toESM
} from "./chunk-NINLAGOQ.js";

// src/reports/issue-parts.ts
var PART_RESERVE = 3e3;
var RESULTS_LOCATION = "the results artifact of the collect run";
function packBlocks(blocks, budget) {
  const parts = [[]];
  let size = 0;
  const textOf = (block, first) => first && block.continuation ? `${block.continuation}

${block.text}` : block.text;
  for (const block of blocks) {
    let current = parts[parts.length - 1];
    const added = textOf(block, current.length === 0).length + (current.length > 0 ? 2 : 0);
    if (current.length > 0 && size + added > budget) {
      const carried = [];
      while (current.length > 1 && current[current.length - 1].heading) carried.unshift(current.pop());
      current = [...carried];
      parts.push(current);
      size = current.reduce((sum, item, i) => sum + textOf(item, i === 0).length + (i > 0 ? 2 : 0), 0);
    }
    current.push(block);
    size += textOf(block, current.length === 1).length + (current.length > 1 ? 2 : 0);
  }
  return parts.filter((part) => part.length > 0);
}
function partText(blocks) {
  if (blocks.length === 0) return "";
  const [first, ...rest] = blocks;
  const head = first.continuation ? { ...first, text: `${first.continuation}${first.tight ? "\n" : "\n\n"}${first.text}`, tight: false } : { ...first, tight: false };
  return joinBlocks([head, ...rest]);
}
function buildIssueParts(blocks, identity, limit = GITHUB_BODY_LIMIT) {
  let budget = limit - PART_RESERVE;
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const packed = packBlocks(blocks, Math.max(1e3, budget));
    const continuationCount = packed.length - 1;
    const parts = packed.map((partBlocks, index) => {
      const fingerprints = partBlocks.flatMap((block) => block.fingerprints);
      const header = index === 0 ? marker("report", { task: identity.task, state: identity.stateId, round: identity.round, parts: continuationCount }) : marker("report-part", { state: identity.stateId, round: identity.round, part: index });
      const lines = [header];
      const fingerprintLine = fingerprintsMarker(fingerprints);
      if (fingerprintLine) lines.push(fingerprintLine);
      if (index > 0) lines.push(`_Continued (${index} of ${continuationCount})._`, "");
      lines.push(partText(partBlocks));
      if (index === 0 && continuationCount > 0) {
        lines.push(
          "",
          `_The report continues in ${plural(continuationCount, "comment")} below; the full list is also in ${RESULTS_LOCATION}._`
        );
      }
      return { index, body: lines.join("\n"), fingerprints };
    });
    const overshoot = Math.max(0, ...parts.map((part) => part.body.length - limit));
    if (overshoot === 0 || budget <= 2e3) {
      return parts.map((part) => ({ ...part, body: capBody(part.body, limit).body }));
    }
    budget -= overshoot + 500;
  }
  throw new Error("could not fit the issue report into GitHub size limits");
}

// src/reports/issue.ts
var DEFAULT_ISSUE_LABELS = ["overnight"];
var LABEL_COLOR = "5319e7";
var LABEL_DESCRIPTION = "Reported by overnight (Claude via the Message Batches API)";
var MAX_SKIPPED_LISTED = 1e3;
async function ensureLabels(github, labels) {
  const { octokit, owner, repo } = github;
  const existing = new Set(
    (await octokit.paginate(octokit.rest.issues.listLabelsForRepo, { owner, repo, per_page: 100 })).map(
      (label) => label.name.toLowerCase()
    )
  );
  for (const name of labels) {
    if (existing.has(name.toLowerCase())) continue;
    try {
      await octokit.rest.issues.createLabel({ owner, repo, name, color: LABEL_COLOR, description: LABEL_DESCRIPTION });
    } catch (error) {
      const status = httpStatus(error);
      const body = JSON.stringify(error.response?.data ?? "");
      if (status !== 422 || !body.includes("already_exists")) throw error;
    }
  }
}
async function listComments(octokit, owner, repo, issueNumber) {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100
  });
  return comments.map((comment) => comment.body ?? "");
}
function skippedNote(skippedByIssue) {
  if (skippedByIssue.size === 0) return null;
  const parts = [...skippedByIssue].sort((a, b) => a[0] - b[0]).map(([issueNumber, count]) => `${plural(count, "finding")} already reported in #${issueNumber}`);
  return `${parts.join(", ")} (not repeated here)`;
}
function overflowBlock(overflow, shown, max) {
  if (overflow.length === 0) return [];
  const byFile = /* @__PURE__ */ new Map();
  for (const finding of overflow) byFile.set(finding.path, (byFile.get(finding.path) ?? 0) + 1);
  const files = [...byFile].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = files.slice(0, 10).map(([path, n]) => `${codeSpan(path)} (${n})`);
  const more = files.length > 10 ? `, and ${plural(files.length - 10, "more file")}` : "";
  return [
    {
      text: `### ${plural(overflow.length, "more finding")} not shown

This report shows the ${formatCount(shown)} most severe (max-findings: ${formatCount(max)}). The others: ${severityBreakdown(overflow)}; in ${top.join(", ")}${more}. All of them are in results.json in ${RESULTS_LOCATION}.`,
      fingerprints: []
    }
  ];
}
function resolvedBlock(resolved, sha) {
  if (resolved.size === 0) return [];
  const lines = [...resolved].sort((a, b) => a[0].number - b[0].number).map(([issue, refs]) => `- Since #${issue.number}: ${plural(refs.length, "finding")} (${refList(refs)})`);
  return [
    {
      text: `## Resolved

The code these earlier findings pointed at is gone at \`${sha.slice(0, 12)}\`:

${lines.join("\n")}`,
      fingerprints: []
    }
  ];
}
function refList(refs, limit = 20) {
  const shown = refs.slice(0, limit).map((ref) => `${codeSpan(ref.path)} ${codeSpan(ref.category)} fp ${codeSpan(shortFingerprint(ref.fingerprint))}`);
  return refs.length > limit ? `${shown.join(", ")}, and ${refs.length - limit} more` : shown.join(", ");
}
function resolvedCommentBody(identity, refs, sha, closing, newReport) {
  const lines = [
    marker("resolved", { task: identity.task, state: identity.stateId, round: identity.round }),
    fingerprintsMarker(refs.map((ref) => ref.fingerprint)),
    `\u2705 **${plural(refs.length, "finding")} of this report resolved** at \`${sha.slice(0, 12)}\`: the code ${refs.length === 1 ? "it pointed" : "they pointed"} at is gone.`,
    "",
    ...refs.map(
      (ref) => `- ${codeSpan(ref.path)} \xB7 ${codeSpan(ref.category)} \xB7 fp ${codeSpan(shortFingerprint(ref.fingerprint))}`
    )
  ];
  if (newReport) lines.push("", `Tonight's report: ${newReport}.`);
  if (closing) lines.push("", "Every finding of this report is now resolved or dismissed: closing it.");
  return capBody(lines.join("\n"), GITHUB_BODY_LIMIT).body;
}
async function settle(issues, task, tonight, noise, sha, log) {
  const code = noise.code;
  if (!code) return [];
  if (!await code.hasCommit(sha)) {
    log.debug(`resolved findings: commit ${sha.slice(0, 7)} is not in this checkout; not checked`);
    return [];
  }
  const settlements = [];
  for (const issue of issues) {
    if (issue.report.task !== task || issue.labels.some((l) => l.toLowerCase() === DISMISS_LABEL)) continue;
    const active = activeFingerprints(issue);
    const refs = active.filter((print) => !tonight.has(print)).flatMap((print) => issue.refs.get(print) ?? []);
    if (refs.length === 0) continue;
    const { gone } = await findGone(code, sha, refs);
    if (gone.length === 0) continue;
    const goneSet = new Set(gone.map((ref) => ref.fingerprint));
    const close = active.every((print) => goneSet.has(print) || dismissalFor(noise.decisions, print, noise.now) !== null);
    settlements.push({ issue, gone, close });
  }
  return settlements;
}
var issueReporter = {
  target: "issue",
  async publish(context) {
    const github = context.github;
    if (!github) return { target: "issue", note: "skipped: no GitHub token/repository" };
    const results = context.results;
    const noise = context.noise;
    const hasContent = results.findings.length + results.failures.length + results.files.length + results.verdicts.length > 0;
    const checksResolved = Boolean(noise?.code) && !context.state.pullRequest;
    if (!hasContent && !checksResolved) return { target: "issue", note: "no issue created: no findings and no failures" };
    if (github.readOnly) {
      return { target: "issue", note: "skipped: the GitHub token is read-only (fork pull request); nothing written" };
    }
    const { octokit, owner, repo } = github;
    const labels = context.issueLabels.length > 0 ? [...new Set(context.issueLabels)] : DEFAULT_ISSUE_LABELS;
    const identity = { task: results.task, stateId: context.stateId, round: context.round };
    const where = `${owner}/${repo}`;
    const now = noise?.now ?? /* @__PURE__ */ new Date();
    try {
      const memory = noise?.memory && noise.memory.label === labels[0] ? noise.memory : await readIssueMemory(github, labels[0]);
      const isThisReport = (issue) => issue.report.task === identity.task && issue.report.state === identity.stateId && issue.report.round === String(identity.round);
      const existing = memory.issues.find(isThisReport) ?? null;
      const others = memory.issues.filter((issue) => issue.state === "open" && issue !== existing).sort((a, b) => a.number - b.number);
      const reported = /* @__PURE__ */ new Map();
      for (const issue of others) {
        for (const print of activeFingerprints(issue)) if (!reported.has(print)) reported.set(print, issue.number);
      }
      const { kept: undismissed, dismissed } = applyDismissals(results.findings, noise?.decisions ?? NO_DECISIONS, memory, now);
      const allDismissed = [...noise?.dismissed ?? [], ...dismissed];
      const kept = [];
      const skippedByIssue = /* @__PURE__ */ new Map();
      for (const finding of undismissed) {
        const issueNumber2 = reported.get(finding.fingerprint);
        if (issueNumber2 === void 0) kept.push(finding);
        else skippedByIssue.set(issueNumber2, (skippedByIssue.get(issueNumber2) ?? 0) + 1);
      }
      const skipped = skippedNote(skippedByIssue);
      const skippedCount = undismissed.length - kept.length;
      const tonight = new Set(results.findings.map((finding) => finding.fingerprint));
      const settlements = checksResolved && noise ? await settle(others, identity.task, tonight, noise, context.state.headSha, context.log) : [];
      const pendingSettlements = settlements.filter(
        (s) => !s.issue.comments.some(
          (body) => hasMarker(body, "resolved", { task: identity.task, state: identity.stateId, round: identity.round })
        )
      );
      const max = noise && noise.maxFindings > 0 ? noise.maxFindings : Infinity;
      const ordered = sortFindings(kept);
      const shown = ordered.slice(0, max);
      const overflow = ordered.slice(shown.length);
      const dismissedLine = dismissedNote(allDismissed);
      const notes = [
        ...skipped ? [`${skipped[0].toUpperCase()}${skipped.slice(1)}.`] : [],
        ...dismissedLine ? [dismissedLine] : [],
        ...(noise?.decisions.problems ?? []).map((problem) => `\u26A0\uFE0F ${problem}`)
      ];
      let issueNumber = existing?.number ?? null;
      let url = existing?.url ?? null;
      let created = false;
      let posted = 0;
      let parts = [];
      const nothingNew = kept.length + results.failures.length + results.files.length + results.verdicts.length === 0;
      if (existing || !nothingNew) {
        const resolvedMap = new Map(pendingSettlements.map((s) => [s.issue, s.gone]));
        const blocks = renderReportBlocks(context, {
          findings: shown,
          notes,
          resultsLocation: RESULTS_LOCATION,
          findingMarkers: true,
          runReport: "compact",
          skipped: { maxPaths: MAX_SKIPPED_LISTED, fullListAt: `results.json in ${RESULTS_LOCATION}` },
          afterFindings: [...overflowBlock(overflow, shown.length, max), ...resolvedBlock(resolvedMap, context.state.headSha)]
        });
        parts = buildIssueParts(blocks, identity);
        if (!existing) {
          await ensureLabels(github, labels);
          const issue = await octokit.rest.issues.create({
            owner,
            repo,
            title: reportTitle(context, kept.length),
            body: parts[0].body,
            labels
          });
          issueNumber = issue.data.number;
          url = issue.data.html_url;
          created = true;
        }
        if (parts.length > 1) {
          const already = created ? [] : existing.comments.length > 0 ? existing.comments : await listComments(octokit, owner, repo, issueNumber);
          for (const part of parts.slice(1)) {
            const present = already.some(
              (body) => hasMarker(body, "report-part", { state: identity.stateId, round: identity.round, part: part.index })
            );
            if (present) continue;
            await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: part.body });
            posted += 1;
          }
        }
      }
      const closedNumbers = [];
      for (const settlement of pendingSettlements) {
        const body = resolvedCommentBody(
          identity,
          settlement.gone,
          context.state.headSha,
          settlement.close,
          created && issueNumber ? `#${issueNumber}` : null
        );
        await octokit.rest.issues.createComment({ owner, repo, issue_number: settlement.issue.number, body });
        if (settlement.close) {
          await octokit.rest.issues.update({
            owner,
            repo,
            issue_number: settlement.issue.number,
            state: "closed",
            state_reason: "completed"
          });
          closedNumbers.push(settlement.issue.number);
        }
      }
      const summary = [];
      if (created) {
        summary.push(
          `created #${issueNumber} with ${plural(kept.length, "finding")}${kept.length > 0 ? ` (${severityBreakdown(kept)})` : ""}`
        );
      } else if (existing) {
        summary.push(`already published as #${existing.number}; not created again`);
      } else {
        summary.push(`no issue created: nothing new (${skipped ?? "no findings"})`);
      }
      if (results.failures.length > 0) summary.push(plural(results.failures.length, "failure") + " listed");
      if (skippedCount > 0 && skipped && (created || existing)) summary.push(skipped);
      if (allDismissed.length > 0) summary.push(`${plural(allDismissed.length, "dismissed finding")} left out`);
      if (overflow.length > 0) summary.push(`${plural(overflow.length, "finding")} over max-findings summarised`);
      const resolvedCount = pendingSettlements.reduce((n, s) => n + s.gone.length, 0);
      if (resolvedCount > 0) {
        summary.push(
          `${plural(resolvedCount, "earlier finding")} resolved (noted on ${pendingSettlements.map((s) => `#${s.issue.number}`).join(", ")})` + (closedNumbers.length > 0 ? `; closed ${closedNumbers.map((n) => `#${n}`).join(", ")}` : "")
        );
      }
      if (parts.length > 1) {
        summary.push(
          `${plural(parts.length - 1, "continuation comment")}${posted < parts.length - 1 ? ` (${posted} posted now)` : ""}; the full list is in ${RESULTS_LOCATION}`
        );
      }
      return { target: "issue", ...url && (created || existing) ? { url } : {}, note: summary.join("; ") };
    } catch (error) {
      const status = httpStatus(error);
      const hint = status === 403 || status === 404 ? " (the token needs `issues: write`)" : "";
      throw new Error(`issue report for ${where} failed: ${describeHttpError(error)}${hint}`);
    }
  }
};

// src/reports/diff-lines.ts
var import_parse_diff = __toESM(require_parse_diff(), 1);
function rightSideLines(patch) {
  const lines = /* @__PURE__ */ new Set();
  if (!patch) return lines;
  const text = /^(diff |--- )/.test(patch) ? patch : `--- a/file
+++ b/file
${patch}`;
  for (const file of (0, import_parse_diff.default)(text)) {
    for (const chunk2 of file.chunks) {
      for (const change of chunk2.changes) {
        if (change.content.startsWith("\\")) continue;
        if (change.type === "add") lines.add(change.ln);
        else if (change.type === "normal") lines.add(change.ln2);
      }
    }
  }
  return lines;
}
function buildDiffLineMap(files) {
  const map = /* @__PURE__ */ new Map();
  for (const file of files) {
    if (file.status === "removed") continue;
    map.set(file.filename, rightSideLines(file.patch));
  }
  return map;
}
async function loadDiffLineMap(octokit, owner, repo, pullNumber) {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner,
    repo,
    pull_number: pullNumber,
    per_page: 100
  });
  return buildDiffLineMap(files);
}
function commentableLine(map, path, start, end) {
  const lines = map.get(path);
  if (!lines || lines.size === 0) return null;
  const low = Math.min(start, end);
  const high = Math.max(start, end);
  if (lines.has(high)) return high;
  let best = null;
  for (const line of lines) {
    if (line >= low && line <= high && (best === null || line > best)) best = line;
  }
  return best;
}
function rangeOnRightSide(map, path, start, end) {
  const lines = map.get(path);
  if (!lines || start < 1 || end < start || end - start >= lines.size) return false;
  for (let line = start; line <= end; line++) if (!lines.has(line)) return false;
  return true;
}
var OUTSIDE_DIFF = "outside the diff";
function reportedFindings(results) {
  const seen = /* @__PURE__ */ new Set();
  const all = [];
  for (const finding of [...results.findings, ...results.verdicts.flatMap((verdict) => verdict.findings)]) {
    if (seen.has(finding.fingerprint)) continue;
    seen.add(finding.fingerprint);
    all.push(finding);
  }
  return all;
}
function planPlacement(findings, diff) {
  const placement = {
    diff,
    inline: /* @__PURE__ */ new Map(),
    notInline: /* @__PURE__ */ new Map(),
    reviewPublished: false,
    stickyPublished: false
  };
  for (const finding of findings) {
    const line = commentableLine(diff, finding.path, finding.startLine, finding.endLine);
    if (line === null) placement.notInline.set(finding.fingerprint, { finding, reason: OUTSIDE_DIFF });
    else placement.inline.set(finding.fingerprint, { finding, line });
  }
  return placement;
}
function demote(placement, fingerprint, reason) {
  const entry = placement.inline.get(fingerprint);
  if (!entry) return;
  placement.inline.delete(fingerprint);
  placement.notInline.set(fingerprint, { finding: entry.finding, reason });
}
var placements = /* @__PURE__ */ new WeakMap();
function placementFor(context) {
  let placement = placements.get(context.results);
  if (!placement) {
    const findings = reportedFindings(context.results);
    const pull = context.state.pullRequest;
    const github = context.github;
    placement = pull && github ? loadDiffLineMap(github.octokit, github.owner, github.repo, pull.number).then((diff) => planPlacement(findings, diff)) : Promise.resolve(planPlacement(findings, /* @__PURE__ */ new Map()));
    placement.catch(() => placements.delete(context.results));
    placements.set(context.results, placement);
  }
  return placement;
}

// src/reports/pr-comment.ts
var SECTION_END = marker("section-end");
var SECTION_PATTERN = /<!-- overnight:section (?:[^\n]*?) -->[\s\S]*?<!-- overnight:section-end -->/g;
function stickyMarker(task) {
  return marker("sticky", { task });
}
function costLine(context) {
  const { usage, received, resubmitted, duplicatesSkipped, belowSeverity, batchIds } = context.results;
  const parts = [
    `${received} request(s) answered`,
    `cost $${usage.costUsd.toFixed(4)}`,
    `$${usage.interactiveUsd.toFixed(4)} interactively`,
    `saved $${usage.savingsUsd.toFixed(4)}`
  ];
  if (usage.cacheHitRate > 0) parts.push(`cache hits ${Math.round(usage.cacheHitRate * 100)}%`);
  if (resubmitted > 0) parts.push(`${resubmitted} resubmitted (reported by a later collect)`);
  if (duplicatesSkipped > 0) parts.push(`${duplicatesSkipped} already reported`);
  if (belowSeverity > 0) parts.push(`${belowSeverity} below min-severity`);
  const batches = batchIds.length > 0 ? ` \xB7 batch ${batchIds.map(codeSpan).join(", ")}` : "";
  return `<sub>${parts.join(" \xB7 ")}${batches}</sub>`;
}
function renderSection(context, github, placement) {
  const { results, state } = context;
  const options = sanitizeOptionsFor(context);
  const sha = state.pullRequest?.headSha ?? state.headSha;
  const link = (f) => permalink(github.serverUrl, github.owner, github.repo, sha, f.path, f.startLine, f.endLine);
  const findings = sortFindings(reportedFindings(results));
  const lines = [marker("section", { state: context.stateId, round: context.round })];
  const heading = `### ${taskTitle(results.task).toLowerCase()} of \`${sha.slice(0, 7)}\``;
  lines.push(heading, "");
  if (results.verdicts.length > 0) {
    const invalid = results.verdicts.filter((v) => v.verdict === "INVALID").length;
    lines.push(
      invalid > 0 ? `**${invalid} of ${results.verdicts.length} file(s) INVALID**: the refactor changes behaviour.` : `**All ${results.verdicts.length} file(s) VALID**: behaviour kept.`,
      "",
      VERDICT_TABLE_HEADER
    );
    for (const verdict of sortVerdicts(results.verdicts)) lines.push(verdictRow(verdict, options));
    lines.push("");
  }
  if (findings.length === 0) {
    if (results.verdicts.length === 0) lines.push(results.succeeded > 0 ? "No findings." : "No answers in this collect.", "");
  } else {
    const counts = countBySeverity(findings);
    const summary = Object.entries(counts).filter(([, n]) => n > 0).map(([severity, n]) => `${n} ${severity}`).join(" \xB7 ");
    lines.push(`**${findings.length} finding(s)**: ${summary}`, "", "| | Where | Finding |", "|---|---|---|");
    for (const finding of findings) {
      const inline = placement.reviewPublished && placement.inline.has(finding.fingerprint) ? " \u{1F4AC}" : "";
      lines.push(
        `| ${severityCell(finding.severity)} | [${codeCell(lineLabel(finding))}](${link(finding)})${inline} | ${sanitizeInline(finding.title, { ...options, maxLength: 200 })} |`
      );
    }
    lines.push("");
    const shownInFull = placement.reviewPublished ? findings.filter((f) => placement.notInline.has(f.fingerprint)) : findings;
    if (placement.reviewPublished && placement.inline.size > 0) lines.push("\u{1F4AC} = inline review comment on the diff.", "");
    if (shownInFull.length > 0) {
      const reasons = [...new Set(shownInFull.map((f) => placement.notInline.get(f.fingerprint)?.reason).filter(Boolean))];
      const summaryText = placement.reviewPublished ? `${shownInFull.length} finding(s) not commented inline (${reasons.join("; ")})` : `Details of ${shownInFull.length} finding(s)`;
      lines.push("<details>", `<summary>${summaryText.replace(/</g, "&lt;")}</summary>`, "");
      for (const finding of shownInFull) lines.push(renderFindingDetails(finding, link(finding), options), "");
      lines.push("</details>", "");
    }
  }
  if (results.failures.length > 0) {
    lines.push("<details>", `<summary>\u26A0\uFE0F ${results.failures.length} request(s) failed</summary>`, "");
    for (const failure of results.failures) {
      lines.push(
        `- ${failure.paths.map(codeSpan).join(", ")}: **${failure.status}**, ${sanitizeInline(failure.reason, { ...options, maxLength: 300 })}`
      );
    }
    lines.push("", "</details>", "");
  }
  lines.push(...collapsedSkipped(skippedOf(state)));
  lines.push(costLine(context), SECTION_END);
  return lines.join("\n");
}
function composeStickyBody(task, currentSection, existingBody, currentFingerprints, limit = GITHUB_BODY_LIMIT) {
  const kept = [];
  const ownMarker = currentSection.split("\n", 1)[0];
  for (const match of (existingBody ?? "").matchAll(SECTION_PATTERN)) {
    if (match[0].split("\n", 1)[0] !== ownMarker) kept.push(match[0]);
  }
  const fingerprints = fingerprintsMarker([...readFingerprints(existingBody ?? ""), ...currentFingerprints]);
  const head = [stickyMarker(task), fingerprints, `## \u{1F319} overnight \xB7 ${taskTitle(task).toLowerCase()}`, ""].filter((l, i) => i === 3 || l).join("\n");
  const sections = [currentSection, ...kept];
  while (sections.length > 1 && head.length + sections.join("\n\n").length > limit) sections.pop();
  return capBody(`${head}
${sections.join("\n\n")}
`, limit).body;
}
async function upsertStickyComment(context) {
  const github = context.github;
  const pull = context.state.pullRequest;
  if (!github || !pull) throw new Error("the sticky comment needs GitHub and a pull request");
  const { octokit, owner, repo } = github;
  const task = context.results.task;
  const placement = await placementFor(context);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: pull.number,
    per_page: 100
  });
  const existing = comments.find((comment) => hasMarker(comment.body ?? "", "sticky", { task }));
  const section = renderSection(context, github, placement);
  const body = composeStickyBody(
    task,
    section,
    existing?.body ?? null,
    reportedFindings(context.results).map((f) => f.fingerprint)
  );
  placement.stickyPublished = true;
  if (existing) {
    if (existing.body === body) return { url: existing.html_url, action: "unchanged" };
    const updated = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { url: updated.data.html_url, action: "updated" };
  }
  const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: pull.number, body });
  return { url: created.data.html_url, action: "created" };
}
var prCommentReporter = {
  target: "pr-comment",
  async publish(context) {
    if (!context.github) return { target: "pr-comment", note: "no GitHub token or repository: no PR comment" };
    if (!context.state.pullRequest) return { target: "pr-comment", note: "not a pull request run: no PR comment" };
    if (context.github.readOnly) {
      return { target: "pr-comment", note: "read-only token (e.g. a fork PR): no PR comment written; see the job summary" };
    }
    try {
      const { url, action } = await upsertStickyComment(context);
      const count = reportedFindings(context.results).length;
      const what2 = context.results.verdicts.length > 0 ? `${context.results.verdicts.length} verdict(s)` : `${count} finding(s)`;
      return { target: "pr-comment", url, note: `sticky comment ${action} on #${context.state.pullRequest.number} with ${what2}` };
    } catch (error) {
      if (httpStatus(error) === 403) {
        return {
          target: "pr-comment",
          note: "GitHub answered 403: the workflow needs `permissions: pull-requests: write` to comment"
        };
      }
      throw error;
    }
  }
};

// src/reports/pr-review.ts
var MAX_COMMENTS_PER_REVIEW = 30;
function inlineCommentBody(finding, link, options, committable = false) {
  const details = renderFindingDetails(finding, link, options, void 0, committable ? "suggestion" : "block");
  return capBody(`${fingerprintsMarker([finding.fingerprint])}
${details}`).body;
}
function reviewComment(finding, line, diff, link, options) {
  const committable = finding.replacement !== void 0 && finding.replacement.length <= DETAIL_LIMITS.fix && rangeOnRightSide(diff, finding.path, finding.startLine, finding.endLine);
  const span = committable && finding.startLine < finding.endLine ? { start_line: finding.startLine, start_side: "RIGHT" } : {};
  return {
    path: finding.path,
    line: committable ? finding.endLine : line,
    side: "RIGHT",
    ...span,
    body: inlineCommentBody(finding, link, options, committable)
  };
}
function chunk(items, size) {
  const chunks = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
async function postReviews(context, placement) {
  const github = context.github;
  const pull = context.state.pullRequest;
  const { octokit, owner, repo } = github;
  const options = sanitizeOptionsFor(context);
  const sha = pull.headSha;
  const existing = await octokit.paginate(octokit.rest.pulls.listReviewComments, {
    owner,
    repo,
    pull_number: pull.number,
    per_page: 100
  });
  const present = new Set(existing.flatMap((comment) => readFingerprints(comment.body ?? "")));
  const outcome = { posted: 0, reviews: 0, alreadyThere: 0, refused: 0, refusedReason: null, firstUrl: null };
  const toPost = [];
  for (const [fingerprint, entry] of placement.inline) {
    if (present.has(fingerprint)) outcome.alreadyThere += 1;
    else toPost.push(entry);
  }
  const order = new Map(reportedFindings(context.results).map((f, i) => [f.fingerprint, i]));
  toPost.sort((a, b) => (order.get(a.finding.fingerprint) ?? 0) - (order.get(b.finding.fingerprint) ?? 0));
  const parts = chunk(toPost, MAX_COMMENTS_PER_REVIEW);
  for (const [index, part] of parts.entries()) {
    const header = marker("review", {
      task: context.results.task,
      state: context.stateId,
      round: context.round,
      part: index + 1
    });
    const body = `${header}
\u{1F319} overnight ${context.results.task}: ${part.length} comment(s) on \`${sha.slice(0, 7)}\`${parts.length > 1 ? ` (review ${index + 1} of ${parts.length})` : ""}. The summary is in the overnight comment on this pull request.`;
    try {
      const review = await octokit.rest.pulls.createReview({
        owner,
        repo,
        pull_number: pull.number,
        commit_id: sha,
        event: "COMMENT",
        body,
        comments: part.map(
          ({ finding, line }) => reviewComment(
            finding,
            line,
            placement.diff,
            permalink(github.serverUrl, owner, repo, sha, finding.path, finding.startLine, finding.endLine),
            options
          )
        )
      });
      outcome.posted += part.length;
      outcome.reviews += 1;
      outcome.firstUrl ??= review.data.html_url;
    } catch (error) {
      const status = httpStatus(error);
      if (status !== 422 && status !== 403) throw error;
      const reason = status === 422 ? `GitHub refused the review (422: ${errorMessage(error)})` : "GitHub answered 403 to the review (the workflow needs `pull-requests: write`)";
      context.log.warning(`pr-review: ${reason}; ${part.length} finding(s) go to the sticky comment`);
      outcome.refusedReason ??= reason;
      for (const { finding } of part)
        demote(placement, finding.fingerprint, status === 422 ? "GitHub refused the inline review" : "no permission to review");
      outcome.refused += part.length;
      if (status === 403) {
        for (const rest of parts.slice(index + 1)) {
          for (const { finding } of rest) demote(placement, finding.fingerprint, "no permission to review");
          outcome.refused += rest.length;
        }
        break;
      }
    }
  }
  return outcome;
}
var prReviewReporter = {
  target: "pr-review",
  async publish(context) {
    const github = context.github;
    const pull = context.state.pullRequest;
    if (!github) return { target: "pr-review", note: "no GitHub token or repository: no review" };
    if (!pull) return { target: "pr-review", note: "not a pull request run: no review" };
    if (github.readOnly) {
      return { target: "pr-review", note: "read-only token (e.g. a fork PR): no review written; see the job summary" };
    }
    const placement = await placementFor(context);
    if (placement.inline.size === 0 && placement.notInline.size === 0) {
      placement.reviewPublished = true;
      return { target: "pr-review", note: "no findings: no review" };
    }
    const outcome = await postReviews(context, placement);
    placement.reviewPublished = true;
    const outside = [...placement.notInline.values()].filter((entry) => entry.reason === OUTSIDE_DIFF).length;
    let stickyNote = "";
    if (placement.notInline.size > 0 || placement.stickyPublished) {
      try {
        const sticky = await upsertStickyComment(context);
        stickyNote = placement.notInline.size > 0 ? ` (in the sticky comment ${sticky.url})` : "";
      } catch (error) {
        stickyNote = ` (the sticky comment could not be written: ${errorMessage(error)})`;
      }
    }
    const parts = [`${outcome.posted} inline comment(s) in ${outcome.reviews} review(s) on ${pull.headSha.slice(0, 7)}`];
    if (outcome.alreadyThere > 0) parts.push(`${outcome.alreadyThere} already on the PR`);
    if (outside > 0) parts.push(`${outside} outside the diff${stickyNote}`);
    if (outcome.refused > 0) {
      parts.push(
        `${outcome.refused} put in the sticky comment instead because ${outcome.refusedReason}${outside > 0 ? "" : stickyNote}`
      );
    }
    const result = { target: "pr-review", note: parts.join("; ") };
    if (outcome.firstUrl) result.url = outcome.firstUrl;
    return result;
  }
};

// src/reports/pull-request.ts
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

// src/reports/patch.ts
var CONTEXT_LINES = 3;
var MAX_EDIT_DISTANCE = 4e3;
var NO_EOL = "\0no-eol";
function tokens(text) {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}
function editScript(a, b) {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) {
    suffix++;
  }
  const head = a.slice(0, prefix).map((token) => ({ kind: " ", token }));
  const tail = a.slice(a.length - suffix).map((token) => ({ kind: " ", token }));
  const x0 = a.slice(prefix, a.length - suffix);
  const y0 = b.slice(prefix, b.length - suffix);
  return [...head, ...middleScript(x0, y0), ...tail];
}
function middleScript(a, b) {
  const n = a.length;
  const m = b.length;
  const replaceAll = () => [
    ...a.map((token) => ({ kind: "-", token })),
    ...b.map((token) => ({ kind: "+", token }))
  ];
  if (n === 0 || m === 0) return replaceAll();
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace = [];
  let found = -1;
  for (let d = 0; d <= Math.min(max, MAX_EDIT_DISTANCE) && found < 0; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x2 = k === -d || k !== d && v[offset + k - 1] < v[offset + k + 1] ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y2 = x2 - k;
      while (x2 < n && y2 < m && a[x2] === b[y2]) {
        x2++;
        y2++;
      }
      v[offset + k] = x2;
      if (x2 >= n && y2 >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return replaceAll();
  const reversed = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const snapshot = trace[d];
    const at = (k2) => snapshot[k2 + d];
    const k = x - y;
    const previousK = k === -d || k !== d && at(k - 1) < at(k + 1) ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      reversed.push({ kind: " ", token: a[x - 1] });
      x--;
      y--;
    }
    if (x === previousX) reversed.push({ kind: "+", token: b[y - 1] });
    else reversed.push({ kind: "-", token: a[x - 1] });
    x = previousX;
    y = previousY;
  }
  while (x > 0 && y > 0) {
    reversed.push({ kind: " ", token: a[x - 1] });
    x--;
    y--;
  }
  return reversed.reverse();
}
function renderOp(op) {
  return op.token.endsWith(NO_EOL) ? `${op.kind}${op.token.slice(0, -NO_EOL.length)}
\\ No newline at end of file
` : `${op.kind}${op.token}
`;
}
function range(start, count) {
  return `${count === 0 ? start - 1 : start},${count}`;
}
function unifiedHunks(before, after) {
  const ops = editScript(tokens(before), tokens(after));
  const changed = ops.flatMap((op, index) => op.kind === " " ? [] : [index]);
  if (changed.length === 0) return "";
  const oldLine = [];
  const newLine = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldLine.push(o);
    newLine.push(n);
    if (op.kind !== "+") o++;
    if (op.kind !== "-") n++;
  }
  let out = "";
  let i = 0;
  while (i < changed.length) {
    let last = changed[i];
    let j = i + 1;
    while (j < changed.length && changed[j] - last <= 2 * CONTEXT_LINES + 1) {
      last = changed[j];
      j++;
    }
    const start = Math.max(0, changed[i] - CONTEXT_LINES);
    const end = Math.min(ops.length, last + CONTEXT_LINES + 1);
    const slice = ops.slice(start, end);
    const oldCount = slice.filter((op) => op.kind !== "+").length;
    const newCount = slice.filter((op) => op.kind !== "-").length;
    out += `@@ -${range(oldLine[start], oldCount)} +${range(newLine[start], newCount)} @@
`;
    out += slice.map(renderOp).join("");
    i = j;
  }
  return out;
}
async function buildPatch(files, readBase) {
  let patch = "";
  for (const file of files) {
    const base = await readBase(file.path);
    const hunks = unifiedHunks(base ?? "", file.content);
    if (base !== null && hunks === "") continue;
    patch += `diff --git a/${file.path} b/${file.path}
`;
    if (base === null) patch += `new file mode 100644
--- /dev/null
`;
    else patch += `--- a/${file.path}
`;
    patch += `+++ b/${file.path}
${hunks}`;
  }
  return patch;
}

// src/reports/pull-request.ts
function baseCommit(context) {
  return context.state.pullRequest?.headSha ?? context.state.headSha;
}
function refSafe(value) {
  const safe = value.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/\.{2,}/g, ".").replace(/^[.-]+|[.-]+$/g, "").replace(/\.lock$/i, "-lock").slice(0, 80);
  return safe || "state";
}
function branchName(context) {
  return `overnight/${context.results.task}/${refSafe(context.stateId)}-r${refSafe(String(context.round))}`;
}
function what(task) {
  return task === "docs-update" ? "documentation" : "tests";
}
function describeGeneratedFiles(context, selection) {
  const options = sanitizeOptionsFor(context);
  const { results, state } = context;
  const lines = [];
  const kind = what(results.task);
  lines.push(
    `overnight (\`${results.task}\`) generated ${kind} for ${new Set(selection.accepted.map((f) => f.sourcePath)).size} source file(s), on top of \`${baseCommit(context).slice(0, 12)}\`.`
  );
  if (state.pullRequest) lines.push(`
For pull request #${state.pullRequest.number} (${codeSpan(state.pullRequest.headRef)}).`);
  lines.push(
    `
Batch(es): ${results.batchIds.length ? results.batchIds.map(codeSpan).join(", ") : "(interactive run)"} \xB7 window: ${sanitizeInline(state.window, options)}`
  );
  lines.push("\n**Review before merging**: this was written by a model and has not been run.\n");
  lines.push("| File | For | What it does |", "|---|---|---|");
  for (const file of selection.accepted) {
    const description = sanitizeInline(file.description, { ...options, maxLength: 500 });
    lines.push(`| ${codeCell(file.path)} | ${codeCell(file.sourcePath)} | ${description} |`);
  }
  if (selection.refused.length > 0) {
    lines.push("", `**Refused** (${selection.refused.length}): these proposed paths are not where ${kind} may be written.`, "");
    for (const file of selection.refused) {
      lines.push(
        `- ${codeSpan(file.path)} (for ${codeSpan(file.sourcePath)}): ${sanitizeInline(file.reason, { ...options, maxLength: 300 })}`
      );
    }
  }
  if (results.failures.length > 0) {
    lines.push("", `**Not generated** (${results.failures.length} request(s) failed):`, "");
    for (const failure of results.failures.slice(0, 50)) {
      lines.push(
        `- ${failure.paths.map(codeSpan).join(", ")}: ${failure.status}, ${sanitizeInline(failure.reason, { ...options, maxLength: 300 })}`
      );
    }
  }
  const skipped = collapsedSkipped(skippedOf(state));
  if (skipped.length > 0) lines.push("", ...skipped);
  return lines.join("\n");
}
var WriteRefused = class extends Error {
};
async function step(name, run) {
  try {
    return await run();
  } catch (error) {
    if (httpStatus(error) === 403) throw new WriteRefused(`${name}: GitHub answered 403 (${errorMessage(error)})`);
    throw error;
  }
}
async function symlinkInTree(octokit, github, rootTree, path, cache) {
  const segments = path.split("/");
  let tree = rootTree;
  for (let i = 0; i < segments.length; i++) {
    let entries = cache.get(tree);
    if (!entries) {
      const response = await octokit.rest.git.getTree({ owner: github.owner, repo: github.repo, tree_sha: tree });
      entries = response.data.tree.map((e) => ({ path: e.path ?? "", mode: e.mode ?? "", type: e.type ?? "", sha: e.sha ?? "" }));
      cache.set(tree, entries);
    }
    const entry = entries.find((e) => e.path === segments[i]);
    if (!entry) return null;
    const prefix = segments.slice(0, i + 1).join("/");
    if (entry.mode === "120000") return i === segments.length - 1 ? `${path} is a symlink` : `${prefix}/ is a symlink`;
    if (i === segments.length - 1) return entry.type === "tree" ? `${path} is a directory` : null;
    if (entry.type !== "tree") return `${prefix} is a file, not a directory`;
    tree = entry.sha;
  }
  return null;
}
async function targetBranch(octokit, github, context) {
  const pull = context.state.pullRequest;
  if (pull && !pull.fromFork) return pull.headRef;
  const ref = context.state.ref;
  if (ref?.startsWith("refs/heads/")) return ref.slice("refs/heads/".length);
  const repository = await octokit.rest.repos.get({ owner: github.owner, repo: github.repo });
  return repository.data.default_branch;
}
async function openDraftPullRequest(github, context, selection) {
  const { octokit, owner, repo } = github;
  const branch = branchName(context);
  const task = context.results.task;
  const existing = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: "all", per_page: 10 });
  const previous = existing.data.find((pull2) => pull2.head.ref === branch);
  if (previous) return { url: previous.html_url, number: previous.number, reused: true };
  const base = baseCommit(context);
  let branchExists = false;
  try {
    await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
    branchExists = true;
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }
  if (!branchExists) {
    const commit = await octokit.rest.git.getCommit({ owner, repo, commit_sha: base });
    const cache = /* @__PURE__ */ new Map();
    const accepted = [];
    for (const file of selection.accepted) {
      const problem = await symlinkInTree(octokit, github, commit.data.tree.sha, file.path, cache);
      if (problem) selection.refused.push({ path: file.path, sourcePath: file.sourcePath, reason: problem });
      else accepted.push(file);
    }
    selection.accepted = accepted;
    if (accepted.length === 0) return { nothing: "every generated file was refused" };
    const entries = [];
    for (const file of accepted) {
      const blob = await step(
        "create blob",
        () => octokit.rest.git.createBlob({
          owner,
          repo,
          content: Buffer.from(file.content, "utf8").toString("base64"),
          encoding: "base64"
        })
      );
      entries.push({ path: file.path, mode: "100644", type: "blob", sha: blob.data.sha });
    }
    const tree = await step(
      "create tree",
      () => octokit.rest.git.createTree({ owner, repo, base_tree: commit.data.tree.sha, tree: entries })
    );
    const created = await step(
      "create commit",
      () => octokit.rest.git.createCommit({
        owner,
        repo,
        message: `overnight: ${what(task)} for ${accepted.length} file(s)

Generated by overnight (${task}) from batch(es) ${context.results.batchIds.join(", ") || "(interactive run)"}.`,
        tree: tree.data.sha,
        parents: [base]
      })
    );
    try {
      await step(
        "create branch",
        () => octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: created.data.sha })
      );
    } catch (error) {
      if (!(httpStatus(error) === 422 && /already exists/i.test(errorMessage(error)))) throw error;
    }
  }
  const body = capBody(
    `${marker("pull-request", { task, state: context.stateId, round: context.round })}
${describeGeneratedFiles(context, selection)}`
  ).body;
  const title = `overnight: ${what(task)} for ${new Set(selection.accepted.map((f) => f.sourcePath)).size} file(s)${context.state.pullRequest ? ` (PR #${context.state.pullRequest.number})` : ""}`;
  const baseBranch = await targetBranch(octokit, github, context);
  const pull = await step(
    "create pull request",
    () => octokit.rest.pulls.create({ owner, repo, title, head: branch, base: baseBranch, body, draft: true })
  );
  return { url: pull.data.html_url, number: pull.data.number, reused: false };
}
var execFileAsync = promisify(execFile);
function baseReader(context, cwd = process.cwd()) {
  const sha = baseCommit(context);
  const github = context.github;
  return async (path) => {
    if (github) {
      try {
        const response = await github.octokit.rest.repos.getContent({ owner: github.owner, repo: github.repo, path, ref: sha });
        const data = response.data;
        if (data.type === "file" && typeof data.content === "string") {
          return Buffer.from(data.content, data.encoding || "base64").toString("utf8");
        }
      } catch (error) {
        if (httpStatus(error) === 404) return null;
      }
    }
    try {
      const { stdout } = await execFileAsync("git", ["show", `${sha}:${path}`], { cwd, maxBuffer: 64 * 1024 * 1024 });
      return stdout;
    } catch {
      return null;
    }
  };
}
function patchPath(context) {
  return join(context.outputDir, `overnight-${context.results.task}.patch`);
}
async function writePatchArtifact(context, why, selection = selectGeneratedFiles(context.results.files, context.results.task), readBase = baseReader(context)) {
  const patch = await buildPatch(selection.accepted, readBase);
  const path = patchPath(context);
  await mkdir(context.outputDir, { recursive: true });
  const header = describeGeneratedFiles(context, selection).split("\n").map((line) => `# ${line}`.trimEnd()).join("\n");
  await writeFile(path, `${header}
#
# Apply with: git apply ${`overnight-${context.results.task}.patch`}

${patch}`, "utf8");
  const refused = selection.refused.length ? `; refused ${selection.refused.length}: ${selection.refused.map((r) => `${r.path} (${r.reason})`).join(", ")}` : "";
  return {
    target: "pull-request",
    path,
    note: `${selection.accepted.length} generated file(s) written as a patch to ${path} (${why})${refused}`
  };
}
function createPullRequestReporter(options = {}) {
  return {
    target: "pull-request",
    async publish(context) {
      const { results } = context;
      if (!writesFiles(results.task)) {
        return { target: "pull-request", note: `${results.task} generates no files: no pull request` };
      }
      const selection = selectGeneratedFiles(results.files, results.task, options.repoRoot);
      if (selection.accepted.length === 0) {
        const refused = selection.refused.map((r) => `${r.path} (${r.reason})`).join(", ");
        return {
          target: "pull-request",
          note: results.files.length === 0 ? "no files were generated" : `every generated file was refused: ${refused}`
        };
      }
      const github = context.github;
      if (options.preferPatch) return writePatchArtifact(context, "artifact requested", selection);
      if (!github) return writePatchArtifact(context, "no GitHub token or repository", selection);
      if (github.readOnly) return writePatchArtifact(context, "the token is read-only", selection);
      try {
        const opened = await openDraftPullRequest(github, context, selection);
        if ("nothing" in opened) {
          const refused2 = selection.refused.map((r) => `${r.path} (${r.reason})`).join(", ");
          return { target: "pull-request", note: `${opened.nothing}: ${refused2}` };
        }
        const refused = selection.refused.length ? `; refused ${selection.refused.length}: ${selection.refused.map((r) => `${r.path} (${r.reason})`).join(", ")}` : "";
        return {
          target: "pull-request",
          url: opened.url,
          note: `${opened.reused ? "draft pull request already open" : "opened draft pull request"} #${opened.number} with ${selection.accepted.length} file(s)${refused}`
        };
      } catch (error) {
        if (error instanceof WriteRefused) {
          context.log.warning(`pull-request: ${error.message}`);
          return writePatchArtifact(
            context,
            `${error.message}; allow it under Settings \u2192 Actions \u2192 General \u2192 "Allow GitHub Actions to create and approve pull requests", or give the workflow \`contents: write\` and \`pull-requests: write\``,
            selection
          );
        }
        throw error;
      }
    }
  };
}
var pullRequestReporter = createPullRequestReporter();

// src/reports/sarif.ts
import { mkdir as mkdir2, writeFile as writeFile2 } from "node:fs/promises";
import { dirname } from "node:path";
import { gzipSync } from "node:zlib";

// package.json
var package_default = {
  name: "overnight-review",
  version: "1.0.0",
  description: "Claude code review, security scans, tests and docs through Anthropic's Message Batches API: the same review at half the price, delivered by morning.",
  keywords: [
    "github-action",
    "code-review",
    "claude",
    "anthropic",
    "message-batches",
    "cli"
  ],
  type: "module",
  license: "MIT",
  engines: {
    node: ">=20"
  },
  bin: {
    overnight: "dist/cli.js"
  },
  files: [
    "dist",
    "action.yml",
    "LICENSE",
    "CHANGELOG.md"
  ],
  scripts: {
    build: "node scripts/build.mjs",
    "check-dist": "node scripts/build.mjs --check",
    typecheck: "tsc --noEmit",
    lint: "eslint . && prettier --check .",
    format: "prettier --write .",
    test: "vitest run",
    bench: "node --import tsx bench/run.ts",
    demo: "node dist/cli.js demo",
    pretest: "node scripts/ensure-node24.mjs",
    "local-action": "local-action run . src/main.ts .env",
    "pack-check": "node scripts/pack-check.mjs",
    "release-check": "node scripts/release-check.mjs"
  },
  devDependencies: {
    "@actions/artifact": "^6.2.1",
    "@actions/core": "^3.0.1",
    "@actions/github": "^9.1.1",
    "@anthropic-ai/sdk": "^1.12.0",
    "@aws-sdk/client-bedrock": "^3.1178.0",
    "@aws-sdk/client-bedrock-runtime": "^3.1178.0",
    "@aws-sdk/client-s3": "^3.1178.0",
    "@github/local-action": "^7.0.1",
    "@microsoft/sarif-multitool": "^5.7.0",
    "@octokit/openapi": "^23.0.2",
    "@octokit/plugin-retry": "^8.1.1",
    "@octokit/plugin-throttling": "^11.0.5",
    "@octokit/rest": "^22.0.1",
    "@secretlint/core": "^13.0.7",
    "@secretlint/profiler": "^13.0.7",
    "@secretlint/secretlint-rule-preset-recommend": "^13.0.7",
    "@types/node": "^20.19.0",
    "@types/sarif": "^2.1.7",
    ajv: "^8.20.0",
    esbuild: "^0.28.2",
    eslint: "^10.15.0",
    "fast-check": "^4.11.0",
    "fast-glob": "^3.3.3",
    "google-auth-library": "^10.9.1",
    ignore: "^7.0.16",
    micromark: "^4.0.3",
    "micromark-extension-gfm": "^3.0.0",
    "parse-diff": "^0.12.0",
    picomatch: "^2.3.2",
    prettier: "^3.10.1",
    tsx: "^4.20.0",
    typescript: "~5.9.3",
    "typescript-eslint": "^8.73.0",
    vitest: "^4.1.12",
    yaml: "^2.9.1"
  },
  allowScripts: {
    esbuild: true,
    "@microsoft/sarif-multitool-darwin": true,
    "@microsoft/sarif-multitool-linux": true
  },
  repository: {
    type: "git",
    url: "https://github.com/overnight-dev/overnight"
  },
  homepage: "https://github.com/overnight-dev/overnight#readme",
  bugs: {
    url: "https://github.com/overnight-dev/overnight/issues"
  }
};

// src/reports/sarif-rules.ts
var GUIDANCE = {
  "sql-injection": {
    name: "SqlQueryBuiltFromInput",
    short: "SQL query built from untrusted input",
    description: "Input reaches a SQL statement as text, so a crafted value can change the query: read or alter any data, or bypass checks.",
    fix: "Use parameterised queries (placeholders, values passed separately) or the query builder of the database library; never concatenate or interpolate values into SQL.",
    cwe: 89
  },
  "command-injection": {
    name: "ShellCommandBuiltFromInput",
    short: "OS command built from untrusted input",
    description: "Input reaches a shell command line, so shell syntax in a value runs commands of the attacker\u2019s choosing.",
    fix: "Run the program directly with an argument array (no shell), and check values against an allowlist.",
    cwe: 78
  },
  "code-injection": {
    name: "DynamicCodeEvaluation",
    short: "Untrusted input evaluated as code",
    description: "A string that may come from outside is evaluated as code (eval, Function, exec), so its author runs code in the process.",
    fix: "Do not evaluate strings: parse data with a data parser, or dispatch through a fixed table of functions.",
    cwe: 95
  },
  xss: {
    name: "CrossSiteScripting",
    short: "Cross-site scripting",
    description: "Untrusted text is written into a page as markup, so script in it runs in the victim\u2019s browser with their session.",
    fix: "Insert text as text (textContent, the template engine\u2019s escaping), or sanitise markup with a vetted sanitiser first.",
    cwe: 79
  },
  "path-traversal": {
    name: "FilePathFromInput",
    short: "File path built from untrusted input",
    description: "A path built from input can climb out of the intended directory (`../`), reading or writing files it should not reach.",
    fix: "Resolve the path and check that it stays inside the base directory, or map identifiers to files through an allowlist.",
    cwe: 22
  },
  "hardcoded-credentials": {
    name: "CredentialInSource",
    short: "Credential written in the source",
    description: "A password, token or key is part of the code: everyone with read access has it, and it cannot be rotated without a change.",
    fix: "Read the secret from the environment or a secret manager, and rotate the exposed value.",
    cwe: 798
  },
  "hardcoded-secret": {
    name: "SecretInSource",
    short: "Secret written in the source",
    description: "A secret is part of the code: everyone with read access has it, and it cannot be rotated without a change.",
    fix: "Read the secret from the environment or a secret manager, and rotate the exposed value.",
    cwe: 798
  },
  "weak-randomness": {
    name: "PredictableRandomValue",
    short: "Predictable random value used for security",
    description: "A non-cryptographic generator makes tokens, ids or passwords that an attacker can predict.",
    fix: "Use the platform\u2019s cryptographically secure generator (crypto.randomBytes / randomUUID, Python\u2019s secrets).",
    cwe: 338
  },
  "weak-crypto": {
    name: "BrokenCryptoAlgorithm",
    short: "Broken or weak cryptographic algorithm",
    description: "A hash or cipher that is broken or too fast for its purpose (MD5, SHA-1 for passwords, DES) protects data that needs real protection.",
    fix: "Use a current algorithm for the purpose: a slow KDF (scrypt, argon2, bcrypt) for passwords, SHA-256 or better for integrity, AES-GCM for encryption.",
    cwe: 327
  },
  "log-injection": {
    name: "UnneutralisedLogEntry",
    short: "Untrusted input written to a log unneutralised",
    description: "A value with line breaks can forge log entries or hide an attack from whoever reads the log.",
    fix: "Log values JSON-encoded, or strip CR and LF from them.",
    cwe: 117
  },
  "insecure-deserialization": {
    name: "UntrustedDeserialisation",
    short: "Deserialisation of untrusted data",
    description: "A format that can instantiate objects (pickle, unsafe YAML, Java serialisation) reads data that may come from outside, which can run code.",
    fix: "Use a data-only format (JSON, yaml.safe_load); never deserialise objects across a trust boundary.",
    cwe: 502
  },
  "missing-authorization": {
    name: "MissingAuthorisationCheck",
    short: "Action performed without an authorisation check",
    description: "An operation on protected data runs without checking that the caller may perform it.",
    fix: "Check the caller\u2019s permission for this resource before acting, in one place every route goes through.",
    cwe: 862
  },
  "information-leak": {
    name: "SensitiveInformationExposure",
    short: "Sensitive information exposed",
    description: "Internal details (secrets, stack traces, personal data) reach someone who should not see them.",
    fix: "Return generic errors to callers, log details only where they are protected, and filter what responses carry.",
    cwe: 200
  },
  "race-condition": {
    name: "UnsynchronisedSharedState",
    short: "Race condition",
    description: "Two operations on shared state can interleave, so a check and the action it guards no longer agree.",
    fix: "Make the check and the action one atomic step (a lock, a transaction, a conditional write).",
    cwe: 362
  },
  "null-dereference": {
    name: "NullValueDereferenced",
    short: "Possibly null value dereferenced",
    description: "A value that can be null or undefined is used as an object, which throws at run time on that path.",
    fix: "Handle the missing value where it can first be missing (return early, default, or report the error).",
    cwe: 476
  },
  "off-by-one": {
    name: "OffByOneBoundary",
    short: "Off-by-one boundary",
    description: "A loop or index bound is one too far or too short, reading past the end or skipping an element.",
    fix: "Use an exclusive upper bound (`<` length), or iterate over the elements instead of indices.",
    cwe: 193
  },
  "loose-equality": {
    name: "TypeCoercingComparison",
    short: "Comparison that coerces types",
    description: "A loose comparison (`==`, `!=`) converts types first, so values of different types can compare equal.",
    fix: "Compare with `===` / `!==`, and test null and undefined explicitly where both are meant.",
    cwe: 697
  },
  "swallowed-error": {
    name: "ErrorSilentlyIgnored",
    short: "Error caught and ignored",
    description: "An exception is caught and dropped, so a failure goes unnoticed and later code runs on a wrong assumption.",
    fix: "Handle the error, log it with context, or let it propagate.",
    cwe: 390
  },
  "error-handling": {
    name: "FaultyErrorHandling",
    short: "Faulty error handling",
    description: "An error path is missing or wrong, so a failure leaves the program in a state its callers do not expect.",
    fix: "Handle each failure where it can be handled, and report the rest with enough context to act on.",
    cwe: 755
  }
};
function cweUrl(cwe) {
  return `https://cwe.mitre.org/data/definitions/${cwe}.html`;
}
function pascalCase(id) {
  return id.split("-").filter(Boolean).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("");
}
function humanise(id) {
  const words = id.replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
function composedGuidance(id, taskTitle2, cwe) {
  const pascal = pascalCase(id) || "Uncategorised";
  const words = humanise(id);
  return {
    // `xss` → `Xss` would equal the id but for case; a suffix keeps the name an end-user name.
    name: pascal.toLowerCase() === id.toLowerCase() ? `${pascal}Finding` : pascal,
    short: words,
    description: `Problems that overnight's ${taskTitle2.toLowerCase()} reported under the category "${words}"${cwe ? `, related to weakness CWE-${cwe}` : ""}. The category is the reviewing model's own; the alert's message says what is wrong at that place and why.`,
    fix: "Read the alert\u2019s message: it explains the problem at that location and, where the model had one, how to fix it. The pull request or issue report of the same run shows the suggested fix in full.",
    ...cwe ? { cwe } : {}
  };
}
function ruleText(id, taskTitle2, cwe) {
  const guidance = GUIDANCE[id] ?? composedGuidance(id, taskTitle2, cwe);
  const weakness = guidance.cwe ?? null;
  const textSeeAlso = weakness ? `

Weakness: CWE-${weakness}, ${cweUrl(weakness)}` : "";
  const markdownSeeAlso = weakness ? `

Weakness: [CWE-${weakness}](${cweUrl(weakness)})` : "";
  return {
    name: guidance.name,
    shortDescription: { text: guidance.short },
    fullDescription: { text: guidance.description },
    help: {
      text: `${guidance.description}

Fix: ${guidance.fix}${textSeeAlso}`,
      markdown: `**${guidance.short}**

${guidance.description}

**Fix:** ${guidance.fix}${markdownSeeAlso}`
    },
    ...weakness ? { helpUri: cweUrl(weakness) } : {},
    cwe: weakness
  };
}

// src/reports/sarif.ts
var SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
var OVERNIGHT_INFORMATION_URI = "https://github.com/overnight-dev/overnight";
var FINGERPRINT_KEY = "overnightFingerprint/v1";
var MAX_GZIPPED_SARIF_BYTES = 10 * 1024 * 1024;
var MAX_MESSAGE_LENGTH = 4e3;
function sarifLevel(severity) {
  if (severity === "critical" || severity === "high") return "error";
  if (severity === "medium") return "warning";
  return "note";
}
var SECURITY_SEVERITY = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "1.0"
};
function sarifUri(path) {
  return path.replace(/\\/g, "/").split("/").filter((segment) => segment.length > 0 && segment !== ".").map(encodeURIComponent).join("/");
}
function cweNumber(cwe) {
  const match = cwe?.trim().match(/^(?:cwe)?[-_ ]?(\d{1,5})$/i);
  return match && Number(match[1]) > 0 ? Number(match[1]) : null;
}
function cweTag(cwe) {
  const number = cweNumber(cwe);
  return number === null ? null : `external/cwe/cwe-${number}`;
}
function ruleId(category) {
  const id = category.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64);
  return id || "uncategorised";
}
function isSecurity(task, finding) {
  return task === "security-scan" || cweTag(finding.cwe) !== null;
}
function buildSarif(input) {
  const sanitizeOptions = { serverUrl: input.serverUrl, owner: input.owner, repo: input.repo };
  const findings = sortFindings(input.findings);
  const rules = [];
  const ruleIndex = /* @__PURE__ */ new Map();
  const ruleWorst = /* @__PURE__ */ new Map();
  const ruleWeakness = /* @__PURE__ */ new Map();
  for (const finding of findings) {
    const id = ruleId(finding.category);
    let index = ruleIndex.get(id);
    if (index === void 0) {
      index = rules.length;
      ruleIndex.set(id, index);
      ruleWorst.set(id, finding.severity);
      const { cwe: ruleCwe, ...text } = ruleText(id, taskTitle(input.task), cweNumber(finding.cwe));
      rules.push({
        id,
        ...text,
        defaultConfiguration: { level: sarifLevel(finding.severity) },
        properties: { tags: [input.task] }
      });
      if (ruleCwe) ruleWeakness.set(id, `external/cwe/cwe-${ruleCwe}`);
    }
    const rule = rules[index];
    const tags = rule.properties.tags;
    if (isSecurity(input.task, finding)) {
      if (!tags.includes("security")) tags.push("security");
      rule.properties["security-severity"] = SECURITY_SEVERITY[ruleWorst.get(id)];
    }
    const cwe = cweTag(finding.cwe);
    if (cwe && !tags.includes(cwe)) tags.push(cwe);
  }
  for (const [id, tag] of ruleWeakness) {
    const tags = rules[ruleIndex.get(id)].properties.tags;
    if (!tags.includes(tag)) tags.push(tag);
  }
  const results = findings.map((finding) => {
    const id = ruleId(finding.category);
    const startLine = Math.max(1, Math.min(finding.startLine, finding.endLine));
    const endLine = Math.max(startLine, finding.startLine, finding.endLine);
    const title = sanitizeInline(finding.title, { ...sanitizeOptions, maxLength: 300 });
    const explanation = sanitizeInline(finding.explanation, { ...sanitizeOptions, maxLength: MAX_MESSAGE_LENGTH });
    return {
      ruleId: id,
      ruleIndex: ruleIndex.get(id),
      level: sarifLevel(finding.severity),
      message: { text: explanation ? `${title}: ${explanation}` : title },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: sarifUri(finding.path), uriBaseId: "%SRCROOT%" },
            region: { startLine, endLine }
          }
        }
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
      properties: { severity: finding.severity, ...finding.cwe ? { cwe: finding.cwe } : {} }
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "overnight",
            informationUri: OVERNIGHT_INFORMATION_URI,
            version: package_default.version,
            semanticVersion: package_default.version,
            rules
          }
        },
        // One analysis category per task: a code-review upload never replaces security-scan alerts.
        automationDetails: { id: `overnight/${input.task}/` },
        ...input.provenance ? { versionControlProvenance: [input.provenance] } : {},
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The repository root." } } },
        results
      }
    ]
  };
}
function provenanceOf(context) {
  const repository = repositoryOf(context);
  if (!repository) return {};
  const { state } = context;
  const branch = state.pullRequest?.headRef ?? state.ref?.replace(/^refs\/heads\//, "") ?? void 0;
  const repositoryUri = `${repository.serverUrl.replace(/\/+$/, "")}/${repository.owner}/${repository.repo}`;
  return {
    provenance: {
      repositoryUri,
      revisionId: state.pullRequest?.headSha ?? state.headSha,
      ...branch && !branch.startsWith("refs/") ? { branch } : {},
      // Result paths are relative to %SRCROOT%, which is this repository's root.
      mappedTo: { uriBaseId: "%SRCROOT%" }
    }
  };
}
async function writeSarif(context) {
  const log = buildSarif({
    task: context.results.task,
    findings: reportedFindings(context.results),
    ...sanitizeOptionsFor(context),
    ...provenanceOf(context)
  });
  await mkdir2(dirname(context.sarifPath), { recursive: true });
  await writeFile2(context.sarifPath, `${JSON.stringify(log, null, 2)}
`, "utf8");
  return log;
}
function sarifRef(state) {
  if (state.pullRequest) return `refs/pull/${state.pullRequest.number}/head`;
  if (!state.ref) return null;
  return state.ref.startsWith("refs/") ? state.ref : `refs/heads/${state.ref}`;
}
function encodeSarif(log) {
  const gzipped = gzipSync(Buffer.from(JSON.stringify(log), "utf8"));
  return { encoded: gzipped.toString("base64"), gzippedBytes: gzipped.length };
}
var sarifReporter = {
  target: "sarif",
  async publish(context) {
    const log = await writeSarif(context);
    const path = context.sarifPath;
    const github = context.github;
    if (!github) return { target: "sarif", path, note: `SARIF written to ${path}; not uploaded (no GitHub token or repository)` };
    if (github.readOnly) {
      return { target: "sarif", path, note: `SARIF written to ${path}; not uploaded (read-only token, e.g. a fork PR)` };
    }
    const ref = sarifRef(context.state);
    if (!ref) return { target: "sarif", path, note: `SARIF written to ${path}; not uploaded (the state records no git ref)` };
    const { encoded, gzippedBytes } = encodeSarif(log);
    if (gzippedBytes > MAX_GZIPPED_SARIF_BYTES) {
      return {
        target: "sarif",
        path,
        note: `SARIF written to ${path}; not uploaded: ${(gzippedBytes / 1024 / 1024).toFixed(1)} MB gzipped is over code scanning's 10 MB limit (narrow include/exclude or raise min-severity)`
      };
    }
    const commitSha = context.state.pullRequest?.headSha ?? context.state.headSha;
    try {
      await github.octokit.rest.codeScanning.uploadSarif({
        owner: github.owner,
        repo: github.repo,
        commit_sha: commitSha,
        ref,
        sarif: encoded,
        tool_name: "overnight"
      });
    } catch (error) {
      const status = httpStatus(error);
      const why = status === 403 ? "GitHub answered 403: the workflow needs `permissions: security-events: write` (and code scanning must be available for the repository)" : status === 404 ? "GitHub answered 404: code scanning is not available for this repository" : `upload failed: ${errorMessage(error)}`;
      context.log.warning(`SARIF upload: ${why}`);
      return { target: "sarif", path, note: `SARIF written to ${path}; not uploaded: ${why}` };
    }
    const count = log.runs[0]?.results?.length ?? 0;
    const query = context.state.pullRequest ? `?query=pr%3A${context.state.pullRequest.number}` : "";
    const url = `${github.serverUrl.replace(/\/+$/, "")}/${github.owner}/${github.repo}/security/code-scanning${query}`;
    return { target: "sarif", path, url, note: `SARIF with ${count} result(s) uploaded to code scanning for ${ref}` };
  }
};

// src/reports/index.ts
var GITHUB_TARGETS = /* @__PURE__ */ new Set(["issue", "pr-review", "pr-comment", "sarif", "pull-request"]);
function reportersFor(targets, task, earlier, repoRoot, checkRun) {
  const wanted = new Set(targets);
  const list = [];
  if (wanted.has("sarif")) list.push(sarifReporter);
  if (wanted.has("issue")) list.push(issueReporter);
  if (wanted.has("pr-review")) list.push(prReviewReporter);
  if (wanted.has("pr-comment")) list.push(prCommentReporter);
  if (writesFiles(task) && (wanted.has("pull-request") || wanted.has("artifact"))) {
    list.push(createPullRequestReporter({ preferPatch: !wanted.has("pull-request"), ...repoRoot ? { repoRoot } : {} }));
  }
  if (checkRun) {
    list.push(
      createCheckRunReporter({
        ...checkRun,
        links: () => earlier().filter((r) => r.url).map((r) => ({ label: r.target, url: r.url }))
      })
    );
  }
  if (wanted.has("summary")) {
    list.push({
      target: "summary",
      publish: (context) => createSummaryReporter({
        links: earlier().filter((r) => r.url).map((r) => ({ label: r.target, url: r.url })),
        notes: earlier().filter((r) => !r.url).map((r) => `${r.target}: ${r.note}`)
      }).publish(context)
    });
  }
  return list;
}

export {
  DEFAULT_ISSUE_LABELS,
  baseReader,
  writePatchArtifact,
  writeSarif,
  GITHUB_TARGETS,
  reportersFor
};
