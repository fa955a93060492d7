// Scenario 1: gather + plan + serialise over a synthetic repository with N changed files, through the
// engine's own prepareWork (gatherChanges, planUnits, planRequests, estimate), then the state document
// and the batch split (which serialises every request to size it).
import { splitIntoBatches } from '../../src/batch/client.js';
import { parseConfig } from '../../src/config.js';
import { newState, prepareWork } from '../../src/engine/submit.js';
import { benchDeps } from '../engine-deps.js';
import { report, since } from '../lib.js';

export async function gatherScenario(args: { dir: string; baseSha: string }): Promise<void> {
  const config = parseConfig({ task: 'code-review', since: args.baseSha, 'max-files': '100000', 'dry-run': 'true' }, {});
  const deps = await benchDeps({ repoDir: args.dir });
  const start = performance.now();
  const work = await prepareWork(config, deps, false);
  const preparedMs = since(start);
  const serialiseStart = performance.now();
  const stateJson = JSON.stringify(newState(work, deps));
  const batches = splitIntoBatches(work.requests);
  const serialiseMs = since(serialiseStart);
  report({
    totalMs: since(start),
    preparedMs,
    serialiseMs,
    files: work.changeSet.files.length,
    skipped: work.changeSet.skipped.length,
    requests: work.requests.length,
    batches: batches.length,
    stateMB: Buffer.byteLength(stateJson) / 1024 / 1024,
  });
}
