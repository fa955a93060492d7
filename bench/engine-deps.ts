// EngineDeps for benchmark children: a quiet logger, a signed file state store in a temporary directory and,
// when a base URL is given, the real BatchClient against the Anthropic emulator.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { BatchClient } from '../src/batch/client.js';
import type { EngineDeps } from '../src/engine/deps.js';
import type { GitHubContext } from '../src/github/context.js';
import { FileStateStore } from '../src/state/file-store.js';
import { StateSigner } from '../src/state/signing.js';
import type { Logger } from '../src/types.js';

export const quietLog: Logger = { debug() {}, info() {}, warning() {}, error() {} };

/** A logger that keeps warnings (a benchmark that silently hides a warning would mislead). */
export function collectingLog(): { log: Logger; warnings: string[] } {
  const warnings: string[] = [];
  return { log: { debug() {}, info() {}, warning: (m) => void warnings.push(m), error: (m) => void warnings.push(m) }, warnings };
}

export interface BenchDepsOptions {
  repoDir: string;
  baseUrl?: string;
  workDir?: string;
  github?: GitHubContext | null;
  log?: Logger;
  pullRequest?: EngineDeps['context']['pullRequest'];
}

export async function benchDeps(options: BenchDepsOptions): Promise<EngineDeps & { workDir: string }> {
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'overnight-bench-work-')));
  const log = options.log ?? quietLog;
  return {
    workDir,
    log,
    now: () => new Date(),
    anthropic: () => {
      if (!options.baseUrl) throw new Error('no emulator URL given');
      return new BatchClient({ apiKey: 'bench-key', baseURL: options.baseUrl, log, timeoutMs: 10 * 60_000 });
    },
    // Signed and checked as with a real key: the signature is part of reading a state.
    store: new FileStateStore({
      dir: join(workDir, 'states'),
      resultsDir: join(workDir, 'saved'),
      signer: StateSigner.fromApiKey('bench-key'),
      log,
    }),
    github: options.github ?? null,
    context: {
      event: 'schedule',
      repository: `bench/${basename(options.repoDir)}`,
      serverUrl: 'https://github.com',
      cwd: options.repoDir,
      pullRequest: options.pullRequest ?? null,
      ref: 'refs/heads/main',
      runLabel: 'bench',
      outputDir: join(workDir, 'results'),
    },
    setOutput: () => undefined,
    jobSummary: async () => undefined,
  };
}
