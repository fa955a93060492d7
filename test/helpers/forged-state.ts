// What an attacker can do with a workflow run: upload any artifact, under any name, from a run GitHub
// records as theirs (a fork's pull_request run, a same-repository run without secrets such as a
// Dependabot pull request). The upload goes through the real @actions/artifact client, as the run's
// own upload step would.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { serialiseState, type StateSeal } from '../../src/state/document.js';
import type { RunState } from '../../src/state/state.js';
import type { TaskName } from '../../src/types.js';
import type { GitHubEmulator, SeedWorkflowRun } from '../emulators/github/index.js';
import { fixtureState } from './report-fixtures.js';

/** A state document as submit writes one (the format is public): the fields `since: last` and collect read. */
export function forgedState(task: TaskName, fields: Partial<RunState> = {}): RunState {
  const base = fixtureState();
  return fixtureState({
    task,
    model: 'claude-sonnet-4-5',
    headSha: '0'.repeat(40),
    window: '24h',
    createdAt: new Date().toISOString(),
    batches: [
      {
        id: 'msgbatch_forged0000000000000000',
        requestCount: 0,
        attempt: 0,
        submittedAt: new Date().toISOString(),
        status: 'in_progress',
        endedAt: null,
        resultsSaved: false,
      },
    ],
    estimate: { ...base.estimate, model: 'claude-sonnet-4-5', monthlyUsd: 0 },
    ...fields,
  });
}

/** The document text, unsigned (as a state saved before states were signed) or signed with `seal`. */
export function stateText(state: RunState, seal?: StateSeal): string {
  return [...serialiseState(state, seal)].join('');
}

/**
 * Uploads `files` as artifact `name` from workflow run `runId`, which the emulator records as `run`
 * says (default: a scheduled run of this repository). Process variables are restored afterwards.
 */
export async function uploadAsRun(
  github: GitHubEmulator,
  runId: number,
  run: SeedWorkflowRun,
  name: string,
  files: Record<string, string>,
): Promise<void> {
  const saved = { ...process.env };
  const dir = await mkdtemp(join(tmpdir(), 'overnight-forged-'));
  // @actions/artifact logs through @actions/core, on this process's stdout: not the test's output.
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    process.env['ACTIONS_RUNTIME_TOKEN'] = github.runtimeToken(runId, run);
    process.env['ACTIONS_RESULTS_URL'] = github.resultsUrl;
    process.env['GITHUB_RUN_ID'] = String(runId);
    delete process.env['GITHUB_SERVER_URL'];
    for (const [file, content] of Object.entries(files)) await writeFile(join(dir, file), content);
    await new DefaultArtifactClient().uploadArtifact(
      name,
      Object.keys(files).map((f) => join(dir, f)),
      dir,
      { retentionDays: 7 },
    );
  } finally {
    process.stdout.write = write;
    process.env = saved;
    await rm(dir, { recursive: true, force: true });
  }
}
