// Scenario 4: the GitHub requests one collect makes to publish 1,000 findings, through the engine's
// publishRoundReporting (the reporters a collect runs, with the task's default targets) against the GitHub
// emulator: scheduled run (issue + summary) and pull request run (pr-comment + pr-review + summary).
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config.js';
import { publishRoundReporting } from '../../src/engine/publish.js';
import { createOctokit } from '../../src/github/octokit.js';
import type { CollectedResults } from '../../src/reports/reporter.js';
import type { RunState } from '../../src/state/state.js';
import { getTask } from '../../src/tasks/index.js';
import type { Finding, Severity } from '../../src/types.js';
import { startGitHubEmulator, type RecordedRequest } from '../../test/emulators/github/index.js';
import { benchDeps, collectingLog } from '../engine-deps.js';
import { report, since } from '../lib.js';

const owner = 'bench-org';
const repo = 'bench-repo';
const BASE = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);
const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'medium', 'low', 'low'];
const FILES = 100;
const LINES = 200;

/** 1,000 findings over 100 files; `outside` of them point at lines no diff hunk shows. */
function findingsFor(count: number, outside: number): Finding[] {
  return Array.from({ length: count }, (_, i) => {
    const file = i % FILES;
    const line = i < count - outside ? 1 + ((Math.floor(i / FILES) * 7) % LINES) : LINES + 50 + i;
    return {
      task: 'code-review',
      path: `src/module${file}.ts`,
      startLine: line,
      endLine: line,
      severity: SEVERITIES[i % SEVERITIES.length]!,
      category: 'error-handling',
      title: `Unchecked result of the call on line ${line} (${i})`,
      explanation:
        'The promise returned here is neither awaited nor caught, so a rejection becomes an unhandled ' +
        'rejection that terminates the process under Node 20. Await it inside the existing try block.',
      suggestedFix: 'await flush();',
      cwe: null,
      fingerprint: `bench${i.toString(16).padStart(12, '0')}`,
      customId: `cr-${(i % 300).toString(16).padStart(40, '0')}`,
    };
  });
}

function results(findings: Finding[], dir: string): CollectedResults {
  return {
    task: 'code-review',
    findings,
    files: [],
    verdicts: [],
    failures: [],
    succeeded: 300,
    received: 300,
    resubmitted: 0,
    duplicatesSkipped: 0,
    belowSeverity: 0,
    usage: {
      requests: 300,
      inputTokens: 900_000,
      outputTokens: 120_000,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
      costUsd: 1.2,
      interactiveUsd: 2.4,
      savingsUsd: 1.2,
      cacheHitRate: 0,
    },
    batchIds: ['msgbatch_bench'],
    resultsPath: join(dir, 'results.jsonl'),
  };
}

function counts(requests: RecordedRequest[]) {
  const writes = requests.filter((r) => r.method !== 'GET');
  const byRoute: Record<string, number> = {};
  for (const r of writes) {
    const route = `${r.method} ${r.path
      .replace(/\?.*$/, '')
      .replace(/\/\d+(?=\/|$)/g, '/{n}')
      .replace(`/repos/${owner}/${repo}`, '')}`;
    byRoute[route] = (byRoute[route] ?? 0) + 1;
  }
  return { total: requests.length, reads: requests.length - writes.length, writes: writes.length, byRoute };
}

async function publishOnce(pull: boolean, findings: Finding[]) {
  const gh = await startGitHubEmulator({ owner, repo });
  try {
    if (pull) {
      gh.seedPullRequest({
        number: 7,
        base: { ref: 'main', sha: BASE },
        head: { ref: 'feature', sha: HEAD },
        files: Array.from({ length: FILES }, (_, f) => ({
          filename: `src/module${f}.ts`,
          status: 'added',
          patch: `@@ -0,0 +1,${LINES} @@\n${Array.from({ length: LINES }, (_, l) => `+const v${l} = ${l};`).join('\n')}`,
        })),
      });
    }
    const { log, warnings } = collectingLog();
    // minWriteIntervalMs 0: the real 1 s spacing changes how long publishing takes, not how many requests it makes.
    const octokit = createOctokit({ token: 'ghs_bench', baseUrl: gh.url, log, minWriteIntervalMs: 0 });
    const workDir = await mkdtemp(join(tmpdir(), 'overnight-bench-gh-'));
    const deps = await benchDeps({
      repoDir: workDir,
      workDir,
      log,
      github: { octokit, owner, repo, serverUrl: 'https://github.com', readOnly: false },
    });
    const state = {
      version: 1,
      tool: 'overnight',
      task: 'code-review',
      model: 'claude-sonnet-4-6',
      repository: `${owner}/${repo}`,
      serverUrl: 'https://github.com',
      headSha: HEAD,
      baseSha: BASE,
      ref: pull ? 'refs/pull/7/head' : 'refs/heads/main',
      pullRequest: pull
        ? { number: 7, baseSha: BASE, headSha: HEAD, baseRef: 'main', headRef: 'feature', fromFork: false }
        : null,
      event: pull ? 'pull_request' : 'schedule',
      createdAt: new Date().toISOString(),
      batches: [],
      requests: {},
      published: {},
      systemPrefix: [],
      skipped: [],
      redactions: 0,
    } as unknown as RunState;
    const roundDir = join(workDir, 'round');
    await mkdir(roundDir, { recursive: true });
    // What collect has written before it publishes (saved with the reports).
    await writeFile(join(roundDir, 'results.jsonl'), '');
    const start = performance.now();
    const reports = await publishRoundChecked({
      state,
      stateId: 'bench-state',
      roundKey: 'bench-round',
      roundDir,
      results: results(findings, roundDir),
      task: getTask('code-review'),
      config: parseConfig({ mode: 'collect', task: 'code-review' }, {}),
      deps,
    });
    return {
      ms: since(start),
      requests: counts(gh.requests),
      reviews: gh.store.reviews.length,
      inlineComments: gh.store.reviewComments.length,
      notes: reports.map((r) => `${r.target}: ${r.note}`),
      violations: gh.violations.slice(0, 3),
      warnings: warnings.slice(0, 3),
    };
  } finally {
    await gh.close();
  }
}

/** publishRoundReporting, failing the scenario when a report failed: a failed publish makes no requests to count. */
async function publishRoundChecked(input: Parameters<typeof publishRoundReporting>[0]) {
  const { reports } = await publishRoundReporting(input);
  const failed = reports.filter((r) => r.failed);
  if (failed.length > 0) throw new Error(`publishing failed: ${failed.map((r) => `${r.target}: ${r.note}`).join('; ')}`);
  return reports;
}

export async function githubScenario(args: { findings: number; outside: number }): Promise<void> {
  const findings = findingsFor(args.findings, args.outside);
  const issue = await publishOnce(false, findings);
  const pull = await publishOnce(true, findings);
  for (const run of [issue, pull]) {
    if (run.violations.length > 0) throw new Error(`the GitHub emulator saw violations: ${run.violations.join(' | ')}`);
  }
  report({ findings: args.findings, inline: args.findings - args.outside, issue, pull });
}
