// What the CLI keeps in the user's repository (.overnight/, kept out of git status) and tells about
// it: where each report and the SARIF file went, and outputs.json, the outputs of the last publishing run.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EngineDeps } from '../engine/deps.js';
import type { CliIO } from './index.js';

/**
 * Creates .overnight/ (states, results, the plan) with a `.gitignore` of `*` inside, so that nothing
 * overnight writes into the user's repository shows in `git status`. An existing .gitignore there is
 * left alone; the exclusive create never writes through a planted link.
 */
export async function keepOutOfGit(home: string): Promise<void> {
  await mkdir(home, { recursive: true });
  await writeFile(join(home, '.gitignore'), '*\n', { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
}

/**
 * One `report:` line per published round, and where the SARIF file went when one was written and its
 * reporter did not say so already (security-scan writes it whatever the report targets).
 */
export function printWhereReportsWent(
  rounds: readonly { results: { resultsPath: string }; reports: readonly { target: string }[] }[],
  outputs: Record<string, string>,
  io: CliIO,
): void {
  for (const round of rounds) io.out(`report: ${join(dirname(round.results.resultsPath), 'report.md')}`);
  const told = rounds.some((round) => round.reports.some((r) => r.target === 'sarif'));
  if (outputs['sarif-path'] && !told) io.out(`sarif: SARIF written to ${outputs['sarif-path']}`);
}

/**
 * outputs.json holds the outputs of the last run that published something: a later collect with
 * nothing to do (or still pending) keeps it, so `sarif-path` and `results-path` stay where scripts look.
 */
export async function saveOutputs(deps: EngineDeps, outputs: Record<string, string>, published: boolean): Promise<void> {
  if (!published) return;
  await writeFile(join(deps.context.outputDir, 'outputs.json'), JSON.stringify(outputs, null, 2)).catch(() => undefined);
}
