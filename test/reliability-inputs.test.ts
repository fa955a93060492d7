// Secrets and bad input (docs/RELIABILITY.md, items 5 and 7): the API key and the GitHub token are
// masked wherever a log line could carry them (even when a server echoes them back), file contents
// never reach the info log, the report counts the redactions; every bad input is named on a line of
// its own, all at once, before any API call, and a 403 names the missing permission.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { runAction } from '../src/action/run-action.js';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { makeRepo } from './helpers/git-repo.js';
import { TestClock, cliStates, echoResponder, recordingIO, reportRounds } from './helpers/engine.js';
import { startGitHubEmulator } from './emulators/github/index.js';

const API_KEY = 'sk-ant-test-reliability-secret-0123456789';
const GITHUB_TOKEN = 'ghs_reliabilityTokenNeverPrinted000000';
/** A line of code no log line may quote: file contents are prompt material. */
const PROMPT_SENTINEL = 'PROMPT-SENTINEL-9f8e7d6c';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(files: Record<string, string> = {}) {
  const emulator = await startAnthropicEmulator({ seed: 21, pollsUntilEnded: 0, responder: echoResponder });
  const repo = await makeRepo();
  cleanups.push(
    () => repo.cleanup(),
    () => emulator.close(),
  );
  await repo.commit(
    {
      'src/cart.ts': `export function total(xs: number[]): number {\n  // ${PROMPT_SENTINEL}\n  return xs.reduce((a, b) => a + b, 0);\n}\n`,
      ...files,
    },
    { date: new Date(Date.now() - 3_600_000) },
  );
  const clock = new TestClock();
  const calls = () => Object.values(emulator.calls).reduce((a, b) => a + b, 0);
  const cli = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const io = recordingIO(repo.dir, { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: emulator.url, ...env }, clock);
    const before = calls();
    const code = await runCli(argv, io);
    return { code, stdout: io.stdout, stderr: io.stderr, apiCalls: calls() - before };
  };
  return { emulator, repoDir: repo.dir, cli };
}

describe('secrets stay out of logs and are counted', () => {
  it('an API key echoed back in an Anthropic error is masked in the one line shown', async () => {
    const { emulator, cli } = await setup();
    emulator.faults.http('batches.create', {
      status: 401,
      type: 'authentication_error',
      message: `invalid x-api-key: ${API_KEY}`,
    });
    const result = await cli(['submit', '--since', '24h', '--verbose']);
    expect(result.code).toBe(1);
    const text = [...result.stdout, ...result.stderr].join('\n');
    expect(text).not.toContain(API_KEY);
    expect(result.stderr.filter((l) => l.startsWith('error:'))).toEqual([
      expect.stringMatching(/^error: creating a batch at 127\.0\.0\.1:\d+: Anthropic answered 401 .*invalid x-api-key: \*\*\*/),
    ]);
  });

  it('a GitHub token echoed back in a 403 is masked, and the line names the permission to grant', async () => {
    const { cli } = await setup();
    const gh = await startGitHubEmulator({ owner: 'acme', repo: 'shop' });
    cleanups.push(() => gh.close());
    expect((await cli(['submit', '--since', '24h'])).code).toBe(0);
    gh.faults.next(
      { method: 'POST', path: /\/issues$/ },
      { status: 403, body: { message: `Resource not accessible by integration (token ${GITHUB_TOKEN})` } },
    );
    const result = await cli(['collect', '--report', 'issue,summary'], {
      GITHUB_TOKEN,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_API_URL: gh.url,
    });
    // A refused report fails the collect (exit 1) but loses nothing: the results are saved and the round
    // stays open for the next collect; the problem is named with the permission to grant.
    expect(result.code).toBe(1);
    const text = [...result.stdout, ...result.stderr].join('\n');
    expect(text).not.toContain(GITHUB_TOKEN);
    const warning = result.stderr.filter((l) => /^warning: issue: /.test(l));
    expect(warning).toEqual([expect.stringMatching(/403 .*token \*\*\*.*the token needs `issues: write`/)]);
    expect(result.stderr.filter((l) => /^error: issue failed: .*the next collect tries again/.test(l))).toHaveLength(1);
    // The next collect, with the permission granted, publishes the issue.
    const again = await cli(['collect', '--report', 'issue,summary'], {
      GITHUB_TOKEN,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_API_URL: gh.url,
    });
    expect(again.code).toBe(0);
    expect(gh.store.issues).toHaveLength(1);
  });

  it('overnight run whose report GitHub refuses exits 1, naming the report, with the results saved', async () => {
    const { cli } = await setup();
    const gh = await startGitHubEmulator({ owner: 'acme', repo: 'shop' });
    cleanups.push(() => gh.close());
    gh.faults.next(
      { method: 'POST', path: /\/issues$/ },
      { status: 403, body: { message: 'Resource not accessible by integration' } },
    );
    const result = await cli(['run', '--since', '24h', '--report', 'issue,summary'], {
      GITHUB_TOKEN,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_API_URL: gh.url,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.filter((l) => /^error: issue failed: .*403/.test(l))).toHaveLength(1);
    expect(gh.store.issues).toHaveLength(0);
    expect(result.stdout.some((l) => /results saved: /.test(l))).toBe(true);
  });

  it('file contents (the prompt) never appear in what submit and collect print at info level', async () => {
    const { emulator, cli } = await setup();
    const submitted = await cli(['submit', '--since', '24h']);
    const collected = await cli(['collect']);
    expect([submitted.code, collected.code]).toEqual([0, 0]);
    // It was sent (so the check means something), and not printed.
    expect(JSON.stringify(emulator.batches()[0]!.requests)).toContain(PROMPT_SENTINEL);
    for (const line of [...submitted.stdout, ...submitted.stderr, ...collected.stdout, ...collected.stderr]) {
      expect(line).not.toContain(PROMPT_SENTINEL);
    }
  });

  it('the count of redacted secrets is in the collect report and its summary', async () => {
    const awsKeyId = 'AKIAZ3MJQ5RD7XK2PLVW';
    const { emulator, repoDir, cli } = await setup({
      'src/upload.ts': `export const credentials = { accessKeyId: '${awsKeyId}', secretAccessKey: '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' };\n`,
    });
    expect((await cli(['submit', '--since', '24h'])).code).toBe(0);
    expect(JSON.stringify(emulator.batches()[0]!.requests)).not.toContain(awsKeyId);
    const redactions = (await cliStates(repoDir))[0]!.redactions;
    expect(redactions).toBeGreaterThan(0);
    expect((await cli(['collect'])).code).toBe(0);
    const [round] = await reportRounds(join(repoDir, '.overnight', 'results'));
    const line = `${redactions} secret-looking string${redactions === 1 ? '' : 's'} redacted before sending (the files were still reviewed).`;
    expect(await readFile(join(round!, 'report.md'), 'utf8')).toContain(line);
    expect(await readFile(join(round!, 'summary.md'), 'utf8')).toContain(line);
  });
});

/** Runs the action in this process with inputs as the runner passes them, capturing its workflow commands. */
async function runActionCapturing(
  inputs: Record<string, string>,
  env: Record<string, string>,
): Promise<{ lines: string[]; exitCode: number | undefined }> {
  for (const [name, value] of Object.entries(inputs)) vi.stubEnv(`INPUT_${name.toUpperCase()}`, value);
  vi.stubEnv('GITHUB_OUTPUT', '');
  vi.stubEnv('GITHUB_STEP_SUMMARY', '');
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  const exitCodeBefore = process.exitCode;
  let exitCode: number | undefined;
  try {
    await runAction(env);
  } finally {
    spy.mockRestore();
    exitCode = process.exitCode === undefined ? undefined : Number(process.exitCode);
    // core.setFailed sets the process's exit code: it belongs to the action under test, not to vitest.
    process.exitCode = exitCodeBefore;
  }
  return { lines: written.join('').split(/\r?\n/).filter(Boolean), exitCode };
}

describe('the action', () => {
  it('masks the API key and the token before anything else is printed, and prints them nowhere', async () => {
    const gh = await startGitHubEmulator({ owner: 'acme', repo: 'shop' });
    const temp = await mkdtemp(join(tmpdir(), 'overnight-action-'));
    cleanups.push(
      () => gh.close(),
      () => rm(temp, { recursive: true, force: true }),
    );
    const { lines, exitCode } = await runActionCapturing(
      { mode: 'collect', task: 'code-review', 'anthropic-api-key': API_KEY, 'github-token': GITHUB_TOKEN },
      {
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_API_URL: gh.url,
        GITHUB_RUN_ID: '9',
        GITHUB_WORKSPACE: temp,
        RUNNER_TEMP: temp,
        GITHUB_EVENT_NAME: 'schedule',
      },
    );
    expect(exitCode).toBeUndefined();
    expect(lines.slice(0, 2).sort()).toEqual([`::add-mask::${API_KEY}`, `::add-mask::${GITHUB_TOKEN}`].sort());
    for (const line of lines.slice(2)) {
      expect(line).not.toContain(API_KEY);
      expect(line).not.toContain(GITHUB_TOKEN);
    }
    expect(lines.join('\n')).toMatch(/nothing to collect/);
  });

  it('names every bad input on its own error line and fails before any call', async () => {
    const anthropic: AnthropicEmulator = await startAnthropicEmulator({ seed: 1 });
    cleanups.push(() => anthropic.close());
    const { lines, exitCode } = await runActionCapturing(
      {
        mode: 'later',
        task: 'code-review',
        'max-files': '-3',
        'anthropic-api-key': API_KEY,
        'anthropic-base-url': anthropic.url,
        'github-token': GITHUB_TOKEN,
      },
      { GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: 'http://127.0.0.1:9' },
    );
    expect(exitCode).toBe(1);
    const errors = lines.filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      expect.stringMatching(/^::error::input error: mode: unknown value 'later'; use one of submit, collect, run, auto$/),
      expect.stringMatching(/^::error::input error: max-files: '-3' is not a whole number/),
    ]);
    expect(Object.values(anthropic.calls).reduce((a, b) => a + b, 0)).toBe(0);
  });
});

describe('bad CLI input: one line per problem, all at once, exit 2, no API call', () => {
  it('six problems, six lines, each naming its input', async () => {
    const { cli, repoDir } = await setup();
    // run reads every one of these (submit would refuse the publishing options as not its own).
    const result = await cli([
      'run',
      '--task',
      'code-reveiw',
      '--report',
      'issue,tweet',
      '--exclude',
      'src/[abc',
      '--max-cost-usd',
      '-2',
      '--min-severity',
      'urgent',
      '--issue-labels',
      `overnight,${'x'.repeat(60)}`,
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toEqual([]);
    expect(result.apiCalls).toBe(0);
    expect(result.stderr).toEqual([
      expect.stringMatching(/^error: task: unknown value 'code-reveiw'; use one of code-review, /),
      expect.stringMatching(/^error: report: unknown value 'tweet'; use one of issue, /),
      "error: exclude: the glob 'src/[abc' has unbalanced brackets or braces",
      expect.stringMatching(/^error: max-cost-usd: '-2' is not an amount in USD/),
      expect.stringMatching(/^error: issue-labels: 'x{50}…' is longer than GitHub's 50 characters for a label$/),
      expect.stringMatching(/^error: min-severity: unknown value 'urgent'/),
    ]);
    expect(await cliStates(repoDir)).toEqual([]);
  });

  it('an explicitly empty --task on collect means every task, not the default one', async () => {
    const { cli } = await setup();
    expect((await cli(['submit', '--task', 'security-scan', '--since', '24h'])).code).toBe(0);
    // security-scan is verified: the first collect sends the verification (still pending, exit 3).
    expect((await cli(['collect'])).code).toBe(3);
    const collected = await cli(['collect']);
    expect(collected.code).toBe(0);
    expect(collected.stdout.join('\n')).toMatch(/report: .*report\.md/);
    expect(collected.stdout.join('\n')).not.toMatch(/nothing to collect/);
  });
});
