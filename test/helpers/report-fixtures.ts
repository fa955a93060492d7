// One set of report fixtures: findings, collected results, the state a report is about, the report
// context, and a GitHub context on the emulator. Each test file overrides what its assertions are about.
import type { CollectedResults, ReportContext } from '../../src/reports/reporter.js';
import type { RunState } from '../../src/state/state.js';
import type { UsageSummary } from '../../src/cost/types.js';
import type { Finding, PullRequestInfo } from '../../src/types.js';
import type { GitHubContext } from '../../src/github/context.js';
import { createOctokit } from '../../src/github/octokit.js';
import { quietLog } from './engine.js';
import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/index.js';
import { expect } from 'vitest';

export const FIXTURE_OWNER = 'acme';
export const FIXTURE_REPO = 'shop';
export const FIXTURE_BASE = 'a'.repeat(40);
export const FIXTURE_HEAD = 'b'.repeat(40);

/** A finding; title and fingerprint follow its path and line unless given. */
export function fixtureFinding(overrides: Partial<Finding> = {}): Finding {
  const path = overrides.path ?? 'src/a.ts';
  const startLine = overrides.startLine ?? 1;
  return {
    task: 'code-review',
    path,
    startLine,
    endLine: startLine,
    severity: 'high',
    category: 'sql-injection',
    title: `Problem at ${path}:${startLine}`,
    explanation: 'Unchecked input reaches the query.',
    suggestedFix: null,
    cwe: null,
    fingerprint: `fp-${path}-${startLine}`,
    customId: 'cr-1',
    ...overrides,
  };
}

export function fixtureUsage(overrides: Partial<UsageSummary> = {}): UsageSummary {
  return {
    requests: 4,
    inputTokens: 1000,
    outputTokens: 200,
    cacheCreationInputTokens: 0,
    cacheReadInputTokens: 0,
    costUsd: 0.0123,
    interactiveUsd: 0.0246,
    savingsUsd: 0.0123,
    cacheHitRate: 0,
    ...overrides,
  };
}

/** What a collect round brought back: nothing by default (code-review, one batch). */
export function fixtureResults(overrides: Partial<CollectedResults> = {}): CollectedResults {
  const findings = overrides.findings ?? [];
  return {
    task: 'code-review',
    findings,
    files: [],
    verdicts: [],
    failures: [],
    succeeded: findings.length,
    received: findings.length,
    resubmitted: 0,
    duplicatesSkipped: 0,
    belowSeverity: 0,
    usage: fixtureUsage(),
    batchIds: ['msgbatch_01'],
    resultsPath: '/tmp/results.jsonl',
    ...overrides,
  };
}

export function fixturePullRequest(number: number, overrides: Partial<PullRequestInfo> = {}): PullRequestInfo {
  return {
    number,
    baseSha: FIXTURE_BASE,
    headSha: FIXTURE_HEAD,
    baseRef: 'main',
    headRef: 'feature',
    fromFork: false,
    ...overrides,
  };
}

/** The state a report is about: a scheduled submit of acme/shop (a pull request's when `pullRequest` is set). */
export function fixtureState(overrides: Partial<RunState> = {}): RunState {
  const pullRequest = overrides.pullRequest ?? null;
  return {
    version: 1,
    tool: 'overnight',
    task: 'code-review',
    model: 'claude-sonnet-4-6',
    maxOutputTokens: 4096,
    repository: `${FIXTURE_OWNER}/${FIXTURE_REPO}`,
    serverUrl: 'https://github.com',
    headSha: FIXTURE_HEAD,
    baseSha: pullRequest ? FIXTURE_BASE : null,
    ref: pullRequest ? `refs/pull/${pullRequest.number}/merge` : 'refs/heads/main',
    pullRequest,
    event: pullRequest ? 'pull_request' : 'schedule',
    window: 'since 24h',
    createdAt: '2026-11-20T23:00:00Z',
    submittedBy: 'run 1',
    batches: [],
    requests: {},
    estimate: {
      model: 'claude-sonnet-4-6',
      tokenSource: 'heuristic',
      files: 0,
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      prefixTokens: 0,
      cached: false,
      batchUsd: 0,
      interactiveUsd: 0,
      otherModels: [],
      monthlyUsd: null,
      dropped: [],
      priced: true,
    },
    collectedAt: null,
    published: {},
    systemPrefix: [],
    redactions: 0,
    skipped: [],
    ...overrides,
  };
}

/** A report context for `results`; `state` overrides go into the state. */
export function fixtureContext(
  results: CollectedResults,
  overrides: Partial<Omit<ReportContext, 'state'>> & { state?: Partial<RunState> } = {},
): ReportContext {
  const { state, ...rest } = overrides;
  return {
    state: fixtureState({ task: results.task, ...state }),
    stateId: 'state-1',
    round: 'r1',
    results,
    issueLabels: [],
    outputDir: '/tmp',
    sarifPath: '/tmp/x.sarif',
    github: null,
    log: quietLog,
    ...rest,
  };
}

/** A writable GitHub context on an emulator (or any API URL). */
export function fixtureGitHub(baseUrl: string, overrides: Partial<GitHubContext> = {}): GitHubContext {
  return {
    octokit: createOctokit({ token: 'ghs_test', baseUrl, log: quietLog, minWriteIntervalMs: 0 }),
    owner: FIXTURE_OWNER,
    repo: FIXTURE_REPO,
    serverUrl: 'https://github.com',
    readOnly: false,
    ...overrides,
  };
}

/** The GitHub emulator of one report test (acme/shop) and a writable context on it. */
export async function startFixtureGitHub(): Promise<{ gh: GitHubEmulator; github: GitHubContext }> {
  const gh = await startGitHubEmulator({ owner: FIXTURE_OWNER, repo: FIXTURE_REPO });
  return { gh, github: fixtureGitHub(gh.url) };
}

/** Ends a report test: nothing was sent that the real API would refuse, and the emulator is closed. */
export async function closeFixtureGitHub(gh: GitHubEmulator): Promise<void> {
  expect(gh.violations).toEqual([]);
  await gh.close();
}
