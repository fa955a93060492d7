// The CLI on the sample repository against its own Anthropic emulator, as a user runs it: each call
// is one `overnight …` invocation (runCli) in the repository, with a test clock shared by the calls.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { runCli } from '../../src/cli/index.js';
import { buildSampleRepository } from '../../src/cli/sample-repo.js';
import {
  defaultResponder,
  startAnthropicEmulator,
  type AnthropicEmulator,
  type AnthropicEmulatorOptions,
} from '../../src/emulator/anthropic/index.js';
import { TestClock, recordingIO } from './engine.js';

export interface SampleCli {
  emulator: AnthropicEmulator;
  /** The sample repository (buildSampleRepository). */
  repo: string;
  clock: TestClock;
  /** The params of every Messages request the emulator answered, interactive and batched alike. */
  answered: MessageCreateParamsNonStreaming[];
  cli(...argv: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }>;
}

/** `cleanups` receives what to undo after the test (the emulator, the temporary directory). */
export async function sampleCli(
  apiKey: string,
  cleanups: (() => Promise<void>)[],
  options: AnthropicEmulatorOptions = {},
): Promise<SampleCli> {
  const answered: MessageCreateParamsNonStreaming[] = [];
  const responder = options.responder ?? defaultResponder;
  const emulator = await startAnthropicEmulator({
    pollsUntilEnded: 0,
    ...options,
    responder: (params) => {
      answered.push(params);
      return responder(params);
    },
  });
  const root = await mkdtemp(join(tmpdir(), 'overnight-cli-'));
  cleanups.push(
    () => rm(root, { recursive: true, force: true }),
    () => emulator.close(),
  );
  const repo = join(root, 'shop');
  buildSampleRepository(repo);
  const clock = new TestClock();
  const env = { ANTHROPIC_API_KEY: apiKey, ANTHROPIC_BASE_URL: emulator.url };
  return {
    emulator,
    repo,
    clock,
    answered,
    cli: async (...argv) => {
      const io = recordingIO(repo, env, clock);
      const code = await runCli(argv, io);
      return { code, stdout: io.stdout, stderr: io.stderr };
    },
  };
}
