// Cost behaviour a user pays for: the shared prefix is cached only when it is long enough and shared
// by enough requests, the budget is never exceeded and what was dropped is said, and `auto` runs small
// jobs interactively right away.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { submit } from '../src/engine/submit.js';
import { collect } from '../src/engine/collect.js';
import { run } from '../src/engine/run.js';
import type { TestRepo } from './helpers/git-repo.js';
import { engineOnChanges, testConfig, type TestEngine } from './helpers/engine.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function sourceFile(i: number): string {
  return [
    `export function step${i}(items: number[]): number {`,
    '  let total = 0;',
    '  for (let k = 0; k <= items.length; k++) {',
    '    total += items[k];',
    '  }',
    `  return total * ${i};`,
    '}',
    '',
  ].join('\n');
}

/** A repository with `files` changed sources and, optionally, a long project doc for the prefix. */
async function setup(
  files: number,
  docWords: number,
): Promise<{ repo: TestRepo; emulator: AnthropicEmulator; engine: TestEngine }> {
  const changed: Record<string, string> = {};
  // Files in separate directories of more than 40 lines are not packed together: one request each.
  for (let i = 0; i < files; i++) changed[`pkg${i}/mod.ts`] = sourceFile(i) + '\n'.repeat(40);
  if (docWords > 0) {
    const words = Array.from({ length: docWords }, (_, i) => `convention${i % 97} applies to module${i % 13};`).join(' ');
    changed['CLAUDE.md'] = `# Project conventions\n\n${words}\n`;
  }
  return engineOnChanges(changed, cleanups);
}

function systemOf(emulator: AnthropicEmulator): unknown[][] {
  return emulator.batches().flatMap((b) => b.requests.map((r) => (r.params as { system: unknown[] }).system));
}

describe('prompt caching', () => {
  it('marks the shared prefix with a 1h cache_control when it is long and shared, and the answers read it back', async () => {
    const { emulator, engine } = await setup(12, 3000);
    await submit(testConfig({ mode: 'submit', task: 'code-review', since: '24h' }), engine.deps);
    const systems = systemOf(emulator);
    expect(systems.length).toBeGreaterThanOrEqual(12);
    // Identical bytes in every request, one breakpoint on the last shared block.
    expect(new Set(systems.map((s) => JSON.stringify(s))).size).toBe(1);
    const blocks = systems[0] as { cache_control?: { type: string; ttl?: string } }[];
    expect(blocks.at(-1)!.cache_control).toEqual({ type: 'ephemeral', ttl: '1h' });
    expect(blocks.slice(0, -1).every((b) => !b.cache_control)).toBe(true);

    const collected = await collect(testConfig({ mode: 'collect', task: '' }), engine.deps);
    const state = (await engine.states())[0]!.state;
    expect(state.estimate.cached).toBe(true);
    // The usage the API reported shows one cache write and reads for the rest.
    const usage = collected.states[0]!.results!.usage;
    expect(usage.cacheCreationInputTokens).toBeGreaterThan(0);
    expect(usage.cacheReadInputTokens).toBeGreaterThan(usage.cacheCreationInputTokens);
    expect(usage.cacheHitRate).toBeGreaterThan(0.5);
    // Savings against interactive calls without caching exceed the batch discount alone.
    expect(usage.savingsUsd).toBeGreaterThan(usage.costUsd);
  });

  it('sends no cache_control when the prefix is shorter than the model caches', async () => {
    const { emulator, engine } = await setup(12, 0);
    // test-generation: code-review's rules alone are now over the 1,024-token minimum (they always cache).
    await submit(testConfig({ mode: 'submit', task: 'test-generation', since: '24h' }), engine.deps);
    const systems = systemOf(emulator);
    expect(systems.length).toBeGreaterThan(1);
    expect(JSON.stringify(systems)).not.toContain('cache_control');
  });

  it('sends no cache_control for a single request, however long the prefix', async () => {
    const { emulator, engine } = await setup(1, 3000);
    await submit(testConfig({ mode: 'submit', task: 'code-review', since: '24h', include: 'pkg0/**' }), engine.deps);
    expect(emulator.batches()[0]!.requests).toHaveLength(1);
    expect(JSON.stringify(systemOf(emulator))).not.toContain('cache_control');
  });
});

describe('budget', () => {
  it('drops whole requests to fit max-cost-usd, says which, and never submits more than the budget', async () => {
    const { emulator, engine } = await setup(10, 0);
    const full = await submit(testConfig({ mode: 'submit', task: 'code-review', since: '24h', 'dry-run': 'true' }), engine.deps);
    const perRequest = full.estimate!.batchUsd / full.requestCount;
    const budget = (perRequest * 4.5).toFixed(6);
    const result = await submit(
      testConfig({ mode: 'submit', task: 'code-review', since: '24h', 'max-cost-usd': budget }),
      engine.deps,
    );
    expect(result.estimate!.batchUsd).toBeLessThanOrEqual(Number(budget));
    expect(result.requestCount).toBeLessThan(full.requestCount);
    expect(result.estimate!.dropped.length).toBe(full.requestCount - result.requestCount);
    expect(emulator.batches().reduce((n, b) => n + b.requests.length, 0)).toBe(result.requestCount);
    for (const d of result.estimate!.dropped) expect(d.reason).toMatch(/budget/);
    // One warning, however many were dropped (issue 15 item 4).
    expect(engine.logs.filter((l) => l.level === 'warning')).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          new RegExp(`^max-cost-usd \\$[\\d.]+: left out ${result.estimate!.dropped.length} of ${full.requestCount} requests `),
        ),
      }),
    ]);
    // The job summary lists each dropped file once, as over max-cost-usd.
    const summary = engine.summaries.at(-1)!;
    expect(summary).toMatch(/over max-cost-usd\*\* \(\d+\)/);
    for (const path of result.estimate!.dropped.flatMap((d) => d.paths)) {
      expect(summary.split(`\`${path}\``).length - 1, path).toBe(1);
    }
  });

  it('refuses with one line when not even one request fits', async () => {
    const { emulator, engine } = await setup(2, 0);
    await expect(
      submit(testConfig({ mode: 'submit', task: 'code-review', since: '24h', 'max-cost-usd': '0.0000001' }), engine.deps),
    ).rejects.toThrow(/max-cost-usd/);
    expect(emulator.calls['batches.create']).toBe(0);
  });
});

describe('auto mode', () => {
  it('runs below sync-threshold through the interactive API, with the same report', async () => {
    const { emulator, engine } = await setup(2, 0);
    const result = await run(
      testConfig({ mode: 'auto', task: 'code-review', since: '24h', 'sync-threshold': '10' }),
      engine.deps,
    );
    expect(result.mode).toBe('run');
    expect(emulator.calls['batches.create']).toBe(0);
    expect(emulator.calls['messages']).toBe(2);
    expect(result.collected!.results!.findings.some((f) => f.category === 'off-by-one')).toBe(true);
    expect(engine.outputs.status).toBe('collected');
    // The same outputs as a collect: counts, what it cost (interactive: nothing saved), where the results are.
    expect(Number(engine.outputs['findings-count'])).toBe(result.collected!.results!.findings.length);
    expect(Number(engine.outputs['cost-usd'])).toBeGreaterThan(0);
    expect(engine.outputs['savings-usd']).toBe('0.0000');
    expect(isAbsolute(engine.outputs['results-path']!)).toBe(false);
    expect(existsSync(resolve(engine.deps.context.cwd, engine.outputs['results-path']!))).toBe(true);
  });

  it('a dry run of run mode prints the plan and its price and writes the job summary, sending nothing', async () => {
    const { emulator, engine } = await setup(2, 0);
    const result = await run(testConfig({ mode: 'run', task: 'code-review', since: '24h', 'dry-run': 'true' }), engine.deps);
    expect(result.status).toBe('dry-run');
    expect(emulator.calls['messages'] ?? 0).toBe(0);
    expect(engine.logs.some((l) => /^dry-run: \d+ requests would be sent for 2 files/.test(l.message))).toBe(true);
    expect(
      engine.logs.some((l) => /^Cost: \$[\d.]+ with the Batches API \(interactive, no caching: \$[\d.]+\)/m.test(l.message)),
    ).toBe(true);
    expect(engine.summaries).toHaveLength(1);
    expect(engine.summaries[0]).toContain('Cost estimate');
  });

  it('submits a batch at or above sync-threshold', async () => {
    const { emulator, engine } = await setup(3, 0);
    const result = await run(testConfig({ mode: 'auto', task: 'code-review', since: '24h', 'sync-threshold': '3' }), engine.deps);
    expect(result.mode).toBe('submit');
    expect(emulator.calls['batches.create']).toBe(1);
    expect(emulator.calls['messages']).toBe(0);
    expect(engine.outputs.status).toBe('submitted');
  });
});
