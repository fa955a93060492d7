// Scenario 7 (issue 13): the cost ratio against the naive approach on a real open-source repository's
// history, not only on this repository's own commits. Windows of a day, a week and a month of
// honojs/hono, pinned by commit range (base..head on the first-parent line), so every run measures the
// same changes: each window is reviewed as one night (the files changed between base and head), priced
// exactly as scenario 6 prices a night (bench/scenarios/cost.ts `night`).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { night, type Night } from './cost.js';
import { getTask } from '../../src/tasks/index.js';
import { report } from '../lib.js';

/** The repository the figure is measured on, and the commit its clone must contain. */
export const REAL_REPOSITORY = {
  name: 'honojs/hono',
  cloneUrl: 'https://github.com/honojs/hono',
  head: '28a9c128912de19f3fb28b00ae289c9b93f6f392',
} as const;

/**
 * Windows ending at the pinned head (2026-08-22): base is the last first-parent commit before the
 * window's start (2026-08-22, 2026-08-15 and 2026-07-22, +09:00), written down as a commit so that the
 * figure never depends on the clock or on commits added later.
 */
export const REAL_WINDOWS = [
  { label: 'day (2026-08-22)', base: '4b44abe1b5c7755aac8555d7943611555183450b' },
  { label: 'week (2026-08-15..22)', base: '41bdc4288ed7023c24d35f32bd065bd963435e3e' },
  { label: 'month (2026-07-22..08-22)', base: '44f884321a1d52e98d45a85634da9d5f4751a43a' },
] as const;

/** The judged target for each window (issue 13: "≤ 0.30 on each"). */
export const REAL_TARGET_RATIO = 0.3;

/** How to get the clone, for the bench's skip line and BENCHMARKS.md. */
export const REAL_REPO_HOWTO = `get it with: git clone ${REAL_REPOSITORY.cloneUrl} && git -C hono checkout ${REAL_REPOSITORY.head}, then BENCH_REAL_REPO=$PWD/hono npm run bench -- --only real`;

export interface RealHistoryReport {
  model: string;
  repository: string;
  head: string;
  nights: (Night & { base: string })[];
}

const exec = promisify(execFile);

/** Null when `dir` is a git repository holding the pinned head; otherwise why it cannot be used. */
export async function realRepoProblem(dir: string): Promise<string | null> {
  try {
    await exec('git', ['-C', dir, 'cat-file', '-e', `${REAL_REPOSITORY.head}^{commit}`]);
    return null;
  } catch {
    return `${dir} is not a clone of ${REAL_REPOSITORY.name} holding commit ${REAL_REPOSITORY.head.slice(0, 8)}`;
  }
}

export async function realHistoryScenario(args: { repoDir: string }): Promise<void> {
  const problem = await realRepoProblem(args.repoDir);
  if (problem) throw new Error(problem);
  const nights: RealHistoryReport['nights'] = [];
  for (const window of REAL_WINDOWS) {
    // No context-files: a team trying overnight on this repository has no project doc for it yet.
    const result = await night(window.label, args.repoDir, window.base, REAL_REPOSITORY.head, '');
    if (!result) throw new Error(`window ${window.label}: nothing to review between ${window.base} and the head`);
    nights.push({ ...result, base: window.base });
  }
  const figures: RealHistoryReport = {
    model: getTask('code-review').defaultModel,
    repository: REAL_REPOSITORY.name,
    head: REAL_REPOSITORY.head,
    nights,
  };
  report(figures as unknown as Record<string, unknown>);
}
