// Redaction of every kind of secret the corpus holds (generated from the formats' specifications),
// that no comment in a file can switch off, and what must NOT be redacted (content hashes, git
// SHAs, UUIDs, placeholders, references to the environment, public keys).
import { describe, expect, it } from 'vitest';
import { isCredentialPath } from '../src/gather/credentials.js';
import { mayHoldSecret, redactSecrets } from '../src/gather/redact.js';
import { buildSecretsCorpus } from './helpers/secrets-corpus.js';

const corpus = buildSecretsCorpus();
const reviewed = Object.entries(corpus.files).filter(([path]) => !corpus.credentialPaths.includes(path));

describe('the secrets corpus', () => {
  it('holds at least 80 secrets of at least 30 kinds, in every file format', () => {
    expect(corpus.secrets.length).toBeGreaterThanOrEqual(80);
    expect(new Set(corpus.secrets.map((s) => s.kind)).size).toBeGreaterThanOrEqual(30);
    const extensions = new Set(Object.keys(corpus.files).map((p) => p.replace(/^.*\//, '').replace(/^[^.]*\.?/, '')));
    for (const ext of ['ts', 'js', 'py', 'php', 'java', 'go', 'json', 'yaml', 'yml', 'xml', 'sh', 'properties', 'tf', 'md']) {
      expect(
        [...extensions].some((e) => e.endsWith(ext)),
        ext,
      ).toBe(true);
    }
  });

  it('is the same for the same seed and different for another', () => {
    expect(buildSecretsCorpus().secrets).toEqual(corpus.secrets);
    expect(buildSecretsCorpus(7).secrets.map((s) => s.value)).not.toEqual(corpus.secrets.map((s) => s.value));
  });

  it('its .env-style and other credential data files are credential paths', () => {
    expect(corpus.credentialPaths.length).toBeGreaterThanOrEqual(10);
    for (const path of corpus.credentialPaths) expect(isCredentialPath(path), path).toBe(true);
    for (const [path] of reviewed) expect(isCredentialPath(path), path).toBe(false);
  });
});

describe('redactSecrets on the corpus', () => {
  it.each(reviewed)('%s: every secret is replaced, the line count kept', async (path, content) => {
    const redacted = await redactSecrets(content, path);
    const leaked = corpus.secrets.filter((s) => s.path === path && redacted.content.includes(s.value)).map((s) => s.kind);
    expect(leaked).toEqual([]);
    expect(redacted.content.split('\n')).toHaveLength(content.split('\n').length);
    expect(redacted.redactions).toBeGreaterThanOrEqual(corpus.secrets.filter((s) => s.path === path).length - 1);
  });

  // Random values hold placeholder marks (`%S`, `xxX`, `<…>`) by chance: other seeds found such misses.
  it('catches every secret of 30 other seeds of the corpus too', async () => {
    const leaked: string[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const other = buildSecretsCorpus(seed);
      for (const [path, content] of Object.entries(other.files)) {
        if (other.credentialPaths.includes(path)) continue;
        const { content: redacted } = await redactSecrets(content, path);
        for (const s of other.secrets)
          if (s.path === path && redacted.includes(s.value)) leaked.push(`seed ${seed}: ${s.kind} (${path})`);
      }
    }
    expect(leaked).toEqual([]);
  });

  it('a secretlint-disable comment does not switch redaction off', async () => {
    const token = corpus.secrets.find((s) => s.kind === 'github-pat')!.value;
    for (const source of [
      `import x from 'y';\nconst token = '${token}'; // secretlint-disable-line\n`,
      `import x from 'y';\n// secretlint-disable-next-line\nconst token = '${token}';\n`,
      `import x from 'y';\n/* secretlint-disable */\nconst token = '${token}';\n/* secretlint-enable */\n`,
    ]) {
      expect((await redactSecrets(source, 'src/x.ts')).content).not.toContain(token);
    }
  });

  it('keeps the code around a secret readable', async () => {
    const key = corpus.secrets.find((s) => s.kind === 'azure-account-key')!.value;
    const source = `const s = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${key};EndpointSuffix=core.windows.net";`;
    expect((await redactSecrets(source, 'src/x.ts')).content).toBe(
      'const s = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=[REDACTED:azure-key];EndpointSuffix=core.windows.net";',
    );
  });
});

describe('redactSecrets on any text (instructions, a model answer)', () => {
  it('redacts a process environment dump read as an instructions file', async () => {
    const apiKey = corpus.secrets.find((s) => s.kind === 'anthropic-key')!.value;
    const token = corpus.secrets.find((s) => s.kind === 'unquoted-yaml-token' && s.value.length === 32)!.value;
    const password = corpus.secrets.find((s) => s.kind === 'password-assignment')!.value;
    const environ = `PATH=/usr/bin\0ANTHROPIC_API_KEY=${apiKey}\0DEPLOY_TOKEN=${token}\0DB_PASSWORD=${password}\0HOME=/root\0`;
    const { content, redactions } = await redactSecrets(`# Review guide\n\n${environ}\n`, 'docs/review-guide.md');
    for (const value of [apiKey, token, password]) expect(content).not.toContain(value);
    expect(redactions).toBe(3);
    expect(content).toContain('PATH=/usr/bin\0');
    expect(content).toContain('HOME=/root');
  });

  it('redacts an example in a README code block', async () => {
    const token = corpus.secrets.find((s) => s.kind === 'unquoted-yaml-token' && s.value.length === 32)!.value;
    const readme = `Run it:\n\n\`\`\`sh\nexport SERVICE_API_KEY=${token}\nnpm start\n\`\`\`\n`;
    expect((await redactSecrets(readme, 'README.md')).content).toBe(
      'Run it:\n\n```sh\nexport SERVICE_API_KEY=[REDACTED:secret-assignment]\nnpm start\n```\n',
    );
  });
});

describe('what is not a secret stays', () => {
  it.each([
    [
      'package-lock.json',
      '"integrity": "sha512-Kq5sNclPz7QV2+lfQIuYuHHDBHDiAjzR9ffuL6ObWNqYtK4rDVdUg6b1QbK8rrp7VD3R5Q4V0l3Y+Z1C4pQXvQ==",',
    ],
    ['src/x.ts', "const commit = 'e83c5163316f89bfbde7d9ab23ca2e25604af290';"],
    ['test/ids.test.ts', "const token = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';"],
    ['src/x.ts', 'const apiKey = process.env.OPENAI_API_KEY;'],
    ['config/app.yml', 'password: ${DB_PASSWORD}\napi_token: changeme-changeme-123\nsecret: xxxxxxxxxxxxxxxx'],
    ['src/x.ts', "const password = 'your-password-here';"],
    ['src/x.ts', "const cacheKey = 'user-profile-7Hq2ZpLx9Vb4Nc3W';"],
    ['src/x.ts', "const publicKey = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEa9PpXj2Ua6qVbMHc';"],
    ['src/x.ts', "const nextPageToken = 'page-two-of-the-results';"],
    ['src/x.ts', "headers.set('Authorization', `Bearer ${token}`);"],
    ['src/x.ts', "// Basic authentication is used when the header starts with 'Basic '."],
    ['scripts/db.sh', 'mysql -u root -p "$DB_NAME" < dump.sql\ncurl -u "$USER:$PASS" https://x\ndocker login -u ci -p "$TOKEN"'],
    ['src/x.py', 'conn = connect(host=host, password=db_password)'],
    ['docs/guide.md', 'Set `password=<your password>` in the connection string.'],
    ['src/x.ts', "const sha = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';"],
    [
      'src/pem.ts',
      "const HEADER = '-----BEGIN RSA PRIVATE KEY-----';\nexport function isPem(text: string) { return text.startsWith(HEADER); }",
    ],
  ])('%s: %s', async (path, source) => {
    expect(await redactSecrets(source, path)).toEqual({ content: source, redactions: 0, spots: [] });
  });
});

describe('mayHoldSecret (the cheap test before secretlint)', () => {
  it('passes every line of the corpus that holds a secret (in a file that is read)', () => {
    const read = corpus.secrets.filter((secret) => !corpus.credentialPaths.includes(secret.path));
    const missed = read.flatMap((secret) => {
      const content = corpus.files[secret.path]!;
      const at = content.indexOf(secret.value);
      const line = content.slice(content.lastIndexOf('\n', at) + 1, content.indexOf('\n', at + secret.value.length));
      return mayHoldSecret(line) ? [] : [`${secret.kind}: ${secret.path}`];
    });
    expect(missed).toEqual([]);
  });

  it('lets plain prose and code through without a scan', () => {
    expect(mayHoldSecret('When the input is empty the cache key is reused; validate it first.')).toBe(false);
    expect(mayHoldSecret("if (value.length === 0) throw new RangeError('empty');")).toBe(false);
  });
});
