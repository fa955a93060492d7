// SARIF 2.1.0 output. security-scan always writes the file (sarif-path, called by the engine through
// writeSarif); the 'sarif' report target also uploads it to GitHub code scanning.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import packageJson from '../../package.json' with { type: 'json' };
import type { Finding, Severity, TaskName } from '../types.js';
import type { RunState } from '../state/state.js';
import { sortFindings } from './group.js';
import { reportedFindings } from './diff-lines.js';
import type { Reporter, ReportContext, ReportResult } from './reporter.js';
import { sanitizeInline } from './sanitize.js';
import { repositoryOf, sanitizeOptionsFor, taskTitle } from './format.js';
import { ruleText } from './sarif-rules.js';
import { errorMessage, httpStatus } from '../github/errors.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Where users learn what the tool is; shown by code scanning next to every alert. */
export const OVERNIGHT_INFORMATION_URI = 'https://github.com/overnight-dev/overnight';
/** Key of the fingerprint GitHub uses to follow one alert across commits. */
export const FINGERPRINT_KEY = 'overnightFingerprint/v1';
/** GitHub refuses uploads above 10 MB once gzipped. */
export const MAX_GZIPPED_SARIF_BYTES = 10 * 1024 * 1024;

const MAX_MESSAGE_LENGTH = 4_000;

type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  if (severity === 'critical' || severity === 'high') return 'error';
  if (severity === 'medium') return 'warning';
  return 'note';
}

/** code scanning ranks security alerts by this score (CVSS-like, as a string) on the rule. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

/** A relative URI: each path segment percent-encoded (`src/legacy code/a.ts` → `src/legacy%20code/a.ts`). */
export function sarifUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment.length > 0 && segment !== '.')
    .map(encodeURIComponent)
    .join('/');
}

/** 'CWE-89', 'cwe_89', '89' → 89; else null. */
function cweNumber(cwe: string | null): number | null {
  const match = cwe?.trim().match(/^(?:cwe)?[-_ ]?(\d{1,5})$/i);
  return match && Number(match[1]) > 0 ? Number(match[1]) : null;
}

/** 'CWE-89', 'cwe_89', '89' → 'external/cwe/cwe-89' (the tag code scanning links to MITRE); else null. */
export function cweTag(cwe: string | null): string | null {
  const number = cweNumber(cwe);
  return number === null ? null : `external/cwe/cwe-${number}`;
}

/** A rule id from a model-chosen category: lowercase, dashes, never empty. */
export function ruleId(category: string): string {
  const id = category
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return id || 'uncategorised';
}

function isSecurity(task: TaskName, finding: Finding): boolean {
  return task === 'security-scan' || cweTag(finding.cwe) !== null;
}

export interface SarifInput {
  task: TaskName;
  findings: Finding[];
  /** For sanitising model text (links and mentions are judged against this repository). */
  serverUrl: string;
  owner: string;
  repo: string;
  /**
   * What was analysed (SARIF versionControlProvenance): the repository's URL, the commit and the
   * branch. Absent for a local repository with no GitHub remote known.
   */
  provenance?: { repositoryUri: string; revisionId: string; branch?: string; mappedTo: { uriBaseId: string } };
}

/** The SARIF document for one collect: one run, one rule per category, one result per finding. */
export function buildSarif(input: SarifInput): Log {
  const sanitizeOptions = { serverUrl: input.serverUrl, owner: input.owner, repo: input.repo };
  const findings = sortFindings(input.findings);
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const ruleWorst = new Map<string, Severity>();
  const ruleWeakness = new Map<string, string>();

  for (const finding of findings) {
    const id = ruleId(finding.category);
    let index = ruleIndex.get(id);
    if (index === undefined) {
      index = rules.length;
      ruleIndex.set(id, index);
      // Findings are sorted worst first: the first one of a category sets its default level.
      ruleWorst.set(id, finding.severity);
      const { cwe: ruleCwe, ...text } = ruleText(id, taskTitle(input.task), cweNumber(finding.cwe));
      rules.push({
        id,
        ...text,
        defaultConfiguration: { level: sarifLevel(finding.severity) },
        properties: { tags: [input.task] },
      });
      if (ruleCwe) ruleWeakness.set(id, `external/cwe/cwe-${ruleCwe}`);
    }
    const rule = rules[index]!;
    const tags = rule.properties!.tags!;
    if (isSecurity(input.task, finding)) {
      if (!tags.includes('security')) tags.push('security');
      rule.properties!['security-severity'] = SECURITY_SEVERITY[ruleWorst.get(id)!];
    }
    const cwe = cweTag(finding.cwe);
    if (cwe && !tags.includes(cwe)) tags.push(cwe);
  }
  // The weakness the rule's help links to is tagged too (after the findings' own tags).
  for (const [id, tag] of ruleWeakness) {
    const tags = rules[ruleIndex.get(id)!]!.properties!.tags!;
    if (!tags.includes(tag)) tags.push(tag);
  }

  const results: Result[] = findings.map((finding) => {
    const id = ruleId(finding.category);
    const startLine = Math.max(1, Math.min(finding.startLine, finding.endLine));
    const endLine = Math.max(startLine, finding.startLine, finding.endLine);
    const title = sanitizeInline(finding.title, { ...sanitizeOptions, maxLength: 300 });
    const explanation = sanitizeInline(finding.explanation, { ...sanitizeOptions, maxLength: MAX_MESSAGE_LENGTH });
    return {
      ruleId: id,
      ruleIndex: ruleIndex.get(id)!,
      level: sarifLevel(finding.severity),
      message: { text: explanation ? `${title}: ${explanation}` : title },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: sarifUri(finding.path), uriBaseId: '%SRCROOT%' },
            region: { startLine, endLine },
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
      properties: { severity: finding.severity, ...(finding.cwe ? { cwe: finding.cwe } : {}) },
    };
  });

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'overnight',
            informationUri: OVERNIGHT_INFORMATION_URI,
            version: packageJson.version,
            semanticVersion: packageJson.version,
            rules,
          },
        },
        // One analysis category per task: a code-review upload never replaces security-scan alerts.
        automationDetails: { id: `overnight/${input.task}/` },
        ...(input.provenance ? { versionControlProvenance: [input.provenance] } : {}),
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root.' } } },
        results,
      },
    ],
  };
}

/** The repository, commit and branch analysed, when the repository is known (see SarifInput). */
function provenanceOf(context: ReportContext): Pick<SarifInput, 'provenance'> {
  const repository = repositoryOf(context);
  if (!repository) return {};
  const { state } = context;
  const branch = state.pullRequest?.headRef ?? state.ref?.replace(/^refs\/heads\//, '') ?? undefined;
  const repositoryUri = `${repository.serverUrl.replace(/\/+$/, '')}/${repository.owner}/${repository.repo}`;
  return {
    provenance: {
      repositoryUri,
      revisionId: state.pullRequest?.headSha ?? state.headSha,
      ...(branch && !branch.startsWith('refs/') ? { branch } : {}),
      // Result paths are relative to %SRCROOT%, which is this repository's root.
      mappedTo: { uriBaseId: '%SRCROOT%' },
    },
  };
}

/** Writes the SARIF file to context.sarifPath (always, for security-scan); returns the document. */
export async function writeSarif(context: ReportContext): Promise<Log> {
  const log = buildSarif({
    task: context.results.task,
    findings: reportedFindings(context.results),
    ...sanitizeOptionsFor(context),
    ...provenanceOf(context),
  });
  await mkdir(dirname(context.sarifPath), { recursive: true });
  await writeFile(context.sarifPath, `${JSON.stringify(log, null, 2)}\n`, 'utf8');
  return log;
}

/** The ref code scanning files the analysis under: the PR's head for PR runs (commit_sha is the head). */
export function sarifRef(state: RunState): string | null {
  if (state.pullRequest) return `refs/pull/${state.pullRequest.number}/head`;
  if (!state.ref) return null;
  return state.ref.startsWith('refs/') ? state.ref : `refs/heads/${state.ref}`;
}

/** gzip, then base64: what POST /code-scanning/sarifs wants in `sarif`. */
export function encodeSarif(log: Log): { encoded: string; gzippedBytes: number } {
  const gzipped = gzipSync(Buffer.from(JSON.stringify(log), 'utf8'));
  return { encoded: gzipped.toString('base64'), gzippedBytes: gzipped.length };
}

export const sarifReporter: Reporter = {
  target: 'sarif',
  async publish(context: ReportContext): Promise<ReportResult> {
    const log = await writeSarif(context);
    const path = context.sarifPath;
    const github = context.github;
    if (!github) return { target: 'sarif', path, note: `SARIF written to ${path}; not uploaded (no GitHub token or repository)` };
    if (github.readOnly) {
      return { target: 'sarif', path, note: `SARIF written to ${path}; not uploaded (read-only token, e.g. a fork PR)` };
    }
    const ref = sarifRef(context.state);
    if (!ref) return { target: 'sarif', path, note: `SARIF written to ${path}; not uploaded (the state records no git ref)` };
    const { encoded, gzippedBytes } = encodeSarif(log);
    if (gzippedBytes > MAX_GZIPPED_SARIF_BYTES) {
      return {
        target: 'sarif',
        path,
        note: `SARIF written to ${path}; not uploaded: ${(gzippedBytes / 1024 / 1024).toFixed(1)} MB gzipped is over code scanning's 10 MB limit (narrow include/exclude or raise min-severity)`,
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
        tool_name: 'overnight',
      });
    } catch (error) {
      const status = httpStatus(error);
      const why =
        status === 403
          ? 'GitHub answered 403: the workflow needs `permissions: security-events: write` (and code scanning must be available for the repository)'
          : status === 404
            ? 'GitHub answered 404: code scanning is not available for this repository'
            : `upload failed: ${errorMessage(error)}`;
      context.log.warning(`SARIF upload: ${why}`);
      return { target: 'sarif', path, note: `SARIF written to ${path}; not uploaded: ${why}` };
    }
    const count = log.runs[0]?.results?.length ?? 0;
    const query = context.state.pullRequest ? `?query=pr%3A${context.state.pullRequest.number}` : '';
    const url = `${github.serverUrl.replace(/\/+$/, '')}/${github.owner}/${github.repo}/security/code-scanning${query}`;
    return { target: 'sarif', path, url, note: `SARIF with ${count} result(s) uploaded to code scanning for ${ref}` };
  },
};
