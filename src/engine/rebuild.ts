// A state rebuilt from a batch alone, for `batch-id` when the state that submit saved is gone (the
// artifact expired after retention-days, was deleted, or the CLI's state file was lost). The batch
// still holds everything a report needs except what the request was about:
// - the task, from the custom_id prefix (TASK_ID_PREFIX);
// - the files: those a submit at the batch's creation would plan from this checkout, matched by
//   custom_id (a hash of the task, the paths and their contents: exact while the files are unchanged),
//   else those the answer names (the paths of the findings, verdicts and generated files);
// - the reviewed commit is unknown: the files are read at this checkout's HEAD, findings link there,
//   and every report says so (the state's `window` line).
// Nothing is resubmitted from such a state: the exact request (system prefix, diff) cannot be rebuilt.
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { FatalApiError } from '../batch/retry.js';
import { parseAnswerText } from '../tasks/answer.js';
import { TASK_ID_PREFIX } from '../tasks/units.js';
import { STATE_VERSION, type RunState } from '../state/state.js';
import type { LineRange, Logger, RequestRecord, TaskName } from '../types.js';
import { GitObjectReader, runGit } from '../gather/git.js';
import type { EngineDeps } from './deps.js';
import { messageText } from './outcome.js';
import { checkBatch } from './poll.js';
import { plural } from '../reports/format.js';
import { prepareWork } from './submit.js';
import { batchService, type ProviderName } from '../providers/index.js';

/** The `event` of a rebuilt state: collect never resubmits from it. */
export const REBUILT_EVENT = 'rebuilt-from-batch';

export function isRebuilt(state: RunState): boolean {
  return state.event === REBUILT_EVENT;
}

/** The task a custom_id belongs to, from its prefix; null for a request overnight did not make. */
export function taskOfCustomId(customId: string): TaskName | null {
  const prefix = customId.split('-', 1)[0];
  const entry = Object.entries(TASK_ID_PREFIX).find(([, p]) => p === prefix);
  return entry ? (entry[0] as TaskName) : null;
}

/** The repository paths an answer talks about, with the line it reaches furthest in each. */
export function answerPaths(answer: unknown): Map<string, number> {
  const paths = new Map<string, number>();
  const add = (raw: unknown, ...lines: unknown[]) => {
    if (typeof raw !== 'string') return;
    const path = raw.trim().replace(/^\.\//, '').replace(/^\/+/, '');
    if (!path || path.includes('\0')) return;
    const furthest = Math.max(0, ...lines.map((l) => (typeof l === 'number' && Number.isFinite(l) ? l : 0)));
    paths.set(path, Math.max(paths.get(path) ?? 0, furthest));
  };
  const doc = (answer ?? {}) as Record<string, unknown>;
  const list = (name: string) => (Array.isArray(doc[name]) ? (doc[name] as Record<string, unknown>[]) : []);
  for (const f of list('findings')) add(f?.path, f?.start_line, f?.end_line);
  for (const v of list('verdicts')) {
    const problems = Array.isArray(v?.problems) ? (v.problems as Record<string, unknown>[]) : [];
    add(v?.path, ...problems.flatMap((p) => [p?.start_line, p?.end_line]));
  }
  // A generated file answers for its source file; the generated path itself is not in the repository yet.
  for (const f of list('files')) add(f?.source_path);
  return paths;
}

interface Answered {
  customId: string;
  paths: Map<string, number>;
  model: string | null;
}

function noResults(batchId: string, deps: EngineDeps): UsageError {
  return new UsageError(
    `batch-id: no saved state names ${batchId} in ${deps.store.describe()}, and Anthropic has no results for it (unknown to this API key's workspace, deleted, or archived after 29 days)`,
  );
}

/**
 * Reads the batch and builds its state, or says it has not ended yet. Throws a UsageError when the
 * API has no results for it (unknown to this key's workspace, deleted, archived).
 */
export async function rebuildStateFromBatch(
  batchId: string,
  config: Config,
  deps: EngineDeps,
): Promise<{ state: RunState } | { pending: string }> {
  const client = await batchService(deps);
  if (config.waitMinutes > 0) {
    // --wait holds for a batch with no saved state too: poll it before asking for its results.
    const batch = await checkBatch(client, batchId, config, deps).catch((error: unknown) => {
      throw error instanceof FatalApiError && error.status === 404 ? noResults(batchId, deps) : error;
    });
    if (batch.status !== 'ended') return { pending: batch.status };
  }
  const answered: Answered[] = [];
  try {
    for await (const line of client.results(batchId)) {
      let paths = new Map<string, number>();
      let model: string | null = null;
      if (line.result.type === 'succeeded') {
        model = line.result.message.model;
        try {
          paths = answerPaths(parseAnswerText(messageText(line.result.message)));
        } catch {
          // A malformed answer names no file: it is reported as such, with its custom_id.
        }
      }
      answered.push({ customId: line.custom_id, paths, model });
    }
  } catch (error) {
    if (error instanceof FatalApiError && error.status === 404) throw noResults(batchId, deps);
    // Results refused (the SDK refuses a batch without results_url): most likely it has not ended. Ask.
    const batch = await client.retrieve(batchId);
    if (batch.status !== 'ended') return { pending: batch.status };
    throw error;
  }

  const tasks = new Set(answered.map((a) => taskOfCustomId(a.customId)));
  const task = [...tasks][0] ?? null;
  if (tasks.size !== 1 || task === null) {
    const seen = [...new Set(answered.map((a) => a.customId.split('-', 1)[0]))].slice(0, 5).join(', ');
    throw new UsageError(
      `batch-id: ${batchId} has no saved state and its requests are not overnight's (${answered.length === 0 ? 'no results' : `custom_id prefixes ${seen}`}); nothing to rebuild a report from`,
    );
  }
  if (config.task && config.task !== task) {
    deps.log.info(`batch ${batchId} holds ${task} requests (task input: ${config.task}); collecting it as ${task}`);
  }

  const cwd = deps.context.cwd;
  const head = await runGit(cwd, ['rev-parse', '--verify', 'HEAD^{commit}']).catch(() => 'HEAD');
  // A clean answer names no file: find its files again by planning as the submit did.
  const planned = await plannedPaths(batchId, task, client.name, config, deps);
  for (const item of answered) {
    for (const path of planned.get(item.customId) ?? []) if (!item.paths.has(path)) item.paths.set(path, 0);
  }
  const requests: Record<string, RequestRecord> = {};
  const hashes = await contentHashesAt(cwd, head, new Set(answered.flatMap((a) => [...a.paths.keys()])));
  for (const { customId, paths } of answered) {
    const contentHashes: Record<string, string> = {};
    const lineRanges: Record<string, LineRange[]> = {};
    for (const [path, furthest] of paths) {
      const hash = hashes.get(path);
      if (hash) contentHashes[path] = hash;
      // A file gone from HEAD keeps the lines its answer cites (findings still publish, unanchored to code).
      else lineRanges[path] = [{ start: 1, end: Math.max(1, furthest) }];
    }
    requests[customId] = {
      paths: [...paths.keys()],
      contentHashes,
      lineRanges,
      part: null,
      estimatedInputTokens: 0,
      estimatedOutputTokens: 0,
      attempt: 0,
      batchId,
    };
  }
  const model = answered.find((a) => a.model)?.model ?? config.model ?? '';
  const now = deps.now().toISOString();
  const files = new Set(answered.flatMap((a) => [...a.paths.keys()])).size;
  const unknown = answered.filter((a) => a.paths.size === 0).length;
  const unknownNote =
    unknown > 0
      ? ` (and ${plural(unknown, 'request')} whose files are unknown: the checkout changed since, and the answer names none)`
      : '';
  deps.log.warning(
    `batch ${batchId}: no saved state (expired or lost); rebuilt one from the batch alone: ${plural(answered.length, `${task} request`)} about ${plural(files, 'file')}${unknownNote}; the reviewed commit is unknown, so findings link to this checkout's HEAD ${head.slice(0, 12)}`,
  );
  const state: RunState = {
    version: STATE_VERSION,
    tool: 'overnight',
    task,
    model,
    // The service that holds the batch: a Bedrock night rebuilt is collected from Bedrock again.
    provider: client.name,
    maxOutputTokens: config.maxOutputTokens ?? 0,
    repository: deps.context.repository,
    serverUrl: deps.context.serverUrl,
    headSha: head,
    baseSha: null,
    ref: deps.context.ref,
    pullRequest: null,
    event: REBUILT_EVENT,
    window: `state lost: rebuilt from batch ${batchId} alone; the reviewed commit is unknown, so findings link to this checkout's HEAD ${head.slice(0, 12)} (lines may have moved since the review)`,
    createdAt: now,
    submittedBy: `unknown (state rebuilt by ${deps.context.runLabel})`,
    batches: [
      {
        id: batchId,
        requestCount: answered.length,
        attempt: 0,
        submittedAt: now,
        status: 'ended',
        endedAt: null,
        resultsSaved: false,
      },
    ],
    requests,
    estimate: {
      model,
      tokenSource: 'heuristic',
      files,
      requests: answered.length,
      inputTokens: 0,
      outputTokens: 0,
      prefixTokens: 0,
      cached: false,
      batchUsd: 0,
      interactiveUsd: 0,
      otherModels: [],
      monthlyUsd: null,
      dropped: [],
      priced: false,
    },
    collectedAt: null,
    published: {},
    systemPrefix: [],
    redactions: 0,
    skipped: [],
  };
  return { state };
}

const QUIET: Logger = { debug: () => undefined, info: () => undefined, warning: () => undefined, error: () => undefined };

/**
 * custom_id → paths of every request a submit of `task` would have planned from this checkout when
 * the batch was created (the same `since`, no budget, nothing counted or sent, nothing logged). A
 * custom_id hashes the task, the paths and their contents, so a match is exact; a file changed since
 * matches nothing. Empty when planning fails: the answers' own paths are what is left.
 */
async function plannedPaths(
  batchId: string,
  task: TaskName,
  provider: ProviderName,
  config: Config,
  deps: EngineDeps,
): Promise<Map<string, string[]>> {
  try {
    // Only Anthropic's batches say when they were made; a cloud job is planned as of now.
    const createdAt =
      provider === 'anthropic'
        ? await Promise.resolve()
            .then(() => deps.anthropic().retrieve(batchId))
            .then((batch) => new Date(batch.created_at))
            .catch(() => deps.now())
        : deps.now();
    const work = await prepareWork(
      { ...config, task, apiKey: '', maxCostUsd: 0, dryRun: true },
      { ...deps, log: QUIET, progress: undefined, now: () => createdAt },
      false,
    );
    return new Map(work.plan.requests.map((r) => [r.customId, r.record.paths]));
  } catch (error) {
    deps.log.debug(
      `batch ${batchId}: could not plan this checkout again (${(error as Error).message}); files come from the answers`,
    );
    return new Map();
  }
}

/**
 * The content hash (as FileSource checks it) of each path's blob at `commit`, read through one
 * `cat-file --batch`; a path that is not a file there (or names no object) has none.
 */
async function contentHashesAt(cwd: string, commit: string, paths: ReadonlySet<string>): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  const reader = new GitObjectReader(cwd);
  try {
    for (const path of paths) {
      const object = await reader.read(`${commit}:${path}`).catch(() => null);
      if (object?.type === 'blob') hashes.set(path, createHash('sha256').update(object.data.toString('utf8')).digest('hex'));
    }
  } finally {
    reader.close();
  }
  return hashes;
}
