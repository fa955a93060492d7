// `collect --batch-id` with the state lost (issue 15, item 3): the state rebuilt from the batch knows
// every file that was sent, not only the files an answer happened to cite. A request whose answer is
// clean names no file; its files are found again by planning this checkout as the submit did and
// matching the custom_ids (a custom_id is a hash of the task, the paths and their contents).
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { startAnthropicEmulator } from '../src/emulator/anthropic/index.js';
import type { RunState } from '../src/state/state.js';
import { TestClock, recordingIO } from './helpers/engine.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('overnight collect --batch-id with the state file lost: the file count', () => {
  it('counts every file the batch was sent, those with clean answers included', async () => {
    const root = await mkdtemp(join(tmpdir(), 'overnight-rebuilt-count-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const repo = join(root, 'shop');
    buildSampleRepository(repo);
    // A file too big to be packed with the others, about which the model has nothing to say.
    const limits = Array.from({ length: 400 }, (_, i) => `export const limit${i} = ${i * 10};`).join('\n');
    await writeFile(join(repo, 'src', 'limits.ts'), `${limits}\n`);
    execFileSync('git', ['add', '-A'], { cwd: repo });
    execFileSync('git', ['commit', '-q', '-m', 'Limits'], { cwd: repo });

    const anthropic = await startAnthropicEmulator({ seed: 5, pollsUntilEnded: 0 });
    cleanups.push(() => anthropic.close());
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test-rebuilt-0123', ANTHROPIC_BASE_URL: anthropic.url };
    const clock = new TestClock();
    const cli = async (...argv: string[]) => {
      const io = recordingIO(repo, env, clock);
      const code = await runCli(argv, io);
      return { code, stdout: io.stdout, stderr: io.stderr };
    };
    const submitted = await cli('submit', '--task', 'code-review', '--since', '24h');
    expect(submitted.code, submitted.stderr.join('\n')).toBe(0);
    const sentFiles = Number(/: (\d+) sent in \d+ requests?/.exec(submitted.stdout.join('\n'))?.[1]);
    const states = join(repo, '.overnight', 'states');
    const [stateFile] = await readdir(states);
    const original = JSON.parse(await readFile(join(states, stateFile!), 'utf8')) as RunState;
    expect(original.estimate.files).toBe(sentFiles);
    expect(anthropic.batches()[0]!.requests.length).toBe(2);
    await rm(states, { recursive: true, force: true });

    const collected = await cli('collect', '--batch-id', anthropic.batches()[0]!.id);
    expect(collected.code, collected.stderr.join('\n')).toBe(0);
    expect(collected.stderr.join('\n')).toMatch(
      new RegExp(`rebuilt one from the batch alone: 2 code-review requests about ${sentFiles} files;`),
    );
    // The saved rebuilt state: every request knows its files, the clean one included.
    const [rebuiltFile] = await readdir(states);
    const text = await readFile(join(states, rebuiltFile!), 'utf8');
    expect(text).toContain('"src/limits.ts"');
    const rebuilt = JSON.parse(text) as RunState;
    expect(rebuilt.estimate.files).toBe(sentFiles);
    expect(new Set(Object.values(rebuilt.requests).flatMap((r) => r.paths)).size).toBe(sentFiles);
  });
});
