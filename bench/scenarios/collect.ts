// Scenario 3: collect of N results. A setup process creates one batch of N small requests against
// the emulator (whose responder writes realistically sized answers, see ../responder.ts) and saves
// the state a submit would have saved; the measured process then runs the engine's collect: poll,
// stream the results, normalise every answer against the file read back from git, write the results
// file and the reports.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchClient } from '../../src/batch/client.js';
import { parseConfig } from '../../src/config.js';
import { collect } from '../../src/engine/collect.js';
import { STATE_VERSION, type RunState } from '../../src/state/state.js';
import { redactSecrets } from '../../src/gather/redact.js';
import { customIdFor } from '../../src/tasks/units.js';
import type { PlannedRequest, RequestRecord } from '../../src/types.js';
import { benchDeps, collectingLog, quietLog } from '../engine-deps.js';
import { report, since } from '../lib.js';
import { editsOf, functionsOf, pathOf, sourceFile } from '../synthetic.js';

export interface CollectSetupArgs {
  baseUrl: string;
  repoDir: string;
  headSha: string;
  baseSha: string;
  /** Files in the repository (pathOf(0..files-1) at headSha). */
  files: number;
  results: number;
  workDir: string;
}

/**
 * A few lines of the file with their numbers, for the responder to cite and quote as a model does
 * (collect checks every finding's quote against the file it reads back from git).
 */
function quotableLines(content: string, seed: number): { line: number; text: string }[] {
  const lines = content.split('\n');
  const code = lines.flatMap((text, i) => (text.trim().length > 3 ? [{ line: i + 1, text }] : []));
  return [0, 1, 2].map((k) => code[(seed * 7 + k * 13) % code.length]!).filter(Boolean);
}

/** Saves a state whose one batch holds `results` requests: the repository's files, each in results/files parts. */
export async function collectSetup(args: CollectSetupArgs): Promise<void> {
  const parts = Math.ceil(args.results / args.files);
  const requests: PlannedRequest[] = [];
  // What submit records: the files it found nothing to redact in (collect does not scan them again).
  const clean = new Set<string>();
  const records: Record<string, RequestRecord> = {};
  for (let i = 0; i < args.results; i++) {
    const index = i % args.files;
    const part = parts > 1 ? `${Math.floor(i / args.files) + 1}/${parts}` : null;
    const path = pathOf(index);
    const functions = functionsOf(index);
    const content = sourceFile(index, functions, index % 10 === 9 ? new Set() : editsOf(index, functions));
    const lines = content.split('\n').length;
    const contentHash = createHash('sha256').update(content).digest('hex');
    if (i < args.files && (await redactSecrets(content, path)).redactions === 0) clean.add(contentHash);
    const customId = customIdFor('code-review', [{ path, contentHash }], part);
    const record: RequestRecord = {
      paths: [path],
      contentHashes: { [path]: contentHash },
      lineRanges: { [path]: [{ start: 1, end: lines }] },
      part,
      estimatedInputTokens: 0,
      estimatedOutputTokens: 0,
      attempt: 0,
      batchId: null,
    };
    records[customId] = record;
    // The request carries only what the bench responder needs; the answer is what is being measured.
    requests.push({
      customId,
      params: {
        model: 'claude-sonnet-4-6',
        max_tokens: 4096,
        messages: [
          { role: 'user', content: JSON.stringify({ path, lines, seed: i + 1, quotable: quotableLines(content, i + 1) }) },
        ],
      },
      record,
    });
  }
  const client = new BatchClient({ apiKey: 'bench-key', baseURL: args.baseUrl, log: quietLog });
  const batch = await client.createBatch(requests);
  for (const record of Object.values(records)) record.batchId = batch.id;
  const deps = await benchDeps({ repoDir: args.repoDir, workDir: args.workDir });
  const state: RunState = {
    version: STATE_VERSION,
    tool: 'overnight',
    task: 'code-review',
    model: 'claude-sonnet-4-6',
    maxOutputTokens: 4096,
    repository: 'bench/collect',
    serverUrl: 'https://github.com',
    headSha: args.headSha,
    baseSha: args.baseSha,
    ref: 'refs/heads/main',
    pullRequest: null,
    event: 'schedule',
    window: 'bench',
    createdAt: new Date().toISOString(),
    submittedBy: 'bench',
    batches: [
      {
        id: batch.id,
        requestCount: requests.length,
        attempt: 0,
        submittedAt: new Date().toISOString(),
        status: 'in_progress',
        endedAt: null,
        resultsSaved: false,
      },
    ],
    requests: records,
    estimate: null as unknown as RunState['estimate'],
    collectedAt: null,
    published: {},
    systemPrefix: [],
    redactions: 0,
    cleanHashes: [...clean],
    skipped: [],
  } as RunState;
  await deps.store.create(state);
  report({ batchId: batch.id });
}

export async function collectScenario(args: { baseUrl: string; repoDir: string; workDir: string }): Promise<void> {
  const { log, warnings } = collectingLog();
  if (process.env.BENCH_TRACE) {
    // Phase-by-phase memory, for finding where a collect's memory goes.
    const t0 = performance.now();
    const trace = (m: string) =>
      process.stderr.write(
        `${Math.round(performance.now() - t0)} ms rss ${Math.round(process.memoryUsage().rss / 1e6)} MB heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB: ${m.slice(0, 100)}\n`,
      );
    log.info = trace;
    log.debug = trace;
    setInterval(() => trace('tick'), 2000).unref();
  }
  const deps = await benchDeps({ repoDir: args.repoDir, workDir: args.workDir, baseUrl: args.baseUrl, log });
  const config = parseConfig({ mode: 'collect', task: 'code-review' }, {});
  const start = performance.now();
  const result = await collect(config, deps);
  const totalMs = since(start);
  const state = result.states[0];
  const results = state?.results;
  if (!results) throw new Error(`collect did not collect: ${JSON.stringify(result.status)} ${warnings.join(' | ')}`);
  const jsonlBytes = (await stat(results.resultsPath)).size;
  const reportBytes = (await stat(join(results.resultsPath, '..', 'report.md'))).size;
  report({
    totalMs,
    received: results.received,
    succeeded: results.succeeded,
    failures: results.failures.length,
    findings: results.findings.length,
    belowSeverity: results.belowSeverity,
    resultsJsonlMB: jsonlBytes / 1024 / 1024,
    reportMdMB: reportBytes / 1024 / 1024,
    warnings: warnings.slice(0, 3),
  });
}
