// Hard budgets (issue 16 item 4): max-cost-usd caps a night, resubmissions included (what would pass
// it is not sent, and is reported); budget-strict prices at max_tokens; monthly-budget-usd, tracked in
// a signed ledger, stops the next submit with one line and exit code 1 once the month is spent.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { recordsCostUsd } from '../src/cost/budget.js';
import { resolvePrice } from '../src/cost/prices.js';
import { startAnthropicEmulator } from '../src/emulator/anthropic/index.js';
import type { RunState } from '../src/state/state.js';
import { makeRepo } from './helpers/git-repo.js';
import { TestClock, cliStates, echoResponder, recordingIO, reportRounds, testConfig, testEngine } from './helpers/engine.js';
import { prepareWork } from '../src/engine/submit.js';

const API_KEY = 'sk-ant-test-budget-0123456789';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MODULES = ['api', 'billing', 'cart', 'search', 'users', 'mail'] as const;

async function setup() {
  const emulator = await startAnthropicEmulator({ seed: 7, pollsUntilEnded: 0, responder: echoResponder });
  const repo = await makeRepo();
  cleanups.push(
    () => repo.cleanup(),
    () => emulator.close(),
  );
  await repo.commit(
    Object.fromEntries(
      MODULES.map((m) => [
        `src/${m}/index.ts`,
        `export function ${m}Handler(input: string): string {\n  return input.trim() + '${m}';\n}\n`,
      ]),
    ),
    { date: new Date(Date.now() - 3_600_000) },
  );
  const clock = new TestClock();
  const cli = async (...argv: string[]) => {
    const io = recordingIO(repo.dir, { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: emulator.url }, clock);
    const code = await runCli(argv, io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  };
  return { emulator, repo: repo.dir, clock, cli };
}

/** The submit's estimate of the whole plan, as a real submit computes it (counted through the emulator). */
async function estimateOf(repo: string, baseUrl: string): Promise<number> {
  return (await planOf(repo, baseUrl)).estimate.batchUsd;
}

async function planOf(repo: string, baseUrl: string) {
  const engine = await testEngine({ repoDir: repo, baseUrl, apiKey: API_KEY });
  try {
    const config = testConfig({ mode: 'submit', task: 'code-review', since: '24h' }, { ANTHROPIC_API_KEY: API_KEY });
    return await prepareWork(config, engine.deps, true);
  } finally {
    await engine.cleanup();
  }
}

const idsOf = (state: RunState, modules: readonly string[]): string[] =>
  modules.map((m) => Object.entries(state.requests).find(([, r]) => r.paths.includes(`src/${m}/index.ts`))![0]);

describe('max-cost-usd over a night', () => {
  it('resubmissions that would pass the cap are not sent and are reported', async () => {
    const { emulator, repo, cli } = await setup();
    expect((await cli('submit', '--since', '24h', '--max-cost-usd', '5')).code).toBe(0);
    const [state] = await cliStates(repo);
    const committed = state!.budget!.committedUsd;
    expect(committed).toBeGreaterThan(0);
    expect(state!.budget!.maxCostUsd).toBe(5);
    const failing = idsOf(state!, ['api', 'billing', 'cart']);
    for (const id of failing) emulator.faults.result(id, { type: 'errored', errorType: 'api_error', times: 1 });
    // Room for one resubmission and a half, at batch rates.
    const one = recordsCostUsd([state!.requests[failing[0]!]!], {
      price: resolvePrice(state!.model)!,
      batch: true,
      strict: false,
      maxOutputTokens: state!.maxOutputTokens,
    });
    const cap = committed + one * 1.5;

    const collected = await cli('collect', '--max-retries', '2', '--max-cost-usd', String(cap));
    expect(collected.code).toBe(0);
    // One request resubmitted (what fits), two reported instead of sent.
    expect(emulator.calls['batches.create']).toBe(2);
    const resubmitted = emulator.batches()[1]!.requests.map((r) => r.custom_id);
    expect(resubmitted).toHaveLength(1);
    expect(failing).toContain(resubmitted[0]);
    expect(collected.stderr.filter((l) => /2 failed requests not resubmitted: max-cost-usd/.test(l))).toHaveLength(1);
    const [round] = await reportRounds(join(repo, '.overnight', 'results'));
    const report = await readFile(join(round!, 'report.md'), 'utf8');
    const json = JSON.parse(await readFile(join(round!, 'results.json'), 'utf8')) as {
      failures: { customId: string; reason: string }[];
      budget: { committedUsd: number; budgetCut: number };
    };
    const cut = failing.filter((id) => id !== resubmitted[0]).sort();
    expect(json.failures.map((f) => f.customId).sort()).toEqual(cut);
    for (const failure of json.failures) expect(failure.reason).toMatch(/^not resubmitted: max-cost-usd .* leaves \$/);
    expect(json.budget.budgetCut).toBe(2);
    expect(report).toMatch(/2 failed requests not resubmitted: the budget had no room for them/);
    expect(report).toMatch(/Budget: \$[0-9.]+ of max-cost-usd \$5\.00 committed tonight \(estimated\)/);
    // The night's committed total stays within the cap, and the files cut come again next night.
    const [after] = await cliStates(repo);
    expect(after!.budget!.committedUsd).toBeGreaterThan(committed);
    expect(after!.budget!.committedUsd).toBeLessThanOrEqual(cap + 1e-12);
    for (const id of cut) expect(after!.requests[id]!.failed).toBe(true);
  });

  it("the submit's own cap holds at collect: with nothing left, no failure is resubmitted", async () => {
    const { emulator, repo, cli } = await setup();
    // Probe the estimate, then submit with a cap that the submit itself fills.
    const estimated = await estimateOf(repo, emulator.url);
    expect((await cli('submit', '--since', '24h', '--max-cost-usd', String(estimated + 0.0001))).code).toBe(0);
    const [state] = await cliStates(repo);
    expect(Object.keys(state!.requests)).toHaveLength(MODULES.length);
    for (const id of idsOf(state!, ['api'])) emulator.faults.result(id, { type: 'expired' });
    expect((await cli('collect', '--max-retries', '2')).code).toBe(0);
    expect(emulator.calls['batches.create']).toBe(1);
    const [round] = await reportRounds(join(repo, '.overnight', 'results'));
    expect(await readFile(join(round!, 'report.md'), 'utf8')).toMatch(/1 failed request not resubmitted/);
  });

  it('budget-strict prices the worst case (max_tokens of output): the same cap keeps fewer requests', async () => {
    const { emulator, repo, cli } = await setup();
    const work = await planOf(repo, emulator.url);
    // Half of what every request could cost at its max_tokens: room for the expected cost of all of them.
    const worstCase = recordsCostUsd(
      work.requests.map((r) => r.record),
      { price: resolvePrice(work.model)!, batch: true, strict: true, maxOutputTokens: work.maxOutputTokens },
    );
    const cap = String(Math.max(work.estimate.batchUsd * 1.01, worstCase / 2));
    expect(work.estimate.batchUsd).toBeLessThan(Number(cap));
    const strict = await cli('submit', '--since', '24h', '--max-cost-usd', cap, '--budget-strict', 'true');
    expect(strict.code).toBe(0);
    const [state] = await cliStates(repo);
    const sent = Object.keys(state!.requests).length;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(MODULES.length);
    expect(state!.budget).toMatchObject({ strict: true, maxCostUsd: Number(cap) });
    expect(state!.budget!.committedUsd).toBeLessThanOrEqual(Number(cap));
    expect(emulator.batches()[0]!.requests).toHaveLength(sent);
  });
});

describe('monthly-budget-usd', () => {
  it('once the month is spent, the next submit stops with one line and exit code 1, and sends nothing', async () => {
    const { emulator, repo, clock, cli } = await setup();
    expect((await cli('submit', '--since', '24h', '--monthly-budget-usd', '100')).code).toBe(0);
    const [state] = await cliStates(repo);
    const spent = state!.budget!.committedUsd;
    const ledgerPath = join(repo, '.overnight', 'ledger.json');
    const ledgerText = await readFile(ledgerPath, 'utf8');
    const ledger = JSON.parse(JSON.parse(ledgerText).ledger as string) as { months: Record<string, { spentUsd: number }> };
    const month = clock.now().toISOString().slice(0, 7);
    expect(ledger.months[month]!.spentUsd).toBeCloseTo(spent, 12);

    // A budget the month has already used up: refused before anything is gathered or sent.
    const refused = await cli('submit', '--since', '24h', '--monthly-budget-usd', String(spent / 2));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toHaveLength(1);
    expect(refused.stderr[0]).toMatch(
      new RegExp(
        `^error: monthly-budget-usd: \\$[0-9.]+ of \\$[0-9.]+ already committed in ${month} \\(ledger file .*ledger\\.json\\); nothing submitted: raise monthly-budget-usd or wait until \\d{4}-\\d{2}$`,
      ),
    );
    expect(emulator.calls['batches.create']).toBe(1);
    expect(await cliStates(repo)).toHaveLength(1);
    // The note is in the plan file too (the job summary in the action).
    expect(await readFile(join(repo, '.overnight', 'results', 'plan.md'), 'utf8')).toMatch(/monthly budget reached/);

    // A ledger edited by hand is not believed (its signature fails): one warning, and it counts nothing.
    await writeFile(ledgerPath, ledgerText.replace(/"signature":"hmac-sha256:[0-9a-f]{4}/, '"signature":"hmac-sha256:0000'));
    const forged = await cli('submit', '--since', '24h', '--monthly-budget-usd', String(spent / 2), '--dry-run');
    expect(forged.stderr.some((l) => /ledger file .* ignored: it has a signature that does not verify/.test(l))).toBe(true);

    // Next month the budget is there again.
    await writeFile(ledgerPath, ledgerText);
    await clock.sleep(40 * 86_400_000);
    const nextMonth = await cli('submit', '--since', '24h', '--monthly-budget-usd', String(spent / 2));
    expect(nextMonth.code).toBe(0);
    expect(nextMonth.stderr.join('\n')).not.toMatch(/monthly-budget-usd/);
  });
});
