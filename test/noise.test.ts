// The pieces behind "one careful reviewer": the decisions file, finding a fingerprinted excerpt again,
// the issue report's cap and dismiss label, and the watermark carrying over files a submit left out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dismissalFor, parseDecisions, readDecisions } from '../src/decisions/decisions-file.js';
import { CodeReader, findGone, locateFinding, type FindingRef } from '../src/decisions/code.js';
import { DEFAULT_MAX_FINDINGS, findingRefMarker } from '../src/decisions/index.js';
import { NO_DECISIONS } from '../src/decisions/decisions-file.js';
import { issueReporter } from '../src/reports/issue.js';
import { marker, fingerprintsMarker, readFingerprints } from '../src/reports/markers.js';
import type { ReportContext } from '../src/reports/reporter.js';
import { fingerprint } from '../src/tasks/fingerprint.js';
import type { Finding, Severity } from '../src/types.js';
import type { GitHubContext } from '../src/github/context.js';
import { submit } from '../src/engine/submit.js';
import { startAnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { parseConfig } from '../src/config.js';
import { makeRepo } from './helpers/git-repo.js';
import { echoResponder, TestClock, testConfig, testEngine } from './helpers/engine.js';
import {
  startFixtureGitHub,
  closeFixtureGitHub,
  fixtureContext,
  fixtureFinding,
  fixtureResults,
  fixtureUsage,
} from './helpers/report-fixtures.js';
import type { GitHubEmulator } from './emulators/github/index.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('decisions file', () => {
  const fp = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

  it('reads dismissals by whole fingerprint or prefix, with an optional expiry', () => {
    const decisions = parseDecisions(
      `dismissed:\n  - fingerprint: ${fp.slice(0, 12)}\n    reason: fixture\n  - fingerprint: ${'f'.repeat(32)}\n    reason: until spring\n    expires: 2027-03-31\n`,
      '.github/overnight.yml@abc1234',
    );
    expect(decisions.problems).toEqual([]);
    expect(dismissalFor(decisions, fp, new Date('2026-11-20'))?.reason).toBe('fixture');
    expect(dismissalFor(decisions, 'b'.repeat(32), new Date('2026-11-20'))).toBeNull();
    expect(dismissalFor(decisions, 'f'.repeat(32), new Date('2027-03-30T23:00:00Z'))?.reason).toBe('until spring');
    // From the expiry day on, the finding is reported again.
    expect(dismissalFor(decisions, 'f'.repeat(32), new Date('2027-03-31T00:00:00Z'))).toBeNull();
  });

  it('names every broken entry in one line and applies the others', () => {
    const decisions = parseDecisions(
      [
        'dismissed:',
        `  - fingerprint: ${fp}`,
        '    reason: fine',
        '  - fingerprint: xyz',
        '    reason: not hex',
        `  - fingerprint: ${fp}`,
        `  - fingerprint: ${fp}`,
        '    reason: bad date',
        '    expires: next spring',
        '  - just a string',
      ].join('\n'),
      'overnight.yml',
    );
    expect(decisions.dismissed).toHaveLength(1);
    expect(decisions.problems).toEqual([
      "overnight.yml: dismissed entry 2: fingerprint 'xyz' is not 8 to 64 hex characters; skipped",
      `overnight.yml: dismissed entry 3 (${fp}): give a reason, so the next reader knows why; skipped`,
      `overnight.yml: dismissed entry 4 (${fp}): expires 'next spring' is not a date like 2027-03-31; skipped`,
      'overnight.yml: dismissed entry 5 is not a mapping with fingerprint and reason; skipped',
    ]);
    for (const problem of decisions.problems) expect(problem).not.toContain('\n');
    expect(parseDecisions('dismissed: [', 'x.yml').problems[0]).toMatch(
      /^x\.yml: not valid YAML \(.+\); no dismissal read from it$/,
    );
    expect(parseDecisions('dismissed: 3', 'x.yml').problems).toEqual([
      "x.yml: 'dismissed' must be a list of {fingerprint, reason, expires}",
    ]);
    expect(parseDecisions('', 'x.yml')).toEqual({ source: 'x.yml', dismissed: [], problems: [] });
  });

  it('is read from the reviewed commit, not the work tree', async () => {
    const repo = await makeRepo();
    cleanups.push(repo.cleanup);
    const before = await repo.commit({ 'a.ts': 'x\n' });
    const after = await repo.commit({ '.github/overnight.yml': `dismissed:\n  - fingerprint: ${fp}\n    reason: ok\n` });
    expect(await readDecisions(repo.dir, { headSha: before, pullRequest: null })).toEqual(NO_DECISIONS);
    const read = await readDecisions(repo.dir, { headSha: after, pullRequest: null });
    expect(read.source).toBe(`.github/overnight.yml@${after.slice(0, 7)}`);
    expect(read.dismissed).toEqual([{ fingerprint: fp, reason: 'ok', expires: null }]);
  });
});

describe('finding a fingerprinted finding again', () => {
  const content = ['function f(a) {', '  const q = "SELECT " + a;', '  return db.run(q);', '}'].join('\n');
  const ref = (code: string, lines: number): FindingRef => ({
    fingerprint: fingerprint({ task: 'security-scan', path: 'src/q.ts', category: 'sql-injection', code }),
    task: 'security-scan',
    path: 'src/q.ts',
    category: 'sql-injection',
    lines,
  });
  const sql = ref('  const q = "SELECT " + a;\n  return db.run(q);', 2);

  it('follows code that moved or was re-indented, and loses code that changed', () => {
    expect(locateFinding(content, sql)).toEqual({ start: 2, end: 3 });
    const moved = `// a\n// b\n${content.replace(/\n {2}/g, '\n      ')}`;
    expect(locateFinding(moved, sql)).toEqual({ start: 4, end: 5 });
    expect(locateFinding(content.replace('"SELECT " + a', 'sql`SELECT ${a}`'), sql)).toBeNull();
  });

  it('tells gone from present and from unknowable at a commit', async () => {
    const repo = await makeRepo();
    cleanups.push(repo.cleanup);
    const first = await repo.commit({ 'src/q.ts': `${content}\n` });
    const fixed = await repo.commit({ 'src/q.ts': content.replace('"SELECT " + a', 'sql`SELECT ${a}`') + '\n' });
    const deleted = await repo.commit({ 'src/q.ts': null });
    const code = new CodeReader(repo.dir);
    try {
      expect(await findGone(code, first, [sql])).toEqual({ gone: [], unknown: [] });
      expect(await findGone(code, fixed, [sql])).toEqual({ gone: [sql], unknown: [] });
      expect(await findGone(code, deleted, [sql])).toEqual({ gone: [sql], unknown: [] });
      expect(await findGone(code, 'f'.repeat(40), [sql])).toEqual({ gone: [], unknown: [sql] });
    } finally {
      code.close();
    }
  });
});

describe('issue report noise controls', () => {
  const owner = 'acme';
  const repo = 'shop';
  let gh: GitHubEmulator;
  let github: GitHubContext;

  beforeEach(async () => {
    ({ gh, github } = await startFixtureGitHub());
  });
  afterEach(() => closeFixtureGitHub(gh));

  function finding(path: string, line: number, severity: Severity): Finding {
    const print = fingerprint({ task: 'code-review', path, category: 'bug', code: `line ${line} of ${path}` });
    return fixtureFinding({
      path,
      startLine: line,
      severity,
      category: 'bug',
      title: `Bug at ${path}:${line}`,
      explanation: 'x',
      fingerprint: print,
    });
  }

  function context(findings: Finding[], round: string, maxFindings = DEFAULT_MAX_FINDINGS): ReportContext {
    const results = fixtureResults({
      findings,
      succeeded: 1,
      received: 1,
      usage: fixtureUsage({ requests: 1, inputTokens: 1, outputTokens: 1, costUsd: 0, interactiveUsd: 0, savingsUsd: 0 }),
      batchIds: ['msgbatch_1'],
      resultsPath: '/tmp/r.jsonl',
    });
    return fixtureContext(results, {
      stateId: 's1',
      round,
      issueLabels: ['overnight'],
      github,
      state: { ref: null, window: 'since last', createdAt: '2026-11-20T02:00:00Z' },
      noise: {
        maxFindings,
        decisions: NO_DECISIONS,
        memory: null,
        dismissed: [],
        code: null,
        now: new Date('2026-11-20T02:00:00Z'),
      },
    });
  }

  it('shows at most max-findings, worst first, and summarises the rest by severity and file', async () => {
    const findings = [
      ...Array.from({ length: 3 }, (_, i) => finding('src/low.ts', i + 1, 'low')),
      finding('src/crit.ts', 1, 'critical'),
      ...Array.from({ length: 2 }, (_, i) => finding('src/mid.ts', i + 1, 'medium')),
    ];
    const result = await issueReporter.publish(context(findings, 'r1', 2));
    const body = gh.store.issues[0]!.body!;
    expect(gh.store.issues[0]!.title).toBe('overnight code-review: 6 findings (2026-11-20)');
    expect(readFingerprints(body)).toEqual([findings[3]!.fingerprint, findings[4]!.fingerprint]);
    expect(body).toContain('### 4 more findings not shown');
    expect(body).toContain(
      'This report shows the 2 most severe (max-findings: 2). The others: 1 medium, 3 low; in `src/low.ts` (3), `src/mid.ts` (1).',
    );
    expect(result.note).toContain('4 findings over max-findings summarised');
  });

  it('a dismiss label on an open report dismisses its findings; a human issue is never read as a report', async () => {
    const labelled = finding('src/a.ts', 1, 'high');
    const humans = finding('src/b.ts', 1, 'high');
    await github.octokit.rest.issues.create({
      owner,
      repo,
      title: 'overnight report',
      labels: ['overnight', 'overnight:dismissed'],
      body: `${marker('report', { task: 'code-review', state: 's0', round: 'r0', parts: 0 })}\n${fingerprintsMarker([labelled.fingerprint])}\n${findingRefMarker(labelled)}`,
    });
    // A person quoting a report: markers, but not a report of ours.
    await github.octokit.rest.issues.create({
      owner,
      repo,
      title: 'about that report',
      labels: ['overnight'],
      body: `Quoting:\n${fingerprintsMarker([humans.fingerprint])}`,
    });
    const result = await issueReporter.publish(context([labelled, humans], 'r1'));
    const created = gh.store.issues[2]!;
    expect(readFingerprints(created.body!)).toEqual([humans.fingerprint]);
    expect(created.body).toContain('1 finding dismissed earlier, not reported (1 by #1 labelled overnight:dismissed).');
    expect(result.note).toContain('1 dismissed finding left out');
    expect(gh.store.issues[1]!.state).toBe('open');
  });
});

describe('since: last', () => {
  it('is the default, and a submit that left files out (max-files) has them sent by the next one', async () => {
    expect(parseConfig({}, {}).since).toBe('last');
    const emulator = await startAnthropicEmulator({ seed: 5, pollsUntilEnded: 0, responder: echoResponder });
    const repo = await makeRepo();
    const clock = new TestClock(new Date('2026-11-20T02:00:00Z'));
    const engine = await testEngine({ repoDir: repo.dir, baseUrl: emulator.url, clock });
    cleanups.push(repo.cleanup, () => emulator.close(), engine.cleanup);
    await repo.commit({ 'README.md': '# x\n' }, { date: new Date('2026-11-10T00:00:00Z') });
    await repo.commit(
      { 'big/a.ts': 'export const a = 1;\nexport const a2 = 2;\n', 'small/b.ts': 'export const b = 1;\n' },
      { date: new Date('2026-11-19T20:00:00Z') },
    );
    const first = await submit(testConfig({ mode: 'submit', task: 'code-review', 'max-files': '1' }), engine.deps);
    expect(first.requestCount).toBe(1);
    const sentFirst = Object.values((await engine.states())[0]!.state.requests).flatMap((r) => r.paths);
    expect(sentFirst).toEqual(['big/a.ts']);

    await clock.sleep(86_400_000);
    const second = await submit(testConfig({ mode: 'submit', task: 'code-review' }), engine.deps);
    expect(second.requestCount).toBe(1);
    const states = await engine.states();
    expect(Object.values(states[1]!.state.requests).flatMap((r) => r.paths)).toEqual(['small/b.ts']);
    expect(states[1]!.state.skipped).toContainEqual({ path: 'big/a.ts', reason: 'already-reviewed' });
    expect(
      engine.logs.some((l) =>
        /left 1 file\(s\) out \(max-files, max-cost-usd, not sent or failed\), so they come now/.test(l.message),
      ),
    ).toBe(true);

    // Nothing changed since: nothing to do, nothing sent.
    await clock.sleep(86_400_000);
    expect((await submit(testConfig({ mode: 'submit', task: 'code-review' }), engine.deps)).status).toBe('nothing-to-do');
    expect(emulator.batches()).toHaveLength(2);
  });

  it('falls back to 24h with a warning when the last reviewed commit was rewritten away', async () => {
    const emulator = await startAnthropicEmulator({ seed: 6, pollsUntilEnded: 0, responder: echoResponder });
    const repo = await makeRepo();
    const clock = new TestClock(new Date('2026-11-20T02:00:00Z'));
    const engine = await testEngine({ repoDir: repo.dir, baseUrl: emulator.url, clock });
    cleanups.push(repo.cleanup, () => emulator.close(), engine.cleanup);
    const base = await repo.commit({ 'README.md': '# x\n' }, { date: new Date('2026-11-10T00:00:00Z') });
    await repo.commit({ 'src/a.ts': 'export const a = 1;\n' }, { date: new Date('2026-11-19T20:00:00Z') });
    await submit(testConfig({ mode: 'submit', task: 'code-review' }), engine.deps);
    // A force push replaces the reviewed commit; its object is gone from the repository.
    await repo.git('reset', '-q', '--hard', base);
    await clock.sleep(86_400_000);
    await repo.commit(
      { 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n' },
      { date: new Date('2026-11-20T20:00:00Z') },
    );
    await repo.git('reflog', 'expire', '--expire=now', '--all');
    await repo.git('gc', '-q', '--prune=now');
    const second = await submit(testConfig({ mode: 'submit', task: 'code-review' }), engine.deps);
    expect(
      engine.logs.some(
        (l) => l.level === 'warning' && /is no longer in the history; reviewing the last 24h instead/.test(l.message),
      ),
    ).toBe(true);
    // a.ts has the content already sent: only b.ts goes.
    expect(second.requestCount).toBe(1);
    expect(Object.values((await engine.states())[1]!.state.requests).flatMap((r) => r.paths)).toEqual(['src/b.ts']);
  });
});
