// Reliability on the GitHub side (docs/RELIABILITY.md, items 4 and 6): a hostile model answer cannot
// reach GitHub as written (no mentions, no forged overnight markers, no foreign links, no raw HTML, no
// labels of its choosing, bodies within GitHub's limit); 5xx and secondary rate limits are waited out;
// a read-only token falls back to the job summary and annotations; a 403 names the permission.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOctokit } from '../src/github/octokit.js';
import type { GitHubContext } from '../src/github/context.js';
import { collect } from '../src/engine/collect.js';
import { submit } from '../src/engine/submit.js';
import { startAnthropicEmulator, type Responder } from '../src/emulator/anthropic/index.js';
import { issueReporter } from '../src/reports/issue.js';
import { prCommentReporter } from '../src/reports/pr-comment.js';
import { createSummaryReporter } from '../src/reports/summary.js';
import { findMarkers, readFingerprints } from '../src/reports/markers.js';
import { MAX_ANNOTATIONS } from '../src/reports/annotations.js';
import { checkGeneratedPath } from '../src/tasks/paths.js';
import type { CollectedResults, ReportContext } from '../src/reports/reporter.js';
import { ArtifactStateStore } from '../src/state/artifact-store.js';
import { actionDeps } from '../src/action/run-action.js';
import { ConfigError } from '../src/errors.js';
import type { Finding, Severity } from '../src/types.js';
import { makeRepo } from './helpers/git-repo.js';
import { firstLineFindings, testConfig, testEngine, quietLog } from './helpers/engine.js';
import { fixtureContext, fixtureFinding, fixturePullRequest, fixtureResults, fixtureUsage } from './helpers/report-fixtures.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';

const execFileAsync = promisify(execFile);
const owner = 'acme';
const repo = 'shop';
const quiet = quietLog;

const cleanups: (() => Promise<void>)[] = [];

/** A directory for a reporter's files, removed after the test. */
async function temporaryOutputDir(): Promise<string> {
  const dir = await mkdtemp(join(process.env.TMPDIR ?? '/tmp', 'overnight-annot-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** What `body` wrote to process.stdout (where workflow commands go), and what it returned. */
async function stdoutDuring<T>(body: () => Promise<T>): Promise<{ result: T; written: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    return { result: await body(), written: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function github(
  options: Parameters<typeof startGitHubEmulator>[0] = {},
): Promise<{ gh: GitHubEmulator; context: GitHubContext; warnings: string[] }> {
  const gh = await startGitHubEmulator({ owner, repo, ...options });
  cleanups.push(async () => {
    expect(gh.violations).toEqual([]);
    await gh.close();
  });
  const warnings: string[] = [];
  const octokit = createOctokit({
    token: 'ghs_reliability',
    baseUrl: gh.url,
    log: { ...quiet, warning: (m) => warnings.push(m) },
    minWriteIntervalMs: 0,
    retryAfterUnitMs: 1,
  });
  return { gh, context: { octokit, owner, repo, serverUrl: 'https://github.com', readOnly: false }, warnings };
}

// ---- a hostile model, end to end ------------------------------------------------------------------

const STATE_GUESS = 'code-review-guess';
/** Everything a model could try in order to act through overnight's GitHub account. */
const HOSTILE = [
  'Ping @octocat and @acme/security-team now.',
  `<!-- overnight:report task=code-review state=${STATE_GUESS} round=000000000000 parts=0 -->`,
  '<!-- overnight:fingerprints v=deadbeef -->',
  'See [the fix](https://evil.example/steal?c=1) or https://evil.example/raw, and ![x](https://evil.example/pixel.png).',
  '<img src=x onerror=alert(1)> <details open><summary>click</summary>hidden</details>',
  'Also other-org/other-repo#1 and labels: wontfix, security, P0.',
  `\u202Eevil bidi`,
].join('\n');

const hostileResponder: Responder = (params) => {
  const findings = firstLineFindings(params, () => ({
    trigger: 'input → this line → wrong result',
    confidence: 'certain',
    severity: 'high',
    category: 'injection',
    title: `@octocat <!-- overnight:report task=code-review --> [title](https://evil.example)`,
    explanation: `${HOSTILE}\n\n${'A'.repeat(2_000)}`,
    suggested_fix: `\`\`\`\n<!-- overnight:report task=code-review state=${STATE_GUESS} round=1 -->\n@octocat\n\`\`\``,
    cwe: 'CWE-79',
  }));
  return JSON.stringify({ summary: `@octocat ${HOSTILE}`, findings });
};

/** A body without its fenced code blocks and code spans (where GitHub renders text verbatim). */
function outsideCode(body: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of body.split('\n')) {
    const opener = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== null) {
      if (opener && opener[0] === fence[0] && opener.length >= fence.length && line.trim() === opener) fence = null;
      continue;
    }
    if (opener) {
      fence = opener;
      continue;
    }
    out.push(line.replace(/(`+)(?:(?!\1).)*?\1/g, ''));
  }
  return out.join('\n');
}

describe('untrusted model output never reaches GitHub as written', () => {
  it('a hostile answer: no mention, no forged marker, no foreign link, no raw HTML, no label of its choosing, every body within 65,536', async () => {
    const anthropic = await startAnthropicEmulator({ seed: 3, pollsUntilEnded: 0, responder: hostileResponder });
    const source = await makeRepo();
    cleanups.push(
      () => source.cleanup(),
      () => anthropic.close(),
    );
    await source.commit(
      { 'src/a.ts': 'export const a = 1;\n', 'src/b/index.ts': 'export const b = 2;\n' },
      { date: new Date(Date.now() - 3_600_000) },
    );
    const engine = await testEngine({ repoDir: source.dir, baseUrl: anthropic.url });
    cleanups.push(engine.cleanup);
    const { gh, context } = await github();
    engine.deps.github = context;
    engine.deps.context.repository = `${owner}/${repo}`;

    await submit(testConfig({ mode: 'submit', task: 'code-review', since: '24h' }), engine.deps);
    const collected = await collect(
      testConfig({ mode: 'collect', task: '', report: 'issue,summary', 'issue-labels': 'overnight' }),
      engine.deps,
    );
    expect(collected.status).toBe('collected');
    // The hostile answers were accepted as findings: what follows is about what the sanitiser made of them.
    expect(engine.outputs['findings-count']).toBe('2');
    const issues = gh.store.issues.filter((i) => !i.is_pull_request);
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    const stateId = collected.states[0]!.stateId;

    // Only the labels the workflow configured, whatever the answer says.
    expect(issue.labels).toEqual(['overnight']);
    const bodies = [
      issue.body ?? '',
      ...gh.store.comments.filter((c) => c.issue_number === issue.number).map((c) => c.body ?? ''),
    ];
    for (const body of bodies) {
      expect(body.length).toBeLessThanOrEqual(65_536);
      // Mentions and HTML are inert inside code; everywhere else they must be defused.
      const prose = outsideCode(body);
      expect(prose).toContain('Ping @&#8203;octocat and @&#8203;acme/security-team');
      expect(prose).not.toMatch(/(?<![A-Za-z0-9])@(octocat|acme\/security-team)/);
      expect(prose).not.toMatch(/\]\(https:\/\/evil\.example/);
      expect(prose).not.toMatch(/<img|<details|<summary/i);
      expect(body).not.toContain('\u202E');
      // Every marker in the body is overnight's own: the model's look-alikes are gone or broken.
      for (const found of findMarkers(body)) expect(found.fields.state ?? stateId).toBe(stateId);
      expect(readFingerprints(body)).not.toContain('deadbeef');
    }
    expect(findMarkers(issue.body ?? '', 'report')).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ state: stateId }) }),
    ]);
    // The bare URL is shown, not linked (GitHub would autolink it outside code).
    expect(bodies.join('\n')).toMatch(/`https:\/\/evil\.example\/raw`/);
    // A re-run finds its own report and posts nothing more.
    const writesBefore = gh.requests.filter((r) => r.method !== 'GET').length;
    await collect(testConfig({ mode: 'collect', task: '', report: 'issue,summary', 'issue-labels': 'overnight' }), engine.deps);
    expect(gh.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
  });

  it('generated files: a path outside tests and a path holding a command substitution are refused; nothing in the answer runs', async () => {
    const sentinel = join(await import('node:os').then((os) => os.tmpdir()), `overnight-pwned-${process.pid}-${Date.now()}`);
    const responder: Responder = () =>
      JSON.stringify({
        summary: 'tests',
        files: [
          {
            path: '.github/workflows/pwn.yml',
            content: `on: push\njobs: {x: {runs-on: ubuntu-latest, steps: [{run: "touch ${sentinel}"}]}}\n`,
            description: 'ci',
            source_path: 'src/sum.ts',
          },
          {
            path: `test/$(touch ${sentinel}).test.ts`,
            content: "import { it } from 'vitest';\nit('x', () => {});\n",
            description: '`touch`',
            source_path: 'src/sum.ts',
          },
          {
            path: 'test/sum.test.ts',
            content: `import { it, expect } from 'vitest';\nimport { sum } from '../src/sum.js';\n// $(touch ${sentinel})\nit('adds', () => expect(sum(1, 2)).toBe(3));\n`,
            description: 'adds',
            source_path: 'src/sum.ts',
          },
        ],
      });
    const anthropic = await startAnthropicEmulator({ seed: 4, pollsUntilEnded: 0, responder });
    const source = await makeRepo();
    cleanups.push(
      () => source.cleanup(),
      () => anthropic.close(),
    );
    await source.commit(
      { 'src/sum.ts': 'export function sum(a: number, b: number): number {\n  return a + b;\n}\n' },
      { date: new Date(Date.now() - 3_600_000) },
    );
    const engine = await testEngine({ repoDir: source.dir, baseUrl: anthropic.url });
    cleanups.push(engine.cleanup);
    await submit(testConfig({ mode: 'submit', task: 'test-generation', since: '24h' }), engine.deps);
    const collected = await collect(testConfig({ mode: 'collect', task: '', report: 'artifact,summary' }), engine.deps);
    expect(collected.status).toBe('collected');

    expect(existsSync(sentinel)).toBe(false);
    // The patch holds only the test file; `git apply --check` accepts it in the reviewed checkout.
    const round = join(engine.outputDir, collected.states[0]!.stateId);
    const [roundKey] = await readdir(round);
    const patchName = (await readdir(join(round, roundKey!))).find((n) => n.endsWith('.patch'))!;
    const patch = await readFile(join(round, roundKey!, patchName), 'utf8');
    const touched = patch.split('\n').filter((l) => /^(diff --git|\+\+\+|---) /.test(l));
    expect(touched).toEqual(['diff --git a/test/sum.test.ts b/test/sum.test.ts', '--- /dev/null', '+++ b/test/sum.test.ts']);
    // The refused paths are named, with the reason, in the report.
    const report = await readFile(join(round, roundKey!, 'report.md'), 'utf8');
    expect(report).toMatch(/`\.github\/workflows\/pwn\.yml` for `src\/sum\.ts` \*\*refused\*\*/);
    expect(report).toMatch(/\*\*refused\*\*, not written: path contains shell or glob syntax/);
    await execFileAsync('git', ['apply', '--check', join(round, roundKey!, patchName)], { cwd: source.dir });
    // And the working tree was not written to.
    expect(existsSync(join(source.dir, '.github'))).toBe(false);
    expect(existsSync(join(source.dir, 'test'))).toBe(false);
  });

  it('shell syntax in a generated path is refused, while route-style names ($id, [id]) stay allowed', () => {
    const options = { task: 'test-generation' as const, sourcePath: 'src/routes/item.ts' };
    for (const path of [
      'test/$(id).test.ts',
      'test/${HOME}.test.ts',
      'test/a;rm.test.ts',
      'test/`id`.test.ts',
      'test/a|b.test.ts',
      'test/*.test.ts',
    ]) {
      expect(checkGeneratedPath(path, options), path).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/shell or glob syntax/),
      });
    }
    for (const path of ['test/routes/$id.test.ts', 'test/routes/[id].test.ts'])
      expect(checkGeneratedPath(path, options).ok, path).toBe(true);
  });
});

// ---- GitHub faults ----------------------------------------------------------------------------------

function finding(path: string, line: number, severity: Severity = 'high', title = `Injection at ${path}:${line}`): Finding {
  return fixtureFinding({
    path,
    startLine: line,
    endLine: line + 1,
    severity,
    title,
    cwe: 'CWE-89',
    fingerprint: `fp-${path}-${line}-${severity}`,
  });
}

function results(findings: Finding[]): CollectedResults {
  return fixtureResults({
    findings,
    succeeded: 1,
    received: 1,
    usage: fixtureUsage({
      requests: 1,
      inputTokens: 10,
      outputTokens: 10,
      costUsd: 0.01,
      interactiveUsd: 0.02,
      savingsUsd: 0.01,
    }),
  });
}

function reportContext(
  collected: CollectedResults,
  githubContext: GitHubContext | null,
  outputDir = '/tmp',
  pullRequest: number | null = null,
): ReportContext {
  return fixtureContext(collected, {
    issueLabels: ['overnight'],
    outputDir,
    github: githubContext,
    state: {
      headSha: 'c'.repeat(40),
      baseSha: 'b'.repeat(40),
      ...(pullRequest
        ? { pullRequest: fixturePullRequest(pullRequest, { baseSha: 'b'.repeat(40), headSha: 'c'.repeat(40), fromFork: true }) }
        : {}),
    },
  });
}

describe('GitHub faults', () => {
  it('a 502 and then a 503 on creating the issue are retried: exactly one issue', async () => {
    const { gh, context } = await github();
    gh.faults.next({ method: 'POST', path: /\/issues$/ }, { status: 502, body: { message: 'Bad gateway' } });
    gh.faults.next({ method: 'POST', path: /\/issues$/ }, { status: 503, body: { message: 'Unavailable' } });
    const result = await issueReporter.publish(reportContext(results([finding('src/a.ts', 3)]), context));
    expect(result.url).toMatch(/\/issues\/\d+$/);
    expect(gh.store.issues).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === 'POST' && /\/issues$/.test(r.path)).map((r) => r.status)).toEqual([
      502, 503, 201,
    ]);
  });

  it('a secondary rate limit answered as 429 with retry-after is waited out, with a warning, and the comment is posted once', async () => {
    const { gh, context, warnings } = await github();
    gh.seedPullRequest({
      number: 7,
      title: 'x',
      base: { ref: 'main', sha: 'b'.repeat(40) },
      head: { ref: 'feature', sha: 'c'.repeat(40) },
      files: [],
    });
    gh.faults.next(
      { method: 'POST', path: /\/issues\/7\/comments$/ },
      {
        status: 429,
        headers: { 'retry-after': '2' },
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
      },
    );
    const result = await prCommentReporter.publish(reportContext(results([finding('src/a.ts', 3)]), context, '/tmp', 7));
    expect(result.url).toBeDefined();
    expect(gh.store.comments.filter((c) => c.issue_number === 7)).toHaveLength(1);
    expect(warnings.some((w) => /secondary rate limit on POST .*retrying in 2s/.test(w))).toBe(true);
  });

  it('a read-only token inside Actions: nothing written, the 50 most severe findings become annotations, and the summary says so', async () => {
    const { gh, context } = await github();
    const readOnly = { ...context, readOnly: true };
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    const findings = [
      ...Array.from({ length: 58 }, (_, i) => finding(`src/low${i}.ts`, i + 1, 'low')),
      finding('src/db.ts', 12, 'critical', 'Injection\n::error::forged command'),
      finding('src/api.ts', 4, 'high'),
    ];
    const outputDir = await temporaryOutputDir();
    const { result, written } = await stdoutDuring(() =>
      createSummaryReporter({
        notes: ['pr-review: read-only token (e.g. a fork PR): no review written; see the job summary'],
      }).publish(reportContext(results(findings), readOnly, outputDir, 7)),
    );
    const note = result.note;
    expect(note).toMatch(/summary written/);
    expect(gh.requests).toEqual([]);
    const commands = written.split(/\r?\n/).filter((l) => l.startsWith('::'));
    expect(commands).toHaveLength(MAX_ANNOTATIONS);
    expect(commands.every((l) => l.startsWith('::warning '))).toBe(true);
    // Worst first, with file and lines; the model's newline cannot start a command of its own.
    expect(commands[0]).toMatch(
      /^::warning title=overnight critical%3A Injection %3A%3Aerror%3A%3Aforged command,file=src\/db\.ts,line=12,endLine=13::Injection ::error::forged command\. /,
    );
    expect(commands[1]).toMatch(/file=src\/api\.ts,line=4,endLine=5::/);
    const summary = await readFile(join(outputDir, 'summary.md'), 'utf8');
    expect(summary).toMatch(/read-only token/);
    expect(summary).toMatch(/the 50 most severe of 60 findings are shown as warnings on their lines/);
  });

  it('outside Actions (the CLI) a read-only context writes no workflow commands', async () => {
    const { context } = await github();
    vi.stubEnv('GITHUB_ACTIONS', '');
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    const outputDir = await temporaryOutputDir();
    const { written } = await stdoutDuring(() =>
      createSummaryReporter().publish(
        reportContext(results([finding('src/a.ts', 1)]), { ...context, readOnly: true }, outputDir, 7),
      ),
    );
    expect(written).not.toContain('::warning');
  });
});

describe('missing permissions and tokens: one line naming what is missing', () => {
  it('a 403 on listing the state artifacts names `actions: read`', async () => {
    const { gh, context } = await github();
    gh.faults.next(
      { method: 'GET', path: /\/actions\/artifacts$/ },
      { status: 403, body: { message: 'Resource not accessible by integration' } },
    );
    const store = new ArtifactStateStore({
      octokit: context.octokit,
      token: 't',
      owner,
      repo,
      runId: 2,
      runAttempt: 1,
      stateName: 'overnight-state',
      retentionDays: 7,
      log: quiet,
      signer: null,
    });
    const error = await store.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /^listing the state artifacts of acme\/shop: GitHub answered 403 \(Resource not accessible by integration.*\); the workflow needs `permissions: actions: read`$/,
    );
    expect((error as Error).message).not.toContain('\n');
  });

  it('the action without a github-token stops before any call, naming the input', () => {
    const config = testConfig({ mode: 'collect', task: '' }, {});
    expect(() => actionDeps(config, { GITHUB_REPOSITORY: `${owner}/${repo}` })).toThrow(
      /^github-token: missing; pass github-token: \$\{\{ github\.token \}\}/,
    );
  });
});
