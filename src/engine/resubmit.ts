// Resubmission: the exact request of a failed unit rebuilt from git at the reviewed commit.
import type { TaskDefinition } from '../tasks/task.js';
import type { RunState } from '../state/state.js';
import type { PlannedRequest, PullRequestInfo, SourceFile, WorkUnit } from '../types.js';
import { gatherChanges } from '../gather/index.js';
import { FileSource } from './file-source.js';
import { requestParams } from './plan.js';
import type { EngineDeps } from './deps.js';

/**
 * The changed files of a submission exactly as submit gathered them (status, diff, base version,
 * redactions), read again from git at the reviewed commits: a resubmitted request must be the request
 * that was sent, not the bare file. Empty when those commits are not in this checkout.
 */
export async function regather(state: RunState, paths: string[], deps: EngineDeps): Promise<Map<string, SourceFile>> {
  // Submit's window again, pinned to its commits (a since-window is base..head, like a PR's).
  const window: PullRequestInfo | null =
    state.pullRequest ??
    (state.baseSha
      ? {
          number: 0,
          baseSha: state.baseSha,
          headSha: state.headSha,
          baseRef: state.baseSha,
          headRef: state.headSha,
          fromFork: false,
        }
      : null);
  // Without a base the whole tree was reviewed: every file went whole, as added, with no diff.
  if (!window) return new Map();
  const escapeGlob = (path: string): string => path.replace(/[\\*?[\]{}()!+@]/g, '\\$&');
  try {
    const changeSet = await gatherChanges({
      cwd: deps.context.cwd,
      since: { kind: 'revision', rev: window.baseSha },
      pullRequest: window,
      include: paths.map(escapeGlob),
      exclude: [],
      maxFiles: 0,
      maxFileBytes: 0,
      contextFiles: [],
      repository: state.repository,
    });
    return new Map(changeSet.files.map((file) => [file.path, file]));
  } catch (error) {
    deps.log.debug(`resubmission: could not gather ${window.baseSha}..${window.headSha} again: ${(error as Error).message}`);
    return new Map();
  }
}

/** Rebuilds the exact request of a unit for a resubmission, from the files at the reviewed commit. */
export async function rebuildRequest(
  customId: string,
  state: RunState,
  task: TaskDefinition,
  files: FileSource,
  gathered: Map<string, SourceFile>,
): Promise<PlannedRequest | null> {
  const record = state.requests[customId]!;
  const unitFiles: SourceFile[] = [];
  for (const path of record.paths) {
    const hash = record.contentHashes[path] ?? '';
    const again = gathered.get(path);
    // A file the unit carries without it being part of the change (an existing test) is read as is.
    const file = again && again.contentHash === hash ? again : await files.exact(state.headSha, path, hash);
    if (!file) return null;
    unitFiles.push(!again && !state.baseSha && !state.pullRequest ? { ...file, status: 'added' } : file);
  }
  const unit: WorkUnit = { customId, task: task.name, files: unitFiles, lineRanges: record.lineRanges, part: record.part };
  return {
    customId,
    params: requestParams(task, unit, state.model, state.maxOutputTokens, state.systemPrefix),
    record,
  };
}
