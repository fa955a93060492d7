// What the gather tests share: a clock, repositories removed after each test, and the options
// gatherChanges takes with everything but the repository defaulted.
import { afterEach } from 'vitest';
import { parseSince, type GatherOptions } from '../../src/gather/index.js';
import type { ChangeSet } from '../../src/types.js';
import { makeRepo, type TestRepo } from './git-repo.js';

export const NOW = new Date('2026-11-10T12:00:00Z');
export const hoursAgo = (hours: number): Date => new Date(NOW.getTime() - hours * 3_600_000);

/** Registers cleanup for this test file and returns a maker of fresh repositories. */
export function repositoriesRemovedAfterEach(): () => Promise<TestRepo> {
  const repos: TestRepo[] = [];
  afterEach(async () => {
    await Promise.all(repos.splice(0).map((repo) => repo.cleanup()));
  });
  return async () => {
    const repo = await makeRepo();
    repos.push(repo);
    return repo;
  };
}

export function gatherOptions(repo: TestRepo, overrides: Partial<GatherOptions> = {}): GatherOptions {
  return {
    cwd: repo.dir,
    since: parseSince('24h'),
    include: [],
    exclude: [],
    maxFiles: 100,
    maxFileBytes: 200_000,
    contextFiles: [],
    now: NOW,
    repository: 'acme/widgets',
    ...overrides,
  };
}

export const paths = (set: ChangeSet): string[] => set.files.map((file) => file.path);
export const lines = (n: number, label = 'line'): string =>
  Array.from({ length: n }, (_, i) => `${label} ${i + 1}`).join('\n') + '\n';
