// Issue 19 item 1, the recall hole: a secret committed in source is redacted before sending and the
// model is told not to report the marker, so it used to produce no finding, only a count. Every
// redaction in a file that is sent is now a finding of its own (CWE-798, high, certain, at its line in
// the real file, naming the scanner rule), published like a model finding (SARIF, the issue), once
// across nights and across tasks, and with no secret, nor any part of one, anywhere overnight writes.
// Real SDK against the Anthropic emulator, Octokit against the GitHub emulator, submit then collect.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import { collect } from '../src/engine/collect.js';
import { severityGateLine } from '../src/engine/publish.js';
import { submit } from '../src/engine/submit.js';
import { run } from '../src/engine/run.js';
import { startAnthropicEmulator, type Responder } from '../src/emulator/anthropic/index.js';
import { createOctokit } from '../src/github/octokit.js';
import { readFingerprints } from '../src/reports/markers.js';
import type { RunState } from '../src/state/state.js';
import type { Finding } from '../src/types.js';
import { makeRepo, type TestRepo } from './helpers/git-repo.js';
import { pullRequestFiles } from './helpers/pull-request.js';
import { TestClock, filesUnder, quietLog, sentFileBlocks, testConfig, testEngine, type TestEngine } from './helpers/engine.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';

const owner = 'acme';
const repo = 'shop';
const DAY = 86_400_000;

const SECRETS = {
  awsKeyId: 'AKIAZ3MJQ5RD7XK2PLVW',
  awsSecret: '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',
  githubToken: 'ghp_R7mQ2xK9vL4nP8sT3wY6zB1cD5fG0hJ2kN4q',
  dataToken: 'ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8c',
};

// Line 6 holds an AWS key pair: one credential, one finding.
const UPLOAD = [
  "import { S3Client } from '@aws-sdk/client-s3';",
  '',
  'export function uploadClient(): S3Client {',
  '  return new S3Client({',
  "    region: 'eu-west-1',",
  `    credentials: { accessKeyId: '${SECRETS.awsKeyId}', secretAccessKey: '${SECRETS.awsSecret}' },`,
  '  });',
  '}',
  '',
].join('\n');

// Line 3 holds a GitHub token.
const notify = (header: string[] = []): string =>
  [
    ...header,
    "import { Octokit } from '@octokit/rest';",
    '',
    `const octokit = new Octokit({ auth: '${SECRETS.githubToken}' });`,
    '',
    'export async function notify(issue: number, body: string): Promise<void> {',
    "  await octokit.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue, body });",
    '}',
    '',
  ].join('\n');

// A data set rewritten whole: planning leaves it out ('data') after it was read and redacted.
const ACCOUNTS = `[\n${Array.from({ length: 400 }, (_, i) =>
  i === 200 ? `  { "id": ${i}, "token": "${SECRETS.dataToken}" },` : `  { "id": ${i}, "name": "user${i}" },`,
).join('\n')}\n  { "id": 999, "name": "last" }\n]\n`;

const TOTAL = 'export function total(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n';

/** Every 12-character piece of every secret: none may appear anywhere. */
function leaks(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, value]) =>
      Array.from({ length: value.length - 11 }, (_, i) => value.slice(i, i + 12)).some((p) => text.includes(p)),
    )
    .map(([name]) => name);
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  gh: GitHubEmulator;
  git: TestRepo;
  clock: TestClock;
  engine: TestEngine;
  sarifPath: string;
}

async function setup(responder?: Responder): Promise<Setup> {
  const anthropic = await startAnthropicEmulator({ seed: 19, pollsUntilEnded: 0, ...(responder ? { responder } : {}) });
  const gh = await startGitHubEmulator({ owner, repo });
  const git = await makeRepo();
  const clock = new TestClock(new Date('2026-12-01T02:00:00Z'));
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
  await git.commit({ 'README.md': '# shop\n' }, { date: new Date(clock.now().getTime() - 3 * DAY) });
  return { gh, git, clock, engine, sarifPath: join(engine.workDir, 'overnight.sarif') };
}

/** One night of `task`: submit (since: last) and collect. */
async function night(s: Setup, task: string): Promise<Awaited<ReturnType<typeof collect>>> {
  const inputs = { task, report: 'issue,sarif,summary', 'sarif-path': s.sarifPath };
  expect((await submit(testConfig({ ...inputs, mode: 'submit' }), s.engine.deps)).status).toBe('submitted');
  return collect(testConfig({ ...inputs, mode: 'collect' }), s.engine.deps);
}

const credentialFindings = (findings: Finding[]): Finding[] => findings.filter((f) => f.cwe === 'CWE-798');

describe('redacted secrets become findings', () => {
  it('reports each committed key once at its line, in SARIF and the issue, with no secret anywhere; a second night adds nothing', async () => {
    const s = await setup();
    const { gh, git, clock, engine } = s;
    const head = await git.commit(
      {
        'src/storage/upload.ts': UPLOAD,
        'src/notify.ts': notify(),
        'src/cart/total.ts': TOTAL,
        'fixtures/accounts.json': ACCOUNTS,
      },
      { date: new Date(clock.now().getTime() - 3_600_000) },
    );
    const first = await night(s, 'security-scan');
    expect(first.status).toBe('collected');

    // One finding per line holding secrets, none for the data set left out of the night.
    const found = credentialFindings(first.rounds[0]!.results.findings);
    expect(found.map((f) => `${f.path}:${f.startLine}-${f.endLine}`).sort()).toEqual([
      'src/notify.ts:3-3',
      'src/storage/upload.ts:6-6',
    ]);
    const [state] = (await engine.states()).map((stored) => stored.state as RunState);
    expect(state!.skipped).toContainEqual({ path: 'fixtures/accounts.json', reason: 'data' });
    for (const finding of found) {
      expect(finding).toMatchObject({ severity: 'high', confidence: 'certain', category: 'hardcoded-secret' });
    }
    const aws = found.find((f) => f.path === 'src/storage/upload.ts')!;
    expect(aws.title).toBe('Hard-coded credential: AWS access key ID, AWS secret access key');
    expect(aws.explanation).toContain('aws (AWSSecretAccessKey)');
    expect(found.find((f) => f.path === 'src/notify.ts')!.title).toBe('Hard-coded credential: GitHub token');
    // fail-on-severity counts them like any finding.
    expect(severityGateLine(first.rounds, testConfig({ 'fail-on-severity': 'high' }))).toMatch(/at or above high \(\d+ high\)/);

    // SARIF: a result at each line, with the CWE on its rule.
    const sarif = JSON.parse(await readFile(s.sarifPath, 'utf8')) as Log;
    const run = sarif.runs[0]!;
    const at = (path: string, line: number) =>
      run.results!.filter(
        (r) =>
          r.locations![0]!.physicalLocation!.artifactLocation!.uri === path &&
          r.locations![0]!.physicalLocation!.region!.startLine === line,
      );
    for (const [path, line] of [
      ['src/storage/upload.ts', 6],
      ['src/notify.ts', 3],
    ] as const) {
      const results = at(path, line);
      expect(results, `${path}:${line}`).toHaveLength(1);
      const rule = run.tool.driver.rules![results[0]!.ruleIndex!]!;
      expect(rule.properties?.tags).toContain('external/cwe/cwe-798');
    }
    expect(gh.store.sarifUploads).toHaveLength(1);

    // The issue: both, linked at their lines.
    const issues = gh.store.issues.filter((i) => !i.is_pull_request);
    expect(issues).toHaveLength(1);
    const body = issues[0]!.body ?? '';
    expect(body).toContain(`blob/${head}/src/storage/upload.ts#L6`);
    expect(body).toContain(`blob/${head}/src/notify.ts#L3`);
    expect(body).toContain('Hard-coded credential: GitHub token');
    expect(readFingerprints(body)).toEqual(expect.arrayContaining(found.map((f) => f.fingerprint)));

    // The state carries where (path, line, rule), never what.
    const stateText = (await Promise.all((await filesUnder(engine.stateDir)).map((p) => readFile(p, 'utf8')))).join('\n');
    expect(stateText).toContain('"secrets":[{"path":"src/notify.ts","line":3,"rule":"github","check":"GITHUB_TOKEN"}]');

    // Night 2: a line above the token moves it to line 4; the file is sent again, the finding is the
    // same one (same fingerprint), so no new issue and nothing posted twice.
    await clock.sleep(DAY);
    await git.commit(
      { 'src/notify.ts': notify(['// Notifications on issues.']) },
      { date: new Date(clock.now().getTime() - 3_600_000) },
    );
    const second = await night(s, 'security-scan');
    const again = credentialFindings(second.rounds[0]!.results.findings);
    expect(again.map((f) => `${f.path}:${f.startLine}`)).toEqual(['src/notify.ts:4']);
    expect(again[0]!.fingerprint).toBe(found.find((f) => f.path === 'src/notify.ts')!.fingerprint);
    expect(gh.store.issues.filter((i) => !i.is_pull_request)).toHaveLength(1);
    expect(second.rounds[0]!.reports.find((r) => r.target === 'issue')!.note).toContain('nothing new');

    // No secret, nor any 12 characters of one: requests, states, results, SARIF, GitHub, logs, summaries.
    const written = await filesUnder(engine.workDir);
    const everything = [
      ...(await Promise.all(written.map((p) => readFile(p, 'utf8')))),
      JSON.stringify(gh.store.issues),
      JSON.stringify(gh.store.comments),
      JSON.stringify(gh.store.sarifUploads),
      ...engine.logs.map((l) => l.message),
      ...engine.summaries,
    ].join('\n');
    expect(written.some((p) => p.endsWith('results.jsonl'))).toBe(true);
    expect(leaks(everything)).toEqual([]);
  });

  it('code-review and security-scan on one night: the key is posted once', async () => {
    const s = await setup();
    await s.git.commit(
      { 'src/notify.ts': notify(), 'src/cart/total.ts': TOTAL },
      { date: new Date(s.clock.now().getTime() - 3_600_000) },
    );
    for (const task of ['code-review', 'security-scan']) {
      const inputs = { task, report: 'issue,summary', 'sarif-path': s.sarifPath };
      expect((await submit(testConfig({ ...inputs, mode: 'submit' }), s.engine.deps)).status).toBe('submitted');
    }
    // One collect step per task, as a workflow runs them.
    const rounds = [];
    for (const task of ['code-review', 'security-scan']) {
      const inputs = { task, mode: 'collect', report: 'issue,summary', 'sarif-path': s.sarifPath };
      rounds.push(...(await collect(testConfig(inputs), s.engine.deps)).rounds);
    }
    // Both tasks found it (each reports a committed key when it is the only one that ran)...
    const perRound = rounds.map((round) => credentialFindings(round.results.findings));
    expect(perRound.map((list) => list.length)).toEqual([1, 1]);
    const print = perRound[0]![0]!.fingerprint;
    expect(perRound[1]![0]!.fingerprint).toBe(print);
    // ...and it is in exactly one issue.
    const issues = s.gh.store.issues.filter((i) => !i.is_pull_request);
    expect(issues.filter((i) => readFingerprints(i.body ?? '').includes(print))).toHaveLength(1);
  });

  it("a model's own CWE-798 finding on the same line merges into the redaction's", async () => {
    // A model that does report the marker, as critical.
    const markerModel: Responder = (params) => {
      const findings = sentFileBlocks(params).flatMap((block) =>
        [...block.code]
          .filter(([, text]) => text.includes('[REDACTED:'))
          .map(([line, text]) => ({
            path: block.path,
            start_line: line,
            end_line: line,
            quote: text,
            trigger: 'repository read → token copied → account used',
            confidence: 'likely',
            severity: 'critical',
            category: 'hardcoded-credentials',
            title: 'Token in source',
            explanation: 'A token is committed.',
            suggested_fix: null,
            cwe: 'CWE-798',
          })),
      );
      return JSON.stringify({ summary: `${findings.length}`, findings });
    };
    const s = await setup(markerModel);
    await s.git.commit({ 'src/notify.ts': notify() }, { date: new Date(s.clock.now().getTime() - 3_600_000) });
    const collected = await night(s, 'security-scan');
    const found = credentialFindings(collected.rounds[0]!.results.findings);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      path: 'src/notify.ts',
      startLine: 3,
      title: 'Hard-coded credential: GitHub token',
      severity: 'critical',
    });
  });

  it('on a pull request that adds a key: an inline comment at its line, with no secret in it', async () => {
    const s = await setup();
    const clean = notify().replace(`'${SECRETS.githubToken}'`, 'process.env.GITHUB_TOKEN');
    const baseSha = await s.git.commit({ 'src/notify.ts': clean }, { date: new Date(s.clock.now().getTime() - 7_200_000) });
    await s.git.git('checkout', '-q', '-b', 'notify-token');
    const headSha = await s.git.commit({ 'src/notify.ts': notify() }, { message: 'Notify with a token' });
    await s.git.git('checkout', '-q', '--detach', headSha);
    s.gh.seedPullRequest({
      number: 7,
      title: 'Notify with a token',
      base: { ref: 'main', sha: baseSha },
      head: { ref: 'notify-token', sha: headSha },
      files: await pullRequestFiles(s.git.git, baseSha, headSha),
    });
    Object.assign(s.engine.deps.context, {
      event: 'pull_request',
      ref: 'refs/pull/7/merge',
      pullRequest: { number: 7, baseSha, headSha, baseRef: 'main', headRef: 'notify-token', fromFork: false },
    });
    const inputs = { task: 'security-scan', report: 'pr-review,pr-comment,summary', 'sarif-path': s.sarifPath };
    expect((await submit(testConfig({ ...inputs, mode: 'submit' }), s.engine.deps)).status).toBe('submitted');
    const collected = await collect(testConfig({ ...inputs, mode: 'collect' }), s.engine.deps);
    expect(credentialFindings(collected.rounds[0]!.results.findings).map((f) => `${f.path}:${f.startLine}`)).toEqual([
      'src/notify.ts:3',
    ]);
    const inline = s.gh.store.reviewComments.filter((c) => c.body.includes('Hard-coded credential: GitHub token'));
    expect(inline.map((c) => [c.path, c.line, c.commit_id])).toEqual([['src/notify.ts', 3, headSha]]);
    const posted = JSON.stringify([s.gh.store.reviewComments, s.gh.store.reviews, s.gh.store.comments]);
    expect(leaks(posted)).toEqual([]);
  });

  it('the interactive run reports it too', async () => {
    const s = await setup();
    await s.git.commit({ 'src/notify.ts': notify() }, { date: new Date(s.clock.now().getTime() - 3_600_000) });
    const result = await run(testConfig({ mode: 'run', task: 'code-review', report: 'summary' }), s.engine.deps);
    expect(result.mode).toBe('run');
    const found = credentialFindings(result.collected!.results!.findings);
    expect(found.map((f) => [f.path, f.startLine, f.title])).toEqual([
      ['src/notify.ts', 3, 'Hard-coded credential: GitHub token'],
    ]);
  });
});
