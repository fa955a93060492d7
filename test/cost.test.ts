import { describe, expect, it } from 'vitest';
import type { TextBlockParam } from '@anthropic-ai/sdk/resources/messages/messages';
import { BATCH_DISCOUNT, PRICE_TABLE, parsePriceOverrides, resolvePrice, retirementWarning } from '../src/cost/prices.js';
import { estimateRequestTokens, estimateTokens, expectedOutputTokens } from '../src/cost/tokens.js';
import { applyCacheControl, decideCaching } from '../src/cost/caching.js';
import { UsageAccumulator, formatUsd, interactiveBaseline, usageCost } from '../src/cost/usage.js';
import { estimatePlan, planCost, renderEstimate, type EstimateRequest } from '../src/cost/estimate.js';
import { applyBudget, countRangeLines, type BudgetCandidate } from '../src/cost/budget.js';
import type { TokenUsage } from '../src/types.js';

const sonnet = resolvePrice('claude-sonnet-4-6')!;
const haiku = resolvePrice('claude-haiku-4-5')!;

/** Money compared to a thousandth of a cent: the arithmetic in the tests is exact, floats are not. */
const expectUsd = (actual: number, expected: number): void => expect(actual).toBeCloseTo(expected, 5);

describe('prices', () => {
  it('holds the table from API-NOTES.md (Nov 2026)', () => {
    expect(Object.keys(PRICE_TABLE).sort()).toEqual(
      [
        'claude-haiku-4-5',
        'claude-opus-4-5',
        'claude-opus-4-6',
        'claude-opus-4-7',
        'claude-opus-4-8',
        'claude-sonnet-4-5',
        'claude-sonnet-4-6',
      ].sort(),
    );
    expect(sonnet).toEqual({
      input: 3,
      output: 15,
      cacheWrite5m: 3.75,
      cacheWrite1h: 6,
      cacheRead: 0.3,
      minCacheablePrefix: 1024,
    });
    expect(resolvePrice('claude-opus-4-7')!.minCacheablePrefix).toBe(2048);
    expect(resolvePrice('claude-opus-4-5')!.minCacheablePrefix).toBe(4096);
    expect(haiku.minCacheablePrefix).toBe(4096);
    expect(BATCH_DISCOUNT).toBe(0.5);
  });

  it('maps dated snapshots to their family and knows nothing of unknown models', () => {
    expect(resolvePrice('claude-sonnet-4-6-20260101')).toEqual(sonnet);
    expect(resolvePrice('claude-sonnet-4-6@20260101')).toEqual(sonnet);
    expect(resolvePrice('claude-haiku-4-5-20251001')).toEqual(haiku);
    expect(resolvePrice('claude-sonnet-5')).toBeUndefined();
    expect(resolvePrice('gpt-4o')).toBeUndefined();
    // Not a date: a different model, not a snapshot.
    expect(resolvePrice('claude-sonnet-4-6-turbo')).toBeUndefined();
  });

  it('prefers overrides (exact id, then family) over the table', () => {
    const overrides = parsePriceOverrides('claude-sonnet-4-6=2/10, claude-sonnet-5=2/10');
    expect(resolvePrice('claude-sonnet-4-6', overrides)!.input).toBe(2);
    expect(resolvePrice('claude-sonnet-4-6-20260101', overrides)!.output).toBe(10);
    expect(resolvePrice('claude-sonnet-5', overrides)!.cacheRead).toBeCloseTo(0.2, 10);
    // Models not overridden keep the table price.
    expect(resolvePrice('claude-haiku-4-5', overrides)).toEqual(haiku);
  });

  it('warns about sonnet-4-5 before and after its retirement, and not about current models', () => {
    expect(retirementWarning('claude-sonnet-4-5', new Date('2026-11-01T00:00:00Z'))).toBe(
      'claude-sonnet-4-5 retires on 2026-11-30; use claude-sonnet-4-6 instead',
    );
    expect(retirementWarning('claude-sonnet-4-5-20250929', new Date('2026-12-01T00:00:00Z'))).toMatch(
      /was retired on 2026-11-30.*claude-sonnet-4-6/,
    );
    expect(retirementWarning('claude-sonnet-4-6', new Date('2026-12-01T00:00:00Z'))).toBeNull();
  });
});

describe('parsePriceOverrides', () => {
  it('reads JSON and derives missing cache prices from input', () => {
    const parsed = parsePriceOverrides(
      '{"claude-sonnet-5": {"input": 2, "output": 10}, "big": {"input": 4, "output": 20, "cacheRead": 0.3, "minCacheablePrefix": 2048}}',
    );
    expect(parsed['claude-sonnet-5']).toEqual({
      input: 2,
      output: 10,
      cacheWrite5m: 2.5,
      cacheWrite1h: 4,
      cacheRead: 0.2,
      minCacheablePrefix: 1024,
    });
    expect(parsed.big).toEqual({
      input: 4,
      output: 20,
      cacheWrite5m: 5,
      cacheWrite1h: 8,
      cacheRead: 0.3,
      minCacheablePrefix: 2048,
    });
  });

  it('reads the compact form on lines and commas, with all five prices or two', () => {
    const parsed = parsePriceOverrides(
      '  my-model = 1/2/1.5/2.5/0.2 \n# a comment\nclaude-sonnet-5=2/10,claude-haiku-4-5=0.8/4\n',
    );
    expect(parsed['my-model']).toEqual({
      input: 1,
      output: 2,
      cacheWrite5m: 1.5,
      cacheWrite1h: 2.5,
      cacheRead: 0.2,
      minCacheablePrefix: 1024,
    });
    expect(parsed['claude-sonnet-5']!.cacheWrite1h).toBe(4);
    // A model the table knows keeps its own caching minimum when only its prices change.
    expect(parsed['claude-haiku-4-5']!.minCacheablePrefix).toBe(4096);
    expect(parsePriceOverrides('   ')).toEqual({});
  });

  it.each([
    ['claude-x=abc/10', /claude-x: input must be a non-negative number/],
    ['claude-x=2', /has 1 price\(s\); expected model=input\/output/],
    ['claude-x 2/10', /is not model=input\/output/],
    ['claude-x=-1/10', /input must be a non-negative number/],
    ['{"m": {"input": 2}}', /m: input and output are required/],
    ['{"m": {"input": 2, "output": 10, "ouput": 3}}', /m: unknown field "ouput"/],
    ['{"m": {"input": "two", "output": 10}}', /m: input must be a non-negative number/],
    ['{"m": [2, 10]}', /m: expected an object/],
    ['{not json', /not valid JSON/],
    ['{"bad id": {"input": 1, "output": 2}}', /"bad id" is not a model id/],
  ])('rejects %s with one line', (text, message) => {
    let error: Error | undefined;
    try {
      parsePriceOverrides(text);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).toMatch(/^price-overrides: /);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });
});

describe('usage accounting', () => {
  // sonnet-4-6 batch, hand-checked:
  //   input        1,000,000 × $3.00/M  = $3.00
  //   output         200,000 × $15.00/M = $3.00
  //   write 1h        50,000 × $6.00/M  = $0.30
  //   cache read     400,000 × $0.30/M  = $0.12
  //   standard total $6.42; batch × 0.5 = $3.21
  // Interactive, no caching: (1,000,000 + 50,000 + 400,000) × $3/M = $4.35, + output $3.00 = $7.35.
  // Saving: $7.35 − $3.21 = $4.14.
  const usage: TokenUsage = {
    inputTokens: 1_000_000,
    outputTokens: 200_000,
    cacheCreationInputTokens: 50_000,
    cacheCreation1hInputTokens: 50_000,
    cacheReadInputTokens: 400_000,
  };

  it('prices a batch usage to the cent, the interactive baseline and the saving', () => {
    expectUsd(usageCost(usage, sonnet, { batch: true }), 3.21);
    expectUsd(usageCost(usage, sonnet, { batch: false }), 6.42);
    expectUsd(interactiveBaseline(usage, sonnet), 7.35);
    expectUsd(interactiveBaseline(usage, sonnet) - usageCost(usage, sonnet, { batch: true }), 4.14);
  });

  it('splits cache writes into 5m and 1h by what the API reports', () => {
    // 80,000 written: 50,000 with 1h ($6/M = $0.30) and 30,000 with 5m ($3.75/M = $0.1125).
    const split: TokenUsage = {
      inputTokens: 0,
      outputTokens: 0,
      cacheCreationInputTokens: 80_000,
      cacheCreation1hInputTokens: 50_000,
      cacheReadInputTokens: 0,
    };
    expectUsd(usageCost(split, sonnet, { batch: false }), 0.4125);
    expectUsd(usageCost(split, sonnet, { batch: true }), 0.20625);
  });

  it('accumulates per model and in total, with the cache hit rate, and names unpriced models', () => {
    const small: TokenUsage = {
      inputTokens: 2_000,
      outputTokens: 1_000,
      cacheCreationInputTokens: 0,
      cacheCreation1hInputTokens: 0,
      cacheReadInputTokens: 0,
    };
    const accumulator = new UsageAccumulator(parsePriceOverrides('claude-sonnet-5=2/10'));
    accumulator.add(usage, 'claude-sonnet-4-6-20260101', { batch: true });
    // claude-sonnet-5 interactively: 2,000 × $2/M + 1,000 × $10/M = $0.004 + $0.01 = $0.014.
    accumulator.add(small, 'claude-sonnet-5', { batch: false });
    accumulator.add(small, 'mystery-model', { batch: true });

    const total = accumulator.summary();
    expect(total.requests).toBe(3);
    expect(total.inputTokens).toBe(1_004_000);
    expect(total.outputTokens).toBe(202_000);
    expectUsd(total.costUsd, 3.21 + 0.014);
    expectUsd(total.interactiveUsd, 7.35 + 0.014);
    expectUsd(total.savingsUsd, 4.14);
    // 400,000 read / (1,004,000 input + 50,000 written + 400,000 read)
    expect(total.cacheHitRate).toBeCloseTo(400_000 / 1_454_000, 10);

    const byModel = accumulator.byModel();
    expect(Object.keys(byModel)).toEqual(['claude-sonnet-4-6-20260101', 'claude-sonnet-5', 'mystery-model']);
    expect(byModel['claude-sonnet-4-6-20260101']!.cacheHitRate).toBeCloseTo(400_000 / 1_450_000, 10);
    expect(byModel['mystery-model']!.costUsd).toBe(0);
    expect(byModel['mystery-model']!.inputTokens).toBe(2_000);
    expect(accumulator.unpricedModels()).toEqual(['mystery-model']);
  });

  it('formats dollars with sensible precision', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.0123)).toBe('$0.0123');
    expect(formatUsd(0.5)).toBe('$0.50');
    expect(formatUsd(0.12345)).toBe('$0.123');
    expect(formatUsd(1.375)).toBe('$1.38');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(0.99999)).toBe('$1.00');
    expect(formatUsd(0.00001)).toBe('<$0.0001');
    expect(formatUsd(-0.3)).toBe('-$0.30');
  });
});

const CODE_SAMPLE = `import { createHash } from 'node:crypto';

export interface Entry {
  path: string;
  size: number;
  hash: string | null;
}

/** Groups entries by directory and hashes each group's paths. */
export function groupByDirectory(entries: readonly Entry[]): Map<string, string> {
  const groups = new Map<string, string[]>();
  for (const entry of entries) {
    const dir = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : '.';
    const list = groups.get(dir) ?? [];
    list.push(entry.path);
    groups.set(dir, list);
  }
  const result = new Map<string, string>();
  for (const [dir, paths] of groups) {
    const digest = createHash('sha256').update(paths.sort().join('\\n')).digest('hex');
    result.set(dir, digest.slice(0, 12));
  }
  return result;
}

export const totalSize = (entries: Entry[]): number => entries.reduce((sum, e) => sum + (e.size > 0 ? e.size : 0), 0);
`;

const PROSE_SAMPLE = `The tool reads the changes made to a repository overnight and asks the model to review each changed
file. Results arrive by morning as issues and comments. Because the work is sent as a batch, it costs
half of what the same questions would cost one at a time, and the shared instructions are cached so
that every request after the first one reads them back at a fraction of the price.
`;

describe('token estimates', () => {
  it('stays within ±25% of chars/3.5 on code, and reads code as denser than prose', () => {
    const estimate = estimateTokens(CODE_SAMPLE);
    const reference = CODE_SAMPLE.length / 3.5;
    expect(estimate).toBeGreaterThan(reference * 0.75);
    expect(estimate).toBeLessThan(reference * 1.25);
    const codeCharsPerToken = CODE_SAMPLE.length / estimate;
    const proseCharsPerToken = PROSE_SAMPLE.length / estimateTokens(PROSE_SAMPLE);
    expect(codeCharsPerToken).toBeLessThan(proseCharsPerToken);
    expect(proseCharsPerToken).toBeGreaterThan(3.5);
    expect(proseCharsPerToken).toBeLessThan(4.8);
  });

  it('never decreases as text grows', () => {
    const text = CODE_SAMPLE + PROSE_SAMPLE + '漢字とかな, 12345678 __init__ fooBarBaz\t\t  x';
    let previous = 0;
    for (let end = 0; end <= text.length; end++) {
      const tokens = estimateTokens(text.slice(0, end));
      expect(tokens).toBeGreaterThanOrEqual(previous);
      previous = tokens;
    }
    expect(estimateTokens('')).toBe(0);
    // Ideographs are about a token each, not one token per "word".
    expect(estimateTokens('漢字漢字漢字漢字')).toBe(8);
  });

  it('counts system blocks as the prefix, then messages and the schema', () => {
    const system: TextBlockParam[] = [
      { type: 'text', text: PROSE_SAMPLE },
      { type: 'text', text: 'Answer in JSON.' },
    ];
    const messages = [{ role: 'user' as const, content: CODE_SAMPLE }];
    const bare = estimateRequestTokens({ system, messages });
    expect(bare.prefixTokens).toBe(estimateTokens(PROSE_SAMPLE) + estimateTokens('Answer in JSON.'));
    expect(bare.messageTokens).toBeGreaterThanOrEqual(estimateTokens(CODE_SAMPLE));
    expect(bare.schemaTokens).toBe(0);
    expect(bare.inputTokens).toBeGreaterThan(bare.prefixTokens + bare.messageTokens);

    const schema = {
      type: 'object',
      properties: { summary: { type: 'string' } },
      required: ['summary'],
      additionalProperties: false,
    };
    const withSchema = estimateRequestTokens({ system, messages, output_config: { format: { type: 'json_schema', schema } } });
    expect(withSchema.schemaTokens).toBeGreaterThan(estimateTokens(JSON.stringify(schema)));
    expect(withSchema.inputTokens).toBe(bare.inputTokens + withSchema.schemaTokens);
    // A string system prompt and block content count the same text.
    expect(estimateRequestTokens({ system: PROSE_SAMPLE, messages: [] }).prefixTokens).toBe(estimateTokens(PROSE_SAMPLE));
  });

  it('expects short answers for reviews and long ones for generation, capped at max tokens', () => {
    const review = expectedOutputTokens('code-review', 16_000, 4_000);
    const tests = expectedOutputTokens('test-generation', 16_000, 4_000);
    const docs = expectedOutputTokens('docs-update', 16_000, 4_000);
    expect(review).toBeLessThan(1_000);
    expect(tests).toBeGreaterThan(4_000);
    expect(docs).toBeGreaterThan(4_000);
    expect(expectedOutputTokens('test-generation', 2_000, 4_000)).toBe(2_000);
    expect(expectedOutputTokens('security-scan', 16_000, 10_000)).toBeGreaterThan(
      expectedOutputTokens('security-scan', 16_000, 1_000),
    );
  });
});

describe('caching decision', () => {
  it('does not cache a prefix below the model minimum', () => {
    const short = decideCaching({ prefixTokens: 900, requestCount: 50, price: sonnet });
    expect(short.cache).toBe(false);
    expect(short.reason).toBe("shared prefix of 900 tokens is below the model's 1,024-token caching minimum");
    const haikuShort = decideCaching({ prefixTokens: 3_000, requestCount: 50, price: haiku });
    expect(haikuShort.cache).toBe(false);
    expect(haikuShort.reason).toContain('4,096-token');
  });

  it('does not cache for a single request', () => {
    const single = decideCaching({ prefixTokens: 20_000, requestCount: 1, price: sonnet });
    expect(single.cache).toBe(false);
    expect(single.reason).toContain('no later request');
  });

  it('caches 2,000 tokens × 50 requests, with the expected saving', () => {
    // Without caching: 50 × 2,000 × $3/M = $0.30.
    // With: one 1h write 2,000 × $6/M = $0.012, then 49 × (70% × 2,000 × $0.30/M + 30% × 2,000 × $6/M)
    //   = 49 × ($0.00042 + $0.0036) = $0.19698, so $0.20898 in all.
    // Saving $0.09102 at standard rates, $0.04551 at batch rates.
    const decision = decideCaching({ prefixTokens: 2_000, requestCount: 50, price: sonnet });
    expect(decision.cache).toBe(true);
    expectUsd(decision.savingUsd, 0.04551);
    expect(decision.reason).toBe(
      'shared prefix of 2,000 tokens × 50 requests: caching saves ≈ $0.0455 (70% expected cache hits)',
    );
    expectUsd(decideCaching({ prefixTokens: 2_000, requestCount: 50, price: sonnet, batch: false }).savingUsd, 0.09102);
  });

  it('does not cache when too few requests would read the prefix back', () => {
    // 3 requests: $0.018 plain vs $0.012 + 2 × $0.00402 = $0.02004 cached.
    const few = decideCaching({ prefixTokens: 2_000, requestCount: 3, price: sonnet });
    expect(few.cache).toBe(false);
    expect(few.savingUsd).toBeLessThan(0);
    expect(few.reason).toMatch(/caching would cost \$0\.00102 more/);
  });

  it('marks only the last system block, with the 1h TTL, without changing the input', () => {
    const system: TextBlockParam[] = [
      { type: 'text', text: 'task rules' },
      { type: 'text', text: 'instructions', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'project docs' },
    ];
    const marked = applyCacheControl(system);
    expect(marked.map((b) => b.cache_control ?? null)).toEqual([null, null, { type: 'ephemeral', ttl: '1h' }]);
    expect(marked.map((b) => b.text)).toEqual(['task rules', 'instructions', 'project docs']);
    expect(system[2]!.cache_control).toBeUndefined();
    expect(system[1]!.cache_control).toEqual({ type: 'ephemeral' });
    // The API refuses a breakpoint on an empty block: the last non-empty one carries it.
    const trailingEmpty = applyCacheControl([
      { type: 'text', text: 'rules' },
      { type: 'text', text: '' },
    ]);
    expect(trailingEmpty.map((b) => b.cache_control ?? null)).toEqual([{ type: 'ephemeral', ttl: '1h' }, null]);
    expect(applyCacheControl([])).toEqual([]);
  });
});

describe('plan estimate', () => {
  // 10 requests on sonnet-4-6, each 5,000 input tokens of which 2,000 are the shared prefix, 500 output.
  const requests: EstimateRequest[] = Array.from({ length: 10 }, (_, i) => ({
    customId: `cr-${i}`,
    paths: [`src/f${i}.ts`],
    inputTokens: 5_000,
    outputTokens: 500,
  }));
  const planInput = {
    model: 'claude-sonnet-4-6',
    price: sonnet,
    requests,
    prefixTokens: 2_000,
    cached: true,
    files: 10,
    tokenSource: 'heuristic' as const,
  };
  const estimate = estimatePlan(planInput);

  it('prices batch, interactive, other models and a month by hand', () => {
    // Prefix, cached: 2,000 × $6/M = $0.012 + 9 × (0.7 × 2,000 × $0.30/M + 0.3 × 2,000 × $6/M) = 9 × $0.00402
    //   = $0.03618 → $0.04818. Own input 10 × 3,000 × $3/M = $0.09. Output 5,000 × $15/M = $0.075.
    //   Standard $0.21318, batch $0.10659.
    expectUsd(estimate.batchUsd, 0.10659);
    // Interactive: 50,000 × $3/M + $0.075 = $0.225.
    expectUsd(estimate.interactiveUsd, 0.225);
    expectUsd(estimate.monthlyUsd!, 0.10659 * 30);
    expect(estimate.inputTokens).toBe(50_000);
    expect(estimate.outputTokens).toBe(5_000);
    expect(estimate.requests).toBe(10);
    expect(estimate.priced).toBe(true);
    // Opus 4.8 (cached): $0.02 + 9 × (0.7 × $0.001 + 0.3 × $0.02) = $0.0803; own $0.15; output $0.125 → $0.3553 → batch $0.17765.
    // Haiku 4.5: 2,000 is below its 4,096 minimum, so no caching: 50,000 × $1/M + 5,000 × $5/M = $0.075 → batch $0.0375.
    expect(estimate.otherModels.map((o) => o.model)).toEqual(['claude-opus-4-8', 'claude-haiku-4-5']);
    expectUsd(estimate.otherModels[0]!.batchUsd, 0.17765);
    expectUsd(estimate.otherModels[1]!.batchUsd, 0.0375);
  });

  it('renders a short Markdown table', () => {
    const text = renderEstimate({
      ...estimate,
      dropped: [
        { customId: 'cr-x', paths: ['src/big`file.ts'], reason: 'budget $0.10 reached (estimated $0.107 for all 11 requests)' },
      ],
    });
    expect(text).toContain('`claude-sonnet-4-6` · 10 requests over 10 files · tokens estimated offline · list prices of 2026-11');
    expect(text).toContain('| Batch (this run) | $0.107 |');
    expect(text).toContain('| Interactive, no caching | $0.225 |');
    expect(text).toContain('| Nightly for 30 days | $3.20 |');
    expect(text).toContain('| Batch on `claude-haiku-4-5` | $0.0375 |');
    expect(text).toContain('cached (1h)');
    // Counted here; the files themselves are listed once, with every unsent file (the plan's Skipped files).
    expect(text).toContain('**Dropped to fit the budget**: 1 request (1 file), listed under skipped files as over max-cost-usd.');
    expect(text).not.toContain('big');
  });

  it('projects nightly runs from the window length, not from this run alone (a week, two years, a pull request)', () => {
    const input = planInput;
    // One night's window: a month is 30 of these.
    const night = estimatePlan({ ...input, windowDays: 1 });
    expectUsd(night.monthlyUsd!, 0.10659 * 30);
    expect(renderEstimate(night)).toContain('| Nightly for 30 days | $3.20 |');
    // A week of changes costs what 7 nights would: a night is a seventh of it.
    const week = estimatePlan({ ...input, windowDays: 7 });
    expectUsd(week.monthlyUsd!, (0.10659 / 7) * 30);
    expect(renderEstimate(week)).toContain('| Nightly for 30 days (this 7-day window scaled to one night) | $0.457 |');
    // Two years of history reviewed at once says nothing like 30 times its cost.
    const twoYears = estimatePlan({ ...input, windowDays: 730 });
    expectUsd(twoYears.monthlyUsd!, (0.10659 / 730) * 30);
    expect(renderEstimate(twoYears)).not.toContain('| Nightly for 30 days | $3.20 |');
    // A pull request or the whole history is not a night: no projection at all.
    const pullRequest = estimatePlan({ ...input, windowDays: null });
    expect(pullRequest.monthlyUsd).toBeNull();
    expect(renderEstimate(pullRequest)).not.toContain('Nightly');
  });

  it('says so when the price is unknown', () => {
    const unknown = estimatePlan({
      model: 'claude-sonnet-5',
      price: undefined,
      requests,
      prefixTokens: 2_000,
      cached: false,
      files: 10,
      tokenSource: 'count_tokens',
    });
    expect(unknown.priced).toBe(false);
    expect(unknown.batchUsd).toBe(0);
    expect(unknown.otherModels).toHaveLength(3);
    const text = renderEstimate(unknown);
    expect(text).toContain('| Batch (this run) | unknown |');
    expect(text).toContain('price-overrides');
  });
});

describe('budget', () => {
  interface Candidate extends BudgetCandidate {
    usd: number;
  }
  const candidate = (customId: string, path: string, lines: number, usd: number): Candidate => ({
    customId,
    usd,
    record: { paths: [path], lineRanges: { [path]: lines > 0 ? [{ start: 1, end: lines }] : [] } },
  });
  const additive = (set: Candidate[]): number => set.reduce((sum, c) => sum + c.usd, 0);

  it('counts changed lines once where ranges overlap', () => {
    expect(
      countRangeLines([
        { start: 1, end: 10 },
        { start: 5, end: 12 },
        { start: 20, end: 20 },
      ]),
    ).toBe(13);
    expect(countRangeLines([])).toBe(0);
  });

  it('keeps everything when the estimate fits or the budget is zero', () => {
    const all = [candidate('a', 'a.ts', 10, 0.5), candidate('b', 'b.ts', 10, 0.87)];
    expect(applyBudget(all, additive, 0).kept).toEqual(all);
    expect(applyBudget(all, additive, 2).dropped).toEqual([]);
  });

  it('drops the fewest changed lines per dollar first, explains each, and never exceeds the budget', () => {
    // Lines per dollar: a 400, b 100, c 50, d 200, e 25.
    const all = [
      candidate('a', 'src/a.ts', 100, 0.25),
      candidate('b', 'src/b.ts', 30, 0.3),
      candidate('c', 'src/c.ts', 20, 0.4),
      candidate('d', 'src/d.ts', 50, 0.25),
      candidate('e', 'src/e.ts', 4, 0.16),
    ];
    const result = applyBudget(all, additive, 1);
    // a + d + b = $0.80; c would make $1.20; e makes $0.96.
    expect(result.kept.map((c) => c.customId)).toEqual(['a', 'b', 'd', 'e']);
    expect(result.dropped).toEqual([
      { customId: 'c', paths: ['src/c.ts'], reason: 'budget $1.00 reached (estimated $1.36 for all 5 requests)' },
    ]);
    expectUsd(result.keptUsd, 0.96);
    expect(result.refusal).toBeNull();

    const tighter = applyBudget(all, additive, 0.6);
    expect(tighter.kept.map((c) => c.customId)).toEqual(['a', 'd']);
    expect(tighter.dropped.map((d) => d.customId)).toEqual(['b', 'c', 'e']);
  });

  it('breaks ties by path', () => {
    const all = [candidate('z', 'src/z.ts', 10, 0.5), candidate('m', 'src/m.ts', 10, 0.5), candidate('a', 'src/a.ts', 10, 0.5)];
    const result = applyBudget(all, additive, 1);
    expect(result.kept.map((c) => c.customId)).toEqual(['m', 'a']);
    expect(result.dropped.map((d) => d.paths[0])).toEqual(['src/z.ts']);
  });

  it('holds any budget with the real, non-additive estimate (caching)', () => {
    const all: (Candidate & EstimateRequest)[] = Array.from({ length: 40 }, (_, i) => ({
      ...candidate(`r${i}`, `src/file${String(i).padStart(2, '0')}.ts`, 5 + ((i * 37) % 90), 0),
      paths: [`src/file${i}.ts`],
      inputTokens: 3_000 + ((i * 7919) % 20_000),
      outputTokens: 400 + ((i * 104_729) % 1_500),
    }));
    const estimateFn = (set: (Candidate & EstimateRequest)[]): number =>
      planCost(set, sonnet, {
        prefixTokens: 2_500,
        cached: decideCaching({ prefixTokens: 2_500, requestCount: set.length, price: sonnet }).cache,
      });
    const total = estimateFn(all);
    for (const share of [0.01, 0.05, 0.2, 0.5, 0.8, 0.99]) {
      const budget = total * share;
      const result = applyBudget(all, estimateFn, budget);
      expect(estimateFn(result.kept)).toBeLessThanOrEqual(budget);
      expect(result.keptUsd).toBeLessThanOrEqual(budget);
      expect(result.kept.length + result.dropped.length).toBe(all.length);
      if (result.kept.length > 0) expect(result.kept.length).toBeLessThan(all.length);
    }
  });

  it('keeps nothing and says why when even the cheapest request is over the budget', () => {
    const all = [candidate('a', 'src/a.ts', 10, 0.5), candidate('b', 'src/b.ts', 10, 0.3)];
    const result = applyBudget(all, additive, 0.25);
    expect(result.kept).toEqual([]);
    expect(result.keptUsd).toBe(0);
    expect(result.dropped.map((d) => d.reason)).toEqual([
      'estimated $0.30 on its own, more than the budget $0.25',
      'estimated $0.50 on its own, more than the budget $0.25',
    ]);
    expect(result.refusal).toBe(
      'max-cost-usd $0.25 is below the cheapest request (estimated $0.30 for src/b.ts): raise max-cost-usd or narrow the files (include, exclude, max-files)',
    );
  });
});
