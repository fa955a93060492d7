// `overnight demo`: the whole product on one machine with no key and no network. It builds a sample
// repository with a day of commits, starts the bundled Anthropic emulator in-process, runs submit and
// collect as two separate steps (as two nightly workflow runs would) and shows the report.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startAnthropicEmulator } from '../emulator/anthropic/index.js';
import { parseConfig } from '../config.js';
import { submit } from '../engine/submit.js';
import { collect } from '../engine/collect.js';
import type { Logger } from '../types.js';
import { buildSampleRepository } from './sample-repo.js';
import { cliDeps, type CliIO } from './index.js';
import { plural } from '../reports/format.js';

export async function runDemo(io: CliIO, log: Logger): Promise<number> {
  const root = await mkdtemp(join(tmpdir(), 'overnight-demo-'));
  const repo = join(root, 'shop');
  buildSampleRepository(repo);
  io.out(`sample repository: ${repo} (3 commits, 2 in the last 24h; removed when the demo ends)`);
  const emulator = await startAnthropicEmulator({ pollsUntilEnded: 2 });
  io.out(`Anthropic API emulator: ${emulator.url}`);
  try {
    const env = { ...io.env, ANTHROPIC_API_KEY: 'demo-key', ANTHROPIC_BASE_URL: emulator.url };
    const local = { repo, verbose: false, help: false };
    const demoIO = { ...io, cwd: repo, env };

    io.out('\n── night: overnight submit --task code-review --since 24h');
    const submitConfig = parseConfig({ mode: 'submit', task: 'code-review', since: '24h' }, env);
    const submitDeps = await cliDeps(submitConfig, local, demoIO, log);
    const submitted = await submit(submitConfig, submitDeps);
    io.out(
      `submitted ${plural(submitted.requestCount, 'request')} as ${submitted.batchIds.join(', ')}; estimated $${submitted.estimate?.batchUsd.toFixed(4)}`,
    );

    io.out('\n── morning: overnight collect --wait 5');
    const collectConfig = parseConfig({ mode: 'collect', task: '', 'wait-minutes': '5' }, env);
    const collectDeps = await cliDeps(collectConfig, local, demoIO, log);
    collectDeps.pollIntervalMs = { first: 50, max: 200 };
    const collected = await collect(collectConfig, collectDeps);
    const state = collected.states[0];
    if (!state?.results) {
      io.err('error: the demo batch did not end; this is a bug in overnight');
      return 1;
    }
    // The report sits next to the round's results (as the collect command prints it).
    const reportPath = join(dirname(state.results.resultsPath), 'report.md');
    const r = state.results;
    io.out(`\n── report: ${reportPath}`);
    io.out(
      `${plural(r.findings.length, 'finding')} in ${plural(new Set(r.findings.map((f) => f.path)).size, 'file')}, ${r.failures.length} failed, cost $${r.usage.costUsd.toFixed(4)} (saved $${r.usage.savingsUsd.toFixed(4)} against interactive calls)`,
    );
    for (const f of r.findings) io.out(`  [${f.severity}] ${f.path}:${f.startLine} ${f.title}`);
    io.out(`\n${await readFile(reportPath, 'utf8')}`);
    return 0;
  } finally {
    await emulator.close();
    // The report was printed in full: the sample repository (and its results) is not left in tmp.
    await rm(root, { recursive: true, force: true });
  }
}
