// GitHub's local runner for JavaScript actions (@github/local-action) runs the action from source:
// it imports src/main.ts, stubs @actions/core and calls the exported run(), as the typescript-action
// template expects. A dry-run submit of the sample repository must plan and print its outputs.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { ROOT, runnerEnv } from './helpers/runner.js';

let github: GitHubEmulator;
let temp: string;
let workspace: string;

beforeAll(async () => {
  github = await startGitHubEmulator({ owner: 'acme', repo: 'shop' });
  temp = await mkdtemp(join(tmpdir(), 'overnight-local-action-'));
  workspace = join(temp, 'shop');
  buildSampleRepository(workspace);
});

afterAll(async () => {
  await github?.close();
});

it('importing src/main.ts does nothing; run() is what an entry calls', async () => {
  const main = await import('../src/main.js');
  expect(Object.keys(main)).toEqual(['run']);
  expect(typeof main.run).toBe('function');
});

it('runs a dry-run submit through @github/local-action: plans, prints outputs, exits 0', async () => {
  const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspace }).toString().trim();
  const vars: Record<string, string> = {
    ...runnerEnv({ github, owner: 'acme', repo: 'shop', sha, runId: 1 }),
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: temp,
    INPUT_MODE: 'submit',
    INPUT_TASK: 'code-review',
    INPUT_SINCE: '24h',
    'INPUT_DRY-RUN': 'true',
    'INPUT_GITHUB-TOKEN': 'ghs_localactiontoken000000000000000000000',
  };
  const envFile = join(temp, '.env');
  await writeFile(
    envFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  const bin = join(ROOT, 'node_modules', '.bin', 'local-action');
  const result = spawnSync(bin, ['run', '.', 'src/main.ts', envFile], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? temp },
  });
  const log = `${result.stdout}\n${result.stderr}`;
  expect(result.status, log).toBe(0);
  expect(log).not.toMatch(/::error::/);
  expect(result.stdout).toContain('::set-output name=status::dry-run');
  const requests = /::set-output name=request-count::(\d+)/.exec(result.stdout);
  expect(Number(requests?.[1])).toBeGreaterThan(0);
  expect(result.stdout).toMatch(/dry-run: \d+ requests would be sent for \d+ files/);
}, 120_000);
