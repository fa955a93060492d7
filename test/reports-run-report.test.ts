// The run report a lead budgets with, from real collected rounds (the engine against the Anthropic
// emulator): a night of test generation with a long project doc (cache writes and reads), a budget
// that cuts a request, a unit whose answer wrote no test, an answer that fails for good and one that
// fails retryably and is resubmitted. Every planned unit is accounted for, the cost lines add up to the
// total, and report.md, the job summary and results.json all carry it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { submit } from '../src/engine/submit.js';
import { collect } from '../src/engine/collect.js';
import { prefixParts, type RunReport } from '../src/reports/run-report.js';
import { run } from '../src/engine/run.js';
import { sharedPrefix } from '../src/engine/plan.js';
import { getTask } from '../src/tasks/index.js';
import { resolvePrice } from '../src/cost/prices.js';
import { sumUsage, UsageAccumulator, usageCost, usageCostByCategory } from '../src/cost/usage.js';
import fc from 'fast-check';
import { makeRepo, type TestRepo } from './helpers/git-repo.js';
import { reportRounds, TEST_API_KEY, testConfig, testEngine, testGenerationModel, type TestEngine } from './helpers/engine.js';

const SOURCES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
/** The source whose answer proposes no test at all (a no-output unit). */
const NOTHING_TO_TEST = 'src/bravo/mod.ts';

function source(name: string, i: number): string {
  const body = Array.from({ length: 45 }, (_, k) => `  total += items[${k}] ?? ${k + i};`).join('\n');
  return `export function ${name}(items: number[]): number {\n  let total = 0;\n${body}\n  return total;\n}\n`;
}

const model = testGenerationModel((path) =>
  path === NOTHING_TO_TEST
    ? []
    : [
        {
          path: path.replace(/^src\/(\w+)\/mod\.ts$/, 'test/$1.test.ts'),
          content: `import { it } from 'vitest';\nit('runs', () => {});\n`,
          description: 'Covers the sum.',
        },
      ],
);

const DOC = `# Conventions\n\n${Array.from({ length: 3000 }, (_, i) => `convention${i % 97} applies to module${i % 13};`).join(' ')}\n`;

let repo: TestRepo;
let emulator: AnthropicEmulator;
let engine: TestEngine;

beforeEach(async () => {
  vi.stubEnv('GITHUB_STEP_SUMMARY', '');
  repo = await makeRepo();
  emulator = await startAnthropicEmulator({ apiKeys: [TEST_API_KEY], pollsUntilEnded: 0, responder: model });
  await repo.commit({ 'README.md': '# app\n' }, { date: new Date(Date.now() - 72 * 3_600_000) });
  const changed: Record<string, string> = { 'CLAUDE.md': DOC };
  SOURCES.forEach((name, i) => (changed[`src/${name}/mod.ts`] = source(name, i)));
  await repo.commit(changed, { date: new Date(Date.now() - 3_600_000) });
  engine = await testEngine({ repoDir: repo.dir, baseUrl: emulator.url });
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await engine.cleanup();
  await emulator.close();
  await repo.cleanup();
});

const planning = { task: 'test-generation', since: '24h', report: 'summary,artifact' };

async function runReportOf(round: string): Promise<{ report: RunReport; markdown: string; summary: string }> {
  const results = JSON.parse(await readFile(join(round, 'results.json'), 'utf8')) as { runReport: RunReport };
  return {
    report: results.runReport,
    markdown: await readFile(join(round, 'report.md'), 'utf8'),
    summary: await readFile(join(round, 'summary.md'), 'utf8'),
  };
}

describe('the run report of a collected round', () => {
  it('accounts for every planned unit, splits the cost by line, and prices retries and the other models', async () => {
    // A budget a little under the whole night's estimate: one request is cut before sending.
    await submit(testConfig({ ...planning, mode: 'submit', 'dry-run': 'true' }), engine.deps);
    const whole = Number(engine.outputs['estimated-cost-usd']);
    expect(whole).toBeGreaterThan(0);
    await submit(testConfig({ ...planning, mode: 'submit', 'max-cost-usd': String(whole * 0.9) }), engine.deps);
    const stored = (await engine.states())[0]!;
    const state = stored.state;
    const cut = state.estimate.dropped;
    // This test is about the report, not the budget (test/budget.test.ts: resubmissions past the cap are
    // not sent): the night's cap is lifted after the cut, so the overloaded answer's retry is sent.
    state.budget!.maxCostUsd = 0;
    await engine.deps.store.update(stored.id, state);
    expect(cut.length).toBeGreaterThanOrEqual(1);
    const sent = Object.entries(state.requests);
    const ids = sent.filter(([, record]) => !record.paths.includes(NOTHING_TO_TEST)).map(([id]) => id);
    expect(sent.some(([, record]) => record.paths.includes(NOTHING_TO_TEST))).toBe(true);
    // One answer fails for good (malformed), one retryably (overloaded: resubmitted by this collect).
    emulator.faults.result(ids[0]!, { type: 'malformed' });
    emulator.faults.result(ids[1]!, { type: 'errored', errorType: 'overloaded_error' });

    await collect(testConfig({ mode: 'collect', task: '', report: 'summary,artifact' }), engine.deps);
    const [first] = await reportRounds(engine.outputDir);
    const { report, markdown, summary } = await runReportOf(first!);

    // Expected against actual: every unit in exactly one place.
    const u = report.units;
    expect(u.planned).toBe(sent.length + cut.length);
    expect(u.cutByBudget).toBe(cut.length);
    expect(u.failed).toBe(1);
    expect(u.retrying).toBe(1);
    expect(u.noOutput).toBe(1);
    expect(u.noOutputUnits.map((unit) => unit.paths)).toEqual([[NOTHING_TO_TEST]]);
    expect(u.withOutput).toBe(sent.length - 3);
    expect(u.withOutput + u.withNone + u.noOutput + u.failed + u.retrying + u.cutByBudget).toBe(u.planned);
    expect(u.unaccounted).toBe(0);
    expect(u.cutUnits.flatMap((unit) => unit.paths)).toEqual(cut.flatMap((d) => d.paths));

    // Cache hits: the long prefix was written once and read back.
    expect(report.tokens.cacheWrite).toBeGreaterThan(0);
    expect(report.tokens.cacheRead).toBeGreaterThan(report.tokens.cacheWrite);
    expect(report.context.cached).toBe(true);
    expect(report.context.parts.map((part) => part.path)).toContain('CLAUDE.md');
    const doc = report.context.parts.find((part) => part.path === 'CLAUDE.md')!;
    // As sent: the file without its final newline.
    expect(doc.bytes).toBe(Buffer.byteLength(DOC) - 1);

    // The cost lines add up to the total, within a cent (and the caching saving is real).
    const lines = report.cost.byCategory!;
    expect(Math.abs(lines.input + lines.output + lines.cacheWrite + lines.cacheRead - report.cost.totalUsd)).toBeLessThan(0.01);
    expect(lines.cacheRead).toBeGreaterThan(0);
    expect(lines.cacheWrite).toBeGreaterThan(0);
    expect(report.cost.totalUsd).toBeGreaterThan(0);
    expect(report.cost.cachingSavedUsd).toBeGreaterThan(0);
    expect(report.cost.withoutCachingUsd).toBeCloseTo(report.cost.totalUsd + report.cost.cachingSavedUsd, 9);
    expect(report.cost.otherModels.map((other) => other.model).sort()).toEqual(['claude-haiku-4-5', 'claude-opus-4-8']);
    const opus = report.cost.otherModels.find((other) => other.model === 'claude-opus-4-8')!;
    expect(opus.usd).toBeGreaterThan(report.cost.totalUsd);

    // First pass: the malformed and the overloaded answers failed it; below 90%, the warning names the commonest kind.
    expect(report.retries.firstPass).toEqual({
      succeeded: sent.length - 2,
      total: sent.length,
      rate: (sent.length - 2) / sent.length,
    });
    expect(report.retries.warning).toMatch(/First-pass success rate \d+(\.\d)?% is below the 90% threshold/);
    expect(report.retries.warning).toMatch(/commonest failure: (errored: overloaded_error|malformed answer) \(1 of 2\)/);
    // Said once in the log as a warning (an annotation in Actions).
    expect(engine.logs.filter((line) => line.level === 'warning' && line.message === report.retries.warning)).toHaveLength(1);
    // The malformed answer was billed and gave nothing: the net saving pays for it.
    expect(report.retries.failedAnswersUsd).toBeGreaterThan(0);
    expect(report.retries.netSavingUsd).toBeCloseTo(report.retries.usefulInteractiveUsd - report.cost.totalUsd, 9);
    expect(report.processing.mode).toBe('batch');
    expect(report.processing.batchSeconds).not.toBeNull();

    // report.md and the job summary show every section; the issue-sized warning is in the summary paragraph.
    for (const text of [markdown, summary]) {
      for (const heading of [
        'Run report',
        'Processing',
        'Tokens and cost',
        'Shared prefix',
        'Expected against actual',
        'Retries and net saving',
      ]) {
        expect(text, heading).toMatch(new RegExp(`^#{2,4} ${heading}`, 'm'));
      }
      expect(text).toContain('| No output (no test written) | 1 |');
      expect(text).toContain(`| Cut by max-cost-usd | ${cut.length} |`);
      expect(text).toContain('| Resubmitted, answer to come | 1 |');
      expect(text).toContain('| Failed | 1 |');
      expect(text).toContain('`CLAUDE.md`');
      expect(text).toContain('⚠️ First-pass success rate');
      expect(text).toContain(`- \`${NOTHING_TO_TEST}\``);
    }

    // The retry comes back with the next collect: its round says what the resubmission cost.
    await collect(testConfig({ mode: 'collect', task: '', report: 'summary,artifact' }), engine.deps);
    const rounds = await reportRounds(engine.outputDir);
    expect(rounds).toHaveLength(2);
    const second = (await runReportOf(rounds.find((round) => round !== first)!)).report;
    expect(second.retries.retryAnswers).toBe(1);
    expect(second.retries.retryUsd).toBeGreaterThan(0);
    expect(second.retries.retryUsd).toBeCloseTo(second.cost.totalUsd, 9);
    expect(second.retries.firstPass).toBeNull();
    expect(second.units).toMatchObject({ planned: 1, withOutput: 1, failed: 0, retrying: 0, cutByBudget: 0, unaccounted: 0 });
  });
});

describe('the run report of an interactive run', () => {
  it('says the interactive API, with no batch time, and still accounts for every unit', async () => {
    await run(testConfig({ task: 'code-review', since: '24h', mode: 'run', report: 'summary' }), engine.deps);
    const [round] = await reportRounds(engine.outputDir);
    const { report, markdown } = await runReportOf(round!);
    expect(report.processing.mode).toBe('interactive');
    expect(report.processing.batchSeconds).toBeNull();
    expect(markdown).toContain('through the interactive API');
    expect(markdown).not.toContain('Batch processing time');
    const u = report.units;
    expect(u.planned).toBeGreaterThan(0);
    expect(u.withOutput + u.withNone).toBe(u.planned);
    // Interactive prices: the cost is the interactive baseline less what caching saved.
    expect(report.cost.savedVsInteractiveUsd).toBeCloseTo(report.cost.cachingSavedUsd, 9);
  });
});

describe('pieces of the run report', () => {
  it('prices every billing line so that the lines add up to the cost, whatever the usage', () => {
    const price = resolvePrice('claude-sonnet-4-6')!;
    fc.assert(
      fc.property(
        fc.record({
          inputTokens: fc.nat(2_000_000),
          outputTokens: fc.nat(200_000),
          cacheCreationInputTokens: fc.nat(200_000),
          cacheReadInputTokens: fc.nat(2_000_000),
          cacheCreation1hInputTokens: fc.nat(200_000),
        }),
        fc.boolean(),
        (usage, batch) => {
          const lines = usageCostByCategory(usage, price, { batch });
          const sum = lines.input + lines.output + lines.cacheWrite + lines.cacheRead;
          expect(Math.abs(sum - usageCost(usage, price, { batch }))).toBeLessThan(1e-9);
        },
      ),
    );
  });

  it('has no cost by line for rounds merged with results saved before it existed (never a guess)', () => {
    const accumulator = new UsageAccumulator();
    accumulator.add(
      {
        inputTokens: 1000,
        outputTokens: 100,
        cacheCreationInputTokens: 0,
        cacheReadInputTokens: 0,
        cacheCreation1hInputTokens: 0,
      },
      'claude-sonnet-4-6',
      { batch: true },
    );
    const current = accumulator.summary();
    const { costByCategoryUsd: _none, cacheCreation1hInputTokens: _old, ...older } = current;
    expect(sumUsage([current, current]).costByCategoryUsd?.input).toBeCloseTo(2 * current.costByCategoryUsd!.input, 12);
    expect(sumUsage([current, older]).costByCategoryUsd).toBeUndefined();
  });

  it('reads the shared prefix back into its parts: rules, instructions, each context file, the pull request', () => {
    const task = getTask('code-review');
    const docs = [
      { path: 'docs/a "quoted".md', content: '# A\n\nalpha\n' },
      { path: 'CLAUDE.md', content: 'Use tabs.' },
    ];
    const system = sharedPrefix(task, 'Be brief.', docs, { number: 7, title: 'Fix it', body: 'Because.' });
    const parts = prefixParts(system);
    expect(parts.map((part) => [part.kind, part.path])).toEqual([
      ['task rules', null],
      ['instructions', null],
      ['context file', 'docs/a "quoted".md'],
      ['context file', 'CLAUDE.md'],
      ['pull request', null],
    ]);
    expect(parts[2]!.bytes).toBe(Buffer.byteLength('# A\n\nalpha'));
    expect(parts[3]!.bytes).toBe(Buffer.byteLength('Use tabs.'));
  });
});
