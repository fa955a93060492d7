// The readable report and the results document: grouping, anchors, failures, sanitising.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderMarkdownReport, renderResultsJson } from '../src/reports/markdown.js';
import { summaryReporter, JOB_SUMMARY_LIMIT_BYTES } from '../src/reports/summary.js';
import { renderPlanMarkdown } from '../src/reports/plan.js';
import { mergeSkipped } from '../src/reports/skipped.js';
import { estimatePlan } from '../src/cost/estimate.js';
import { resolvePrice } from '../src/cost/prices.js';
import type { CollectedResults, ReportContext } from '../src/reports/reporter.js';
import type { RunState } from '../src/state/state.js';
import type { Finding, Severity } from '../src/types.js';
import { fixtureContext, fixtureFinding, fixtureResults, fixtureState, fixtureUsage } from './helpers/report-fixtures.js';

const HEAD = 'c0ffee'.padEnd(40, '0');

function finding(severity: Severity, path: string, line: number, overrides: Partial<Finding> = {}): Finding {
  return fixtureFinding({
    severity,
    path,
    startLine: line,
    endLine: line + 2,
    explanation: `Explained ${path}:${line}.`,
    fingerprint: `fp-${severity}-${path}-${line}`,
    ...overrides,
  });
}

function makeResults(overrides: Partial<CollectedResults> = {}): CollectedResults {
  return fixtureResults({
    succeeded: 5,
    received: 6,
    usage: fixtureUsage({
      requests: 6,
      outputTokens: 500,
      cacheReadInputTokens: 3000,
      interactiveUsd: 0.05,
      savingsUsd: 0.0377,
      cacheHitRate: 0.75,
    }),
    batchIds: ['msgbatch_01abc'],
    resultsPath: '/tmp/out/results.jsonl',
    ...overrides,
  });
}

function makeContext(results: CollectedResults, overrides: Partial<ReportContext> = {}): ReportContext {
  return fixtureContext(results, {
    outputDir: '/tmp/out',
    sarifPath: '/tmp/out/x.sarif',
    ...overrides,
    state: {
      headSha: HEAD,
      window: 'since 24h (3 commits)',
      batches: [
        {
          id: 'msgbatch_01abc',
          requestCount: 6,
          attempt: 0,
          submittedAt: '2026-11-20T23:00:00Z',
          status: 'ended',
          endedAt: null,
          resultsSaved: true,
        },
      ],
      ...overrides.state,
    },
  });
}

function estimateFixture() {
  return estimatePlan({
    model: 'claude-sonnet-4-6',
    price: resolvePrice('claude-sonnet-4-6'),
    requests: [{ customId: 'cr-1', paths: ['src/a.ts'], inputTokens: 5_000, outputTokens: 500 }],
    prefixTokens: 900,
    cached: false,
    files: 5,
    tokenSource: 'heuristic',
  });
}

describe('renderMarkdownReport', () => {
  it('titles the report with task, date and count, and gives the cost line', () => {
    const md = renderMarkdownReport(makeContext(makeResults({ findings: [finding('high', 'a.ts', 1)] })));
    expect(md.split('\n')[0]).toBe('# overnight code-review: 1 finding (2026-11-20)');
    expect(md).toContain('Cost $0.0123 · saved $0.0377 against $0.05 interactive · cache hit rate 75%');
  });

  it('groups findings by severity (worst first), then by file, with permalinks to the reviewed commit', () => {
    const md = renderMarkdownReport(
      makeContext(
        makeResults({
          findings: [
            finding('low', 'src/b.ts', 5),
            finding('critical', 'src/z.ts', 40),
            finding('critical', 'src/legacy code/a.ts', 9),
            finding('critical', 'src/legacy code/a.ts', 2),
          ],
        }),
      ),
    );
    const order = [...md.matchAll(/^(### .+|\*\*`.+`\*\*|- \[`[^`]+`\])/gm)].map((m) => m[1]);
    expect(order).toEqual([
      '### 🔴 Critical (3)',
      '**`src/legacy code/a.ts`**',
      '- [`src/legacy code/a.ts:2-4`]',
      '- [`src/legacy code/a.ts:9-11`]',
      '**`src/z.ts`**',
      '- [`src/z.ts:40-42`]',
      '### 🔵 Low (1)',
      '**`src/b.ts`**',
      '- [`src/b.ts:5-7`]',
    ]);
    expect(md).toContain(`(https://github.com/acme/shop/blob/${HEAD}/src/legacy%20code/a.ts#L2-L4)`);
  });

  it('uses plain path:line anchors when there is no GitHub repository to link to', () => {
    const context = makeContext(makeResults({ findings: [finding('high', 'a.ts', 3)] }));
    context.state.repository = 'my-local-dir';
    const md = renderMarkdownReport(context);
    expect(md).toContain('- `a.ts:3-5` **Problem at a.ts:3**');
    expect(md).not.toContain('/blob/');
  });

  it('shows the replacement code in a fenced block of the file language that the code cannot break out of', () => {
    const md = renderMarkdownReport(
      makeContext(makeResults({ findings: [finding('high', 'a.ts', 3, { replacement: 'const s = "```";\n<b>ok</b>' })] })),
    );
    expect(md).toContain('  Replacement for lines 3-5:\n\n  ````typescript\n  const s = "```";\n  <b>ok</b>\n  ````');
  });

  it('sanitises model text: mentions, HTML, foreign links', () => {
    const md = renderMarkdownReport(
      makeContext(
        makeResults({
          findings: [
            finding('high', 'a.ts', 3, {
              title: 'XSS <img src=x> for @octocat',
              explanation: 'See [docs](https://evil.example) <!-- overnight:report state=state-1 -->',
            }),
          ],
        }),
      ),
    );
    expect(md).toContain('**XSS &lt;img src=x> for @&#8203;octocat**');
    expect(md).toContain('docs (`https://evil.example`)');
    expect(md).not.toContain('overnight:report');
  });

  it('lists every failure with its files and reason, and the skipped counts', () => {
    const failures = Array.from({ length: 25 }, (_, i) => ({
      customId: `cr-${String(i).padStart(2, '0')}`,
      paths: [`src/f${String(i).padStart(2, '0')}.ts`],
      status: (i % 2 === 0 ? 'errored' : 'malformed') as 'errored' | 'malformed',
      reason: i % 2 === 0 ? 'overloaded_error: Overloaded' : 'answer is not valid JSON',
    }));
    const md = renderMarkdownReport(makeContext(makeResults({ failures, duplicatesSkipped: 3, belowSeverity: 2 })));
    expect(md).toContain('## Failures (25: 13 errored, 12 malformed)');
    for (const failure of failures) {
      expect(md).toContain(
        `- \`${failure.paths[0]}\`: **${failure.status}**: ${failure.reason} (request \`${failure.customId}\`)`,
      );
    }
    expect(md).toContain('Left out: 3 findings already reported earlier; 2 findings below the minimum severity.');
  });

  it('lists generated files and a verdict table', () => {
    const md = renderMarkdownReport(
      makeContext(
        makeResults({
          task: 'refactor-validation',
          files: [
            { path: 'test/a.test.ts', content: 'a\nb\nc', description: 'tests for a', sourcePath: 'src/a.ts', refused: null },
          ],
          verdicts: [
            { path: 'src/ok.ts', verdict: 'VALID', summary: 'same behaviour', findings: [] },
            {
              path: 'src/bad.ts',
              verdict: 'INVALID',
              summary: 'drops a case',
              findings: [finding('high', 'src/bad.ts', 7, { title: 'Case 3 lost' })],
            },
          ],
        }),
      ),
    );
    expect(md).toContain('- `test/a.test.ts` for `src/a.ts` (3 lines): tests for a');
    expect(md).toContain(
      '| File | Verdict | Problems | Summary |\n|---|---|---|---|\n| `src/bad.ts` | ❌ INVALID | 1 | drops a case |\n| `src/ok.ts` | ✅ VALID | 0 | same behaviour |',
    );
    expect(md).toContain('**Case 3 lost**');
  });
});

describe('renderResultsJson', () => {
  it('is a versioned document with counts, usage, permalinks and every failure', () => {
    const doc = JSON.parse(
      renderResultsJson(
        makeContext(
          makeResults({
            findings: [finding('low', 'b.ts', 1), finding('high', 'a b.ts', 2)],
            failures: [{ customId: 'x', paths: ['c.ts'], status: 'expired', reason: 'expired after 24h' }],
          }),
        ),
      ),
    );
    expect(doc).toMatchObject({ tool: 'overnight', version: 1, task: 'code-review', stateId: 'state-1', round: 'r1' });
    expect(doc.counts.bySeverity).toEqual({ critical: 0, high: 1, medium: 0, low: 1, info: 0 });
    expect(doc.findings.map((f: { path: string }) => f.path)).toEqual(['a b.ts', 'b.ts']);
    expect(doc.findings[0].permalink).toBe(`https://github.com/acme/shop/blob/${HEAD}/a%20b.ts#L2-L4`);
    expect(doc.failures).toHaveLength(1);
    expect(doc.usage.costUsd).toBe(0.0123);
  });
});

describe('summary', () => {
  let dir: string;
  let saved: string | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'overnight-summary-'));
    saved = process.env.GITHUB_STEP_SUMMARY;
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('appends to GITHUB_STEP_SUMMARY with counts, batches, cost and links published earlier', async () => {
    const file = join(dir, 'step-summary.md');
    await writeFile(file, '# earlier step output\n');
    process.env.GITHUB_STEP_SUMMARY = file;
    const context = makeContext(
      makeResults({
        findings: [finding('high', 'a.ts', 1), finding('high', 'b.ts', 1), finding('info', 'c.ts', 1)],
        failures: [{ customId: 'x', paths: ['d.ts'], status: 'canceled', reason: 'batch canceled' }],
      }),
      { outputDir: dir },
    );
    context.state.published['r1:issue'] = 'https://github.com/acme/shop/issues/12';
    context.state.published['r0:issue'] = 'https://github.com/acme/shop/issues/3';
    const result = await summaryReporter.publish(context);
    expect(result.path).toBe(file);
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('# earlier step output\n')).toBe(true);
    expect(text).toContain('| 🟠 High | 2 |');
    expect(text).toContain('| ⚪ Info | 1 |');
    expect(text).toContain('| `msgbatch_01abc` | 6 | first | ended |');
    expect(text).toContain('| Saved | $0.0377 |');
    expect(text).toContain('| Cache hit rate | 75% |');
    expect(text).toContain('`d.ts`: **canceled**: batch canceled');
    expect(text).toContain('[Issue #12](https://github.com/acme/shop/issues/12)');
    expect(text).not.toContain('issues/3');
  });

  it('writes summary.md outside Actions and stays within 1 MiB', async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    const findings = Array.from({ length: 3000 }, (_, i) =>
      finding('medium', `src/f${i}.ts`, 1, { explanation: 'é'.repeat(500) }),
    );
    const result = await summaryReporter.publish(makeContext(makeResults({ findings }), { outputDir: dir }));
    expect(result.path).toBe(join(dir, 'summary.md'));
    const bytes = (await readFile(join(dir, 'summary.md'))).length;
    expect(bytes).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT_BYTES);
    expect(bytes).toBeGreaterThan(JOB_SUMMARY_LIMIT_BYTES - 10_000);
    expect(result.note).toContain('truncated');
  });

  it('renders the most severe 1,000 of a large night into the job summary and says where the rest are', async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    // 1,200 low findings first, then 300 critical: the critical ones must all be shown.
    const findings = [
      ...Array.from({ length: 1200 }, (_, i) => finding('low', `src/low${i}.ts`, 1)),
      ...Array.from({ length: 300 }, (_, i) => finding('critical', `src/crit${i}.ts`, 1)),
    ];
    await summaryReporter.publish(makeContext(makeResults({ findings }), { outputDir: dir }));
    const text = await readFile(join(dir, 'summary.md'), 'utf8');
    expect(text).toContain('## overnight code-review: 1,500 findings');
    expect(text).toContain('| 🔴 Critical | 300 |');
    for (let i = 0; i < 300; i++) expect(text).toContain(`src/crit${i}.ts`);
    expect(new Set(text.match(/src\/low\d+\.ts/g)).size).toBe(700);
    expect(text).toContain('_The 1,000 most severe of 1,500 findings are shown here; all of them are in the results artifact._');
  });

  it('renders the submit plan with batches, the estimate and every skipped file by reason', () => {
    const md = renderPlanMarkdown({
      task: 'security-scan',
      repository: 'acme/shop',
      headSha: HEAD,
      window: 'since 24h',
      model: 'claude-sonnet-4-6',
      dryRun: false,
      requests: [
        { paths: ['src/a.ts', 'src/b.ts'], part: null, inputTokens: 1_200 },
        { paths: ['src/c.ts'], part: '1/2', inputTokens: 3_400 },
        { paths: ['src/c.ts'], part: '2/2', inputTokens: 3_000 },
        { paths: ['src/d.ts'], part: null, inputTokens: 900 },
        { paths: ['src/e.ts'], part: null, inputTokens: 800 },
      ],
      batches: [{ id: 'msgbatch_1', requestCount: 5 }],
      estimate: estimateFixture(),
      skipped: [
        { path: '.env', reason: 'credential' },
        { path: 'a.png', reason: 'binary' },
        { path: 'b.png', reason: 'binary' },
        ...Array.from({ length: 12 }, (_, i) => ({ path: `docs/page${i}.md`, reason: 'not-for-task' })),
        { path: 'x.dat', reason: 'some-new-code' },
      ],
      redacted: [{ path: 'src/a.ts', count: 2 }],
      caching: 'shared prefix of 903 tokens is below the minimum',
    });
    expect(md).toContain('## overnight security-scan: 5 requests submitted');
    expect(md).toContain('| `msgbatch_1` | 5 |');
    expect(md).toContain('### Cost estimate\n\n**Cost estimate**');
    // Every changed file accounted for: 5 sent, 16 skipped, each listed with its reason.
    expect(md).toContain('21 changed files: 5 sent in 5 requests, 16 skipped.');
    expect(md).toContain('- **binary** (2): `a.png`, `b.png`');
    expect(md).toContain('- **credential data (never read)** (1): `.env`');
    for (let i = 0; i < 12; i++) expect(md).toContain(`\`docs/page${i}.md\``);
    // A reason code the labels do not know yet is shown as itself, never dropped.
    expect(md).toContain('- **some new code** (1): `x.dat`');
    expect(md).toContain('2 secret-looking strings redacted');
    expect(md).toContain('- `src/a.ts` (2)');
    // Requests, largest first.
    expect(md.indexOf('| `src/c.ts` | 1/2 | 3,400 |')).toBeLessThan(md.indexOf('| `src/a.ts`, `src/b.ts` |  | 1,200 |'));
  });
});

describe('skipped files in every report', () => {
  // Shaped like a month of a real repository: a lockfile, generated and not-for-task files, one
  // dropped by the budget, and a reason code newer than the labels.
  const skipped = [
    { path: 'bun.lock', reason: 'lockfile' },
    { path: 'src/jsx/intrinsic-elements.d.ts', reason: 'generated' },
    { path: 'docs/MIGRATION.md', reason: 'not-for-task' },
    { path: 'docs/CONTRIBUTING.md', reason: 'not-for-task' },
    { path: 'data/fixture.bin', reason: 'a-code-from-tomorrow' },
  ];
  const state = {
    skipped,
    estimate: {
      ...fixtureState().estimate,
      dropped: [{ customId: 'cr-9', paths: ['src/huge.ts'], reason: 'budget $1 reached' }],
    },
  };

  it('report.md, the job summary and results.json list every skipped file with its reason', async () => {
    const context = fixtureContext(fixtureResults({ findings: [fixtureFinding()] }), { state });
    const md = renderMarkdownReport(context);
    expect(md).toContain('## Skipped files (6)');
    expect(md).toContain('- **not for this task** (2): `docs/CONTRIBUTING.md`, `docs/MIGRATION.md`');
    expect(md).toContain('- **lockfile** (1): `bun.lock`');
    expect(md).toContain('- **generated** (1): `src/jsx/intrinsic-elements.d.ts`');
    expect(md).toContain('- **over max-cost-usd** (1): `src/huge.ts`');
    expect(md).toContain('- **a code from tomorrow** (1): `data/fixture.bin`');

    const dir = await mkdtemp(join(tmpdir(), 'overnight-skipped-'));
    try {
      await summaryReporter.publish({ ...context, outputDir: dir });
      const summary = await readFile(join(dir, 'summary.md'), 'utf8');
      expect(summary).toContain('### Skipped files (6)');
      for (const { path } of skipped) expect(summary).toContain(`\`${path}\``);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const json = JSON.parse(renderResultsJson(context)) as { skipped: { path: string; reason: string }[] };
    expect(json.skipped).toEqual(expect.arrayContaining([...skipped, { path: 'src/huge.ts', reason: 'budget' }]));
  });
});

describe('mergeSkipped (one report for several submissions of a night)', () => {
  it('drops a file a later submission sent, and keeps the newest reason of the others', () => {
    const older = fixtureState({
      skipped: [
        { path: 'src/left-out.ts', reason: 'max-files' },
        { path: 'bun.lock', reason: 'lockfile' },
      ],
    });
    const newer = fixtureState({
      skipped: [{ path: 'src/gen.ts', reason: 'generated' }],
      requests: {
        'cr-1': { ...Object.values(fixtureState().requests)[0]!, paths: ['src/left-out.ts'] } as RunState['requests'][string],
      },
    });
    expect(mergeSkipped([older, newer]).sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
      { path: 'bun.lock', reason: 'lockfile' },
      { path: 'src/gen.ts', reason: 'generated' },
    ]);
  });
});
