// The secrets corpus (test/helpers/secrets-corpus.ts: every kind of issue 12 item 5, generated from
// the formats' specifications) committed to a repository and submitted through the real CLI against
// the Anthropic emulator: no secret value reaches any request body, credential data files are not
// sent at all, and every other file is still reviewed. The files are committed twice with different
// values (a rotation), so the base contents and the diffs sent with them hold secrets too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import type { RunState } from '../src/state/state.js';
import { cliStates, recordingIO } from './helpers/engine.js';
import { makeRepo, type TestRepo } from './helpers/git-repo.js';
import { buildSecretsCorpus } from './helpers/secrets-corpus.js';

const corpus = buildSecretsCorpus();
/** The same files with other values, committed before the window: the base of every change. */
const previous = buildSecretsCorpus(1);
let emulator: AnthropicEmulator;
let repo: TestRepo;
let exitCode: number;
/** Every string of every request the emulator received, as text (JSON would escape line breaks). */
let sentText: string;

function stringsOf(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, out);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) stringsOf(item, out);
  return out;
}

beforeAll(async () => {
  emulator = await startAnthropicEmulator({ seed: 12, pollsUntilEnded: 0 });
  repo = await makeRepo();
  await repo.commit({ 'README.md': '# app\n', ...previous.files }, { date: new Date(Date.now() - 3 * 86_400_000) });
  await repo.commit(corpus.files, { date: new Date(Date.now() - 3_600_000) });
  const env = { ANTHROPIC_API_KEY: 'sk-ant-test-corpus-0123456789', ANTHROPIC_BASE_URL: emulator.url };
  // refactor-validation sends each changed file with its base content and its diff.
  exitCode = await runCli(['submit', '--task', 'refactor-validation', '--since', '24h'], recordingIO(repo.dir, env));
  const requests = emulator.batches().flatMap((b) => b.requests);
  sentText = stringsOf(
    requests.map((r) => r.params),
    [],
  ).join('\n');
});

afterAll(async () => {
  await emulator.close();
  await repo.cleanup();
});

describe('the secrets corpus, submitted', () => {
  it('was submitted', () => {
    expect(exitCode).toBe(0);
    expect(emulator.batches()).toHaveLength(1);
  });

  it('0 secret values appear in any request body (head, base or diff)', () => {
    const all = [...corpus.secrets, ...previous.secrets];
    expect(new Set(all.map((s) => s.value)).size).toBe(all.length);
    const leaked = all.filter((s) => sentText.includes(s.value)).map((s) => `${s.kind} (${s.path})`);
    expect(leaked).toEqual([]);
  });

  it('the changes were sent with their base and diff (so the check covers them)', () => {
    expect(sentText).toMatch(/^[-+]/m);
    expect(sentText).toContain('[REDACTED:');
  });

  it('credential data files are skipped unread; every other file is reviewed', async () => {
    const [state] = (await cliStates(repo.dir)) as RunState[];
    const skipped = Object.fromEntries(state!.skipped.map((s) => [s.path, s.reason]));
    for (const path of corpus.credentialPaths) expect(skipped[path], path).toBe('credential');
    const sent = new Set(Object.values(state!.requests).flatMap((r) => r.paths));
    // refactor-validation leaves prose out (certs/README.md); every other file is sent.
    const reviewed = Object.keys(corpus.files).filter((p) => !corpus.credentialPaths.includes(p) && !p.endsWith('.md'));
    expect(reviewed.filter((p) => !sent.has(p))).toEqual([]);
    // Every secret in a file that was sent was redacted (a file left unsent is never read, so never redacted).
    expect(state!.redactions).toBeGreaterThanOrEqual(corpus.secrets.filter((s) => sent.has(s.path)).length);
  });
});
