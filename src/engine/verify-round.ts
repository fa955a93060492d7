// The verification round (issue 19 item 7): a second round of the same night. The collect that
// receives a findings task's first answers does not publish them: it sends the findings at or above
// medium, grouped by file (tasks/verify.ts), to a second batch and saves the state; the next collect
// streams the checks, drops what the verifier dropped (off GitHub, kept in results.jsonl and the job
// summary's tail with the reason), marks what could not be checked as unverified, and publishes the
// whole night once. Exactly once like any round: the first answers' round is claimed (claim-rounds.ts),
// the verification record is saved BEFORE its batch is created, and a collect killed between the
// create and the save leaves a record with no batch, whose batch the next collect adopts instead of
// creating (and paying for) a second.
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Config } from '../config.js';
import type { StoredState } from '../state/store.js';
import type { BatchRecord, RunState, VerificationRecord } from '../state/state.js';
import type { CollectedResults, VerificationSummary } from '../reports/reporter.js';
import type { Finding, PlannedRequest, TaskName } from '../types.js';
import { splitIntoBatches, type BatchClient } from '../batch/client.js';
import { FatalApiError } from '../batch/retry.js';
import { ChunkedFileWriter } from '../io/lines.js';
import { estimateRequestTokens } from '../cost/tokens.js';
import { resolvePrice } from '../cost/prices.js';
import { formatUsd, sumUsage, UsageAccumulator } from '../cost/usage.js';
import { parseAnswerText } from '../tasks/answer.js';
import { MalformedAnswerError } from '../tasks/task.js';
import { getTask } from '../tasks/index.js';
import {
  drops,
  MAX_FINDINGS_PER_REQUEST,
  parseVerifyAnswer,
  needsVerification,
  verifyCustomId,
  verifyRequestParams,
  type VerificationCheck,
} from '../tasks/verify.js';
import { plural } from '../reports/format.js';
import { redactSecrets } from '../gather/redact.js';
import { FileSource } from './file-source.js';
import { commitToNight, fitToNight } from './night-budget.js';
import { isRebuilt } from './rebuild.js';
import { messageText, usageOf } from './outcome.js';
import type { EngineDeps } from './deps.js';
import { readyBatches, roundKeyOf, type StreamedState } from './stream.js';

/** Whether collect verifies a task's findings: the `verify` input, else on for security-scan only. */
export function verifies(task: TaskName, config: Config): boolean {
  if (task !== 'security-scan' && task !== 'code-review') return false;
  return config.verify ?? task === 'security-scan';
}

/** The verification batches of a state that ended and are not yet published. */
export function readyVerification(state: RunState): BatchRecord[] {
  return state.verification ? readyBatches(state).filter((b) => b.verify) : [];
}

const EMPTY_USAGE = sumUsage([]);

function skipped(reason: string): VerificationSummary {
  return { skipped: reason, requests: 0, checked: 0, kept: 0, dropped: [], unverified: 0, usage: EMPTY_USAGE };
}

/** The verification requests of a round's findings: one per file (split past MAX_FINDINGS_PER_REQUEST). */
async function planVerification(
  state: RunState,
  findings: readonly Finding[],
  files: FileSource,
): Promise<{ requests: PlannedRequest[]; plan: VerificationRecord['requests'] }> {
  const byPath = new Map<string, number[]>();
  findings.forEach((finding, index) => {
    if (!needsVerification(finding)) return;
    const list = byPath.get(finding.path);
    if (list) list.push(index);
    else byPath.set(finding.path, [index]);
  });
  const requests: PlannedRequest[] = [];
  const plan: VerificationRecord['requests'] = {};
  for (const [path, indexes] of byPath) {
    const hash = state.requests[findings[indexes[0]!]!.customId]?.contentHashes[path];
    // The file as it was sent (redacted), read back at the reviewed commit; one that cannot be read
    // is not verified (its findings are published, marked unverified).
    const file = hash ? await files.exact(state.headSha, path, hash) : null;
    if (!file) continue;
    for (let at = 0; at < indexes.length; at += MAX_FINDINGS_PER_REQUEST) {
      const chunk = indexes.slice(at, at + MAX_FINDINGS_PER_REQUEST);
      const checked = chunk.map((i) => findings[i]!);
      const customId = verifyCustomId(path, checked);
      const params = verifyRequestParams(state.model, file, checked);
      const tokens = estimateRequestTokens(params);
      plan[customId] = { path, findings: chunk };
      requests.push({
        customId,
        params,
        record: {
          paths: [path],
          contentHashes: { [path]: hash! },
          lineRanges: {},
          part: null,
          estimatedInputTokens: tokens.inputTokens,
          estimatedOutputTokens: Math.round(params.max_tokens / 2),
          attempt: 0,
          batchId: null,
        },
      });
    }
  }
  return { requests, plan };
}

/**
 * After a state's first answers are streamed: when its task is verified and it has findings at or
 * above medium, sends them to a verification batch and saves the state (the round is published by
 * the next collect); true when it did. Otherwise the round is published now; a verification skipped
 * for the budget says so in the round's results.
 */
export async function holdForVerification(
  item: StreamedState,
  config: Config,
  deps: EngineDeps,
  client: BatchClient | null,
): Promise<boolean> {
  const { stored, results } = item;
  const { state } = stored;
  if (item.verifying || !verifies(state.task, config) || !results.findings.some(needsVerification)) {
    return false;
  }
  if (!client) {
    results.verification = skipped(
      `verification runs on Anthropic's API only; provider ${state.provider ?? 'anthropic'} publishes unverified`,
    );
    return false;
  }
  const deliverBy = state.budget?.deliverBy;
  if (deliverBy && Date.parse(deliverBy.at) <= deps.now().getTime()) {
    // A second batch could take a day: past deliver-by the night is published now (deadline.ts).
    results.verification = skipped(`deliver-by ${deliverBy.text} has passed, so the findings are published now`);
    return false;
  }
  if (isRebuilt(state)) {
    // A lost state is published at once: the files as sent (the reviewed commit) are unknown.
    results.verification = skipped('the state was rebuilt from the batch alone, so the files as sent are unknown');
    return false;
  }
  const files = new FileSource(deps.context.cwd, deps.log, new Set(state.cleanHashes));
  let planned: Awaited<ReturnType<typeof planVerification>>;
  try {
    planned = await planVerification(state, results.findings, files);
  } finally {
    files.close();
  }
  if (planned.requests.length === 0) {
    results.verification = skipped(`the reviewed files are not in this checkout (use fetch-depth: 0)`);
    return false;
  }
  // One rule for every later send of a night (night-budget.ts): the submit's and this run's
  // max-cost-usd, what the night already committed, budget-strict and the month's room.
  const unpriced = !resolvePrice(state.model, config.priceOverrides);
  const fit = unpriced ? null : await fitToNight(state, planned.requests, { batch: true }, config, deps);
  const capped = config.maxCostUsd > 0 || (state.budget?.maxCostUsd ?? 0) > 0 || config.monthlyBudgetUsd > 0;
  const why =
    unpriced && capped
      ? `the price of ${state.model} is unknown, so its cost cannot be kept within the budget`
      : fit && fit.dropped.length > 0
        ? `it would pass the budget: ${fit.dropped[0]!.reason}`
        : null;
  if (why) {
    deps.log.warning(`verification skipped: ${why}; the findings are published unverified`);
    results.verification = skipped(why);
    return false;
  }
  const estimate = fit?.usd ?? 0;
  // Nothing paid for is lost: the first answers' results file is saved before the round waits.
  await deps.store.saveResults(stored.id, item.roundKey, item.roundDir, ['results.jsonl']);
  const { resultsPath: _path, ...held } = results;
  state.verification = {
    roundKey: item.roundKey,
    // The API's clock, not a test clock: a batch created since then may be adopted (see resume).
    startedAt: new Date().toISOString(),
    results: held,
    requests: planned.plan,
    batchIds: [],
    estimatedUsd: estimate,
  };
  for (const batch of item.ready) batch.resultsSaved = true;
  // Write-ahead: saved before the create (see resumeVerification).
  // Counted against the night (and the month) before it is sent: a crash in between can only over-count.
  await commitToNight(state, estimate, 'verify', stored.id, config, deps);
  await deps.store.update(stored.id, state);
  await sendVerification(stored, planned.requests, deps, client, false);
  deps.log.info(
    `verification: ${plural(planned.requests.length, 'request')} checking ${plural(
      Object.values(planned.plan).reduce((n, p) => n + p.findings.length, 0),
      'finding',
    )} sent (about ${formatUsd(estimate)}); the next collect publishes the night`,
  );
  return true;
}

/** Creates the verification batches (adopting one a killed collect created) and saves their ids. */
async function sendVerification(
  stored: StoredState,
  requests: PlannedRequest[],
  deps: EngineDeps,
  client: BatchClient,
  resuming: boolean,
): Promise<void> {
  const { state } = stored;
  const record = state.verification!;
  const known = new Set(state.batches.map((b) => b.id));
  for (const { requests: group, bodyBytes } of splitIntoBatches(requests, deps.batchLimits)) {
    const adopted =
      resuming && record.batchIds.length === 0
        ? await client.adoptCreatedSince(Date.parse(record.startedAt), group.length, known)
        : null;
    if (adopted) deps.log.warning(`verification: batch ${adopted.id} was created by a collect that did not save it; using it`);
    const batch = adopted ?? (await client.createBatch(group, bodyBytes));
    known.add(batch.id);
    state.batches.push({
      id: batch.id,
      requestCount: group.length,
      attempt: 0,
      submittedAt: deps.now().toISOString(),
      status: batch.processing_status,
      endedAt: null,
      resultsSaved: false,
      verify: true,
    });
    record.batchIds.push(batch.id);
    for (const request of group) record.requests[request.customId]!.batchId = batch.id;
    await deps.store.update(stored.id, state);
  }
}

/**
 * A verification record saved without its batch: the collect that saved it was killed before (or
 * right after) creating the batch. The batch made since is adopted, or the requests are sent now.
 * Called on a claimed state (the round of the first answers), so two collects never both send it.
 */
export async function resumeVerification(stored: StoredState, deps: EngineDeps, client: BatchClient): Promise<void> {
  const { state } = stored;
  const record = state.verification;
  if (!record || record.batchIds.length > 0) return;
  const findings = record.results.findings;
  const files = new FileSource(deps.context.cwd, deps.log, new Set(state.cleanHashes));
  let planned: Awaited<ReturnType<typeof planVerification>>;
  try {
    planned = await planVerification(state, findings, files);
  } finally {
    files.close();
  }
  deps.log.info(`${stored.id}: a verification was planned but its batch not saved; resuming it`);
  await sendVerification(stored, planned.requests, deps, client, true);
}

/** Whether a state holds a verification record whose batch was never saved. */
export function verificationUnsent(state: RunState): boolean {
  return state.verification !== undefined && state.verification.batchIds.length === 0;
}

/**
 * The round a collect claims on a state: the batches it is about to publish, or, for a verification
 * whose batch was never saved, the first answers' round that planned it (the one its sender held).
 */
export function claimKeyOf(state: RunState): string {
  if (!state.verification) return roundKeyOf(readyBatches(state).map((b) => b.id));
  if (verificationUnsent(state)) return state.verification.roundKey;
  // Only the verification batches are published while a verification is under way (a retry batch
  // that ended meanwhile waits): two collects must claim the same key whatever else has ended.
  return roundKeyOf(readyVerification(state).map((b) => b.id));
}

/** Per finding index: the check, or why it has none. */
type CheckOutcome = VerificationCheck | { failed: string };

/**
 * The second collect of a verified night: the checks streamed (each result once), applied to the
 * first answers, into a round published like any other. A request that failed (errored, expired,
 * canceled, malformed, its results gone) keeps its findings, marked unverified.
 */
export async function streamVerification(
  stored: StoredState,
  config: Config,
  deps: EngineDeps,
  client: BatchClient,
): Promise<StreamedState | null> {
  const { state, id: stateId } = stored;
  const record = state.verification;
  const ready = readyVerification(state);
  if (!record || ready.length === 0) return null;
  const roundKey = roundKeyOf(ready.map((b) => b.id));
  const roundDir = join(deps.context.outputDir, stateId, roundKey);
  await mkdir(roundDir, { recursive: true });
  const resultsPath = join(roundDir, 'results.jsonl');
  const out = await ChunkedFileWriter.create(resultsPath);
  const usage = new UsageAccumulator(config.priceOverrides);
  const outcomes = new Map<number, CheckOutcome>();
  const seen = new Set<string>();
  const base = record.results.findings;
  const fail = (customId: string, reason: string): void => {
    for (const index of record.requests[customId]?.findings ?? []) outcomes.set(index, { failed: reason });
    out.write(
      `${JSON.stringify({ customId, verify: true, status: 'failed', reason, paths: [record.requests[customId]?.path] })}\n`,
    );
  };
  try {
    for (const batch of ready) {
      try {
        for await (const line of client.results(batch.id)) {
          const request = record.requests[line.custom_id];
          if (!request || seen.has(line.custom_id)) continue;
          seen.add(line.custom_id);
          const result = line.result;
          if (result.type !== 'succeeded') {
            fail(
              line.custom_id,
              result.type === 'errored'
                ? `errored: ${(result.error as { error?: { message?: string } }).error?.message ?? 'no message'}`
                : result.type,
            );
            continue;
          }
          usage.add(usageOf(result.message), result.message.model, { batch: true });
          let checks: Map<number, VerificationCheck>;
          try {
            checks = parseVerifyAnswer(parseAnswerText(messageText(result.message)), request.findings.length);
          } catch (error) {
            if (!(error instanceof MalformedAnswerError)) throw error;
            fail(line.custom_id, error.message);
            continue;
          }
          // A reason is published (results, job summary): scanned like every other text a model wrote.
          for (const check of checks.values()) check.reason = (await redactSecrets(check.reason, 'answer.md')).content;
          const lines = request.findings.map((index, i) => {
            const check = checks.get(i);
            outcomes.set(index, check ?? { failed: 'the verification answer did not check it' });
            return { finding: base[index], ...(check ?? { decision: 'unverified', reason: 'not checked in the answer' }) };
          });
          out.write(
            `${JSON.stringify({ customId: line.custom_id, verify: true, status: 'succeeded', paths: [request.path], checks: lines, usage: usageOf(result.message), model: result.message.model })}\n`,
          );
        }
      } catch (error) {
        if (!(error instanceof FatalApiError) || error.status !== 404) throw error;
        deps.log.warning(error.message);
        for (const [customId, request] of Object.entries(record.requests)) {
          if (request.batchId === batch.id && !seen.has(customId)) fail(customId, `results gone: ${error.message}`);
        }
      }
    }
  } finally {
    out.close();
  }
  const verifyUsage = usage.summary();
  const summary: VerificationSummary = {
    requests: Object.keys(record.requests).length,
    checked: 0,
    kept: 0,
    dropped: [],
    unverified: 0,
    usage: verifyUsage,
  };
  const findings: Finding[] = [];
  base.forEach((finding, index) => {
    if (!needsVerification(finding)) {
      findings.push(finding);
      return;
    }
    const outcome = outcomes.get(index) ?? { failed: 'its file could not be read back for verification' };
    if ('failed' in outcome) {
      summary.unverified += 1;
      findings.push({ ...finding, verification: { decision: 'unverified', reason: outcome.failed } });
      return;
    }
    summary.checked += 1;
    if (drops(outcome)) {
      summary.dropped.push({ finding, reason: outcome.reason, confidence: outcome.confidence });
      return;
    }
    summary.kept += 1;
    findings.push({ ...finding, verification: { decision: 'kept', reason: outcome.reason } });
  });
  deps.log.info(
    `verification: ${summary.checked} checked, ${summary.kept} kept, ${summary.dropped.length} dropped, ${summary.unverified} unverified (${formatUsd(verifyUsage.costUsd)})`,
  );
  const results: CollectedResults = {
    ...record.results,
    findings,
    usage: sumUsage([record.results.usage, verifyUsage]),
    batchIds: [...record.results.batchIds, ...ready.map((b) => b.id)],
    verification: summary,
    resultsPath,
  };
  return { stored, task: getTask(state.task), ready, roundKey, roundDir, results, lost: [], verifying: true };
}

/** The verification summaries of several submissions published as one report, added up. */
export function mergeVerification(parts: readonly (VerificationSummary | undefined)[]): VerificationSummary | undefined {
  const present = parts.filter((p): p is VerificationSummary => p !== undefined);
  if (present.length === 0) return undefined;
  const ran = present.filter((p) => !p.skipped);
  if (ran.length === 0) return present[0];
  return {
    requests: ran.reduce((n, p) => n + p.requests, 0),
    checked: ran.reduce((n, p) => n + p.checked, 0),
    kept: ran.reduce((n, p) => n + p.kept, 0),
    dropped: ran.flatMap((p) => p.dropped),
    unverified: ran.reduce((n, p) => n + p.unverified, 0),
    usage: sumUsage(ran.map((p) => p.usage)),
  };
}
