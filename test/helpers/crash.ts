// Killing a collect at a chosen point, the way a runner dies (SIGKILL: no finally, no cleanup), then
// running it again: shared by the crash and race tests of the bundled action.
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import type { GitHubEmulator, RecordedRequest, FaultMatch } from '../emulators/github/index.js';
import { runBundledAction, type ActionRun, type RunOptions } from './runner.js';
import { unzip } from './zip.js';
import type { RunState } from '../../src/state/state.js';

export interface KillPoint {
  /** What has just happened when the collect dies ("the issue is created"). */
  name: string;
  match: FaultMatch & { where?: (request: RecordedRequest) => boolean };
}

const FINALIZE = /ArtifactService\/FinalizeArtifact$/;

/** Kill points on the artifact service: a finalized upload whose name matches. */
export function artifactFinalized(name: string, pattern: RegExp): KillPoint {
  return {
    name,
    match: { method: 'POST', path: FINALIZE, where: (r) => pattern.test(String((r.body as { name?: string })?.name ?? '')) },
  };
}

/** Runs the bundled action and SIGKILLs it right after `point` took effect on GitHub, before it sees the answer. */
export async function runKilledAt(
  github: GitHubEmulator,
  point: KillPoint,
  runId: number,
  options: RunOptions,
): Promise<{ run: ActionRun; reached: boolean }> {
  let child: ChildProcess | undefined;
  let reached = false;
  github.onRequest(point.match, async () => {
    reached = true;
    const exited = once(child!, 'exit');
    child!.kill('SIGKILL');
    await exited;
  });
  const run = await runBundledAction({
    ...options,
    onSpawn: (spawned) => {
      child = spawned;
      options.onSpawn?.(spawned);
    },
  });
  // The runner lost its job: GitHub completes the run (the claim it held is now stale).
  github.completeRun(runId);
  return { run, reached };
}

/** The newest revision of a submission's state, as the next collect would read it. */
export function newestState(github: GitHubEmulator, origin: string): RunState {
  const artifacts = github.store.artifacts
    .filter((a) => a.finalized && (a.name === `overnight-state-${origin}` || a.name.startsWith(`overnight-state-${origin}-r`)))
    .sort((a, b) => b.id - a.id);
  const artifact = artifacts[0];
  if (!artifact) throw new Error(`no state artifact for ${origin}`);
  const zip = github.store.blobs.get(artifact.blob_key)?.content;
  const json = zip ? unzip(zip).get('state.json') : undefined;
  if (!json) throw new Error(`artifact ${artifact.name} has no state.json`);
  return JSON.parse(json.toString('utf8')) as RunState;
}

/** Claim refs still in the repository (a collect killed after its state revision leaves its own). */
export function claimRefs(github: GitHubEmulator): string[] {
  return [...github.store.git.refs.keys()].filter((name) => name.startsWith('refs/overnight/claims/'));
}
