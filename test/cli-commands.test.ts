// Promises of the CLI's commands and options, each through `runCli` against the bundled Anthropic
// emulator as a user would type them: `run` (the interactive API, now), `--state` naming one state file
// for submit, status and collect, `--model` reaching every request, and `--min-severity` deciding what
// a report shows.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnthropicEmulatorOptions } from '../src/emulator/anthropic/index.js';
import { userText } from '../src/emulator/anthropic/responders/prompt.js';
import { parseFileBlocks, splitLines } from '../src/prompt/format.js';
import type { RunState } from '../src/state/state.js';
import { cliStates, reportRounds } from './helpers/engine.js';
import { sampleCli } from './helpers/cli.js';

const API_KEY = 'sk-ant-test-commands-0123456789';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const setup = (options: AnthropicEmulatorOptions = {}) => sampleCli(API_KEY, cleanups, { seed: 17, ...options });

const resultsDir = (repo: string): string => join(repo, '.overnight', 'results');

interface ResultsJson {
  findings: { path: string; startLine: number; endLine: number; severity: string; title: string }[];
  failures: unknown[];
}

const readResults = async (round: string): Promise<ResultsJson> =>
  JSON.parse(await readFile(join(round, 'results.json'), 'utf8')) as ResultsJson;

describe('overnight run', () => {
  it('sends the requests through the interactive API now and writes the report, with no batch and no state', async () => {
    const { emulator, repo, cli, answered } = await setup();
    const result = await cli('run', '--task', 'code-review', '--since', '24h');
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
    expect(emulator.calls['batches.create'] ?? 0).toBe(0);
    expect(emulator.calls['messages']).toBeGreaterThan(0);
    expect(answered).toHaveLength(emulator.calls['messages']!);
    // Nothing is left waiting for a collect.
    expect(await cliStates(repo)).toEqual([]);
    const rounds = await reportRounds(resultsDir(repo));
    expect(rounds).toHaveLength(1);
    const results = await readResults(rounds[0]!);
    expect(results.failures).toEqual([]);
    expect(results.findings.length).toBeGreaterThan(0);
    const report = await readFile(join(rounds[0]!, 'report.md'), 'utf8');
    for (const finding of results.findings) {
      // Each finding cites lines the reviewed file really has, and the report shows it.
      const lines = splitLines(await readFile(join(repo, finding.path), 'utf8'));
      expect(finding.endLine).toBeLessThanOrEqual(lines.length);
      expect(
        lines
          .slice(finding.startLine - 1, finding.endLine)
          .join('')
          .trim(),
      ).not.toBe('');
      expect(report).toContain(`${finding.path}:${finding.startLine}`);
    }
  });

  it('--model reaches every request it sends', async () => {
    const { cli, answered } = await setup();
    const result = await cli('run', '--task', 'code-review', '--since', '24h', '--model', 'claude-haiku-4-5');
    expect(result.code, result.stderr.join('\n')).toBe(0);
    expect(answered.length).toBeGreaterThan(0);
    expect(new Set(answered.map((p) => p.model))).toEqual(new Set(['claude-haiku-4-5']));
  });
});

describe('--model', () => {
  it('reaches every batched request, and the state keeps it for the resubmissions', async () => {
    const { emulator, repo, cli } = await setup();
    expect((await cli('submit', '--task', 'code-review', '--since', '24h')).code).toBe(0);
    const submitted = await cli('submit', '--task', 'security-scan', '--since', '24h', '--model', 'claude-haiku-4-5');
    expect(submitted.code, submitted.stderr.join('\n')).toBe(0);
    const [review, scan] = emulator.batches();
    // Without --model, the task default; with it, the model asked for, in every request.
    expect(new Set(review!.requests.map((r) => (r.params as { model: string }).model))).toEqual(new Set(['claude-sonnet-4-6']));
    expect(new Set(scan!.requests.map((r) => (r.params as { model: string }).model))).toEqual(new Set(['claude-haiku-4-5']));
    const states = await cliStates(repo);
    expect(states.find((s) => s.task === 'security-scan')!.model).toBe('claude-haiku-4-5');
  });
});

describe('--state FILE', () => {
  it('submit writes that file; status and collect read only it, and leave other submissions alone', async () => {
    const { emulator, repo, cli } = await setup({ pollsUntilEnded: 1 });
    const nightly = join(repo, 'nights', 'review.json');
    expect((await cli('submit', '--task', 'code-review', '--since', '24h', '--state', nightly)).code).toBe(0);
    // Another submission, in the default state directory.
    expect((await cli('submit', '--task', 'security-scan', '--since', '24h')).code).toBe(0);
    const [reviewBatch, scanBatch] = emulator.batches().map((b) => b.id);
    const saved = JSON.parse(await readFile(nightly, 'utf8')) as RunState;
    expect(saved.batches.map((b) => b.id)).toEqual([reviewBatch]);
    expect((await cliStates(repo)).map((s) => s.task)).toEqual(['security-scan']);

    // Status looks at that batch only (live: in_progress the first time, pollsUntilEnded: 1).
    const status = await cli('status', '--state', nightly);
    expect(status.code).toBe(0);
    const shown = status.stdout.join('\n');
    expect(shown).toMatch(new RegExp(`${reviewBatch} \\(\\d+ requests?, attempt 0\\): in_progress`));
    expect(shown).not.toContain(scanBatch!);
    expect(shown).toMatch(/code-review of shop@[0-9a-f]{7}, [1-9]\d* requests?, .*not collected yet/);

    const collected = await cli('collect', '--state', nightly);
    expect(collected.code, collected.stderr.join('\n')).toBe(0);
    expect((JSON.parse(await readFile(nightly, 'utf8')) as RunState).collectedAt).not.toBeNull();
    const rounds = await reportRounds(resultsDir(repo));
    expect(rounds).toHaveLength(1);
    expect(collected.stdout).toContain(`report: ${join(rounds[0]!, 'report.md')}`);
    // The other submission was neither read nor collected.
    expect(emulator.calls['batches.results']).toBe(1);
    const [scan] = await cliStates(repo);
    expect(scan!.collectedAt).toBeNull();
    expect(scan!.batches.every((b) => !b.resultsSaved)).toBe(true);
    expect((await cli('status', '--state', nightly)).stdout.join('\n')).toMatch(/collected 20\d\d-/);
  });
});

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

/** One finding of every severity in each file of five lines or more, each on a line of its own, titled by its severity. */
const everySeverity = (params: MessageCreateParamsNonStreaming): string => {
  const user = userText(params as unknown as Record<string, unknown>);
  const findings = parseFileBlocks(user).flatMap((block) => {
    const lines = [...block.code.keys()].filter((n) => block.code.get(n)?.trim()).sort((a, b) => a - b);
    if (lines.length < SEVERITIES.length) return [];
    return SEVERITIES.map((severity, i) => ({
      path: block.path,
      start_line: lines[i]!,
      end_line: lines[i]!,
      severity,
      category: 'other',
      title: `a ${severity} problem in ${block.path}`,
      explanation: `line ${lines[i]!}: ${block.code.get(lines[i]!) ?? ''}`,
      suggested_fix: null,
      cwe: null,
    }));
  });
  return JSON.stringify({ summary: `${findings.length} findings`, findings });
};

describe('--min-severity', () => {
  it('leaves the findings below it out of what is published, and counts them', async () => {
    const { repo, cli } = await setup({ responder: everySeverity });
    expect((await cli('submit', '--task', 'code-review', '--since', '24h')).code).toBe(0);
    const collected = await cli('collect', '--min-severity', 'high');
    expect(collected.code, collected.stderr.join('\n')).toBe(0);
    const [round] = await reportRounds(resultsDir(repo));
    const results = await readResults(round!);
    const files = new Set(results.findings.map((f) => f.path)).size;
    expect(files).toBeGreaterThan(0);
    // Exactly the critical and high ones of every file are kept.
    expect(results.findings.map((f) => f.severity).sort()).toEqual(
      [...Array<string>(files).fill('critical'), ...Array<string>(files).fill('high')].sort(),
    );
    const report = await readFile(join(round!, 'report.md'), 'utf8');
    expect(report).toMatch(/a critical problem in /);
    expect(report).toMatch(/a high problem in /);
    for (const below of ['medium', 'low', 'info']) expect(report).not.toContain(`a ${below} problem in `);
    // The model's answers themselves are kept in results.jsonl, all of them.
    const jsonl = await readFile(join(round!, 'results.jsonl'), 'utf8');
    expect(jsonl.match(/a (critical|high|medium|low|info) problem in /g)).toHaveLength(5 * files);
  });
});
