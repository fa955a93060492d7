// deliver-by (issue 16 item 3): a collect at or after the deadline answers what is still processing
// through the interactive API (full price, within max-cost-usd), cancels the batch whose remaining
// requests it answered, and publishes one report with the batch's results and the interactive ones,
// the interactive cost said. A result the batch delivers later for a request answered interactively
// is never published twice. The deadline is reached on an injected clock (no timed assertions).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BATCH_LIMITS } from '../src/batch/client.js';
import { collect } from '../src/engine/collect.js';
import { submit } from '../src/engine/submit.js';
import { run } from '../src/engine/run.js';
import { recordsCostUsd } from '../src/cost/budget.js';
import { resolvePrice } from '../src/cost/prices.js';
import { usageCost } from '../src/cost/usage.js';
import type { TokenUsage } from '../src/types.js';
import { startAnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { makeRepo } from './helpers/git-repo.js';
import { echoResponder, reportRounds, testConfig, testEngine } from './helpers/engine.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MODULES = ['api', 'billing', 'cart', 'search', 'users', 'mail'] as const;
const HOUR = 3_600_000;

/** Six files, one request each, split into two batches of three; batches stay in progress until told. */
async function night() {
  const emulator = await startAnthropicEmulator({ seed: 11, pollsUntilEnded: 1_000, responder: echoResponder });
  const repo = await makeRepo();
  cleanups.push(
    () => repo.cleanup(),
    () => emulator.close(),
  );
  await repo.commit(
    Object.fromEntries(
      MODULES.map((m) => [`src/${m}/index.ts`, `export function ${m}(input: string): string {\n  return input + '${m}';\n}\n`]),
    ),
    { date: new Date(Date.now() - HOUR) },
  );
  const engine = await testEngine({
    repoDir: repo.dir,
    baseUrl: emulator.url,
    batchLimits: { maxRequests: 3, maxBytes: BATCH_LIMITS.maxBytes },
  });
  cleanups.push(engine.cleanup);
  return { emulator, engine };
}

async function readRound(round: string) {
  const report = await readFile(join(round, 'report.md'), 'utf8');
  const json = JSON.parse(await readFile(join(round, 'results.json'), 'utf8')) as {
    findings: { path: string }[];
    usage: { costUsd: number };
    deadline?: { answered: number; costUsd: number; canceled: string[]; leftToBatch: number };
  };
  return { report, json };
}

describe('deliver-by', () => {
  it('past the deadline, a batch still processing is answered interactively and canceled: one report with both, cost said', async () => {
    const { emulator, engine } = await night();
    const submitted = await submit(
      testConfig({ mode: 'submit', task: 'code-review', since: '24h', 'deliver-by': '6h' }),
      engine.deps,
    );
    expect(submitted.batchIds).toHaveLength(2);
    // A 6h deadline is before the batch's 24-hour worst case: submit says so in one line.
    const warnings = engine.logs.filter((l) => l.level === 'warning' && l.message.startsWith('deliver-by 6h'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/24-hour worst case/);
    const [first, second] = submitted.batchIds as [string, string];

    // Before the deadline a collect leaves running batches alone.
    await engine.clock.sleep(5 * HOUR);
    expect((await collect(testConfig({ mode: 'collect', task: '' }), engine.deps)).status).toBe('pending');
    expect(emulator.calls.messages).toBe(0);

    // The deadline passes: the first batch has ended, the second is still processing.
    emulator.endBatch(first);
    await engine.clock.sleep(2 * HOUR);
    const late = await collect(testConfig({ mode: 'collect', task: '' }), engine.deps);
    expect(late.status).toBe('collected');
    expect(late.rounds).toHaveLength(1);
    expect(emulator.calls.messages).toBe(3);
    expect(emulator.calls['batches.cancel']).toBe(1);
    expect(emulator.batches().find((b) => b.id === second)!.processing_status).toBe('canceling');
    // One report with both: every file, from the batch that ended and from the interactive answers.
    expect(late.rounds[0]!.results.findings.map((f) => f.path).sort()).toEqual(MODULES.map((m) => `src/${m}/index.ts`).sort());
    const sentInBatch = emulator
      .batches()
      .find((b) => b.id === second)!
      .requests.map((r) => r.custom_id)
      .sort();
    const interactive = late.rounds[0]!.results.findings.filter((f) => sentInBatch.includes(f.customId));
    expect(interactive).toHaveLength(3);

    const { report, json } = await readRound(join(engine.outputDir, late.states[0]!.stateId, late.rounds[0]!.roundKey));
    expect(json.deadline).toMatchObject({ answered: 3, canceled: [second], leftToBatch: 0 });
    // Full price: the interactive answers' usage at interactive rates; the round's cost holds both.
    const lines = (
      await readFile(join(engine.outputDir, late.states[0]!.stateId, late.rounds[0]!.roundKey, 'results.jsonl'), 'utf8')
    )
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { customId: string; usage: TokenUsage; model: string });
    const price = resolvePrice(lines[0]!.model)!;
    const atFullPrice = lines
      .filter((l) => sentInBatch.includes(l.customId))
      .reduce((sum, l) => sum + usageCost(l.usage, price, { batch: false }), 0);
    const inBatch = lines
      .filter((l) => !sentInBatch.includes(l.customId))
      .reduce((sum, l) => sum + usageCost(l.usage, price, { batch: true }), 0);
    expect(json.deadline!.costUsd).toBeGreaterThan(0);
    expect(json.deadline!.costUsd).toBeCloseTo(atFullPrice, 10);
    expect(json.usage.costUsd).toBeCloseTo(atFullPrice + inBatch, 10);
    expect(report).toMatch(
      new RegExp(
        `Deadline \\(deliver-by \`6h\`\\): 3 requests still processing answered through the interactive API for \\$[0-9.]+ at full price; batch \`${second}\` canceled`,
      ),
    );
    const [{ state }] = await engine.states();
    expect(state.collectedAt).not.toBeNull();

    // The canceled batch ends with answers it had already made: nothing is published again.
    emulator.endBatch(second, sentInBatch.slice(0, 2));
    const again = await collect(testConfig({ mode: 'collect', task: '' }), engine.deps);
    expect(again.status).toBe('nothing-to-do');
    expect(await reportRounds(engine.outputDir)).toHaveLength(1);
    expect(emulator.calls.messages).toBe(3);
  });

  it('one report holds the ended batch and the interactive answers; a partly answered batch is not canceled and its late results for answered requests are not published twice', async () => {
    const { emulator, engine } = await night();
    const submitted = await submit(
      testConfig({ mode: 'submit', task: 'code-review', since: '24h', 'deliver-by': '6h', 'max-cost-usd': '5' }),
      engine.deps,
    );
    const [first, second] = submitted.batchIds as [string, string];
    const [{ state }] = await engine.states();
    const committed = state.budget!.committedUsd;
    expect(committed).toBeGreaterThan(0);
    // Room for one interactive answer and a half: the fallback answers some, the batch keeps the rest.
    const inSecond = Object.values(state.requests).filter((r) => r.batchId === second);
    const one = recordsCostUsd([inSecond[0]!], {
      price: resolvePrice(state.model)!,
      batch: false,
      strict: false,
      maxOutputTokens: state.maxOutputTokens,
    });
    const cap = committed + one * 1.5;

    emulator.endBatch(first);
    await engine.clock.sleep(7 * HOUR);
    const late = await collect(testConfig({ mode: 'collect', task: '', 'max-cost-usd': String(cap) }), engine.deps);
    expect(late.rounds).toHaveLength(1);
    const answered = emulator.calls.messages;
    expect(answered).toBeGreaterThanOrEqual(1);
    expect(answered).toBeLessThan(3);
    expect(emulator.calls['batches.cancel']).toBe(0);
    const round = late.rounds[0]!;
    // One report: the first batch's three files and the interactive answers.
    const firstPaths = emulator.batches().find((b) => b.id === first)!.requests.length;
    expect(round.results.findings).toHaveLength(firstPaths + answered);
    const { report, json } = await readRound(join(engine.outputDir, late.states[0]!.stateId, round.roundKey));
    expect(json.deadline).toMatchObject({ answered, canceled: [], leftToBatch: 3 - answered });
    expect(report).toMatch(/left to the batch \(no room in the budget\)/);
    const answeredPaths = new Set(round.results.findings.map((f) => f.path));

    // The batch ends with all three answered: only the ones not answered at the deadline are published.
    emulator.endBatch(second);
    const rest = await collect(testConfig({ mode: 'collect', task: '', 'max-cost-usd': String(cap) }), engine.deps);
    expect(rest.rounds).toHaveLength(1);
    const restPaths = rest.rounds[0]!.results.findings.map((f) => f.path);
    expect(restPaths).toHaveLength(3 - answered);
    for (const path of restPaths) expect(answeredPaths.has(path)).toBe(false);
    expect(emulator.calls.messages).toBe(answered);
    const [{ state: after }] = await engine.states();
    expect(after.collectedAt).not.toBeNull();
    // What the night committed stays within max-cost-usd.
    expect(after.budget!.committedUsd).toBeLessThanOrEqual(cap + 1e-12);
  });

  it('auto: a deadline under 2h runs work above sync-threshold interactively now; a far one still submits a batch', async () => {
    const { emulator, engine } = await night();
    const near = await run(
      testConfig({ mode: 'auto', task: 'code-review', since: '24h', 'sync-threshold': '5', 'deliver-by': '1h' }),
      engine.deps,
    );
    expect(near.mode).toBe('run');
    expect(emulator.calls.messages).toBe(MODULES.length);
    expect(emulator.calls['batches.create']).toBe(0);
    expect(engine.logs.some((l) => /^auto: the deadline is 1h00m away \(under 2h\) and 6 requests are few/.test(l.message))).toBe(
      true,
    );

    const far = await run(
      testConfig({ mode: 'auto', task: 'code-review', since: '24h', 'sync-threshold': '5', 'deliver-by': '6h' }),
      engine.deps,
    );
    expect(far.mode).toBe('submit');
    expect(emulator.calls['batches.create']).toBe(2);
  });
});
