// SARIF that GitHub's own rules accept (issue 15 item 10): every rule has a full description and help
// (text and Markdown, linked to MITRE's CWE page where a weakness applies), a name that is more than
// its id in another case, and the run says what was analysed (versionControlProvenance). Judged by
// Microsoft's SARIF Multitool (`validate --rule-kind "Sarif;Ghas"`, the npm package's .NET binary) on
// the SARIF of real collects against the Anthropic emulator: 0 errors and 0 warnings.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log, ReportingDescriptor } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { buildSarif, writeSarif } from '../src/reports/sarif.js';
import { recordingIO } from './helpers/engine.js';
import { makeRepo, type TestRepo } from './helpers/git-repo.js';
import { fixtureContext, fixtureFinding, fixturePullRequest, fixtureResults, FIXTURE_HEAD } from './helpers/report-fixtures.js';

const multitool = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;

interface Verdict {
  ran: boolean;
  /** `RULE level: message`, for errors and warnings only (notes are advice, e.g. "add snippets"). */
  problems: string[];
  rules: string[];
}

/** Runs `validate --rule-kind "Sarif;Ghas"` on the files and reads its own SARIF log back. */
function validate(files: string[]): Verdict {
  const dir = mkdtempSync(join(tmpdir(), 'overnight-multitool-'));
  const output = join(dir, 'validation.sarif');
  const run = spawnSync(
    multitool,
    ['validate', '--rule-kind', 'Sarif;Ghas', '--level', 'Error;Warning;Note', '--output', output, ...files],
    // No ICU on a slim runner: .NET then needs invariant globalisation to start.
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' } },
  );
  if (run.error) throw new Error(`the SARIF Multitool (${multitool}) could not run: ${run.error.message}`);
  if (!existsSync(output)) throw new Error(`the SARIF Multitool wrote no log (exit ${run.status}): ${run.stdout}${run.stderr}`);
  const log = JSON.parse(readFileSync(output, 'utf8')) as Log;
  const validation = log.runs[0]!;
  const failures = (validation.invocations ?? []).flatMap((invocation) =>
    (invocation.toolExecutionNotifications ?? []).filter((n) => n.level === 'error').map((n) => `tool: ${n.message.text ?? ''}`),
  );
  const problems = (validation.results ?? [])
    .filter((result) => (result.level ?? 'warning') === 'error' || (result.level ?? 'warning') === 'warning')
    .map(
      (result) =>
        `${result.ruleId} ${result.level ?? 'warning'}: ${result.message.text ?? result.message.id ?? ''} ${(result.message.arguments ?? []).join(' | ')}`,
    );
  return {
    ran: validation.invocations?.[0]?.executionSuccessful === true,
    problems: [...failures, ...problems],
    rules: (validation.results ?? []).map((result) => result.ruleId ?? ''),
  };
}

describe('the SARIF Multitool itself', () => {
  // A check that cannot fail proves nothing: the SARIF overnight wrote before this change is refused.
  it('reports GH2012 and SARIF1001 on a rule without help whose name is its id in another case', () => {
    const dir = mkdtempSync(join(tmpdir(), 'overnight-sarif-old-'));
    const old = buildSarif({
      task: 'security-scan',
      serverUrl: 'https://github.com',
      owner: 'acme',
      repo: 'shop',
      findings: [fixtureFinding({ category: 'xss', cwe: 'CWE-79', fingerprint: 'a'.repeat(32) })],
    });
    const rule = old.runs[0]!.tool.driver.rules![0]!;
    const bare: ReportingDescriptor = { id: rule.id, name: 'Xss', shortDescription: rule.shortDescription! };
    old.runs[0]!.tool.driver.rules = [bare];
    const path = join(dir, 'old.sarif');
    writeFileSync(path, JSON.stringify(old));
    const verdict = validate([path]);
    expect(verdict.ran).toBe(true);
    expect(verdict.problems.filter((p) => p.startsWith('GH2012 error'))).toHaveLength(2);
    expect(verdict.problems.some((p) => p.startsWith('SARIF1001 warning'))).toBe(true);
  }, 180_000);
});

describe('SARIF from real collects', () => {
  let emulator: AnthropicEmulator;
  let repo: TestRepo;
  let head: string;
  const sarifPaths: Record<string, string> = {};

  beforeAll(async () => {
    emulator = await startAnthropicEmulator({ seed: 5, pollsUntilEnded: 0 });
    repo = await makeRepo();
    // Lines the emulated model reports under many categories: security ones with a CWE, code-review
    // ones without, and `xss` (a one-word id, the SARIF1001 case).
    head = await repo.commit(
      {
        'src/page.ts': [
          'export function show(el: HTMLElement, name: string, xs: number[]) {',
          '  el.innerHTML = name;',
          '  if (name == "x") eval(name);',
          '  let t = 0;',
          '  for (let i = 0; i <= xs.length; i++) t += xs[i];',
          '  try { JSON.parse(name); } catch {}',
          '  const token = Math.random().toString(36);',
          '  return t + token;',
          '}',
          '',
        ].join('\n'),
        'src/db.py': [
          'import hashlib, pickle, subprocess',
          'def q(cur, id, data, cmd):',
          '    cur.execute("SELECT * FROM t WHERE id = %s" % id)',
          '    subprocess.run(cmd, shell=True)',
          '    obj = pickle.loads(data)',
          '    return hashlib.md5(obj).hexdigest()',
          '',
        ].join('\n'),
      },
      { date: new Date(Date.now() - 3_600_000) },
    );
    const env = {
      ANTHROPIC_API_KEY: 'sk-ant-test-sarif-0123456789',
      ANTHROPIC_BASE_URL: emulator.url,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SERVER_URL: 'https://github.com',
    };
    for (const task of ['security-scan', 'code-review']) {
      sarifPaths[task] = join(repo.dir, `${task}.sarif`);
      for (const argv of [
        ['submit', '--task', task, '--since', '24h'],
        // --no-verify: this checks the SARIF's shape; security-scan would otherwise publish a collect later.
        ['collect', '--no-verify', '--report', 'summary,sarif', '--sarif-path', sarifPaths[task]!],
      ]) {
        const io = recordingIO(repo.dir, env);
        const code = await runCli(argv, io);
        expect(code, `${argv.join(' ')}: ${io.stderr.join('\n')}`).toBe(0);
      }
    }
  }, 180_000);

  afterAll(async () => {
    await emulator?.close();
    await repo?.cleanup();
  });

  const logOf = (task: string): Log => JSON.parse(readFileSync(sarifPaths[task]!, 'utf8')) as Log;

  it('has 0 errors and 0 warnings under the Multitool with GitHub’s rules', () => {
    const verdict = validate(Object.values(sarifPaths));
    expect(verdict.ran).toBe(true);
    expect(verdict.problems).toEqual([]);
    // It did judge them (its notes on the files are there).
    expect(verdict.rules.length).toBeGreaterThan(0);
  }, 180_000);

  it('gives every rule a description and help, CWE-linked where a weakness applies', () => {
    const rules = [...logOf('security-scan').runs[0]!.tool.driver.rules!, ...logOf('code-review').runs[0]!.tool.driver.rules!];
    expect(rules.map((rule) => rule.id)).toEqual(expect.arrayContaining(['xss', 'sql-injection', 'off-by-one']));
    for (const rule of rules) {
      expect(rule.fullDescription?.text, rule.id).toMatch(/\w{3,}.*\./);
      expect(rule.help?.text, rule.id).toContain(rule.fullDescription!.text);
      expect(rule.help?.markdown, rule.id).toBeTruthy();
      expect(rule.name!.toLowerCase(), rule.id).not.toBe(rule.id.toLowerCase());
      expect(rule.name, rule.id).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    }
    const xss = rules.find((rule) => rule.id === 'xss')!;
    expect(xss.name).toBe('CrossSiteScripting');
    expect(xss.helpUri).toBe('https://cwe.mitre.org/data/definitions/79.html');
    expect(xss.help!.markdown).toContain('[CWE-79](https://cwe.mitre.org/data/definitions/79.html)');
    expect(xss.properties?.tags).toContain('external/cwe/cwe-79');
  });

  it('names the repository, commit and branch analysed', () => {
    const provenance = logOf('security-scan').runs[0]!.versionControlProvenance;
    expect(provenance).toEqual([
      {
        repositoryUri: 'https://github.com/acme/shop',
        revisionId: head,
        branch: expect.any(String),
        mappedTo: { uriBaseId: '%SRCROOT%' },
      },
    ]);
  });
});

describe('rule text without written guidance, and provenance on a pull request', () => {
  it('composes help from the category, the task and the CWE; a one-word id gets a name apart from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'overnight-sarif-pr-'));
    const context = fixtureContext(
      fixtureResults({
        task: 'code-review',
        findings: [
          fixtureFinding({ category: 'style', cwe: null, fingerprint: 'b'.repeat(32) }),
          fixtureFinding({ category: 'unbounded-retry', cwe: 'CWE-835', fingerprint: 'c'.repeat(32), startLine: 4 }),
        ],
      }),
      {
        sarifPath: join(dir, 'overnight.sarif'),
        state: { pullRequest: fixturePullRequest(7, { headSha: 'd'.repeat(40), headRef: 'feature/x' }) },
      },
    );
    const log = await writeSarif(context);
    const [style, retry] = log.runs[0]!.tool.driver.rules!;
    expect(style!.name).toBe('StyleFinding');
    expect(style!.fullDescription!.text).toContain('"Style"');
    expect(style!.helpUri).toBeUndefined();
    expect(retry!.name).toBe('UnboundedRetry');
    expect(retry!.help!.markdown).toContain('[CWE-835](https://cwe.mitre.org/data/definitions/835.html)');
    expect(log.runs[0]!.versionControlProvenance).toEqual([
      {
        repositoryUri: 'https://github.com/acme/shop',
        revisionId: 'd'.repeat(40),
        branch: 'feature/x',
        mappedTo: { uriBaseId: '%SRCROOT%' },
      },
    ]);
    expect(FIXTURE_HEAD).not.toBe('d'.repeat(40));
  });
});
