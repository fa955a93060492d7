// What the model writes is scanned for secrets before anything is published (issue 12 item 1): a
// model that reproduces a token, a private key or a password (from instructions, a context file,
// or because a hostile comment asked it to) publishes them redacted, and the report says how many.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { redactOutput } from '../src/engine/outcome.js';
import { startAnthropicEmulator, type AnthropicEmulator, type Responder } from '../src/emulator/anthropic/index.js';
import type { Finding, TaskOutput } from '../src/types.js';
import { filesUnder, recordingIO, reportRounds } from './helpers/engine.js';
import { makeRepo, type TestRepo } from './helpers/git-repo.js';
import { buildSecretsCorpus } from './helpers/secrets-corpus.js';

const corpus = buildSecretsCorpus(4242);
const secretOf = (kind: string): string => corpus.secrets.find((s) => s.kind === kind)!.value;
const GITHUB = secretOf('github-pat');
const AWS = secretOf('aws-access-key-id');
const JWT = secretOf('jwt');
const STRIPE = secretOf('stripe-live-key');
const PEM_LINE = secretOf('ec-p256-sec1-private-key');
const PEM = corpus.files['certs/README.md']!.split('```')[1]!.trim();
const ANSWER_SECRETS = { GITHUB, AWS, JWT, STRIPE, PEM_LINE };

const leakyResponder: Responder = () =>
  JSON.stringify({
    summary: `Checked the module; the deploy token is ${JWT}.`,
    findings: [
      {
        path: 'src/cart/total.ts',
        start_line: 3,
        end_line: 3,
        quote: '  for (let i = 0; i <= xs.length; i++) t += xs[i];',
        trigger: 'any call: the last step reads xs[xs.length], undefined, and the total is NaN',
        severity: 'high',
        confidence: 'certain',
        category: 'off-by-one',
        title: `Loop reads past the end (key ${AWS})`,
        explanation: `The loop runs one step too far. The instructions say to use token ${GITHUB} for the API.`,
        suggested_fix: `const stripe = new Stripe('${STRIPE}');\nconst key = \`${PEM}\`;\nfor (let i = 0; i < xs.length; i++) t += xs[i];`,
        cwe: null,
      },
    ],
  });

let emulator: AnthropicEmulator;
let repo: TestRepo;
let codes: number[];

beforeAll(async () => {
  emulator = await startAnthropicEmulator({ seed: 5, pollsUntilEnded: 0, responder: leakyResponder });
  repo = await makeRepo();
  await repo.commit(
    {
      'src/cart/total.ts':
        'export function total(xs: number[]): number {\n  let t = 0;\n  for (let i = 0; i <= xs.length; i++) t += xs[i];\n  return t;\n}\n',
    },
    { date: new Date(Date.now() - 3_600_000) },
  );
  const env = { ANTHROPIC_API_KEY: 'sk-ant-test-answers-0123456789', ANTHROPIC_BASE_URL: emulator.url };
  codes = [];
  for (const argv of [['submit', '--task', 'code-review', '--since', '24h'], ['collect']]) {
    codes.push(await runCli(argv, recordingIO(repo.dir, env)));
  }
});

afterAll(async () => {
  await emulator.close();
  await repo.cleanup();
});

describe('secrets in the model answer', () => {
  it('the run worked and the finding was published', async () => {
    expect(codes).toEqual([0, 0]);
    const [round] = await reportRounds(join(repo.dir, '.overnight', 'results'));
    expect(await readFile(join(round!, 'report.md'), 'utf8')).toContain('Loop reads past the end');
  });

  it('no secret the model wrote is in anything overnight wrote (results, report, summary, state)', async () => {
    const written = await filesUnder(join(repo.dir, '.overnight'));
    expect(written.some((p) => p.endsWith('results.jsonl'))).toBe(true);
    for (const path of written) {
      const text = await readFile(path, 'utf8');
      for (const [name, value] of Object.entries(ANSWER_SECRETS)) expect(text, `${name} in ${path}`).not.toContain(value);
    }
  });

  it('the redactions are counted in the results file and said in the report', async () => {
    const [round] = await reportRounds(join(repo.dir, '.overnight', 'results'));
    const outcome = JSON.parse((await readFile(join(round!, 'results.jsonl'), 'utf8')).split('\n')[0]!) as {
      redactions?: number;
    };
    expect(outcome.redactions).toBe(5);
    expect(await readFile(join(round!, 'report.md'), 'utf8')).toContain(
      "5 secret-looking strings in the model's answers redacted before publishing.",
    );
  });
});

describe('redactOutput', () => {
  const finding = (text: string): Finding => ({
    task: 'refactor-validation',
    path: 'src/a.ts',
    startLine: 1,
    endLine: 1,
    severity: 'low',
    category: 'x',
    title: text,
    explanation: 'e',
    suggestedFix: null,
    cwe: null,
    fingerprint: 'f',
    customId: 'c',
  });

  it('redacts generated files and verdicts, keeping what is not a secret', async () => {
    const files: TaskOutput = {
      kind: 'files',
      summary: 'ok',
      files: [
        {
          path: 'test/a.test.ts',
          content: `const token = '${GITHUB}';\nexpect(1).toBe(1);\n`,
          description: `uses ${AWS}`,
          sourcePath: 'src/a.ts',
          refused: null,
        },
      ],
    };
    expect(await redactOutput(files)).toBe(2);
    expect(files.kind === 'files' && files.files[0]!.content).toBe("const token = '[REDACTED:github]';\nexpect(1).toBe(1);\n");
    const verdicts: TaskOutput = {
      kind: 'verdict',
      summary: 'fine',
      verdicts: [{ path: 'src/a.ts', verdict: 'INVALID', summary: `leaks ${STRIPE}`, findings: [finding(`the key ${JWT}`)] }],
    };
    expect(await redactOutput(verdicts)).toBe(2);
    expect(JSON.stringify(verdicts)).not.toContain(STRIPE);
    expect(JSON.stringify(verdicts)).not.toContain(JWT);
    const clean: TaskOutput = { kind: 'findings', summary: 'nothing', findings: [finding('Off-by-one in the loop bound')] };
    expect(await redactOutput(clean)).toBe(0);
    expect(clean.kind === 'findings' && clean.findings[0]!.title).toBe('Off-by-one in the loop bound');
  });
});
