// Hostile text in the action's log, through the bundled action as a runner runs it (dist/index.js,
// submit then collect, each its own process):
// - a test-generation answer proposes paths that carry workflow commands (`\n::stop-commands::…`,
//   `##[add-mask]…` anywhere in a line, which the runner's v1 parser finds mid-line), an ANSI escape,
//   a bidi override, and "tests" that are not tests (tests/conftest.py, test/run.sh, test/Makefile,
//   test/package.json). The draft pull request holds only the real test; every other path is refused,
//   and no line of the log is a workflow command the action did not mean to write.
// - an API key echoed in an input error is masked, as the CLI masks it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testGenerationModel } from './helpers/engine.js';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { makeRepo, type TestRepo } from './helpers/git-repo.js';
import { runBundledAction, runnerEnv } from './helpers/runner.js';

const OWNER = 'acme';
const REPO = 'shop';
const TOKEN = 'ghs_hostilepathstoken00000000000000000';
const API_KEY = 'sk-ant-test-hostile-paths-0000';

const SOURCE = 'export function double(n: number): number {\n  return n * 2;\n}\n';
const GOOD_TEST =
  "import { expect, it } from 'vitest';\nimport { double } from '../src/double.js';\n\nit('doubles', () => expect(double(2)).toBe(4));\n";

/** Proposed paths that must never be written; each would do harm if it were. */
const HOSTILE_PATHS = [
  'test/a\n::stop-commands::pwned-token\n.test.ts',
  'test/b\r::add-mask::\r.test.ts',
  'test/c##[stop-commands]pwned-v1.test.ts',
  'test/d\u001b[2K\u001b[1Ahidden.test.ts',
  'test/e\u202eexe.ts.test.ts',
  'test/f\u200b.test.ts',
  'tests/conftest.py',
  'test/run.sh',
  'test/Makefile',
  'test/package.json',
];

const responder = testGenerationModel(() => [
  ...HOSTILE_PATHS.map((path) => ({ path, content: 'echo pwned\n', description: 'Helper.' })),
  { path: 'test/double.test.ts', content: GOOD_TEST, description: 'Checks double.' },
]);

/**
 * The lines of a step's stdout that a runner would take for a workflow command, except the ones the
 * action writes on purpose (::add-mask:: of a secret value, ::debug/warning/error/notice:: messages).
 * v2 commands start a line (after leading white space); v1 `##[name]` commands may sit anywhere.
 */
function injectedCommands(stdout: string): string[] {
  // The runner reads lines split at \n, \r and \r\n.
  return stdout.split(/\r\n|\r|\n/).filter((line) => {
    if (line.includes('##[')) return true;
    const trimmed = line.trimStart();
    if (!trimmed.startsWith('::')) return false;
    // @actions/artifact masks the signatures of its signed URLs: a value, never empty, never ours.
    if (/^::add-mask::/.test(trimmed)) return !/^::add-mask::[A-Za-z0-9+/=%_-]{16,}$/.test(trimmed);
    return !/^::(?:debug|warning|error|notice)(?: [^:]*)?::/.test(trimmed);
  });
}

let anthropic: AnthropicEmulator;
let github: GitHubEmulator;
let repo: TestRepo;
let headSha: string;

beforeAll(async () => {
  anthropic = await startAnthropicEmulator({ pollsUntilEnded: 0, apiKeys: [API_KEY], responder });
  repo = await makeRepo();
  const now = Date.now();
  await repo.commit(
    { 'package.json': '{\n  "name": "shop",\n  "type": "module"\n}\n' },
    { date: new Date(now - 72 * 3_600_000), message: 'Package' },
  );
  headSha = await repo.commit({ 'src/double.ts': SOURCE }, { date: new Date(now - 2 * 3_600_000), message: 'Double' });
  github = await startGitHubEmulator({ owner: OWNER, repo: REPO, headSha });
  for (const path of (await repo.git('ls-tree', '-r', '--name-only', headSha)).split('\n')) {
    github.seedFile(headSha, path, await repo.git('show', `${headSha}:${path}`).then((text) => `${text}\n`));
  }
  github.allowActionsToCreatePullRequests(true);
});

afterAll(async () => {
  await anthropic?.close();
  await github?.close();
  await repo?.cleanup();
});

describe('hostile generated paths and echoed keys in the action log (dist/index.js)', () => {
  it('refuses every hostile path, writes only the real test, and lets no workflow command into the log', async () => {
    const inputs = { task: 'test-generation', since: '24h', 'anthropic-api-key': API_KEY, 'anthropic-base-url': anthropic.url };
    // Submit in one workflow run, collect in the next, each its own process.
    const step = async (mode: string, runId: number) => {
      const env = runnerEnv({ github, owner: OWNER, repo: REPO, sha: headSha, runId });
      const run = await runBundledAction({ workspace: repo.dir, token: TOKEN, env, inputs: { ...inputs, mode } });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      return run;
    };
    const submitted = await step('submit', 1);
    const collected = await step('collect', 2);
    expect(collected.outputs.status).toBe('collected');

    expect(github.store.pulls).toHaveLength(1);
    const pull = github.store.pulls[0]!;
    expect(pull.files.map((f) => f.filename)).toEqual(['test/double.test.ts']);
    expect(pull.body).toMatch(/Refused\*\* \(10\)/);
    expect(JSON.stringify(github.requests.map((r) => r.body))).not.toContain('echo pwned');

    // The refusals were logged (the note names them), and none of them became a command.
    expect(collected.stdout).toContain('conftest.py');
    expect(collected.stdout).toContain('pwned-token');
    for (const run of [submitted, collected]) {
      expect(injectedCommands(run.stdout)).toEqual([]);
      expect(run.stdout).not.toContain('\u001b');
      expect(run.stdout).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/);
    }
    expect(github.violations).toEqual([]);
  });

  it('masks an API key that an input error echoes', async () => {
    const bad = await runBundledAction({
      workspace: repo.dir,
      token: TOKEN,
      env: runnerEnv({ github, owner: OWNER, repo: REPO, sha: headSha, runId: 9 }),
      inputs: { mode: 'submit', task: API_KEY, 'anthropic-api-key': API_KEY, 'anthropic-base-url': anthropic.url },
    });
    expect(bad.code).toBe(1);
    const errors = bad.stdout.split('\n').filter((line) => line.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("task: unknown value '***'");
    // Only the runner's own mask command may hold the key.
    const leaks = bad.stdout.split('\n').filter((line) => line.includes(API_KEY) && line !== `::add-mask::${API_KEY}`);
    expect(leaks).toEqual([]);
  });
});
