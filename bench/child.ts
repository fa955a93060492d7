// One benchmark scenario in its own process: `node --import tsx bench/child.ts <scenario> '<json args>'`.
// The scenario prints its figures (with this process's peak RSS) as one BENCH_RESULT line.
import { gatherScenario } from './scenarios/gather.js';
import { submitScenario } from './scenarios/submit.js';
import { collectScenario, collectSetup } from './scenarios/collect.js';
import { githubScenario } from './scenarios/github.js';
import { pollsScenario } from './scenarios/polls.js';
import { costScenario } from './scenarios/cost.js';
import { realHistoryScenario } from './scenarios/real-history.js';
import { verifyScenario } from './scenarios/verify.js';
import { startHeapProfile } from './lib.js';

const scenarios: Record<string, (args: never) => Promise<void>> = {
  noop: async () => {
    const { report } = await import('./lib.js');
    report({});
  },
  gather: gatherScenario,
  submit: submitScenario,
  'collect-setup': collectSetup,
  collect: collectScenario,
  github: githubScenario,
  polls: pollsScenario,
  cost: costScenario,
  real: realHistoryScenario,
  verify: verifyScenario,
};

const [name, json] = process.argv.slice(2);
const run = name ? scenarios[name] : undefined;
if (!run) {
  process.stderr.write(`unknown scenario ${name}; one of ${Object.keys(scenarios).join(', ')}\n`);
  process.exit(2);
}
const stopProfile = await startHeapProfile(name!);
run(JSON.parse(json ?? '{}') as never).then(
  async () => {
    await stopProfile?.();
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
