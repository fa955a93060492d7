// `--max-cost-usd` with a small budget (issue 15, item 4), through the CLI as a user runs it: the
// requests left out are said in ONE stderr line (not a warning per request), the full plan lists each
// left-out file once (under Skipped files, not again under the estimate), and the caching decision
// is made for, and counts, only the requests that are sent.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { startAnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { makeRepo } from './helpers/git-repo.js';
import { TestClock, recordingIO } from './helpers/engine.js';

const API_KEY = 'sk-ant-test-maxcost-0000';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A module of its own directory (one request each) with a few dozen changed lines. */
function moduleSource(n: number): string {
  const lines = [`// Module ${n}: order rules.`];
  for (let i = 0; i < 30; i++)
    lines.push(`export function rule${n}_${i}(total: number): number {`, `  return total * ${i + 1} + ${n};`, '}');
  return `${lines.join('\n')}\n`;
}

async function repositoryOfModules(count: number) {
  const repo = await makeRepo();
  cleanups.push(() => repo.cleanup());
  // A long CLAUDE.md makes the shared prefix worth caching when many requests read it.
  const guide = Array.from(
    { length: 120 },
    (_, i) => `- Rule ${i}: money is integer cents; never round twice; log order ids, not amounts.`,
  );
  await repo.commit(
    { 'CLAUDE.md': `# Team rules\n\n${guide.join('\n')}\n`, 'README.md': '# shop\n' },
    { date: new Date(Date.now() - 3 * 86_400_000) },
  );
  const files: Record<string, string> = {};
  for (let n = 0; n < count; n++) files[`src/area${n}/rules.ts`] = moduleSource(n);
  await repo.commit(files, { message: 'Order rules' });
  return repo;
}

describe('--max-cost-usd with a small budget', () => {
  it('says what it left out in one line, lists each file once, and prices caching on the requests it sends', async () => {
    const emulator = await startAnthropicEmulator({ pollsUntilEnded: 0, apiKeys: [API_KEY] });
    cleanups.push(() => emulator.close());
    const repo = await repositoryOfModules(40);
    const clock = new TestClock();
    const cli = async (...argv: string[]) => {
      const io = recordingIO(repo.dir, { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: emulator.url }, clock);
      const code = await runCli(argv, io);
      return { code, stdout: io.stdout, stderr: io.stderr };
    };

    const full = await cli('submit', '--task', 'code-review', '--since', '24h', '--dry-run');
    expect(full.code, full.stderr.join('\n')).toBe(0);
    const total = Number(/ sent in (\d+) requests/.exec(full.stdout.join('\n'))?.[1]);
    expect(total).toBe(40);
    const fullCost = Number(/^Cost: \$([\d.]+) with the Batches API/m.exec(full.stdout.join('\n'))?.[1]);
    expect(fullCost).toBeGreaterThan(0);

    const small = await cli('submit', '--task', 'code-review', '--since', '24h', '--max-cost-usd', (fullCost / 8).toFixed(4));
    expect(small.code, small.stderr.join('\n')).toBe(0);
    const out = small.stdout.join('\n');
    const sent = Number(/ sent in (\d+) requests?/.exec(out)?.[1]);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(total);
    expect(emulator.batches()[0]!.requests).toHaveLength(sent);

    // One line for every request the budget cut.
    expect(small.stderr).toHaveLength(1);
    expect(small.stderr[0]).toMatch(
      new RegExp(
        `^warning: max-cost-usd \\$[\\d.]+: left out ${total - sent} of ${total} requests \\(${total - sent} files\\), `,
      ),
    );

    // The caching line counts the requests sent, never the ones cut.
    const caching = /^Caching: .*$/m.exec(out)?.[0] ?? '';
    expect(caching).toMatch(new RegExp(`\\b${sent} requests?\\b`));
    expect(caching).not.toMatch(new RegExp(`\\b${total} requests\\b`));

    // The full plan names each file the budget cut once: under Skipped files, as over max-cost-usd.
    const planPath = /^Full plan \(every file and why\): (.+)$/m.exec(out)?.[1] ?? '';
    const plan = await readFile(planPath, 'utf8');
    expect(plan).toContain(`over max-cost-usd** (${total - sent})`);
    expect(plan).toMatch(/^Caching: .*$/m);
    expect(/^Caching: .*$/m.exec(plan)![0]).toMatch(new RegExp(`\\b${sent} requests?\\b`));
    let cut = 0;
    for (let n = 0; n < total; n++) {
      const path = `src/area${n}/rules.ts`;
      const mentions = plan.split(`\`${path}\``).length - 1;
      expect(mentions, path).toBe(1);
      if (!emulator.batches()[0]!.requests.some((r) => JSON.stringify(r.params.messages).includes(path))) cut++;
    }
    expect(cut).toBe(total - sent);
  });
});
