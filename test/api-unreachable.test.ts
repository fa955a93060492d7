// An Anthropic API that cannot be reached (issue 15, item 2): a few seconds of retries, not minutes,
// then one line naming the call, the host and the cause, and nothing half-done.
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { cliStates, recordingIO } from './helpers/engine.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A local port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

async function sampleRepo(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'overnight-unreachable-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const repo = join(root, 'shop');
  buildSampleRepository(repo);
  return repo;
}

describe('the API refuses connections', () => {
  for (const argv of [
    ['submit', '--task', 'code-review', '--since', '24h'],
    ['run', '--task', 'code-review', '--since', '24h'],
  ]) {
    it(`${argv[0]}: retries for seconds, then one line naming the call and the host; no state saved`, async () => {
      const repo = await sampleRepo();
      const port = await closedPort();
      const io = recordingIO(repo, {
        ANTHROPIC_API_KEY: 'sk-ant-test-unreachable-0123',
        ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}`,
      });
      const code = await runCli(argv, io);
      expect(code).toBe(1);
      const errors = io.stderr.filter((line) => line.startsWith('error:'));
      expect(errors).toHaveLength(1);
      const call = argv[0] === 'submit' ? 'creating a batch' : 'every request failed \\(1 request\\): sending a request';
      expect(errors[0]).toMatch(
        new RegExp(
          `^error: ${call} at 127\\.0\\.0\\.1:${port} failed: connection refused \\(ECONNREFUSED\\) \\(4 attempts\\); check the network and the API URL`,
        ),
      );
      // 1 + 2 + 4 s of backoff per call (token counting, then the batch or the message), not minutes
      // (the budget for a server that answers 5xx).
      expect(io.clock.sleeps).toEqual([1_000, 2_000, 4_000, 1_000, 2_000, 4_000]);
      expect(await cliStates(repo)).toEqual([]);
    }, 60_000);
  }
});
