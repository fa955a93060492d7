// What a submit plans: custom_ids derived from what is asked (same inputs, same ids; valid for the
// API; never a path or an index), and a dry-run that sends nothing, saves nothing, and counts exactly
// the requests a real submit then sends.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { makeRepo, type TestRepo } from './helpers/git-repo.js';
import { TestClock, cliStates, recordingIO } from './helpers/engine.js';

const API_KEY = 'sk-ant-test-plan-0123456789';
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const FILES: Record<string, string> = {
  'src/api/routes.ts': 'export const routes = ["/a", "/b"];\n',
  'src/db/query.ts': 'export function q(id: string): string {\n  return "SELECT * FROM t WHERE id = " + id;\n}\n',
  'lib/util/strings.py': 'def pad(s, n):\n    return s + " " * (n - len(s))\n',
  'cmd/main.go': 'package main\n\nfunc main() {\n\tprintln("hi")\n}\n',
};

async function setup(): Promise<{ emulator: AnthropicEmulator; repo: TestRepo; clock: TestClock }> {
  const emulator = await startAnthropicEmulator({ seed: 2, pollsUntilEnded: 0 });
  const repo = await makeRepo();
  cleanups.push(
    () => repo.cleanup(),
    () => emulator.close(),
  );
  await repo.commit({ 'README.md': '# app\n' }, { date: new Date(Date.now() - 10 * 86_400_000) });
  await repo.commit(FILES, { date: new Date(Date.now() - 3_600_000) });
  return { emulator, repo, clock: new TestClock() };
}

async function cli(
  dir: string,
  emulator: AnthropicEmulator,
  clock: TestClock,
  argv: string[],
  env: NodeJS.ProcessEnv = { ANTHROPIC_API_KEY: API_KEY },
) {
  const io = recordingIO(dir, { ANTHROPIC_BASE_URL: emulator.url, ...env }, clock);
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const sortedIds = (emulator: AnthropicEmulator, index: number): string[] =>
  emulator
    .batches()
    [index]!.requests.map((r) => r.custom_id)
    .sort();

describe('custom_ids', () => {
  it('the same repository state gives the same ids, from any checkout; a changed file changes only its id', async () => {
    const { emulator, repo, clock } = await setup();
    expect((await cli(repo.dir, emulator, clock, ['submit', '--state', 'first.json'])).code).toBe(0);
    expect((await cli(repo.dir, emulator, clock, ['submit', '--state', 'second.json'])).code).toBe(0);
    const first = sortedIds(emulator, 0);
    expect(first).toHaveLength(Object.keys(FILES).length);
    expect(sortedIds(emulator, 1)).toEqual(first);

    // A clone somewhere else (another runner's checkout): same content, same ids.
    const elsewhere = await mkdtemp(join(tmpdir(), 'overnight-clone-'));
    cleanups.push(() => rm(elsewhere, { recursive: true, force: true }));
    await promisify(execFile)('git', ['clone', '-q', repo.dir, join(elsewhere, 'checkout')]);
    expect((await cli(join(elsewhere, 'checkout'), emulator, clock, ['submit'])).code).toBe(0);
    expect(sortedIds(emulator, 2)).toEqual(first);

    for (const id of emulator.batches().flatMap((b) => b.requests.map((r) => r.custom_id))) {
      expect(id).toMatch(CUSTOM_ID);
      // Derived from content, never the raw path or a bare index.
      for (const path of Object.keys(FILES)) expect(id).not.toContain(path.split('/').at(-1)!.split('.')[0]!);
      expect(id).not.toMatch(/^\w+-\d{1,5}$/);
    }

    // Change one file: its id changes, the others stay.
    await repo.commit({
      'src/db/query.ts': 'export function q(id: string): string {\n  return `SELECT * FROM t WHERE id = ${id}`;\n}\n',
    });
    expect((await cli(repo.dir, emulator, clock, ['submit', '--state', 'third.json'])).code).toBe(0);
    const third = sortedIds(emulator, 3);
    const kept = third.filter((id) => first.includes(id));
    expect(kept).toHaveLength(first.length - 1);
    expect(third).toHaveLength(first.length);
  });

  it('two submits of one commit in the same instant keep two states (nothing paid for is lost)', async () => {
    const { emulator, repo, clock } = await setup();
    // An explicit window: with the default `since: last`, the second submit rightly finds nothing new.
    expect((await cli(repo.dir, emulator, clock, ['submit', '--since', '24h'])).code).toBe(0);
    expect((await cli(repo.dir, emulator, clock, ['submit', '--since', '24h'])).code).toBe(0);
    const states = await cliStates(repo.dir);
    expect(states).toHaveLength(2);
    expect(states.map((s) => s.batches[0]!.id).sort()).toEqual(
      emulator
        .batches()
        .map((b) => b.id)
        .sort(),
    );
  });
});

describe('dry-run', () => {
  it('sends nothing, saves no state, and counts the requests a real submit then sends', async () => {
    const { emulator, repo, clock } = await setup();
    const dry = await cli(repo.dir, emulator, clock, ['submit', '--dry-run']);
    expect(dry.code).toBe(0);
    const planned = /dry-run: (\d+) requests would be sent for (\d+) files/.exec(dry.stdout.join('\n'));
    expect(planned).not.toBeNull();
    // No paid call: only the free token count, which makes the estimate exact rather than heuristic.
    expect(emulator.calls['messages']).toBe(0);
    expect(emulator.calls['batches.create']).toBe(0);
    expect(emulator.calls['count_tokens']).toBeGreaterThan(0);
    expect(await cliStates(repo.dir)).toEqual([]);
    await expect(readdir(join(repo.dir, '.overnight', 'states'))).rejects.toThrow();

    // `estimate` and a dry-run without any key plan the same.
    const estimate = await cli(repo.dir, emulator, clock, ['estimate'], {});
    expect(estimate.code).toBe(0);
    expect(estimate.stdout.join('\n')).toContain(planned![0]);
    expect(emulator.calls['batches.create']).toBe(0);

    const real = await cli(repo.dir, emulator, clock, ['submit']);
    expect(real.code).toBe(0);
    const sent = emulator.batches().reduce((n, b) => n + b.requests.length, 0);
    expect(sent).toBe(Number(planned![1]));
    expect(Number(planned![2])).toBe(Object.keys(FILES).length);
  });
});

describe('the plan a user sees', () => {
  // Shaped like a week of a real repository (honojs/hono): source changes, a lockfile, an image, a
  // vendored copy, a file left out by --exclude, one file holding a secret, one larger than the rest.
  const WEEK: Record<string, string | Buffer> = {
    'src/router/trie.ts': `export class Trie {\n${Array.from({ length: 120 }, (_, i) => `  m${i}(x: number): number {\n    return x + ${i};\n  }`).join('\n')}\n}\n`,
    'src/utils/url.ts': 'export const join = (a: string, b: string): string => `${a}/${b}`;\n',
    'src/adapter/aws.ts': 'export const awsKeyId = "AKIAZ3MJQ5RD7XK2PLVW";\nexport const region = "eu-west-1";\n',
    'package-lock.json': '{ "lockfileVersion": 3 }\n',
    'docs/images/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
    'vendor/lib/left-pad.js': 'module.exports = (s, n) => s.padStart(n);\n',
    'benchmarks/handle.ts': 'export const handle = 1;\n',
  };

  async function weekRepo(): Promise<{ emulator: AnthropicEmulator; repo: TestRepo; clock: TestClock }> {
    const emulator = await startAnthropicEmulator({ seed: 3, pollsUntilEnded: 0 });
    const repo = await makeRepo();
    cleanups.push(
      () => repo.cleanup(),
      () => emulator.close(),
    );
    await repo.commit({ 'README.md': '# app\n' }, { date: new Date(Date.now() - 30 * 86_400_000) });
    await repo.commit(WEEK, { date: new Date(Date.now() - 2 * 86_400_000) });
    return { emulator, repo, clock: new TestClock() };
  }

  const lines = (out: string[]): string[] => out.join('\n').split('\n');

  it('a dry run prints a compact plan: every changed file by fate and reason, largest requests, caching, redactions, the full list', async () => {
    const { emulator, repo, clock } = await weekRepo();
    const dry = await cli(repo.dir, emulator, clock, ['submit', '--dry-run', '--since', '7d', '--exclude', 'benchmarks/**'], {});
    expect(dry.code, dry.stderr.join('\n')).toBe(0);
    const printed = lines(dry.stdout);
    const text = printed.join('\n');
    expect(printed.length).toBeLessThanOrEqual(25);
    expect(text).toMatch(/dry-run: 3 requests would be sent for 3 files/);
    // Every changed file accounted for: 7 changed = 3 sent + 4 skipped, each skip with its reason.
    expect(text).toMatch(/7 changed files: 3 sent in 3 requests, 4 skipped/);
    expect(text).toMatch(/1 lockfile/);
    expect(text).toMatch(/1 binary/);
    expect(text).toMatch(/1 vendored/);
    expect(text).toMatch(/1 excluded by include\/exclude/);
    // The largest request first, with its size.
    expect(text).toMatch(/Largest requests[^\n]*\n\s+[\d,]+ tokens\s+src\/router\/trie\.ts/);
    expect(text).toMatch(/^Caching: not cached: shared prefix of [\d,]+ tokens/m);
    expect(text).toMatch(/Redacted: 1 secret-looking string/);
    // A week's window is projected to a month of nights, not multiplied by 30.
    expect(text).toMatch(/a month of nightly runs \(this 7-day window scaled to one night\)/);
    const where = /^Full plan \(every file and why\): (.+)$/m.exec(text);
    expect(where).not.toBeNull();
    const planPath = where![1]!;
    expect(planPath).toBe(join(repo.dir, '.overnight', 'results', 'plan.md'));
    const plan = await readFile(planPath, 'utf8');
    for (const [path, reason] of [
      ['package-lock.json', 'lockfile'],
      ['docs/images/logo.png', 'binary'],
      ['vendor/lib/left-pad.js', 'vendored'],
      ['benchmarks/handle.ts', 'excluded by include/exclude'],
    ]) {
      expect(plan).toMatch(
        new RegExp(`\\*\\*${reason.replace(/[/]/g, '\\/')}\\*\\* \\(1\\): \`${path.replace(/[./]/g, '\\$&')}\``),
      );
    }
    for (const path of ['src/router/trie.ts', 'src/utils/url.ts', 'src/adapter/aws.ts']) expect(plan).toContain(`\`${path}\``);
    expect(plan).toContain('| Nightly for 30 days (this 7-day window scaled to one night) |');

    // Written fresh on each run, never appended to; and .overnight/ stays out of `git status`.
    expect((await cli(repo.dir, emulator, clock, ['estimate', '--since', '7d'], {})).code).toBe(0);
    const again = await readFile(planPath, 'utf8');
    expect(again.match(/^## overnight /gm)).toHaveLength(1);
    expect(again).not.toContain('benchmarks/handle.ts`: excluded');
    expect(await readFile(join(repo.dir, '.overnight', '.gitignore'), 'utf8')).toBe('*\n');
    const status = await promisify(execFile)('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo.dir });
    expect(status.stdout).toBe('');
  });

  it('a real submit prints the same compact plan', async () => {
    const { emulator, repo, clock } = await weekRepo();
    const real = await cli(repo.dir, emulator, clock, ['submit', '--since', '7d']);
    expect(real.code, real.stderr.join('\n')).toBe(0);
    const text = lines(real.stdout).join('\n');
    expect(text).toMatch(/7 changed files: 4 sent in 4 requests, 3 skipped/);
    expect(text).toMatch(/Full plan \(every file and why\): .*plan\.md/);
    expect(lines(real.stdout).length).toBeLessThanOrEqual(25);
    expect(emulator.batches()).toHaveLength(1);

    // The morning's report says what the night left out, from the state the submit saved.
    const collected = await cli(repo.dir, emulator, clock, ['collect']);
    expect(collected.code, collected.stderr.join('\n')).toBe(0);
    const reportPath = /^report: (.+)$/m.exec(collected.stdout.join('\n'))![1]!;
    const report = await readFile(reportPath, 'utf8');
    expect(report).toContain('## Skipped files (3)');
    expect(report).toContain('- **lockfile** (1): `package-lock.json`');
    expect(report).toContain('- **binary** (1): `docs/images/logo.png`');
    expect(report).toContain('- **vendored** (1): `vendor/lib/left-pad.js`');
  });
});

describe('the nightly projection', () => {
  it('scales a window of commits by the days between its base and head, and projects nothing for the whole history', async () => {
    const emulator = await startAnthropicEmulator({ seed: 4, pollsUntilEnded: 0 });
    const repo = await makeRepo();
    cleanups.push(
      () => repo.cleanup(),
      () => emulator.close(),
    );
    // One instant for both dates: under load, two Date.now() calls a second apart made the window 10.0 days.
    const now = Math.floor(Date.now() / 1000) * 1000;
    const base = await repo.commit({ 'README.md': '# app\n' }, { date: new Date(now - 12 * 86_400_000) });
    await repo.commit(FILES, { date: new Date(now - 2 * 86_400_000) });
    const clock = new TestClock();
    const range = await cli(repo.dir, emulator, clock, ['estimate', '--since', base], {});
    expect(range.code, range.stderr.join('\n')).toBe(0);
    expect(range.stdout.join('\n')).toMatch(/for a month of nightly runs \(this 10-day window scaled to one night\)/);
    const plan = await readFile(join(repo.dir, '.overnight', 'results', 'plan.md'), 'utf8');
    expect(plan).toMatch(/\| Nightly for 30 days \(this 10-day window scaled to one night\) \| \$/);

    // The whole history (a window reaching before the first commit) is not a night.
    const whole = await cli(repo.dir, emulator, clock, ['estimate', '--since', '100w'], {});
    expect(whole.code, whole.stderr.join('\n')).toBe(0);
    expect(whole.stdout.join('\n')).not.toMatch(/nightly/i);
    expect(await readFile(join(repo.dir, '.overnight', 'results', 'plan.md'), 'utf8')).not.toContain('Nightly');
  });
});
