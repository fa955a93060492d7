// Scenario 9 (issue 19 item 7): what the verification round adds to a night. The pinned windows of
// honojs/hono (scenario 7) reviewed by security-scan end to end: submit, the collect that sends the
// verification round, the collect that publishes, against the Anthropic emulator (its careful default
// model, which reports what its heuristics find and keeps every finding that quotes code). The cost of
// each round is what the emulator's usage says, priced like a real answer (cost/usage.ts): the extra
// cost of verification as a share of the night's first pass, and per verified finding (the share grows
// with the findings a model reports; the per-finding figure lets a team scale it to their own rate).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseConfig } from '../../src/config.js';
import { submit } from '../../src/engine/submit.js';
import { collect } from '../../src/engine/collect.js';
import { startAnthropicEmulator } from '../../src/emulator/anthropic/index.js';
import { benchDeps } from '../engine-deps.js';
import { report } from '../lib.js';
import { REAL_REPOSITORY, REAL_WINDOWS, realRepoProblem } from './real-history.js';

const exec = promisify(execFile);

export interface VerifiedNight {
  label: string;
  files: number;
  findings: number;
  verified: number;
  requests: number;
  firstPassUsd: number;
  verificationUsd: number;
}

/** One window of the real history as a verified security-scan night. */
async function verifiedNight(label: string, source: string, base: string): Promise<VerifiedNight> {
  const scratch = await mkdtemp(join(tmpdir(), 'overnight-bench-verify-'));
  const emulator = await startAnthropicEmulator({ pollsUntilEnded: 0, seed: 19 });
  try {
    // A clone sharing the source's objects, at the pinned head: the source clone is only read.
    const repoDir = join(scratch, 'repo');
    await exec('git', ['clone', '--quiet', '--shared', '--no-checkout', source, repoDir]);
    await exec('git', ['-C', repoDir, 'checkout', '--quiet', '--detach', REAL_REPOSITORY.head]);
    const deps = await benchDeps({ repoDir, baseUrl: emulator.url, workDir: join(scratch, 'work') });
    const env = { ANTHROPIC_API_KEY: 'bench-key' };
    const inputs = { task: 'security-scan', since: base, 'max-files': '1000', 'sarif-path': join(scratch, 'overnight.sarif') };
    const submitted = await submit(parseConfig({ ...inputs, mode: 'submit' }, env), deps);
    if (submitted.status !== 'submitted') throw new Error(`window ${label}: submit ${submitted.status}`);
    const collectConfig = parseConfig({ ...inputs, mode: 'collect', report: 'summary' }, env);
    const first = await collect(collectConfig, deps);
    const second = first.status === 'pending' ? await collect(collectConfig, deps) : first;
    const round = second.rounds[0];
    if (!round) throw new Error(`window ${label}: nothing published`);
    const results = round.results;
    const verification = results.verification;
    const verificationUsd = verification && !verification.skipped ? verification.usage.costUsd : 0;
    return {
      label,
      files: new Set(Object.values((await deps.store.list())[0]!.state.requests).flatMap((r) => r.paths)).size,
      findings: results.findings.length + (verification?.dropped.length ?? 0),
      verified: verification ? verification.checked + verification.unverified : 0,
      requests: verification?.requests ?? 0,
      firstPassUsd: results.usage.costUsd - verificationUsd,
      verificationUsd,
    };
  } finally {
    await emulator.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

export async function verifyScenario(args: { repoDir: string }): Promise<void> {
  const problem = await realRepoProblem(args.repoDir);
  if (problem) throw new Error(problem);
  const nights: VerifiedNight[] = [];
  for (const window of REAL_WINDOWS) nights.push(await verifiedNight(window.label, args.repoDir, window.base));
  report({ repository: REAL_REPOSITORY.name, head: REAL_REPOSITORY.head, nights } as unknown as Record<string, unknown>);
}
