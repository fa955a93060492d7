// The issue reporter against the GitHub emulator: labels, exactly-once, duplicates across open
// issues, spilling into continuation comments, read-only tokens. And the Octokit it runs on:
// serialised writes, secondary rate limits, 5xx retries.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../src/github/octokit.js';
import type { GitHubContext } from '../src/github/context.js';
import { issueReporter } from '../src/reports/issue.js';
import type { CollectedResults, FailedItem, ReportContext } from '../src/reports/reporter.js';
import { findMarkers, readFingerprints } from '../src/reports/markers.js';
import type { Finding, Severity } from '../src/types.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { quietLog } from './helpers/engine.js';
import {
  startFixtureGitHub,
  closeFixtureGitHub,
  fixtureContext,
  fixtureFinding,
  fixtureResults,
  FIXTURE_OWNER as owner,
  FIXTURE_REPO as repo,
  FIXTURE_HEAD as HEAD,
} from './helpers/report-fixtures.js';

const log = quietLog;

function finding(
  path: string,
  line: number,
  severity: Severity = 'high',
  explanation = 'Unchecked input reaches the query.',
): Finding {
  return fixtureFinding({ path, startLine: line, severity, title: `Injection at ${path}:${line}`, explanation, cwe: 'CWE-89' });
}

function results(findings: Finding[], failures: FailedItem[] = []): CollectedResults {
  return fixtureResults({ findings, failures, received: findings.length + failures.length });
}

let gh: GitHubEmulator;
let github: GitHubContext;

function context(collected: CollectedResults, round = 'r1', overrides: Partial<ReportContext> = {}): ReportContext {
  return fixtureContext(collected, { round, issueLabels: ['overnight', 'nightly review'], github, ...overrides });
}

const writes = () => gh.requests.filter((r) => r.method !== 'GET');

beforeEach(async () => {
  ({ gh, github } = await startFixtureGitHub());
});

afterEach(() => closeFixtureGitHub(gh));

describe('issue reporter', () => {
  it('creates one issue with its labels, markers, findings and failures', async () => {
    const failure: FailedItem = {
      customId: 'cr-9',
      paths: ['src/broken.ts'],
      status: 'errored',
      reason: 'overloaded_error: Overloaded',
    };
    const result = await issueReporter.publish(
      context(results([finding('src/a.ts', 3), finding('src/b.ts', 7, 'critical')], [failure])),
    );

    expect(gh.store.issues).toHaveLength(1);
    const issue = gh.store.issues[0]!;
    expect(result.url).toBe(`https://github.com/${owner}/${repo}/issues/${issue.number}`);
    expect(result.note).toContain(`created #${issue.number} with 2 findings (1 critical, 1 high)`);
    expect(issue.title).toBe('overnight code-review: 2 findings (2026-11-20)');
    expect(issue.labels.sort()).toEqual(['nightly review', 'overnight']);
    expect(gh.store.labels.map((l) => l.name).sort()).toEqual(['nightly review', 'overnight']);
    expect(findMarkers(issue.body!, 'report')).toEqual([
      { kind: 'report', fields: { task: 'code-review', state: 'state-1', round: 'r1', parts: '0' } },
    ]);
    expect(readFingerprints(issue.body!).sort()).toEqual(['fp-src/a.ts-3', 'fp-src/b.ts-7']);
    expect(issue.body).toContain(`(https://github.com/acme/shop/blob/${HEAD}/src/b.ts#L7-L7)`);
    expect(issue.body).toContain('`src/broken.ts`: **errored**: overloaded_error: Overloaded');
    expect(gh.store.comments).toHaveLength(0);
  });

  it('tolerates a label that already exists, and creates only the missing one', async () => {
    await github.octokit.rest.issues.createLabel({ owner, repo, name: 'overnight', color: 'ffffff' });
    await issueReporter.publish(context(results([finding('src/a.ts', 3)])));
    expect(gh.store.labels.map((l) => l.name).sort()).toEqual(['nightly review', 'overnight']);
    expect(gh.store.issues[0]!.labels.sort()).toEqual(['nightly review', 'overnight']);
  });

  it('publishes a state and round exactly once, however often collect runs', async () => {
    const collected = results([finding('src/a.ts', 3)]);
    const first = await issueReporter.publish(context(collected));
    const writesAfterFirst = writes().length;
    const second = await issueReporter.publish(context(collected));
    expect(gh.store.issues).toHaveLength(1);
    expect(second.url).toBe(first.url);
    expect(second.note).toContain('already published');
    expect(writes()).toHaveLength(writesAfterFirst);

    // Even after someone closed it.
    gh.store.issues[0]!.state = 'closed';
    await issueReporter.publish(context(collected));
    expect(gh.store.issues).toHaveLength(1);
  });

  it('leaves out findings already reported in an open overnight issue and says where', async () => {
    await issueReporter.publish(context(results([finding('src/a.ts', 3), finding('src/a.ts', 9)]), 'r1'));
    const next = await issueReporter.publish(
      context(results([finding('src/a.ts', 3), finding('src/a.ts', 9), finding('src/c.ts', 1)]), 'r2'),
    );
    expect(gh.store.issues).toHaveLength(2);
    const second = gh.store.issues[1]!;
    expect(second.title).toBe('overnight code-review: 1 finding (2026-11-20)');
    expect(readFingerprints(second.body!)).toEqual(['fp-src/c.ts-1']);
    expect(second.body).toContain('2 findings already reported in #1 (not repeated here).');
    expect(next.note).toContain('2 findings already reported in #1');

    // Nothing new at all: nothing is created.
    const none = await issueReporter.publish(context(results([finding('src/c.ts', 1)]), 'r3'));
    expect(gh.store.issues).toHaveLength(2);
    expect(none.url).toBeUndefined();
    expect(none.note).toContain('1 finding already reported in #2');

    // A closed issue no longer counts: its findings are reported again.
    for (const issue of gh.store.issues) issue.state = 'closed';
    await issueReporter.publish(context(results([finding('src/c.ts', 1)]), 'r4'));
    expect(gh.store.issues).toHaveLength(3);
    expect(readFingerprints(gh.store.issues[2]!.body!)).toEqual(['fp-src/c.ts-1']);
  });

  it('spills a huge report into marked continuation comments, every body within 65,536', async () => {
    const findings = Array.from({ length: 300 }, (_, i) =>
      finding(
        `src/module${String(i).padStart(3, '0')}.ts`,
        i + 1,
        i % 3 === 0 ? 'critical' : 'medium',
        `Line ${i}: ${'x '.repeat(400)}`,
      ),
    );
    const failures: FailedItem[] = Array.from({ length: 50 }, (_, i) => ({
      customId: `cr-f${i}`,
      paths: [`src/failed${i}.ts`],
      status: 'expired',
      reason: 'expired after 24 h',
    }));
    const result = await issueReporter.publish(context(results(findings, failures)));

    expect(gh.store.issues).toHaveLength(1);
    const issue = gh.store.issues[0]!;
    const comments = gh.store.comments.filter((c) => c.issue_number === issue.number);
    expect(comments.length).toBeGreaterThanOrEqual(3);
    for (const body of [issue.body!, ...comments.map((c) => c.body)]) expect(body.length).toBeLessThanOrEqual(65_536);
    const parts = findMarkers(issue.body!, 'report')[0]!.fields.parts;
    expect(Number(parts)).toBe(comments.length);
    expect(comments.map((c) => findMarkers(c.body, 'report-part')[0]?.fields)).toEqual(
      comments.map((_, i) => ({ state: 'state-1', round: 'r1', part: String(i + 1) })),
    );
    expect(issue.body).toContain('the full list is also in the results artifact');
    expect(result.note).toContain(`${comments.length} continuation comments`);

    // Every finding is in exactly one part, every failure is listed somewhere.
    const all = [issue.body!, ...comments.map((c) => c.body)];
    const fingerprints = all.flatMap(readFingerprints);
    expect(fingerprints.sort()).toEqual(findings.map((f) => f.fingerprint).sort());
    for (const failure of failures) expect(all.some((body) => body.includes(`\`${failure.paths[0]}\``))).toBe(true);

    // A crashed collect that lost a comment: the re-run adds just that one.
    const lost = comments[1]!;
    gh.store.comments.splice(gh.store.comments.indexOf(lost), 1);
    await issueReporter.publish(context(results(findings, failures)));
    expect(gh.store.issues).toHaveLength(1);
    const after = gh.store.comments.filter((c) => c.issue_number === issue.number);
    expect(after).toHaveLength(comments.length);
    expect(after.at(-1)!.body).toBe(lost.body);

    // A later round sees the findings of the continuation comments as already reported.
    const later = await issueReporter.publish(context(results([findings.at(-1)!]), 'r2'));
    expect(gh.store.issues).toHaveLength(1);
    expect(later.note).toContain(`1 finding already reported in #${issue.number}`);
  });

  it('lists every skipped file with its reason, and past 1,000 says where the rest are', async () => {
    const skipped = [
      { path: 'src/gen/client.ts', reason: 'generated' },
      { path: 'vendor/lib.js', reason: 'vendored' },
      ...Array.from({ length: 1_200 }, (_, i) => ({
        path: `docs/page-${String(i).padStart(4, '0')}.md`,
        reason: 'not-for-task',
      })),
    ];
    await issueReporter.publish(fixtureContext(results([finding('src/a.ts', 3)]), { github, state: { skipped } }));
    const bodies = [gh.store.issues[0]!.body!, ...gh.store.comments.map((c) => c.body)].join('\n');
    expect(bodies).toContain('## Skipped files (1,202)');
    expect(bodies).toContain('- **generated** (1): `src/gen/client.ts`');
    expect(bodies).toContain('- **vendored** (1): `vendor/lib.js`');
    expect(bodies).toMatch(/- \*\*not for this task\*\* \(1,200\): `docs\/page-0000\.md`, .*, and 202 more/);
    expect(bodies).toContain('The full list is in results.json in the results artifact of the collect run.');
    for (const body of [gh.store.issues[0]!.body!, ...gh.store.comments.map((c) => c.body)])
      expect(body.length).toBeLessThanOrEqual(65_536);
  });

  it('writes nothing with a read-only token, and says so', async () => {
    const result = await issueReporter.publish(
      context(results([finding('src/a.ts', 3)]), 'r1', { github: { ...github, readOnly: true } }),
    );
    expect(result.note).toMatch(/read-only/);
    expect(writes()).toEqual([]);
    expect(gh.store.issues).toEqual([]);
  });

  it('creates nothing without findings and failures, and notes a missing GitHub context', async () => {
    expect((await issueReporter.publish(context(results([])))).note).toBe('no issue created: no findings and no failures');
    expect((await issueReporter.publish(context(results([finding('a.ts', 1)]), 'r1', { github: null }))).note).toBe(
      'skipped: no GitHub token/repository',
    );
    expect(gh.requests).toEqual([]);
  });

  it('says in one line what went wrong when GitHub refuses the write', async () => {
    gh.setReadOnly(true);
    await expect(issueReporter.publish(context(results([finding('a.ts', 1)])))).rejects.toThrow(
      /issue report for acme\/shop failed: 403 Resource not accessible by integration.*issues: write/,
    );
  });
});

describe('createOctokit', () => {
  it('sends writes one at a time, even when callers fire them together', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      const write = (init?.method ?? 'GET') !== 'GET';
      if (write) maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        // A slow server: without the queue, the writes would overlap here.
        if (write) await new Promise((resolve) => setTimeout(resolve, 20));
        return await fetch(input, init);
      } finally {
        if (write) inFlight -= 1;
      }
    };
    const octokit = createOctokit({ token: 't', baseUrl: gh.url, log, minWriteIntervalMs: 0, fetch: countingFetch });
    const issue = await octokit.rest.issues.create({ owner, repo, title: 'x' });
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        octokit.rest.issues.createComment({ owner, repo, issue_number: issue.data.number, body: `c${i}` }),
      ),
    );
    expect(maxInFlight).toBe(1);
    expect(gh.store.comments.map((c) => c.body)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
  });

  it('leaves at least minWriteIntervalMs between the end of one write and the start of the next', async () => {
    const spans: { start: number; end: number }[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      if ((init?.method ?? 'GET') === 'GET') return fetch(input, init);
      const span = { start: Date.now(), end: 0 };
      spans.push(span);
      try {
        return await fetch(input, init);
      } finally {
        span.end = Date.now();
      }
    };
    const octokit = createOctokit({ token: 't', baseUrl: gh.url, log, minWriteIntervalMs: 60, fetch: recordingFetch });
    await Promise.all(Array.from({ length: 3 }, (_, i) => octokit.rest.issues.create({ owner, repo, title: `t${i}` })));
    await octokit.rest.issues.listForRepo({ owner, repo }); // reads are not queued behind writes
    expect(spans).toHaveLength(3);
    // A lower bound only (timers never fire early by more than a millisecond): not timing-sensitive.
    for (let i = 1; i < spans.length; i += 1) expect(spans[i]!.start - spans[i - 1]!.end).toBeGreaterThanOrEqual(55);
  });

  it('waits out a secondary rate limit and retries, with a warning', async () => {
    await gh.close();
    gh = await startGitHubEmulator({ owner, repo, contentCreation: { perWindow: 2, windowMs: 300 } });
    const warnings: string[] = [];
    const octokit = createOctokit({
      token: 't',
      baseUrl: gh.url,
      log: { ...log, warning: (m) => warnings.push(m) },
      minWriteIntervalMs: 0,
      retryAfterUnitMs: 300, // the emulator asks for 1 "second"; its window is 300 ms
      retries: 5,
    });
    for (let i = 0; i < 4; i += 1) await octokit.rest.issues.create({ owner, repo, title: `t${i}` });
    expect(gh.store.issues.map((i) => i.title)).toEqual(['t0', 't1', 't2', 't3']);
    expect(gh.requests.filter((r) => r.status === 403).length).toBeGreaterThan(0);
    expect(warnings.some((w) => /secondary rate limit on POST .*retrying in 1s/.test(w))).toBe(true);
  });

  it('retries a 5xx answer', async () => {
    gh.faults.next({ method: 'POST', path: /\/issues$/ }, { status: 502, body: { message: 'Bad gateway' } });
    const octokit = createOctokit({ token: 't', baseUrl: gh.url, log, minWriteIntervalMs: 0, retryAfterUnitMs: 1 });
    await octokit.rest.issues.create({ owner, repo, title: 'after 502' });
    expect(gh.store.issues.map((i) => i.title)).toEqual(['after 502']);
    expect(gh.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([502, 201]);
  });
});
