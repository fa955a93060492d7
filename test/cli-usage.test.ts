// The CLI's answers to bad usage: one clear line on stderr, the documented exit code, and not a single
// call to the API (the emulator counts every call it receives).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { INPUTS } from '../src/config.js';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { makeRepo, type TestRepo } from './helpers/git-repo.js';
import { cliStates, recordingIO } from './helpers/engine.js';

const API_KEY = 'sk-ant-test-usage-0123456789';
let emulator: AnthropicEmulator;
let repo: TestRepo;

beforeAll(async () => {
  emulator = await startAnthropicEmulator({ seed: 1 });
  repo = await makeRepo();
  await repo.commit({ 'src/old.ts': 'export const old = 1;\n' }, { date: new Date(Date.now() - 30 * 86_400_000) });
  await repo.commit(
    { 'src/cart.ts': 'export function total(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n' },
    { date: new Date(Date.now() - 2 * 86_400_000) },
  );
});

afterAll(async () => {
  await emulator.close();
  await repo.cleanup();
});

function totalCalls(): number {
  return Object.values(emulator.calls).reduce((a, b) => a + b, 0);
}

/** Calls that cost money: messages and batch creation (count_tokens is free). */
function paidCalls(): number {
  return (emulator.calls['messages'] ?? 0) + (emulator.calls['batches.create'] ?? 0);
}

async function cli(argv: string[], env: NodeJS.ProcessEnv = { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: emulator.url }) {
  const io = recordingIO(repo.dir, env);
  const before = totalCalls();
  const paidBefore = paidCalls();
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr, apiCalls: totalCalls() - before, paidCalls: paidCalls() - paidBefore };
}

describe('bad usage: one line, exit 2, no API call', () => {
  const cases: { name: string; argv: string[]; says: RegExp }[] = [
    { name: 'unknown command', argv: ['frobnicate'], says: /unknown command 'frobnicate'.*submit, collect/ },
    { name: 'unknown task', argv: ['submit', '--task', 'nope'], says: /task: unknown value 'nope'; use one of code-review/ },
    { name: 'unparsable --since', argv: ['submit', '--since', 'yesterday-ish!'], says: /since.*'yesterday-ish!'/ },
    { name: 'unknown flag', argv: ['submit', '--colour'], says: /unknown option '--colour'.*overnight submit --help/i },
    { name: 'negative --max-files', argv: ['submit', '--max-files', '-5'], says: /max-files: '-5' is not a whole number/ },
    { name: 'negative --max-files=', argv: ['submit', '--max-files=-5'], says: /max-files: '-5' is not a whole number/ },
    { name: 'non-numeric --max-files', argv: ['submit', '--max-files', 'ten'], says: /max-files: 'ten' is not a whole number/ },
    { name: 'zero --max-files', argv: ['submit', '--max-files', '0'], says: /max-files: 0 is out of range/ },
    { name: 'non-numeric --wait', argv: ['collect', '--wait', 'soon'], says: /wait-minutes: 'soon' is not a whole number/ },
    {
      name: 'bad --price-overrides on collect (not only on submit)',
      argv: ['collect', '--price-overrides', 'my-model=cheap'],
      says: /^error: price-overrides: /,
    },
    { name: 'a stray positional argument', argv: ['submit', 'code-review'], says: /unexpected argument 'code-review'/i },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const result = await cli(c.argv);
      expect(result.code).toBe(2);
      expect(result.stderr).toHaveLength(1);
      expect(result.stderr[0]).toMatch(/^error: /);
      expect(result.stderr[0]).toMatch(c.says);
      expect(result.stderr[0]).not.toContain('\n');
      expect(result.stdout).toEqual([]);
      expect(result.apiCalls).toBe(0);
    });
  }

  it('leaves no state behind', async () => {
    await cli(['submit', '--since', 'yesterday-ish!']);
    expect(await cliStates(repo.dir)).toEqual([]);
  });
});

describe('other answers without an API call', () => {
  it('submit without ANTHROPIC_API_KEY: exit 1, one line naming the key', async () => {
    const result = await cli(['submit', '--since', '7d'], { ANTHROPIC_BASE_URL: emulator.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(/ANTHROPIC_API_KEY/);
    expect(result.apiCalls).toBe(0);
    expect(await cliStates(repo.dir)).toEqual([]);
  });

  it('collect with nothing to collect: exit 0, needs no key', async () => {
    const result = await cli(['collect'], {});
    expect(result.code).toBe(0);
    expect(result.stderr).toEqual([]);
    expect(result.stdout.join('\n')).toMatch(/nothing to collect/);
    expect(result.apiCalls).toBe(0);
  });

  it('demo: submit then collect on the bundled emulator, no key needed, prints the report with its findings', async () => {
    const result = await cli(['demo'], {});
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const text = result.stdout.join('\n');
    expect(text).toMatch(/── report: .*report\.md/);
    expect(text).toMatch(/[1-9]\d* findings? in [1-9]\d* files?, 0 failed, cost \$0\.\d{4}/);
    // Each demo cleans up after itself: its sample repository is gone once the report is shown.
    const sample = /^sample repository: (\S+) /m.exec(text)![1]!;
    expect(existsSync(sample)).toBe(false);
    expect(text).toMatch(/\[(critical|high|medium|low)\] src\/\S+:\d+ /);
    expect(result.apiCalls).toBe(0); // its own emulator, not the one this test file runs
  }, 60_000);

  it('--help: exit 0, lists the commands and exit codes', async () => {
    for (const argv of [['--help'], [], ['help']]) {
      const result = await cli(argv);
      expect(result.code).toBe(0);
      const text = result.stdout.join('\n');
      for (const command of ['submit', 'collect', 'run', 'status', 'estimate', 'demo']) expect(text).toContain(`  ${command}`);
      expect(result.stderr).toEqual([]);
    }
    const submitHelp = await cli(['submit', '--help']);
    expect(submitHelp.code).toBe(0);
    const text = submitHelp.stdout.join('\n');
    expect(text).toMatch(/--since/);
    expect(text).toMatch(/--max-files/);
    expect(text).toMatch(/Exit codes: 0 .*1 error, 2 bad usage, 3 still pending/);
    expect(totalCalls()).toBe(0);
  });

  it("each command's --help lists its own options, each accepted by that command", async () => {
    const optionsOf = async (command: string): Promise<string[]> => {
      const result = await cli([command, '--help']);
      expect(result.code).toBe(0);
      return result.stdout
        .join('\n')
        .split('\n')
        .flatMap((line) => /^ {2}--([a-z-]+) /.exec(line)?.[1] ?? []);
    };
    const submit = await optionsOf('submit');
    const collect = await optionsOf('collect');
    const status = await optionsOf('status');
    const demo = await optionsOf('demo');
    // What a user looks for in each, and what would only mislead there.
    expect(submit).toEqual(
      expect.arrayContaining([
        'since',
        'include',
        'model',
        'max-cost-usd',
        'monthly-budget-usd',
        'deliver-by',
        'dry-run',
        'state',
      ]),
    );
    for (const wrong of ['batch-id', 'wait', 'min-severity', 'report', 'sync-threshold']) expect(submit).not.toContain(wrong);
    // max-cost-usd caps a night's resubmissions and deadline fallbacks too: collect reads it.
    expect(collect).toEqual(
      expect.arrayContaining(['batch-id', 'wait', 'min-severity', 'report', 'max-retries', 'max-cost-usd', 'state']),
    );
    for (const wrong of ['since', 'include', 'model', 'deliver-by', 'dry-run']) expect(collect).not.toContain(wrong);
    expect(status).toEqual(['task', 'anthropic-base-url', 'state', 'repo', 'verbose', 'help']);
    expect(demo).toEqual(['verbose', 'help']);
    expect((await cli(['collect', '--help'])).stdout.join('\n')).toMatch(/--task .*\(default: all\)/);
    // Every option the CLI accepts is listed by some command (the artifact store's are the action's).
    const listed = new Set<string>();
    for (const command of ['submit', 'collect', 'run', 'status', 'estimate', 'demo']) {
      for (const option of await optionsOf(command)) listed.add(option);
    }
    const cliInputs = INPUTS.filter(
      (i) => !i.actionOnly && !['anthropic-api-key', 'state-name', 'retention-days'].includes(i.name),
    );
    for (const input of cliInputs) expect(listed, input.name).toContain(input.name);
    expect(totalCalls()).toBe(0);
  });

  it('--since 7d is accepted (dry-run: plans the file changed two days ago, sends nothing)', async () => {
    const result = await cli(['submit', '--since', '7d', '--dry-run']);
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stdout.join('\n')).toMatch(/dry-run: 1 requests would be sent for 1 files/);
    expect(result.paidCalls).toBe(0);
    // The same flag with 24h finds nothing: the window really is read.
    const narrow = await cli(['submit', '--since', '24h', '--dry-run']);
    expect(narrow.code).toBe(0);
    expect(narrow.stdout.join('\n')).toMatch(/dry-run: 0 requests/);
  });

  it('a short API key does not garble the messages it is masked in', async () => {
    const result = await cli(['frobnicate'], { ANTHROPIC_API_KEY: 'k' });
    expect(result.stderr[0]).toContain("unknown command 'frobnicate'");
  });

  it('the real API key never appears in what the CLI prints', async () => {
    const result = await cli(['submit', '--task', API_KEY]);
    expect(result.code).toBe(2);
    expect(result.stderr.join('\n')).not.toContain(API_KEY);
    expect(result.stderr[0]).toContain('***');
  });
});
