// What the pull request's check run says (reports/check-run.ts), for each kind of collected round:
// when a queued run promises results, and which conclusion a round gets.
import { describe, expect, it } from 'vitest';
import { completedSignal, queuedSignal, resultsDueBy } from '../src/reports/check-run.js';
import type { FailedItem } from '../src/reports/reporter.js';
import { FIXTURE_HEAD, fixtureFinding, fixturePullRequest, fixtureResults, fixtureState } from './helpers/report-fixtures.js';

const pullRequest = fixturePullRequest(7);
const batch = (submittedAt: string) => ({
  id: `msgbatch_${submittedAt}`,
  requestCount: 1,
  attempt: 0,
  submittedAt,
  status: 'in_progress' as const,
  endedAt: null,
  resultsSaved: false,
});
const failure: FailedItem = { customId: 'cr-1', paths: ['src/a.ts'], status: 'errored', reason: 'api_error' };
const options = {
  gateLine: null,
  links: [{ label: 'pr-review', url: 'https://github.com/acme/shop/pull/7#pullrequestreview-1' }],
};

describe('the check run of a pull request', () => {
  it('queued: results due 24 hours after the newest batch was sent; nothing for a scheduled submission', () => {
    const state = fixtureState({ pullRequest, batches: [batch('2026-11-20T23:00:00Z'), batch('2026-11-20T23:05:30Z')] });
    expect(resultsDueBy(state).toISOString()).toBe('2026-11-21T23:05:30.000Z');
    const signal = queuedSignal(state)!;
    expect(signal).toMatchObject({ name: 'overnight code-review', headSha: FIXTURE_HEAD, status: 'queued', conclusion: null });
    expect(signal.title).toBe('overnight: code review queued, results by 2026-11-21 23:05 UTC');
    expect(queuedSignal(fixtureState({ batches: [batch('2026-11-20T23:00:00Z')] }))).toBeNull();
  });

  it('completed: success when clean, neutral with findings or failures, failure when fail-on-severity trips', () => {
    const state = fixtureState({ pullRequest });
    const clean = completedSignal(state, fixtureResults({ findings: [] }), options)!;
    expect(clean).toMatchObject({ status: 'completed', conclusion: 'success', title: 'overnight: no findings' });
    expect(clean.detailsUrl).toBe(options.links[0]!.url);
    expect(clean.summary).toContain(`Report: [pr-review](${options.links[0]!.url}).`);

    const findings = [fixtureFinding({ severity: 'high' }), fixtureFinding({ severity: 'low', path: 'src/b.ts' })];
    const found = completedSignal(state, fixtureResults({ findings }), options)!;
    expect(found).toMatchObject({ conclusion: 'neutral', title: 'overnight: 2 findings (1 high, 1 low)' });
    expect(completedSignal(state, fixtureResults({ findings: [], failures: [failure] }), options)!.conclusion).toBe('neutral');

    const gate = 'fail-on-severity high: 1 published finding is at or above high (1 high)';
    const failed = completedSignal(state, fixtureResults({ findings }), { ...options, gateLine: gate })!;
    expect(failed.conclusion).toBe('failure');
    expect(failed.summary).toContain(`The step failed: ${gate}.`);
  });

  it('stays in progress while resubmitted requests are still to come', () => {
    const signal = completedSignal(fixtureState({ pullRequest }), fixtureResults({ findings: [], resubmitted: 2 }), options)!;
    expect(signal).toMatchObject({ status: 'in_progress', conclusion: null });
    expect(signal.title).toBe('overnight: no findings, 2 requests resubmitted, still to come');
  });
});
