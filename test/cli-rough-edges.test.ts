// The CLI's rough edges as a user meets them (issue 15, item 3): options a command does not read are
// refused, -h and --version answer, a forgotten value is named, a missing --state file is an error,
// `run` and `collect` say where their report and SARIF went, outputs.json survives a collect with
// nothing to do, files-only reports need no GitHub token, a GitHub `origin` gives findings their links,
// and a closed pipe is no crash.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleCli } from './helpers/cli.js';
import { recordingIO, reportRounds } from './helpers/engine.js';
import { runCli } from '../src/cli/index.js';

const API_KEY = 'sk-ant-test-rough-0123456789';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const setup = () => sampleCli(API_KEY, cleanups, { seed: 5 });
const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('usage the CLI refuses or answers', () => {
  const refused: { argv: string[]; says: RegExp }[] = [
    { argv: ['status', '--since', '7d'], says: /^error: --since does not apply to status; see 'overnight status --help'$/ },
    { argv: ['demo', '--task', 'security-scan'], says: /^error: --task does not apply to demo/ },
    { argv: ['estimate', '--report', 'issue', '--wait', '3'], says: /^error: --report, --wait do not apply to estimate/ },
    { argv: ['submit', '--since', '--output-dir', 'x'], says: /^error: --since needs a value; see 'overnight submit --help'$/ },
    { argv: ['collect', '--state'], says: /^error: --state needs a value/ },
  ];
  for (const c of refused) {
    it(`${c.argv.join(' ')}: exit 2, one line`, async () => {
      const { cli, emulator } = await setup();
      const result = await cli(...c.argv);
      expect(result.code).toBe(2);
      expect(result.stderr).toHaveLength(1);
      expect(result.stderr[0]).toMatch(c.says);
      expect(result.stdout).toEqual([]);
      expect(Object.values(emulator.calls).reduce((a, b) => a + b, 0)).toBe(0);
    });
  }

  it('-h is --help, for the program and for a command; --version prints the package version', async () => {
    const { cli } = await setup();
    expect((await cli('-h')).stdout.join('\n')).toMatch(/^overnight: .*\n[\s\S]*Commands:/);
    const submitHelp = await cli('submit', '-h');
    expect(submitHelp.code).toBe(0);
    expect(submitHelp.stdout.join('\n')).toMatch(/^overnight submit: [\s\S]*--since/);
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const version = await cli('--version');
    expect(version.code).toBe(0);
    expect(version.stdout).toEqual([`overnight ${pkg.version}`]);
  });

  it('--state naming a file that does not exist: exit 1, one line, for collect and status', async () => {
    const { cli } = await setup();
    for (const command of ['collect', 'status']) {
      const result = await cli(command, '--state', 'states/typo.json');
      expect(result.code).toBe(1);
      expect(result.stderr).toEqual([
        'error: --state states/typo.json: no such state file; submit writes one, or leave --state out',
      ]);
      expect(result.stdout.join('\n')).not.toMatch(/nothing to collect/);
    }
  });
});

describe('counts in words', () => {
  it('one request is "1 request", one batch "1 batch"; status says the same', async () => {
    const { cli } = await setup();
    const submitted = await cli('submit', '--task', 'code-review', '--since', '24h');
    expect(submitted.code).toBe(0);
    const text = submitted.stdout.join('\n');
    expect(text).toMatch(/^batch msgbatch_\w+: 1 request$/m);
    expect(text).toMatch(/^submitted 1 request in 1 batch; state saved/m);
    expect(text).not.toMatch(/\b1 requests\b|batch\(es\)/);
    const shown = (await cli('status')).stdout.join('\n');
    expect(shown).toMatch(/, 1 request, submitted /);
    expect(shown).toMatch(/\(1 request, attempt 0\)/);
  });
});

describe('where the results went', () => {
  it('run prints the path of its report', async () => {
    const { cli, repo } = await setup();
    const result = await cli('run', '--task', 'code-review', '--since', '24h');
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const [round] = await reportRounds(join(repo, '.overnight', 'results'));
    expect(result.stdout).toContain(`report: ${join(round!, 'report.md')}`);
  });

  it('security-scan writes SARIF whatever the report targets: run and collect say where', async () => {
    const { cli, repo } = await setup();
    const sarifPath = join(repo, '.overnight', 'results', 'overnight.sarif');
    const ran = await cli('run', '--task', 'security-scan', '--since', '24h');
    expect(ran.code, ran.stderr.join('\n')).toBe(0);
    expect(ran.stdout.filter((l) => l.startsWith('sarif: '))).toEqual([`sarif: SARIF written to ${sarifPath}`]);
    expect(existsSync(sarifPath)).toBe(true);
    expect((await cli('submit', '--task', 'security-scan', '--since', '24h')).code).toBe(0);
    // The first collect sends the verification round (exit 3, still pending); the next one publishes.
    expect((await cli('collect')).code).toBe(3);
    const collected = await cli('collect');
    expect(collected.stdout.filter((l) => l.startsWith('sarif: '))).toEqual([`sarif: SARIF written to ${sarifPath}`]);
  });

  it('collect --report summary,sarif: no GitHub token needed, prints where SARIF went; a later collect keeps outputs.json', async () => {
    const { cli, repo } = await setup();
    expect((await cli('submit', '--task', 'code-review', '--since', '24h')).code).toBe(0);
    const collected = await cli('collect', '--report', 'summary,sarif');
    expect(collected.stderr).toEqual([]);
    expect(collected.code).toBe(0);
    const sarifPath = join(repo, '.overnight', 'results', 'overnight.sarif');
    expect(collected.stdout.filter((l) => l.startsWith('sarif: '))).toEqual([
      `sarif: SARIF written to ${sarifPath}; not uploaded (no GitHub token or repository)`,
    ]);
    expect(existsSync(sarifPath)).toBe(true);
    const outputsFile = join(repo, '.overnight', 'results', 'outputs.json');
    const outputs = JSON.parse(await readFile(outputsFile, 'utf8')) as Record<string, string>;
    expect(outputs['sarif-path']).toBe(sarifPath);
    expect(outputs.status).toBe('collected');

    const again = await cli('collect');
    expect(again.code).toBe(0);
    expect(again.stdout.join('\n')).toMatch(/nothing to collect/);
    expect(JSON.parse(await readFile(outputsFile, 'utf8'))).toEqual(outputs);
  });

  it('outputs.json carries the token counts behind cost-usd, as the API reported them per request', async () => {
    const { cli, repo } = await setup();
    expect((await cli('run', '--task', 'code-review', '--since', '7d')).code).toBe(0);
    const [round] = await reportRounds(join(repo, '.overnight', 'results'));
    const lines = (await readFile(join(round!, 'results.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { usage?: Record<string, number> | null });
    const total = (field: string): string => String(lines.reduce((n, l) => n + (l.usage?.[field] ?? 0), 0));
    const outputs = JSON.parse(await readFile(join(repo, '.overnight', 'results', 'outputs.json'), 'utf8')) as Record<
      string,
      string
    >;
    expect(Number(outputs['input-tokens'])).toBeGreaterThan(0);
    expect(Number(outputs['output-tokens'])).toBeGreaterThan(0);
    expect({
      input: outputs['input-tokens'],
      output: outputs['output-tokens'],
      cacheRead: outputs['cache-read-tokens'],
      cacheWrite: outputs['cache-write-tokens'],
    }).toEqual({
      input: total('inputTokens'),
      output: total('outputTokens'),
      cacheRead: total('cacheReadInputTokens'),
      cacheWrite: total('cacheCreationInputTokens'),
    });
  });

  it("findings link to GitHub when the repository's origin is on GitHub (no GITHUB_REPOSITORY)", async () => {
    const { cli, repo } = await setup();
    const git = spawn('git', ['-C', repo, 'remote', 'add', 'origin', 'git@github.com:acme/shop.git']);
    await new Promise((done) => git.on('close', done));
    const result = await cli('run', '--task', 'code-review', '--since', '24h');
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const [round] = await reportRounds(join(repo, '.overnight', 'results'));
    const report = await readFile(join(round!, 'report.md'), 'utf8');
    expect(report).toMatch(/\]\(https:\/\/github\.com\/acme\/shop\/blob\/[0-9a-f]{40}\/src\//);
  });
});

describe('posting to GitHub', () => {
  it('a token in the shell and a GitHub origin post nothing without GITHUB_REPOSITORY (one line, nothing paid)', async () => {
    const { repo, emulator, answered } = await setup();
    const git = spawn('git', ['-C', repo, 'remote', 'add', 'origin', 'git@github.com:acme/shop.git']);
    await new Promise((done) => git.on('close', done));
    const env = {
      ANTHROPIC_API_KEY: API_KEY,
      ANTHROPIC_BASE_URL: emulator.url,
      GITHUB_TOKEN: 'ghp_a-token-left-in-the-shell-0000',
      GITHUB_API_URL: 'http://127.0.0.1:9',
    };
    const io = recordingIO(repo, env);
    const code = await runCli(['run', '--task', 'code-review', '--since', '24h', '--report', 'issue'], io);
    expect(code).not.toBe(0);
    expect(io.stderr.join('\n')).toMatch(/set GITHUB_TOKEN and GITHUB_REPOSITORY=owner\/name/);
    expect(answered).toEqual([]);
  });
});

describe('a closed pipe', () => {
  it('`overnight … | head -1`: no EPIPE stack trace, the exit code of the command', async () => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'src', 'cli.ts'), 'submit', '--help'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes away before the CLI has written anything (tsx takes a moment to start).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
