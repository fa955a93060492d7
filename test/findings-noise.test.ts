// Findings a team acts on (issue 19), end to end against the Anthropic and GitHub emulators: a night
// of code-review on a repository whose change holds a real SQL injection, a loose comparison the
// model is unsure about, request input written to a log (a known false-positive class), and answers
// whose quotes do not match the lines they cite. Only the injection reaches the issue; the unsure
// finding stays in the results and the job summary's tail; the mis-cited one is moved to its code,
// the invented one dropped, and both are counted.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startAnthropicEmulator, defaultResponder, type Responder } from '../src/emulator/anthropic/index.js';
import { createOctokit } from '../src/github/octokit.js';
import { submit } from '../src/engine/submit.js';
import { collect } from '../src/engine/collect.js';
import { makeRepo } from './helpers/git-repo.js';
import { TestClock, quietLog, testConfig, testEngine } from './helpers/engine.js';
import { startGitHubEmulator } from './emulators/github/index.js';

const owner = 'acme';
const repo = 'shop';

const ORDERS = [
  'export function findOrder(db, req) {',
  '  const id = req.query.id;',
  "  console.log('order lookup ' + req.query.id);",
  '  if (id == null) return null;',
  '  return db.query("SELECT * FROM orders WHERE id = " + id);',
  '}',
  '',
].join('\n');

/** The emulator's careful model, but it cites the injection two lines too high and invents one finding. */
const misquotingResponder: Responder = (params) => {
  const answer = JSON.parse(defaultResponder(params)) as { summary: string; findings: Record<string, unknown>[] };
  for (const finding of answer.findings) {
    if (finding.category === 'sql-injection') {
      finding.start_line = (finding.start_line as number) - 2;
      finding.end_line = (finding.end_line as number) - 2;
    }
  }
  if (answer.findings.length > 0) {
    answer.findings.push({
      ...answer.findings[0]!,
      category: 'invented',
      title: 'A problem in code that is not there',
      quote: 'eval(req.body.code)',
    });
  }
  return JSON.stringify(answer);
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function night(files: Record<string, string>) {
  const anthropic = await startAnthropicEmulator({ seed: 3, pollsUntilEnded: 0, responder: misquotingResponder });
  const gh = await startGitHubEmulator({ owner, repo });
  const git = await makeRepo();
  const clock = new TestClock(new Date('2026-11-02T02:00:00Z'));
  const engine = await testEngine({ repoDir: git.dir, baseUrl: anthropic.url, clock });
  engine.deps.github = {
    octokit: createOctokit({ token: 'ghs_test', baseUrl: gh.url, log: quietLog, minWriteIntervalMs: 0 }),
    owner,
    repo,
    serverUrl: 'https://github.com',
    readOnly: false,
  };
  cleanups.push(
    git.cleanup,
    () => anthropic.close(),
    () => gh.close(),
    engine.cleanup,
  );
  await git.commit({ 'README.md': '# shop\n' }, { date: new Date(clock.now().getTime() - 3 * 86_400_000) });
  await git.commit(files, { date: new Date(clock.now().getTime() - 3_600_000) });
  expect((await submit(testConfig({ mode: 'submit', task: 'code-review' }), engine.deps)).status).toBe('submitted');
  const collected = await collect(testConfig({ mode: 'collect', task: 'code-review' }), engine.deps);
  expect(collected.status).toBe('collected');
  const round = collected.rounds[0]!;
  const jsonl = readFileSync(round.results.resultsPath, 'utf8');
  const issues = gh.store.issues.filter((i) => !i.is_pull_request);
  return { gh, engine, round, jsonl, issues };
}

describe('findings a team acts on', () => {
  it('posts the quoted, sure finding at its real line; keeps the unsure one and the log-spoofing one off GitHub; counts the mislocated', async () => {
    const { round, jsonl, issues } = await night({ 'src/orders.js': ORDERS });

    // The model cited line 3 for the query on line 5: the quote moved it back, and it was posted there.
    expect(issues).toHaveLength(1);
    const body = issues[0]!.body ?? '';
    expect(body).toContain('src/orders.js#L5');
    expect(body).toMatch(/SQL query built by string concatenation/);
    expect(round.results.moved).toBe(1);
    // The invented finding quotes code that is not there: dropped, counted, said.
    expect(round.results.mislocated).toBe(1);
    expect(body).toContain('1 finding whose quoted code is not on the lines sent (mislocated)');
    expect(body).not.toContain('A problem in code that is not there');

    // Loose equality is only `possible`: under min-confidence (likely), never in the issue...
    expect(body).not.toMatch(/Loose comparison with null/);
    expect(round.results.belowConfidenceCount).toBe(1);
    expect(body).toContain('1 finding below the minimum confidence');
    // ...but in the results file and at the tail of the job summary.
    expect(jsonl).toContain('"category":"loose-equality"');
    expect(jsonl).toContain('"confidence":"possible"');
    const summaryReport = round.reports.find((r) => r.target === 'summary');
    expect(summaryReport?.path).toBeTruthy();
    const summary = readFileSync(summaryReport!.path!, 'utf8');
    const tail = summary.slice(summary.indexOf('Below min-confidence, not posted'));
    expect(summary).toContain('Below min-confidence, not posted (1)');
    expect(tail).toMatch(/Loose comparison with null/);

    // Request input in a log line (CWE-117) is a known false-positive class: its trigger names no
    // path to an impact and it is only `likely`, so it is not posted, and the issue says why.
    expect(jsonl).toContain('"category":"log-injection"');
    expect(body).not.toMatch(/Request input written to the log/);
    expect(body).toMatch(/1 finding of known false-positive classes without an attack path, not reported \(1 log-spoofing\)/);
  });

  it('posts a known false-positive class when the decisions file at the reviewed commit turns the class off', async () => {
    const { issues } = await night({
      'src/orders.js': ORDERS,
      '.github/overnight.yml': 'false-positive-classes: [denial-of-service, test-code]\n',
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.body).toMatch(/Request input written to the log/);
  });
});
