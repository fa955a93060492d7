// Scenario 2: submit of 100,000 requests (over 256 MB once serialised): the real planner builds them
// from synthetic 60-80 line files, then sendBatches splits them (splitIntoBatches) and creates each
// batch against the emulator, which enforces the API's real limits (100,000 requests, 256 MB).
import { createHash } from 'node:crypto';
import { splitIntoBatches } from '../../src/batch/client.js';
import { resolvePrice } from '../../src/cost/prices.js';
import { planRequests } from '../../src/engine/plan.js';
import { sendBatches } from '../../src/engine/submit.js';
import { STATE_VERSION, type RunState } from '../../src/state/state.js';
import { getTask } from '../../src/tasks/index.js';
import { DEFAULT_PLAN_OPTIONS } from '../../src/tasks/task.js';
import type { SourceFile } from '../../src/types.js';
import { benchDeps } from '../engine-deps.js';
import { peakRssMB, progress, report, since } from '../lib.js';
import { pathOf, sourceFile } from '../synthetic.js';

export async function submitScenario(args: { baseUrl: string; requests: number; repoDir: string }): Promise<void> {
  const task = getTask('code-review');
  const model = task.defaultModel;
  const prepareStart = performance.now();
  const files: SourceFile[] = [];
  for (let i = 0; i < args.requests; i++) {
    const content = sourceFile(i, 7 + (i % 3));
    files.push({
      // One file a directory: nothing is packed, so the plan holds exactly `requests` requests.
      path: `units/u${i}/${pathOf(i).split('/').pop()}`,
      content,
      contentHash: createHash('sha256').update(content).digest('hex'),
      diff: '',
      changedRanges: [{ start: 1, end: 70 }],
      status: 'added',
      language: 'typescript',
      redactions: 0,
      bytes: Buffer.byteLength(content),
    });
  }
  const units = task.planUnits(files, DEFAULT_PLAN_OPTIONS);
  const plan = planRequests({
    task,
    units,
    model,
    maxOutputTokens: task.defaultMaxOutputTokens,
    instructions: '',
    contextFiles: [],
    price: resolvePrice(model),
  });
  files.length = 0;
  const prepareMs = since(prepareStart);
  const prepareRssMB = peakRssMB();
  progress(`planned ${plan.requests.length} requests in ${Math.round(prepareMs)} ms`);

  const splitStart = performance.now();
  const groups = splitIntoBatches(plan.requests);
  const splitMs = since(splitStart);
  const splitRssMB = peakRssMB();
  progress(
    `split into ${groups.length} batches (${groups.map((g) => g.requests.length).join(' + ')}) in ${Math.round(splitMs)} ms; peak RSS ${Math.round(splitRssMB)} MB`,
  );

  const deps = await benchDeps({ repoDir: args.repoDir, baseUrl: args.baseUrl });
  const state = { version: STATE_VERSION, requests: {}, batches: [] } as unknown as RunState;
  const sendStart = performance.now();
  const created = await sendBatches(state, plan.requests, deps, 0);
  const sendMs = since(sendStart);
  const sendRssMB = peakRssMB();
  // Measured after the peak was taken: the serialised size, one request at a time.
  let bytes = 0;
  for (const r of plan.requests) bytes += Buffer.byteLength(JSON.stringify({ custom_id: r.customId, params: r.params }));
  report({
    splitRssMB,
    sendRssMB,
    requests: plan.requests.length,
    serialisedMB: bytes / 1024 / 1024,
    batches: created.map((b) => b.requestCount),
    prepareMs,
    prepareRssMB,
    splitMs,
    sendMs,
  });
}
