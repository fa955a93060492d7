// No secret leaves the repository: credential files and binaries are never sent, and a secret-looking
// string inside a reviewed source file arrives redacted while the file is still reviewed. Checked on
// every byte the emulator received, and on what overnight saved locally.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import type { RunState } from '../src/state/state.js';
import { makeRepo, type TestRepo } from './helpers/git-repo.js';
import { cliStates, filesUnder, recordingIO } from './helpers/engine.js';

const API_KEY = 'sk-ant-test-secrets-0123456789';

// Values that must never reach the API, each unique enough to search for.
const SECRETS = {
  dotenv: 'sk_live_51HdotenvNeverSent9x8y7z6w5v4u3',
  sshKey: 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQsshNeverSent',
  pem: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCpemNeverSent',
  binary: 'BINARY-PAYLOAD-NeverSent-42',
  awsKeyId: 'AKIAZ3MJQ5RD7XK2PLVW',
  awsSecret: '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',
};

const AWS_SOURCE = [
  "import { S3Client } from '@aws-sdk/client-s3';",
  '',
  'export function uploadClient(): S3Client {',
  '  return new S3Client({',
  "    region: 'eu-west-1',",
  `    credentials: { accessKeyId: '${SECRETS.awsKeyId}', secretAccessKey: '${SECRETS.awsSecret}' },`,
  '  });',
  '}',
  '',
].join('\n');

let emulator: AnthropicEmulator;
let repo: TestRepo;
let exitCodes: number[];
let sentText: string;

/** The secrets of which some 12 consecutive characters appear in `text`. */
function partialLeaks(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, value]) =>
      Array.from({ length: value.length - 11 }, (_, i) => value.slice(i, i + 12)).some((part) => text.includes(part)),
    )
    .map(([name]) => name);
}

function uploadRequest() {
  return emulator
    .batches()
    .flatMap((b) => b.requests)
    .find((r) => JSON.stringify(r.params).includes('path=\\"src/storage/upload.ts\\"'));
}

beforeAll(async () => {
  emulator = await startAnthropicEmulator({ seed: 9, pollsUntilEnded: 0 });
  repo = await makeRepo();
  const binary = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
    Buffer.from(SECRETS.binary),
    Buffer.from([0, 1, 2, 0]),
  ]);
  await repo.commit(
    {
      '.env': `STRIPE_KEY=${SECRETS.dotenv}\n`,
      'config/production.env': `STRIPE_KEY=${SECRETS.dotenv}\n`,
      'deploy/id_rsa': `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRETS.sshKey}\n-----END OPENSSH PRIVATE KEY-----\n`,
      'certs/server.pem': `-----BEGIN PRIVATE KEY-----\n${SECRETS.pem}\n-----END PRIVATE KEY-----\n`,
      'assets/logo.png': binary,
      'src/storage/upload.ts': AWS_SOURCE,
      'src/cart/total.ts':
        'export function total(xs: number[]): number {\n  let t = 0;\n  for (let i = 0; i <= xs.length; i++) t += xs[i];\n  return t;\n}\n',
    },
    { date: new Date(Date.now() - 3_600_000) },
  );
  const env = { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: emulator.url };
  exitCodes = [];
  for (const argv of [['submit', '--since', '24h'], ['collect']]) {
    exitCodes.push(await runCli(argv, recordingIO(repo.dir, env)));
  }
  sentText = JSON.stringify(emulator.batches().map((b) => b.requests));
});

afterAll(async () => {
  await emulator.close();
  await repo.cleanup();
});

describe('what is sent', () => {
  it('the run itself worked', () => {
    expect(exitCodes).toEqual([0, 0]);
    expect(emulator.batches()).toHaveLength(1);
  });

  it('no secret value appears in any request body', () => {
    for (const [name, value] of Object.entries(SECRETS)) expect(sentText, name).not.toContain(value);
  });

  it('credential files and binaries are not sent at all', () => {
    for (const path of ['.env', 'config/production.env', 'deploy/id_rsa', 'certs/server.pem', 'assets/logo.png']) {
      expect(sentText).not.toContain(`path=\\"${path}\\"`);
    }
  });

  it('the source file holding an AWS key is still reviewed, with a marker on the same line', () => {
    const text = JSON.stringify(uploadRequest()!.params);
    expect(text).toMatch(/6\| {5}credentials: \{ accessKeyId: '\[REDACTED:aws\]'/);
    expect(text).toContain("5|     region: 'eu-west-1',");
    expect(text).toContain('8| }');
    expect(sentText).toContain('path=\\"src/cart/total.ts\\"');
  });

  // secretlint's AWSSecretAccessKey range starts at the key name and is as long as the value; taken
  // as it is, the last 18 characters of the secret were sent (redact.ts now widens it to the token).
  it('no part of any secret is sent, not even the tail of an AWS secret access key', () => {
    expect(partialLeaks(sentText)).toEqual([]);
  });

  it('the AWS secret is replaced exactly, keeping the code around it', () => {
    expect(JSON.stringify(uploadRequest()!.params)).toMatch(
      /6\| {5}credentials: \{ accessKeyId: '\[REDACTED:[a-z-]+\]', secretAccessKey: '\[REDACTED:[a-z-]+\]' \},/,
    );
  });
});

describe('what is saved', () => {
  it('the state records the skipped files and the redactions, and holds no secret', async () => {
    const [state] = (await cliStates(repo.dir)) as RunState[];
    const skipped = Object.fromEntries(state!.skipped.map((s) => [s.path, s.reason]));
    expect(skipped).toMatchObject({
      '.env': 'credential',
      'config/production.env': 'credential',
      'deploy/id_rsa': 'credential',
      'certs/server.pem': 'credential',
      'assets/logo.png': 'binary',
    });
    expect(state!.redactions).toBeGreaterThanOrEqual(2);
    const paths = Object.values(state!.requests)
      .flatMap((r) => r.paths)
      .sort();
    expect(paths).toEqual(['src/cart/total.ts', 'src/storage/upload.ts']);
  });

  // Collect reads reviewed files back from git and scans them again, except those listed clean.
  it('the state lists the file without secrets as clean, and not the file holding the AWS key', async () => {
    const [state] = (await cliStates(repo.dir)) as RunState[];
    const hashOf = (path: string): string =>
      Object.values(state!.requests).find((r) => r.paths.includes(path))!.contentHashes[path]!;
    expect(state!.cleanHashes).toContain(hashOf('src/cart/total.ts'));
    expect(state!.cleanHashes).not.toContain(hashOf('src/storage/upload.ts'));
  });

  it('nothing overnight wrote (state, results, reports) holds a whole secret', async () => {
    const written = await filesUnder(join(repo.dir, '.overnight'));
    expect(written.some((p) => p.endsWith('report.md'))).toBe(true);
    for (const path of written) {
      const text = await readFile(path, 'utf8');
      for (const [name, value] of Object.entries(SECRETS)) expect(text, `${name} in ${path}`).not.toContain(value);
    }
  });
});
