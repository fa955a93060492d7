// Scenario 6 (issue 5): what overnight costs per reviewed change against the naive approach, on real
// changes: every commit of this repository's history replayed as one night's review (its changed
// files), plus synthetic nights of small edits to this repository's own larger files (what a typical
// night looks like once a project is past its first commits).
//   overnight: the engine's prepareWork (gather, planUnits with hunks + enclosing code + packing,
//              planRequests with the shared cached prefix, estimatePlan at batch prices);
//   naive:     one interactive request per whole changed file, the task's system prompt, no caching,
//              standard prices.
// Both sides count tokens with the same estimator (cost/tokens.ts) and price them with cost/prices.ts.
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config.js';
import { EXPECTED_BATCH_HIT_RATE } from '../../src/cost/caching.js';
import { planCost, type EstimateRequest } from '../../src/cost/estimate.js';
import { resolvePrice } from '../../src/cost/prices.js';
import { estimateRequestTokens, expectedOutputTokens } from '../../src/cost/tokens.js';
import { prepareWork } from '../../src/engine/submit.js';
import { splitLines } from '../../src/prompt/format.js';
import { getTask } from '../../src/tasks/index.js';
import { dataChangeLeftOut } from '../../src/tasks/units.js';
import { requestParams, sharedPrefix } from '../../src/engine/plan.js';
import type { PullRequestInfo, SourceFile } from '../../src/types.js';
import { benchDeps } from '../engine-deps.js';
import { REPO_ROOT, report, seeded } from '../lib.js';
import { git } from '../synthetic.js';

export interface Night {
  label: string;
  files: number;
  requests: number;
  overnightUsd: number;
  overnightNoCacheUsd: number;
  naiveUsd: number;
  naiveBatchUsd: number;
  overnightInputTokens: number;
  overnightOutputTokens: number;
  naiveInputTokens: number;
  naiveOutputTokens: number;
  prefixTokens: number;
  cached: boolean;
  cacheReadShare: number;
}

const task = getTask('code-review');
const model = task.defaultModel;
const price = resolvePrice(model)!;
const maxOutputTokens = task.defaultMaxOutputTokens;

/**
 * One interactive request per whole changed file, no caching: what the naive approach sends. It gets
 * the same instructions and the same project context as overnight's requests (the same review scope).
 */
function naiveRequest(file: SourceFile, contextFiles: { path: string; content: string }[]): EstimateRequest {
  const lines = splitLines(file.content).length;
  const unit = {
    customId: 'naive',
    task: task.name,
    files: [file],
    lineRanges: { [file.path]: [{ start: 1, end: Math.max(1, lines) }] },
    part: null,
  };
  const params = requestParams(task, unit, model, maxOutputTokens, sharedPrefix(task, '', contextFiles));
  const tokens = estimateRequestTokens(params);
  return {
    customId: 'naive',
    paths: [file.path],
    inputTokens: tokens.inputTokens,
    outputTokens: expectedOutputTokens(task.name, maxOutputTokens, tokens.messageTokens),
  };
}

export async function night(
  label: string,
  repoDir: string,
  baseSha: string,
  headSha: string,
  contextFiles: string,
): Promise<Night | null> {
  const pullRequest: PullRequestInfo = { number: 1, baseSha, headSha, baseRef: 'main', headRef: 'night', fromFork: false };
  const deps = await benchDeps({ repoDir, pullRequest });
  const config = parseConfig({ task: 'code-review', 'dry-run': 'true', 'context-files': contextFiles }, {});
  const work = await prepareWork(config, deps, false);
  // Both sides review the same files: a data set the planner leaves out ('data') is not counted on
  // the naive side either, so skipping it does not flatter the ratio.
  const files = work.changeSet.files.filter((f) => task.accepts(f) && !dataChangeLeftOut(f));
  if (work.requests.length === 0 || files.length === 0) return null;
  const overnight = work.requests.map((r) => ({
    customId: r.customId,
    paths: r.record.paths,
    inputTokens: r.record.estimatedInputTokens,
    outputTokens: r.record.estimatedOutputTokens,
  }));
  const naive = files.map((f) => naiveRequest(f, work.changeSet.contextFiles));
  const prefix = work.plan.prefixTokens;
  const sum = (requests: EstimateRequest[], key: 'inputTokens' | 'outputTokens') => requests.reduce((n, r) => n + r[key], 0);
  const overnightInput = sum(overnight, 'inputTokens');
  // Share of all input tokens read from the cache: later requests hit with the expected probability.
  const cacheReadShare =
    work.plan.cached && prefix >= price.minCacheablePrefix
      ? ((overnight.length - 1) * EXPECTED_BATCH_HIT_RATE * prefix) / overnightInput
      : 0;
  return {
    label,
    files: files.length,
    requests: overnight.length,
    overnightUsd: work.estimate.batchUsd,
    overnightNoCacheUsd: planCost(overnight, price, { prefixTokens: prefix, cached: false, batch: true }),
    naiveUsd: planCost(naive, price, { prefixTokens: 0, cached: false, batch: false }),
    naiveBatchUsd: planCost(naive, price, { prefixTokens: 0, cached: false, batch: true }),
    overnightInputTokens: overnightInput,
    overnightOutputTokens: sum(overnight, 'outputTokens'),
    naiveInputTokens: sum(naive, 'inputTokens'),
    naiveOutputTokens: sum(naive, 'outputTokens'),
    prefixTokens: prefix,
    cached: work.plan.cached,
    cacheReadShare,
  };
}

/** A repository holding this repository's source at HEAD, then one commit per synthetic night of small edits. */
async function syntheticNights(nights: { files: number; seed: number }[]): Promise<{ dir: string; commits: string[] }> {
  const tree = (await git(REPO_ROOT, ['ls-tree', '-r', '--name-only', 'HEAD', '--', 'src']))
    .split('\n')
    .filter((p) => p.endsWith('.ts'));
  const contents = new Map<string, string>();
  for (const path of tree) contents.set(path, await git(REPO_ROOT, ['show', `HEAD:${path}`]));
  const dir = await mkdtemp(join(tmpdir(), 'overnight-bench-nights-'));
  await git(dir, ['init', '-q', '-b', 'main']);
  const stream: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  stream.push(`commit refs/heads/main\ncommitter Bench <bench@example.com> 1700000000 +0000\n${data('base')}`);
  for (const [path, text] of contents) stream.push(`M 100644 inline ${path}\n${data(text)}`);
  // The project doc the "with context" figures pass as context-files.
  const doc = await git(REPO_ROOT, ['show', `HEAD:${CONTEXT_DOC}`]);
  stream.push(`M 100644 inline ${CONTEXT_DOC}\n${data(doc)}`);
  // The larger files are the ones that keep changing; a night edits two or three places in each.
  const bySize = [...contents.keys()].sort((a, b) => contents.get(b)!.length - contents.get(a)!.length);
  nights.forEach((n, index) => {
    const random = seeded(n.seed);
    stream.push(
      `commit refs/heads/main\ncommitter Bench <bench@example.com> ${1700000000 + (index + 1) * 86400} +0000\n${data(`night ${index + 1}`)}`,
    );
    const chosen = bySize
      .slice(0, n.files * 2)
      .filter(() => random() < 0.5)
      .slice(0, n.files);
    for (const path of chosen) {
      const lines = contents.get(path)!.split('\n');
      const edits = 2 + Math.floor(random() * 2);
      for (let e = 0; e < edits; e++) {
        const at = 1 + Math.floor(random() * (lines.length - 2));
        const indent = /^\s*/.exec(lines[at]!)![0];
        lines.splice(at, 0, `${indent}// night ${index + 1}: revisit this branch (edit ${e + 1})`);
      }
      contents.set(path, lines.join('\n'));
      stream.push(`M 100644 inline ${path}\n${data(contents.get(path)!)}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet'], { cwd: dir, stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error('git fast-import failed'))));
    child.stdin.end(stream.join(''));
  });
  const commits = (await git(dir, ['rev-list', '--reverse', 'main'])).split('\n');
  return { dir, commits };
}

/** A project doc teams pass as context-files (CLAUDE.md-like): here, this repository's architecture notes. */
const CONTEXT_DOC = 'docs/ARCHITECTURE.md';

async function replay(contextFiles: string): Promise<Night[]> {
  const results: Night[] = [];
  const history = (await git(REPO_ROOT, ['log', '--reverse', '--format=%H %P', 'HEAD'])).split('\n');
  for (const line of history) {
    const [sha, ...parents] = line.split(' ').filter(Boolean);
    if (parents.length !== 1) continue; // the root commit has no base; merges are reviewed through their parents
    const result = await night(`commit ${sha!.slice(0, 7)}`, REPO_ROOT, parents[0]!, sha!, contextFiles);
    if (result) results.push(result);
  }
  const synthetic = await syntheticNights([
    { files: 6, seed: 11 },
    { files: 15, seed: 12 },
    { files: 30, seed: 13 },
  ]);
  for (let i = 1; i < synthetic.commits.length; i++) {
    const result = await night(
      `synthetic night ${i}`,
      synthetic.dir,
      synthetic.commits[i - 1]!,
      synthetic.commits[i]!,
      contextFiles,
    );
    if (result) results.push(result);
  }
  return results;
}

export async function costScenario(): Promise<void> {
  const shallow = (await git(REPO_ROOT, ['rev-parse', '--is-shallow-repository'])) === 'true';
  // Two configurations: the task's instructions alone, and with a project doc as context (both sides).
  const nights = await replay('');
  const nightsWithContext = await replay(CONTEXT_DOC);
  report({ model, shallow, hitRate: EXPECTED_BATCH_HIT_RATE, nights, nightsWithContext, contextDoc: CONTEXT_DOC });
}
