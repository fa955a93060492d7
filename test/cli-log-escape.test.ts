// The CLI's terminal output carries text from the repository and the model (paths, notes): an escape
// sequence in a proposed path must not reach the terminal, where it would move the cursor and
// rewrite what was printed. submit → collect of test-generation through the CLI, against the emulator.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { runCli } from '../src/cli/index.js';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { defaultResponder, startAnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { recordingIO } from './helpers/engine.js';

const API_KEY = 'sk-ant-test-cli-escape-0000';
const HIDDEN = 'test/x\u001b[2K\u001b[1A\u001b[31mall good\u009b0m.test.ts';

function responder(params: MessageCreateParamsNonStreaming): string {
  const answer = JSON.parse(defaultResponder(params)) as { files?: { path: string }[] };
  // Beside the emulator's real test file, a path that would rewrite the terminal.
  if (answer.files?.[0]) answer.files.push({ ...answer.files[0], path: HIDDEN });
  return JSON.stringify(answer);
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe('CLI terminal output', () => {
  it('prints a refused path with its escape sequences neutralised', async () => {
    const emulator = await startAnthropicEmulator({ seed: 5, pollsUntilEnded: 0, apiKeys: [API_KEY], responder });
    const root = await mkdtemp(join(tmpdir(), 'overnight-cli-escape-'));
    cleanups.push(
      () => emulator.close(),
      () => rm(root, { recursive: true, force: true }),
    );
    const repo = join(root, 'shop');
    buildSampleRepository(repo);
    const env = { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: emulator.url };
    const printed: string[] = [];
    for (const argv of [
      ['submit', '--task', 'test-generation', '--since', '24h'],
      ['collect', '--task', 'test-generation'],
    ]) {
      const io = recordingIO(repo, env);
      const code = await runCli(argv, io);
      expect(code, [...io.stdout, ...io.stderr].join('\n')).toBe(0);
      printed.push(...io.stdout, ...io.stderr);
    }
    const output = printed.join('\n');
    expect(output).toContain('all good');
    expect(['\u001b', '\u009b'].filter((char) => output.includes(char))).toEqual([]);
  });
});
