// Shared pieces for engine and CLI tests: a test clock whose sleep advances time (so waits and retry
// backoff run out without real waiting), EngineDeps wired to the Anthropic emulator with a fast retry
// policy and a file state store in a temporary directory, and a CliIO that records what it prints.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { BatchClient, type BatchLimits } from '../../src/batch/client.js';
import { parseConfig, type Config } from '../../src/config.js';
import type { EngineDeps } from '../../src/engine/deps.js';
import type { CliIO } from '../../src/cli/index.js';
import { FileStateStore } from '../../src/state/file-store.js';
import type { RunState } from '../../src/state/state.js';
import type { Logger, PlannedRequest } from '../../src/types.js';
import {
  defaultResponder,
  startAnthropicEmulator,
  type AnthropicEmulator,
  type Responder,
} from '../../src/emulator/anthropic/index.js';
import { makeRepo, type TestRepo } from './git-repo.js';
import { parseFileBlocks, type ParsedFileBlock } from '../../src/prompt/format.js';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { userText } from '../../src/emulator/anthropic/responders/prompt.js';

/** Time that moves only when something sleeps: waits of minutes take no real time. */
export class TestClock {
  private ms: number;
  /** Every pause asked for, in order. */
  readonly sleeps: number[] = [];

  constructor(start: Date = new Date()) {
    this.ms = start.getTime();
  }

  readonly now = (): Date => new Date(this.ms);

  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.ms += Math.max(0, ms);
    // Yield to the event loop as a real pause would.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };

  /** Milliseconds the clock moved since it was made. */
  get slept(): number {
    return this.sleeps.reduce((a, b) => a + b, 0);
  }
}

export interface LogLine {
  level: 'debug' | 'info' | 'warning' | 'error';
  message: string;
}

/** A logger that says nothing (tests that assert on what a report did, not on what it logged). */
export const quietLog: Logger = { debug() {}, info() {}, warning() {}, error() {} };

export function recordingLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string) => void lines.push({ level, message });
  return { log: { debug: at('debug'), info: at('info'), warning: at('warning'), error: at('error') }, lines };
}

export interface TestEngineOptions {
  /** Root of the repository under review. */
  repoDir: string;
  /** Emulator base URL. */
  baseUrl: string;
  apiKey?: string;
  clock?: TestClock;
  batchLimits?: BatchLimits;
  /** Where states and results go; default: a new temporary directory. */
  workDir?: string;
}

export interface TestEngine {
  deps: EngineDeps;
  clock: TestClock;
  logs: LogLine[];
  outputs: Record<string, string>;
  summaries: string[];
  store: FileStateStore;
  stateDir: string;
  outputDir: string;
  workDir: string;
  /** Every saved state, oldest first. */
  states(): Promise<{ id: string; state: RunState }[]>;
  cleanup(): Promise<void>;
}

/** EngineDeps for a local run against the emulator: fast retries, a test clock, files in a temp dir. */
export async function testEngine(options: TestEngineOptions): Promise<TestEngine> {
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'overnight-engine-')));
  const stateDir = join(workDir, 'states');
  const outputDir = join(workDir, 'results');
  const clock = options.clock ?? new TestClock();
  const { log, lines } = recordingLogger();
  const outputs: Record<string, string> = {};
  const summaries: string[] = [];
  const store = new FileStateStore({ dir: stateDir, resultsDir: outputDir });
  const deps: EngineDeps = {
    log,
    now: clock.now,
    anthropic: () =>
      new BatchClient({
        apiKey: options.apiKey ?? TEST_API_KEY,
        baseURL: options.baseUrl,
        log,
        timeoutMs: 10_000,
        retry: { retries: 3, baseDelayMs: 10, maxDelayMs: 100, sleep: clock.sleep },
      }),
    store,
    github: null,
    context: {
      event: 'cli',
      repository: basename(options.repoDir),
      serverUrl: 'https://github.com',
      cwd: options.repoDir,
      pullRequest: null,
      ref: null,
      runLabel: 'test',
      outputDir,
    },
    setOutput: (name, value) => {
      outputs[name] = String(value);
    },
    jobSummary: async (markdown) => {
      summaries.push(markdown);
    },
    pollIntervalMs: { first: 1_000, max: 10_000 },
    ...(options.batchLimits ? { batchLimits: options.batchLimits } : {}),
  };
  return {
    deps,
    clock,
    logs: lines,
    outputs,
    summaries,
    store,
    stateDir,
    outputDir,
    workDir,
    states: () => store.list(),
    cleanup: () => rm(workDir, { recursive: true, force: true }),
  };
}

/** The key tests configure (the emulator accepts any non-empty key unless told otherwise). */
export const TEST_API_KEY = 'sk-ant-test-0123456789abcdef';

/** A Config from input names (as the action reads them), with no environment leaking in but a key. */
export function testConfig(raw: Record<string, string>, env: NodeJS.ProcessEnv = { ANTHROPIC_API_KEY: TEST_API_KEY }): Config {
  return parseConfig(raw, env);
}

export interface RecordedIO extends CliIO {
  stdout: string[];
  stderr: string[];
  clock: TestClock;
}

/** A CliIO that records its lines, with no environment but what is given and a test clock. */
export function recordingIO(cwd: string, env: NodeJS.ProcessEnv, clock: TestClock = new TestClock()): RecordedIO {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    cwd,
    env,
    out: (line) => void stdout.push(line),
    err: (line) => void stderr.push(line),
    clock,
    stdout,
    stderr,
  };
}

/** The state files a CLI run left in `<repo>/.overnight/states`. */
export async function cliStates(repoDir: string): Promise<RunState[]> {
  const dir = join(repoDir, '.overnight', 'states');
  let names: string[] = [];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as RunState));
}

/** Every `<stateId>/<round>/` directory holding a report.md under `outputDir`. */
export async function reportRounds(outputDir: string): Promise<string[]> {
  const rounds: string[] = [];
  let states: string[] = [];
  try {
    states = await readdir(outputDir);
  } catch {
    return [];
  }
  for (const state of states) {
    let entries: string[] = [];
    try {
      entries = await readdir(join(outputDir, state));
    } catch {
      continue;
    }
    for (const round of entries) {
      try {
        await readFile(join(outputDir, state, round, 'report.md'));
        rounds.push(join(outputDir, state, round));
      } catch {
        // Not a round directory.
      }
    }
  }
  return rounds.sort();
}

/** The <file> blocks a request sent the model, read as the emulator's default responder reads them. */
export function sentFileBlocks(params: MessageCreateParamsNonStreaming): ParsedFileBlock[] {
  return parseFileBlocks(userText(params as unknown as Record<string, unknown>));
}

/**
 * A scripted model for the findings tasks: one finding per <file> block it was sent, on the first line
 * it saw, titled `echo <path>` and quoting that line. What comes back names exactly what went in, so a
 * test can tell whether each answer was attached to the request (and the files) it belongs to.
 */
export const echoResponder: Responder = (params) => {
  const findings = firstLineFindings(params, (block, first) => ({
    trigger: 'input → this line → echo',
    confidence: 'certain',
    severity: 'medium',
    category: 'echo',
    title: `echo ${block.path}`,
    explanation: `line ${first} reads: ${block.code.get(first) ?? ''}`,
    suggested_fix: null,
    cwe: null,
  }));
  return JSON.stringify({ summary: `echoed ${findings.length} file(s)`, findings });
};

/**
 * One answer finding per <file> block a request sent, placed on and quoting the first line the model
 * saw; `fields(block, line)` gives the rest of the finding.
 */
export function firstLineFindings(
  params: MessageCreateParamsNonStreaming,
  fields: (block: ParsedFileBlock, line: number) => Record<string, unknown>,
): Record<string, unknown>[] {
  return sentFileBlocks(params).map((block) => {
    const first = Math.min(...block.code.keys());
    return { path: block.path, start_line: first, end_line: first, quote: block.code.get(first) ?? '', ...fields(block, first) };
  });
}

export interface ProposedTestFile {
  path: string;
  content: string;
  description: string;
}

/**
 * A model that answers test-generation for the source file its prompt names with `files(source)`, and
 * every other request as the default responder would.
 */
export function testGenerationModel(files: (source: string) => ProposedTestFile[]): Responder {
  return (params) => {
    const source = /Write tests for (\S+?)\.?(?:\s|\\n|$)/.exec(JSON.stringify(params.messages))?.[1];
    if (!source) return defaultResponder(params);
    return JSON.stringify({
      summary: `Tests for ${source}.`,
      files: files(source).map((file) => ({ ...file, source_path: source })),
    });
  };
}

/** Every file under `dir`, at any depth (what a run left on disk, for tests that search it for a secret). */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

/** A planned request as submit queues it: one user message of `text`, about `path`, not yet in a batch. */
export function plannedRequest(customId: string, path: string, text: string, maxTokens: number): PlannedRequest {
  return {
    customId,
    params: { model: 'claude-sonnet-4-6', max_tokens: maxTokens, messages: [{ role: 'user', content: text }] },
    record: {
      paths: [path],
      contentHashes: {},
      lineRanges: {},
      part: null,
      estimatedInputTokens: 1,
      estimatedOutputTokens: 1,
      attempt: 0,
      batchId: null,
    },
  };
}

/**
 * A night's work: a repository with a README from three days ago and `changed` committed an hour ago,
 * the Anthropic emulator and an engine on it. What removes all three is pushed onto `cleanups`.
 */
export async function engineOnChanges(
  changed: Record<string, string>,
  cleanups: (() => Promise<void>)[],
): Promise<{ repo: TestRepo; emulator: AnthropicEmulator; engine: TestEngine }> {
  const repo = await makeRepo();
  const emulator = await startAnthropicEmulator({ apiKeys: [TEST_API_KEY], pollsUntilEnded: 0 });
  await repo.commit({ 'README.md': '# app\n' }, { date: new Date(Date.now() - 72 * 3_600_000) });
  await repo.commit(changed, { date: new Date(Date.now() - 3_600_000) });
  const engine = await testEngine({ repoDir: repo.dir, baseUrl: emulator.url });
  cleanups.push(async () => {
    await engine.cleanup();
    await emulator.close();
    await repo.cleanup();
  });
  return { repo, emulator, engine };
}
