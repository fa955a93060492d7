// `batch-id` when the state that submit saved is gone (artifact expired, state file lost): collect
// rebuilds a state from the batch alone (task from the custom_id prefix, files from the answers, the
// reviewed commit unknown so links point at this checkout's HEAD, and every report says so), saves it,
// and publishes the report once. Engine-level and through the CLI.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { submit } from '../src/engine/submit.js';
import { collect } from '../src/engine/collect.js';
import { answerPaths, taskOfCustomId } from '../src/engine/rebuild.js';
import { TestClock, recordingIO, reportRounds, testConfig, testEngine, type TestEngine } from './helpers/engine.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The sample repository, plus a file too big to be packed with the others: two requests. */
async function sample(): Promise<{ repo: string; head: string }> {
  const root = await mkdtemp(join(tmpdir(), 'overnight-no-state-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const repo = join(root, 'shop');
  buildSampleRepository(repo);
  const big = Array.from({ length: 400 }, (_, i) => `export const limit${i} = ${i * 10};`).join('\n');
  await writeFile(join(repo, 'src', 'limits.ts'), `${big}\n`);
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['commit', '-q', '-m', 'Limits'], { cwd: repo });
  return { repo, head: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo }).toString().trim() };
}

async function emulator(pollsUntilEnded = 0): Promise<AnthropicEmulator> {
  const started = await startAnthropicEmulator({ seed: 5, pollsUntilEnded });
  cleanups.push(() => started.close());
  return started;
}

/** Submits with the engine, then loses every saved state; returns the batch id. */
async function submitThenLoseState(engine: TestEngine, anthropic: AnthropicEmulator, task: string): Promise<string> {
  await submit(testConfig({ task, since: '24h' }), engine.deps);
  await rm(engine.stateDir, { recursive: true, force: true });
  expect(await engine.states()).toEqual([]);
  return anthropic.batches()[0]!.id;
}

describe('collect with batch-id and no saved state (engine)', () => {
  it('rebuilds the state from the batch: task from the custom_id prefix, files from the answers, links at HEAD, and says so', async () => {
    const { repo, head } = await sample();
    const anthropic = await emulator();
    const engine = await testEngine({ repoDir: repo, baseUrl: anthropic.url });
    cleanups.push(() => engine.cleanup());
    const batchId = await submitThenLoseState(engine, anthropic, 'security-scan');
    const sent = anthropic.batches()[0]!.requests;
    expect(sent.length).toBe(2);
    // The big file's answer fails retryably: without the state the request cannot be rebuilt, so it is reported.
    const failing = sent.find((r) => JSON.stringify(r.params.messages).includes('src/limits.ts'))!.custom_id;
    anthropic.faults.result(failing, { type: 'errored', errorType: 'api_error' });

    // The collect runs in a checkout of acme/shop (links need an owner/name).
    engine.deps.context.repository = 'acme/shop';
    // The task input says code-review (the action's default); the custom_ids say security-scan.
    const result = await collect(
      testConfig({
        mode: 'collect',
        task: 'code-review',
        'batch-id': batchId,
        'sarif-path': join(engine.outputDir, 'overnight.sarif'),
      }),
      engine.deps,
    );
    expect(result.status).toBe('collected');
    expect(result.rounds).toHaveLength(1);
    const round = result.rounds[0]!;
    expect(round.results.task).toBe('security-scan');
    expect(round.results.findings.length).toBeGreaterThan(0);
    expect(round.results.failures.map((f) => f.customId)).toEqual([failing]);
    expect(anthropic.batches()).toHaveLength(1); // Nothing resubmitted.
    expect(
      engine.logs.some(
        (l) => l.level === 'warning' && /no saved state \(expired or lost\); rebuilt one from the batch alone/.test(l.message),
      ),
    ).toBe(true);

    // Findings sit on the real lines of the files at HEAD, and the report says what it is built from.
    const report = await readFile(join((await reportRounds(engine.outputDir))[0]!, 'report.md'), 'utf8');
    expect(report).toContain(
      `state lost: rebuilt from batch ${batchId} alone; the reviewed commit is unknown, so findings link to this checkout's HEAD ${head.slice(0, 12)}`,
    );
    expect(report).toContain(`https://github.com/acme/shop/blob/${head}/src/`);
    const lines = (path: string) => readFile(join(repo, path), 'utf8').then((text) => text.split('\n'));
    for (const finding of round.results.findings) {
      expect((await lines(finding.path))[finding.startLine - 1]?.trim(), `${finding.path}:${finding.startLine}`).not.toBe('');
    }

    // Saved like a submit's state, and collected: once.
    const states = await engine.states();
    expect(states).toHaveLength(1);
    expect(states[0]!.state).toMatchObject({ task: 'security-scan', headSha: head, event: 'rebuilt-from-batch' });
    expect(states[0]!.state.collectedAt).not.toBeNull();
    // Each file's content hash is that of the file at HEAD: the exact text is read back for every finding.
    const records = Object.values(states[0]!.state.requests);
    expect(records.flatMap((r) => r.paths).length).toBeGreaterThan(0);
    for (const record of records) {
      for (const path of record.paths) {
        const atHead = createHash('sha256')
          .update(await readFile(join(repo, path), 'utf8'))
          .digest('hex');
        expect(record.contentHashes[path], path).toBe(atHead);
      }
    }
    const again = await collect(testConfig({ mode: 'collect', task: '', 'batch-id': batchId }), engine.deps);
    expect(again.status).toBe('nothing-to-do');
    expect(await reportRounds(engine.outputDir)).toHaveLength(1);
  });

  it('a batch still in progress: pending, nothing saved, nothing published', async () => {
    const { repo } = await sample();
    const anthropic = await emulator(5);
    const engine = await testEngine({ repoDir: repo, baseUrl: anthropic.url });
    cleanups.push(() => engine.cleanup());
    const batchId = await submitThenLoseState(engine, anthropic, 'code-review');
    const result = await collect(testConfig({ mode: 'collect', task: '', 'batch-id': batchId }), engine.deps);
    expect(result.status).toBe('pending');
    expect(engine.outputs.status).toBe('pending');
    expect(engine.logs.map((l) => l.message)).toContain(
      `batch ${batchId}: in_progress; no saved state names it, so collect it with batch-id again once it has ended`,
    );
    expect(await engine.states()).toEqual([]);
    expect(await reportRounds(engine.outputDir)).toEqual([]);
  });

  it('reads the task from a custom_id prefix and the files from any answer shape', () => {
    expect(taskOfCustomId('sec-0123456789abcdef0123456789abcdef01234567')).toBe('security-scan');
    expect(taskOfCustomId('rv-0123')).toBe('refactor-validation');
    expect(taskOfCustomId('job-7')).toBeNull();
    const paths = answerPaths({
      findings: [
        { path: './src/a.ts', start_line: 4, end_line: 9 },
        { path: 'src/a.ts', start_line: 12, end_line: 2 },
      ],
      verdicts: [{ path: 'src/b.ts', problems: [{ start_line: 3, end_line: 5 }] }],
      files: [{ path: 'test/c.test.ts', source_path: 'src/c.ts' }],
    });
    expect([...paths]).toEqual([
      ['src/a.ts', 12],
      ['src/b.ts', 5],
      ['src/c.ts', 0],
    ]);
  });
});

describe('overnight collect --batch-id with the state file lost (CLI)', () => {
  it('publishes the report from the batch alone, exit 0; a second collect says it is already collected', async () => {
    const { repo, head } = await sample();
    const anthropic = await emulator();
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test-no-state-0123', ANTHROPIC_BASE_URL: anthropic.url };
    const clock = new TestClock();
    const cli = async (...argv: string[]) => {
      const io = recordingIO(repo, env, clock);
      const code = await runCli(argv, io);
      return { code, stdout: io.stdout, stderr: io.stderr };
    };
    expect((await cli('submit', '--task', 'code-review', '--since', '24h')).code).toBe(0);
    const batchId = anthropic.batches()[0]!.id;
    await rm(join(repo, '.overnight', 'states'), { recursive: true, force: true });

    const collected = await cli('collect', '--batch-id', batchId);
    expect(collected.code, collected.stderr.join('\n')).toBe(0);
    expect(collected.stderr.join('\n')).toMatch(/warning: batch msgbatch_\w+: no saved state \(expired or lost\); rebuilt one/);
    const rounds = await reportRounds(join(repo, '.overnight', 'results'));
    expect(rounds).toHaveLength(1);
    const report = await readFile(join(rounds[0]!, 'report.md'), 'utf8');
    expect(report).toMatch(/\*\*\d+ findings?\*\*/);
    expect(report).toContain(`findings link to this checkout's HEAD ${head.slice(0, 12)}`);
    expect(collected.stdout.join('\n')).toContain(`report: ${join(rounds[0]!, 'report.md')}`);
    expect(await readdir(join(repo, '.overnight', 'states'))).toHaveLength(1);

    const again = await cli('collect', '--batch-id', batchId);
    expect(again.code).toBe(0);
    expect(again.stdout.join('\n')).toMatch(new RegExp(`batch ${batchId}: already collected`));
    expect(await reportRounds(join(repo, '.overnight', 'results'))).toHaveLength(1);
  });
});
