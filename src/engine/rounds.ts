// Between the halves: streamed states grouped into rounds, one report each (the scheduled submissions
// of a findings task collected together make one, merged about the newest commit), each round
// published (publish.ts), and each state's new revision saved with what its round published.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { StoredState } from '../state/store.js';
import type { RunState } from '../state/state.js';
import type { CollectedResults, ReportResult } from '../reports/reporter.js';
import { mergeSkipped } from '../reports/skipped.js';
import type { Finding } from '../types.js';
import { sumUsage } from '../cost/usage.js';
import { CodeReader, locateFinding, refOf } from '../decisions/index.js';
import type { EngineDeps } from './deps.js';
import { roundKeyOf, type StreamedState } from './stream.js';
import { publishRoundReporting, type RoundInput } from './publish.js';
import { MAX_HELD_BACK, mergeAccounting } from './results.js';
import { mergeVerification } from './verify-round.js';
import { mergeFallbacks } from './deadline.js';

export interface StateCollectResult {
  stateId: string;
  status: 'pending' | 'collected' | 'partial' | 'failed';
  results: CollectedResults | null;
  reports: ReportResult[];
  /** One line when the state could not be collected. */
  error?: string;
}

/** A state this collect published nothing of: not ended yet, left to another collect, or done meanwhile. */
export function untouched(stateId: string, status: 'pending' | 'collected'): StateCollectResult {
  return { stateId, status, results: null, reports: [] };
}

/** One published report: the submissions it covers and what it reported. */
export interface CollectedRound {
  stateIds: string[];
  roundKey: string;
  /** As reported: merged over the submissions, dismissed findings left out. */
  results: CollectedResults;
  reports: ReportResult[];
}

/** Tasks whose submissions collected together are published as one report (one issue a night). */
const MERGED_TASKS: ReadonlySet<string> = new Set(['code-review', 'security-scan']);

/** Which report a state goes into: the scheduled submissions of a findings task on one ref share one. */
export function groupKeyOf(stored: StoredState): string {
  return stored.state.pullRequest === null && MERGED_TASKS.has(stored.state.task)
    ? `task:${stored.state.task}:${stored.state.ref ?? ''}`
    : `state:${stored.id}`;
}

/** Streamed states published together: the scheduled submissions of a findings task on one ref, or one state alone. */
export function groupStreamed(streamed: StreamedState[]): StreamedState[][] {
  const groups = new Map<string, StreamedState[]>();
  for (const item of streamed) {
    const key = groupKeyOf(item.stored);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}

async function concatenate(sources: string[], target: string): Promise<void> {
  const out = createWriteStream(target, { flags: 'w' });
  try {
    for (const source of sources) await pipeline(createReadStream(source), out, { end: false });
  } finally {
    out.end();
    await once(out, 'finish');
  }
}

/**
 * Several submissions of one task collected together (a night whose collect failed, a slow batch):
 * one round about the newest reviewed commit. For a file reviewed by more than one of them only the
 * newest review counts; an older finding in a file that changed since is moved to where its code is
 * now, or left out when that code is gone.
 */
async function mergeStreamed(members: StreamedState[], deps: EngineDeps): Promise<Omit<RoundInput, 'task' | 'config' | 'deps'>> {
  const newest = members.at(-1)!;
  const oldest = members[0]!;
  const head = newest.stored.state.headSha;
  const roundKey = roundKeyOf(members.flatMap((m) => m.ready.map((b) => b.id)));
  const roundDir = join(deps.context.outputDir, newest.stored.id, roundKey);
  await mkdir(roundDir, { recursive: true });
  const resultsPath = join(roundDir, 'results.jsonl');
  await concatenate(
    members.map((m) => m.results.resultsPath),
    resultsPath,
  );
  // Only a review whose answer is in (streamed in this round, or published before) and did not fail
  // supersedes: a newer review that failed, or is still out (resubmitted), has nothing to replace the
  // older findings with.
  const reviewedLast = new Map<string, number>();
  members.forEach((member, index) => {
    const answered = new Set(
      member.stored.state.batches.filter((b) => b.resultsSaved || member.ready.includes(b)).map((b) => b.id),
    );
    for (const record of Object.values(member.stored.state.requests)) {
      if (record.failed || record.batchId === null || !answered.has(record.batchId)) continue;
      for (const path of record.paths) reviewedLast.set(path, index);
    }
  });
  const code = new CodeReader(deps.context.cwd);
  const findings: Finding[] = [];
  let superseded = 0;
  let gone = 0;
  try {
    for (const [index, member] of members.entries()) {
      for (const finding of member.results.findings) {
        if ((reviewedLast.get(finding.path) ?? index) > index) {
          superseded += 1;
          continue;
        }
        if (member === newest) {
          findings.push(finding);
          continue;
        }
        const now = await code.read(head, finding.path);
        const sentHash = member.stored.state.requests[finding.customId]?.contentHashes[finding.path];
        if (now.state === 'unknown' || (now.state === 'present' && now.hash === sentHash)) {
          findings.push(finding);
          continue;
        }
        const at = now.state === 'present' ? locateFinding(now.content, refOf(finding)) : null;
        if (!at) {
          gone += 1;
          continue;
        }
        findings.push({ ...finding, startLine: at.start, endLine: at.end });
      }
    }
  } finally {
    code.close();
  }
  if (superseded + gone > 0) {
    deps.log.info(
      `one report for ${members.length} submissions: ${superseded} finding(s) superseded by a newer review of their file, ${gone} whose code is gone at ${head.slice(0, 7)}`,
    );
  }
  const all = members.map((m) => m.results);
  const sum = (f: (r: CollectedResults) => number): number => all.reduce((n, r) => n + f(r), 0);
  const accounting = mergeAccounting(all.map((r) => r.accounting));
  const verification = mergeVerification(all.map((r) => r.verification));
  const results: CollectedResults = {
    task: newest.results.task,
    findings,
    files: all.flatMap((r) => r.files),
    verdicts: all.flatMap((r) => r.verdicts),
    failures: all.flatMap((r) => r.failures),
    succeeded: sum((r) => r.succeeded),
    received: sum((r) => r.received),
    resubmitted: sum((r) => r.resubmitted),
    duplicatesSkipped: sum((r) => r.duplicatesSkipped),
    belowSeverity: sum((r) => r.belowSeverity),
    findingsNotKept: sum((r) => r.findingsNotKept ?? 0),
    belowConfidence: all.flatMap((r) => r.belowConfidence ?? []).slice(0, MAX_HELD_BACK),
    belowConfidenceCount: sum((r) => r.belowConfidenceCount ?? 0),
    moved: sum((r) => r.moved ?? 0),
    mislocated: sum((r) => r.mislocated ?? 0),
    usage: sumUsage(all.map((r) => r.usage)),
    ...(accounting ? { accounting } : {}),
    ...(verification ? { verification } : {}),
    batchIds: all.flatMap((r) => r.batchIds),
    resultsPath,
    ...(sum((r) => r.budgetCut ?? 0) > 0 ? { budgetCut: sum((r) => r.budgetCut ?? 0) } : {}),
    ...mergeFallbacks(all.map((r) => r.deadline)),
  };
  // The round is about the newest commit, over the union of the windows.
  const state: RunState = {
    ...newest.stored.state,
    baseSha: oldest.stored.state.baseSha,
    window: `${members.length} submissions: ${members.map((m) => m.stored.state.window).join('; ')}`,
    skipped: mergeSkipped(members.map((m) => m.stored.state)),
    published: {},
  };
  return { state, stateId: newest.stored.id, roundKey, roundDir, results };
}

/** Marks what a round published in a state and saves it. */
async function finishState(
  item: StreamedState,
  published: Record<string, string>,
  reports: ReportResult[],
  deps: EngineDeps,
): Promise<StateCollectResult> {
  const { state } = item.stored;
  Object.assign(state.published, published);
  const failedReports = reports.some((r) => r.failed);
  // A verified night is done once published; a failed report keeps the record for the re-run.
  if (item.verifying && !failedReports) delete state.verification;
  // A report that could not be published keeps its round open: the next collect streams the results
  // again (free) and publishes what is missing; markers keep what did go out from going out twice.
  if (!failedReports) for (const batch of item.ready) batch.resultsSaved = true;
  const outstanding = state.batches.some((b) => !b.resultsSaved);
  if (!outstanding) state.collectedAt = deps.now().toISOString();
  await deps.store.update(item.stored.id, state);
  return {
    stateId: item.stored.id,
    status: failedReports ? 'failed' : outstanding ? 'partial' : 'collected',
    results: item.results,
    reports,
    ...(item.lost.length ? { error: `results of ${item.lost.join(', ')} are gone` } : {}),
  };
}

/** Publishes one group (one report) and records it in every state of the group. */
export async function publishGroup(
  group: StreamedState[],
  config: Config,
  deps: EngineDeps,
): Promise<{ round: CollectedRound; states: StateCollectResult[] }> {
  const task = group[0]!.task;
  const input =
    group.length === 1
      ? {
          state: group[0]!.stored.state,
          stateId: group[0]!.stored.id,
          roundKey: group[0]!.roundKey,
          roundDir: group[0]!.roundDir,
          results: group[0]!.results,
        }
      : await mergeStreamed(group, deps);
  const { reports, reported } = await publishRoundReporting({ ...input, task, config, deps });
  const states: StateCollectResult[] = [];
  for (const item of group) states.push(await finishState(item, input.state.published, reports, deps));
  return {
    round: { stateIds: group.map((item) => item.stored.id), roundKey: input.roundKey, results: reported, reports },
    states,
  };
}
