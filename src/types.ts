// The vocabulary every part of overnight shares. Parts depend on these types, never on each other's
// internals, so a task, a report target or a state store can be swapped without touching the rest.
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';

export const TASK_NAMES = ['code-review', 'security-scan', 'test-generation', 'docs-update', 'refactor-validation'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

export const MODES = ['submit', 'collect', 'run', 'auto'] as const;
export type Mode = (typeof MODES)[number];

export const REPORT_TARGETS = ['issue', 'pr-review', 'pr-comment', 'sarif', 'pull-request', 'summary', 'artifact'] as const;
export type ReportTarget = (typeof REPORT_TARGETS)[number];

/** Ordered from most to least severe; index 0 is the worst. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** What the findings tasks may answer: `info` is not a finding a team acts on, so the schema has no room for it. */
export const FINDING_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
/**
 * How sure the model is that a finding is real, most sure first: `certain` (the quoted code alone
 * shows it goes wrong), `likely` (it goes wrong under a plausible assumption about code not shown),
 * `possible` (it depends on code or input the model did not see).
 */
export const CONFIDENCES = ['certain', 'likely', 'possible'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export interface LineRange {
  /** 1-based, inclusive. */
  start: number;
  /** 1-based, inclusive. */
  end: number;
}

/** One changed file as gathered from git, ready to be put into a prompt. */
export interface SourceFile {
  /** Repository-relative POSIX path. */
  path: string;
  /** Content at the reviewed commit, after secret redaction. */
  content: string;
  /** sha256 (hex) of the content at the reviewed commit BEFORE redaction (what git has). */
  contentHash: string;
  /** Content at the base commit (refactor-validation, PR flows); undefined for new files. */
  baseContent?: string;
  /** Unified diff of this file between base and head (redacted); '' for a file without a base. */
  diff: string;
  /** Line ranges of the head version touched by the change; the whole file for a new file. */
  changedRanges: LineRange[];
  status: 'added' | 'modified' | 'renamed';
  /** Previous path for renames. */
  previousPath?: string;
  /** Language id guessed from the extension (typescript, python, go, ...). */
  language: string;
  /** How many secret-looking strings were replaced before sending. */
  redactions: number;
  /** Where the head content's secrets were redacted (lines and rules, never a value); absent when none were. */
  secrets?: SecretSpot[];
  /** Size in bytes of the head content. */
  bytes: number;
}

/**
 * Where a secret was redacted in a file: its lines in the real file (redaction keeps line structure)
 * and the scanner rule that matched. Never the value, nor any part or hash of it.
 */
export interface SecretSpot {
  /** 1-based line of the secret's first character. */
  line: number;
  /** Last line, when the secret spans lines (a PEM block). */
  endLine?: number;
  /** The rule, as the `[REDACTED:<rule>]` marker names it: `aws`, `github`, `private-key`, `password-assignment`... */
  rule: string;
  /** secretlint's message id when secretlint matched (`AWSSecretAccessKey`): which check of the rule. */
  check?: string;
}

/**
 * Why a changed file was not sent. Every changed file of a window is either sent or listed with one
 * of these (the plan and every report show them), so the codes are stable: add, never rename.
 */
export const SKIP_REASONS = [
  /** Credential data by name (.env, *.pem, key stores...): never read. */
  'credential',
  /** A NUL byte anywhere in the content, or a binary file extension. */
  'binary',
  /** Text that is not valid UTF-8. */
  'not-utf8',
  /** Larger than max-file-bytes. */
  'too-large',
  /** Minified or machine-packed text (app.min.js, lines averaging over 300 characters). */
  'minified',
  /** A generator's marker in the header, a generator's file name, or .gitattributes linguist-generated (trusted commit). */
  'generated',
  /** Under a well-known vendored folder (node_modules/, vendor/, third_party/...) or .gitattributes linguist-vendored. */
  'vendored',
  /** A package manager's lockfile. */
  'lockfile',
  /** A data file whose change rewrites the data set (tasks/context.ts DATA_MAX_CHANGED_LINES). */
  'data',
  /** A submodule (gitlink): its code is another repository's. */
  'submodule',
  /** A symbolic link: never followed. */
  'symlink',
  /** Left out by the include / exclude globs. */
  'excluded',
  /** Matched by a .gitignore of the trusted commit (committed anyway). */
  'ignored',
  /** Not what the task works on (prose docs for code-review, tests for test-generation...). */
  'not-for-task',
  /** Deleted by the change: nothing left to review. */
  'deleted',
  /** Beyond max-files (the files with the most changed lines are kept). */
  'max-files',
  /** This exact content was already sent by an earlier submit of the task (since: last). */
  'already-reviewed',
  /** Dropped to fit max-cost-usd. */
  'budget',
  /** Planned, but its batch could not be created (the submit failed part-way). */
  'not-sent',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** A changed file that was not sent, and why. */
export interface SkippedFile {
  path: string;
  reason: SkipReason;
  /** What decided it, when the reason alone does not say: ".gitattributes:3", "marker on line 17", the task. */
  detail?: string;
}

/** Where the reviewed code came from. */
export interface ChangeSet {
  /** owner/name on GitHub, or the directory name for a local CLI run. */
  repository: string;
  /** The commit whose content is reviewed. */
  headSha: string;
  /** The commit the change is measured from (null: the whole history / root). */
  baseSha: string | null;
  /** Full ref being reviewed (refs/heads/main, refs/pull/7/merge). */
  ref: string | null;
  pullRequest: PullRequestInfo | null;
  files: SourceFile[];
  skipped: SkippedFile[];
  /** Project docs for the shared, cached prompt prefix (context-files, CLAUDE.md, AGENTS.md), from the base. */
  contextFiles: { path: string; content: string }[];
  /** Human description of the window, e.g. "since 24h (12 commits)". */
  window: string;
}

export interface PullRequestInfo {
  number: number;
  baseSha: string;
  headSha: string;
  baseRef: string;
  headRef: string;
  /** Head repository is a fork: the token is read-only and secrets are absent. */
  fromFork: boolean;
  /** The author's title and description, as the event carried them (untrusted; see renderPullRequestBlock). */
  title?: string;
  body?: string;
}

/**
 * A unit of work: the part of one file (or several tiny files) one request asks about.
 * The custom_id is derived from `paths`, `contentHash` and `part`, never from an index.
 */
export interface WorkUnit {
  customId: string;
  task: TaskName;
  /** The files this request covers (usually one). */
  files: SourceFile[];
  /** Line ranges of the head version this request covers, per path. */
  lineRanges: Record<string, LineRange[]>;
  /** Part label when a large change is split by hunk groups ('1/3'), else null. */
  part: string | null;
}

/** One request ready for the Batches API, plus what collect needs to map the answer back. */
export interface PlannedRequest {
  customId: string;
  params: MessageCreateParamsNonStreaming;
  record: RequestRecord;
}

/** What the state keeps for every request. */
export interface RequestRecord {
  paths: string[];
  /** sha256 of the reviewed head content, per path. */
  contentHashes: Record<string, string>;
  lineRanges: Record<string, LineRange[]>;
  part: string | null;
  /** Estimated input/output tokens for this request (for cost and budget). */
  estimatedInputTokens: number;
  estimatedOutputTokens: number;
  /** 0 for the first submission; n for the n-th resubmission of a retryable failure. */
  attempt: number;
  /** Batch that currently holds this request. */
  batchId: string | null;
  /** Set by collect when the request failed for good (reported): `since: last` sends its files again. */
  failed?: boolean;
  /** Secrets redacted in this request's files, reported as findings by collect (tasks/redaction-findings.ts). */
  secrets?: (SecretSpot & { path: string })[];
}

export interface Finding {
  task: TaskName;
  path: string;
  startLine: number;
  endLine: number;
  severity: Severity;
  /** Short machine-friendly category: 'sql-injection', 'null-dereference', 'style', ... */
  category: string;
  title: string;
  explanation: string;
  /** How to fix it, prose (results written before issue 15 item 7 may hold code here: shown as prose). */
  suggestedFix: string | null;
  /**
   * Code that replaces exactly startLine..endLine, when the model gave one for the lines it cited: a
   * pull request shows it as a committable suggestion, other reports as a block in the file's language.
   */
  replacement?: string;
  /** 'CWE-89' style, security-scan mostly. */
  cwe: string | null;
  /** Stable across line shifts and whitespace: task, path, category, normalised code. */
  fingerprint: string;
  customId: string;
  /** How sure the model is (code-review, security-scan); absent on findings of verdicts and older results. */
  confidence?: Confidence;
  /** What triggers it: input or state → what happens → impact (source → sink → impact for security). */
  trigger?: string;
  /** What the verification pass said of it: kept (with why), or unverified (its check failed). Absent: not verified. */
  verification?: { decision: 'kept' | 'unverified'; reason: string };
  /** Made by overnight's own secret scanner (tasks/redaction-findings.ts), not by the model: never sent to verification. */
  scanner?: true;
}

export interface GeneratedFile {
  /** Proposed repository-relative path (validated before anything is written). */
  path: string;
  content: string;
  description: string;
  /** The source file the generated file is about. */
  sourcePath: string;
  /**
   * Why the path rules refuse to write it (the normaliser judged it once: tasks/paths.ts), or null.
   * A refused file has no content, and its paths show unsafe characters as `\uXXXX`.
   */
  refused: string | null;
}

export type Verdict = 'VALID' | 'INVALID';

export interface RefactorVerdict {
  path: string;
  verdict: Verdict;
  summary: string;
  /** Problems found (behaviour changes, type breaks, ...), as findings with line anchors. */
  findings: Finding[];
}

/** The normalised outcome of one request, whatever the task. */
export type TaskOutput =
  | {
      kind: 'findings';
      findings: Finding[];
      summary: string;
      /** Findings whose quote matched other sent lines than the cited ones, moved there. */
      moved?: number;
      /** Findings dropped because their quote matches none of the sent lines (or they cite unsent lines). */
      mislocated?: number;
    }
  | { kind: 'files'; files: GeneratedFile[]; summary: string }
  | { kind: 'verdict'; verdicts: RefactorVerdict[]; summary: string };

/** Token usage of one answered request, as the API reports it. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  /** Of cacheCreationInputTokens, how many were written with the 1h TTL. */
  cacheCreation1hInputTokens: number;
}

/** The result of one request after collect. */
export type RequestOutcome =
  | {
      customId: string;
      status: 'succeeded';
      output: TaskOutput;
      usage: TokenUsage;
      model: string;
      batchId: string | null;
      /** Secret-looking strings replaced in the answer before anything was published (absent: none). */
      redactions?: number;
    }
  | {
      customId: string;
      status: 'errored' | 'expired' | 'canceled' | 'malformed';
      /** One line: what went wrong (error type and message, or why the answer was rejected). */
      reason: string;
      /** Whether a resubmission could help (retryable error types, expired). */
      retryable: boolean;
      usage: TokenUsage | null;
      model: string | null;
      batchId: string | null;
    };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}
