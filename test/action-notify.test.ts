// notify-url through the bundled action as a runner runs it (dist/index.js; submit, then collect, each
// its own process), with a local webhook receiver: the collect that publishes the round posts one
// message linking to the issue, the runner is told to mask the URL, and no other line of the log, the
// job summary or the outputs holds it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoResponder } from './helpers/engine.js';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { makeRepo, type TestRepo } from './helpers/git-repo.js';
import { runBundledAction, runnerEnv } from './helpers/runner.js';

const OWNER = 'acme';
const REPO = 'shop';
const TOKEN = 'ghs_notifytoken000000000000000000000';
const API_KEY = 'sk-ant-test-notify-action-0000';
const SECRET = 's3cretActionWebhook77';

let anthropic: AnthropicEmulator;
let github: GitHubEmulator;
let repo: TestRepo;
let headSha: string;
let server: Server;
let hookUrl: string;
const received: { text: string }[] = [];

beforeAll(async () => {
  anthropic = await startAnthropicEmulator({ pollsUntilEnded: 0, apiKeys: [API_KEY], responder: echoResponder });
  repo = await makeRepo();
  const now = Date.now();
  await repo.commit({ 'README.md': '# shop\n' }, { date: new Date(now - 72 * 3_600_000), message: 'Readme' });
  headSha = await repo.commit(
    { 'src/total.ts': 'export function total(items: number[]): number {\n  return items.reduce((a, b) => a + b, 0);\n}\n' },
    { date: new Date(now - 2 * 3_600_000), message: 'Total' },
  );
  github = await startGitHubEmulator({ owner: OWNER, repo: REPO, headSha });
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T1/B1/${SECRET}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await anthropic?.close();
  await github?.close();
  await repo?.cleanup();
});

describe('notify-url in the action (dist/index.js)', () => {
  it('posts one message linking to the issue, and the URL is masked everywhere but in the mask command', async () => {
    const inputs = {
      task: 'code-review',
      since: '24h',
      'anthropic-api-key': API_KEY,
      'anthropic-base-url': anthropic.url,
      'notify-url': hookUrl,
    };
    const runs = [];
    for (const [mode, runId] of [
      ['submit', 1],
      ['collect', 2],
    ] as const) {
      const env = runnerEnv({ github, owner: OWNER, repo: REPO, sha: headSha, runId });
      const run = await runBundledAction({ workspace: repo.dir, token: TOKEN, env, inputs: { ...inputs, mode } });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      runs.push(run);
    }
    const collected = runs[1]!;
    expect(collected.outputs.status).toBe('collected');
    // One message, for the one round, linking to the issue it opened.
    expect(received).toHaveLength(1);
    const issue = github.store.issues[0]!;
    expect(received[0]!.text).toMatch(/^overnight code-review on acme\/shop: 1 finding \(1 medium\)/);
    expect(received[0]!.text).toContain(`/issues/${issue.number}|report>`);
    // The issue carries the run report as a paragraph; the job summary in full.
    expect(issue.body).toMatch(/\*\*Run\*\*: 1 planned unit: 1 with findings\./);
    expect(issue.body).toMatch(/Cost \$[\d.]+ \(input \$[\d.]+, output \$[\d.]+, cache write \$[\d.]+, cache read \$[\d.]+\)/);
    expect(collected.summary).toMatch(/^#### Expected against actual/m);
    expect(collected.stdout).toContain(`::add-mask::${hookUrl}`);
    for (const run of runs) {
      const leaks = `${run.stdout}\n${run.stderr}`
        .split('\n')
        .filter((line) => line.includes(SECRET) && !line.startsWith('::add-mask::'));
      expect(leaks).toEqual([]);
      expect(run.summary).not.toContain(SECRET);
      expect(JSON.stringify(run.outputs)).not.toContain(SECRET);
    }
    expect(JSON.stringify(github.requests.map((r) => r.body))).not.toContain(SECRET);
  });
});
