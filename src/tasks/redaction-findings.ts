// Secrets the scanner redacted, reported as findings. Before anything is sent, a secret in a file is
// replaced by `[REDACTED:<rule>]` (gather/redact.ts) and the model is told not to report the marker, so
// a live key committed in source would produce no finding at all. Instead every redaction in the head
// content of a file that is sent becomes a deterministic finding: CWE-798, high, at the secret's line
// (redaction keeps line structure, so it is the line in the real file), naming the scanner rule that
// matched and never the value.
//
// The positions travel from submit to collect in the signed state, on the request that sent the file
// (RequestRecord.secrets: path, lines, rule; no value, no hash of one), so a file dropped by the budget
// or a batch that could not be created takes its redactions with it. Collect adds them to that
// request's findings (engine/outcome.ts), where they go the way of every model finding: min-severity,
// results.jsonl, SARIF, the issue, inline comments, dismissals, fail-on-severity. Their fingerprint is
// computed like a model finding's (makeFinding: path, CWE and the redacted code of the lines), so the
// same committed key is one finding across nights and across code-review and security-scan (both
// report them; a fingerprint already posted is not posted again), and a model's own CWE-798 finding
// on the same line is merged into it.
import {
  SEVERITIES,
  type Finding,
  type PlannedRequest,
  type RequestRecord,
  type SecretSpot,
  type SourceFile,
  type TaskName,
  type TaskOutput,
} from '../types.js';
import { splitLines } from '../prompt/format.js';
import { makeFinding, sentFiles, type RawFinding } from './common.js';
import { fingerprint, normaliseCode, twinCode } from './fingerprint.js';
import { FALSE_POSITIVE_CLASSES } from './false-positives.js';

/** The findings tasks: a team running either expects a committed key reported. */
export const REDACTION_FINDING_TASKS: ReadonlySet<TaskName> = new Set(['code-review', 'security-scan']);

export const REDACTION_CWE = 'CWE-798';
/** The category security-scan's prompt gives as its example for this weakness. */
export const REDACTION_CATEGORY = 'hardcoded-secret';

/** Weaknesses a model may report about the same secret: merged into the redaction's finding. */
const SAME_WEAKNESS_CWES = new Set(['CWE-798', 'CWE-259', 'CWE-321', 'CWE-547']);
const SAME_WEAKNESS_CATEGORY = /hard-?coded|(^|-)secrets?(-|$)|credential|api-key|(^|-)token(-|$)/;

/** Readable names of the rules' checks; any other rule is shown by its id. */
const RULE_LABELS: Record<string, string> = {
  AWSAccessKeyID: 'AWS access key ID',
  AWSSecretAccessKey: 'AWS secret access key',
  AWSAccountID: 'AWS account ID',
  aws: 'AWS credential',
  github: 'GitHub token',
  gcp: 'Google Cloud service account key',
  'google-api-key': 'Google API key',
  privatekey: 'private key',
  'private-key': 'private key',
  slack: 'Slack token',
  npm: 'npm token',
  'npmrc-token': 'npm registry token',
  openai: 'OpenAI API key',
  anthropic: 'Anthropic API key',
  sendgrid: 'SendGrid API key',
  shopify: 'Shopify token',
  linear: 'Linear API key',
  '1password': '1Password secret',
  basicauth: 'password in a URL (basic auth)',
  'connection-string-password': 'password in a connection string',
  'command-line-password': 'password on a command line',
  'authorization-header': 'credential in an Authorization header',
  'password-assignment': 'password in code',
  'secret-assignment': 'secret under a secret-like name',
  jwt: 'JSON Web Token',
  'azure-key': 'Azure storage key or SAS signature',
  twilio: 'Twilio credential',
  mailgun: 'Mailgun API key',
  telegram: 'Telegram bot token',
  'sentry-dsn': 'Sentry DSN key',
  huggingface: 'Hugging Face token',
};

/** A rule or check id as it may appear in a title: letters, digits and a few separators, short. */
const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.@/-]{0,79}$/;

/** What the finding calls the secret: the check's name, else the rule's, else the rule id. */
export function secretLabel(spot: Pick<SecretSpot, 'rule' | 'check'>): string {
  return (spot.check && RULE_LABELS[spot.check]) || RULE_LABELS[spot.rule] || spot.rule;
}

/**
 * Gives each request the redactions of its files (called once the requests are final: after the
 * budget). A file split over several requests gives each redaction to the request whose lines hold
 * it, else to the file's first request, so every redaction is reported once.
 */
export function recordRedactions(task: TaskName, requests: readonly PlannedRequest[], files: readonly SourceFile[]): void {
  if (!REDACTION_FINDING_TASKS.has(task)) return;
  const byPath = new Map(files.filter((file) => file.secrets?.length).map((file) => [file.path, file.secrets!]));
  if (byPath.size === 0) return;
  const holders = new Map<string, PlannedRequest[]>();
  for (const request of requests) {
    for (const path of request.record.paths) {
      if (!byPath.has(path)) continue;
      const list = holders.get(path);
      if (list) list.push(request);
      else holders.set(path, [request]);
    }
  }
  for (const [path, requestsOfPath] of holders) {
    for (const spot of byPath.get(path)!) {
      const holder =
        requestsOfPath.find((request) =>
          (request.record.lineRanges[path] ?? []).some((range) => range.start <= spot.line && spot.line <= range.end),
        ) ?? requestsOfPath[0]!;
      (holder.record.secrets ??= []).push({ path, ...spot });
    }
  }
}

/** A spot read back from a state is used only when it is what recordRedactions wrote. */
function validSpot(spot: unknown, paths: readonly string[]): spot is SecretSpot & { path: string } {
  if (!spot || typeof spot !== 'object') return false;
  const { path, line, endLine, rule, check } = spot as Record<string, unknown>;
  return (
    typeof path === 'string' &&
    paths.includes(path) &&
    Number.isInteger(line) &&
    (line as number) >= 1 &&
    (endLine === undefined || (Number.isInteger(endLine) && (endLine as number) >= (line as number))) &&
    typeof rule === 'string' &&
    RULE_ID.test(rule) &&
    (check === undefined || (typeof check === 'string' && RULE_ID.test(check)))
  );
}

type RecordedSpot = SecretSpot & { path: string };

/** The finding of the redactions on one line (a key id and its secret are one credential): nothing in it comes from the secret or the model. */
function rawFindingOf(spots: RecordedSpot[], endLine: number): Omit<RawFinding, 'path'> {
  const first = spots[0]!;
  const labels = [...new Set(spots.map(secretLabel))];
  const rules = [...new Set(spots.map((spot) => (spot.check ? `${spot.rule} (${spot.check})` : spot.rule)))];
  // A key in a test, an example or the docs is most often a fixture: `likely`, so the false-positive
  // classes hold it back unless a team chooses to see them (.github/overnight.yml).
  const where = { path: first.path, category: REDACTION_CATEGORY, cwe: REDACTION_CWE };
  const fixture = FALSE_POSITIVE_CLASSES['test-code'].matches(where) || FALSE_POSITIVE_CLASSES.documentation.matches(where);
  const what = labels.join(', ');
  return {
    start_line: first.line,
    end_line: endLine,
    trigger: 'anyone who can read the repository or its history → copies the committed credential → uses it',
    confidence: fixture ? 'likely' : 'certain',
    severity: 'high',
    category: REDACTION_CATEGORY,
    title: `Hard-coded credential: ${what}`,
    explanation:
      `overnight's secret scanner (${rules.length > 1 ? 'rules' : 'rule'} ${rules.join(', ')}) found ${labels.length > 1 ? 'credentials' : 'a credential'} committed here: ${what}. ` +
      'The value was redacted before anything was sent and is never shown in a report. Whoever can read the repository, a clone or its history has it: treat it as exposed.',
    fix_explanation:
      'Revoke and rotate the credential, remove it from the code, and read it from the environment or a secret manager. Removing it from the history does not undo the exposure.',
    replacement: null,
    cwe: REDACTION_CWE,
  };
}

/** The findings of the redactions a request's record carries (one per line), on the files read back for it. */
export function redactionFindings(task: TaskName, record: RequestRecord, files: SourceFile[], customId: string): Finding[] {
  if (!REDACTION_FINDING_TASKS.has(task) || !Array.isArray(record.secrets)) return [];
  const sent = sentFiles({ customId, record, files });
  const byLines = new Map<string, RecordedSpot[]>();
  for (const spot of record.secrets) {
    if (!validSpot(spot, record.paths)) continue;
    const key = JSON.stringify([spot.path, spot.line, spot.endLine ?? spot.line]);
    const list = byLines.get(key);
    if (list) list.push(spot);
    else byLines.set(key, [spot]);
  }
  const findings: Finding[] = [];
  const lines = new Map<string, string[]>();
  for (const spots of byLines.values()) {
    const first = spots[0]!;
    const file = sent.get(first.path);
    if (!file || first.line > file.totalLines) continue;
    const range = { start: first.line, end: Math.min(first.endLine ?? first.line, file.totalLines) };
    const finding = makeFinding(task, file, rawFindingOf(spots, range.end), customId, (cwe) => cwe, range);
    if (!finding) continue;
    finding.scanner = true;
    if (!lines.has(first.path)) lines.set(first.path, splitLines(file.file.content));
    const fileLines = lines.get(first.path)!;
    const repeat = range.start === range.end ? earlierTwins(fileLines, first.line) : 0;
    // Test suites repeat `const token = '[REDACTED:jwt]'` with a different token each time: each is a
    // secret of its own, so the n-th twin gets a fingerprint of its own (still free of line numbers).
    if (repeat > 0) {
      const code = twinCode(fileLines[first.line - 1]!, repeat + 1);
      finding.fingerprint = fingerprint({ task, path: first.path, category: finding.category, cwe: finding.cwe, code });
    }
    findings.push(finding);
  }
  return findings;
}

/** How many lines above `line` read the same as it (whitespace aside): its twins. */
function earlierTwins(lines: readonly string[], line: number): number {
  const text = normaliseCode(lines[line - 1] ?? '');
  if (!text) return 0;
  let count = 0;
  for (let index = 0; index < line - 1; index++) if (normaliseCode(lines[index]!) === text) count++;
  return count;
}

/** Whether a model's finding is about the same secret as a redaction's: same weakness, its lines overlap. */
function sameSecret(model: Finding, redaction: Finding): boolean {
  if (model.path !== redaction.path || model.startLine > redaction.endLine || model.endLine < redaction.startLine) return false;
  return (model.cwe !== null && SAME_WEAKNESS_CWES.has(model.cwe)) || SAME_WEAKNESS_CATEGORY.test(model.category);
}

/**
 * Adds a request's redaction findings to its answer, in place. A model finding about the same secret
 * (a hard-coded credential on the redaction's lines) is merged into the redaction's finding, which
 * keeps the worse severity of the two; returns how many findings were added.
 */
export function addRedactionFindings(
  output: TaskOutput,
  task: TaskName,
  record: RequestRecord,
  files: SourceFile[],
  customId: string,
): number {
  if (output.kind !== 'findings') return 0;
  const redactions = redactionFindings(task, record, files, customId);
  if (redactions.length === 0) return 0;
  const rank = (finding: Finding): number => SEVERITIES.indexOf(finding.severity);
  const kept: Finding[] = [];
  for (const model of output.findings) {
    const same = redactions.find((redaction) => sameSecret(model, redaction));
    if (!same) kept.push(model);
    else if (rank(model) < rank(same)) same.severity = model.severity;
  }
  output.findings = [...redactions, ...kept];
  return redactions.length;
}
