// fail-on-severity (issue 15, item 5): collect and run fail with one line when a published finding is
// at or above it, after everything is published (the report written, the state collected).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleCli } from './helpers/cli.js';
import { reportRounds } from './helpers/engine.js';

const API_KEY = 'sk-ant-test-gate-0123456789';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const setup = () => sampleCli(API_KEY, cleanups, { seed: 23 });
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

async function publishedSeverities(repo: string): Promise<string[]> {
  const rounds = await reportRounds(join(repo, '.overnight', 'results'));
  const results = await Promise.all(
    rounds.map(async (r) => JSON.parse(await readFile(join(r, 'results.json'), 'utf8')) as { findings: { severity: string }[] }),
  );
  return results.flatMap((r) => r.findings.map((f) => f.severity));
}

describe('fail-on-severity', () => {
  it('collect: exit 1 with one line after the report is written; the next collect has nothing to do', async () => {
    const { cli, repo } = await setup();
    expect((await cli('submit', '--task', 'code-review', '--since', '24h')).code).toBe(0);
    const collected = await cli('collect', '--fail-on-severity', 'low');
    const severities = await publishedSeverities(repo);
    expect(severities.filter((s) => s !== 'info').length).toBeGreaterThan(0);
    expect(collected.code).toBe(1);
    expect(collected.stderr).toHaveLength(1);
    const counted = SEVERITIES.filter((s) => s !== 'info' && severities.includes(s))
      .map((s) => `${severities.filter((x) => x === s).length} ${s}`)
      .join(', ');
    expect(collected.stderr[0]).toMatch(
      new RegExp(`^error: fail-on-severity low: \\d+ published findings? (is|are) at or above low \\(${counted}\\)$`),
    );
    // Published first: the report is there, and the state is collected.
    expect(collected.stdout.some((l) => /^report: .*report\.md$/.test(l))).toBe(true);
    const again = await cli('collect');
    expect(again.code).toBe(0);
    expect(again.stdout.join('\n')).toMatch(/nothing to collect/);
  });

  it("run: none (the default) and a level above every finding pass; the worst finding's level fails", async () => {
    const { cli, repo } = await setup();
    expect((await cli('run', '--task', 'code-review', '--since', '24h')).code).toBe(0);
    const severities = await publishedSeverities(repo);
    const worst = SEVERITIES.find((s) => severities.includes(s))!;
    expect(worst).not.toBe('info');
    const above = SEVERITIES[SEVERITIES.indexOf(worst) - 1];
    if (above) expect((await cli('run', '--task', 'code-review', '--since', '24h', '--fail-on-severity', above)).code).toBe(0);
    const failing = await cli('run', '--task', 'code-review', '--since', '24h', '--fail-on-severity', worst);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toEqual([expect.stringMatching(new RegExp(`^error: fail-on-severity ${worst}: `))]);
  });

  it('a value it does not know: exit 2, one line naming the values', async () => {
    const { cli } = await setup();
    const result = await cli('collect', '--fail-on-severity', 'info');
    expect(result.code).toBe(2);
    expect(result.stderr).toEqual([
      "error: fail-on-severity: unknown value 'info'; use one of none, critical, high, medium, low",
    ]);
  });
});
