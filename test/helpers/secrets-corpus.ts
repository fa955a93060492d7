// A corpus of real-format secrets, generated at run time from the formats' public specifications
// with a seeded generator: every value is random (no live key is ever committed, and no literal in
// this file looks like one to a push-protection scanner), yet the same seed gives the same corpus.
//
// Each secret is embedded the way real code holds it (source, config, JSON, YAML, XML, shell and
// .env-style files). Files whose path is a credential data path are expected to be skipped whole;
// every other file is expected to be sent with each secret value redacted.
import { Buffer } from 'node:buffer';

export interface CorpusSecret {
  /** The format (one per generator below). */
  kind: string;
  /** The exact text that must never reach a request body. */
  value: string;
  /** The file holding it. */
  path: string;
}

export interface SecretsCorpus {
  files: Record<string, string>;
  secrets: CorpusSecret[];
  /** Files that are credential data: never read. */
  credentialPaths: string[];
}

/** mulberry32: small, fast, and good enough for test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';
const BASE62 = DIGITS + UPPER + LOWER;
const BASE64URL = BASE62 + '-_';
const BASE32 = UPPER + '234567';

class Gen {
  private readonly random: () => number;
  constructor(seed: number) {
    this.random = prng(seed);
  }
  int(max: number): number {
    return Math.floor(this.random() * max);
  }
  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
  /** Like chars, with at least one digit and one letter (what a real random token nearly always has). */
  token(alphabet: string, length: number): string {
    for (;;) {
      const value = this.chars(alphabet, length);
      if (/\d/.test(value) && /[A-Za-z]/.test(value)) return value;
    }
  }
  bytes(length: number): Buffer {
    return Buffer.from(Array.from({ length }, () => this.int(256)));
  }
  /** A password as people and generators make them: letters, digits and a few symbols. */
  password(): string {
    return this.token(BASE62, 10 + this.int(8)) + this.chars('!#%^*_+', 1) + this.chars(DIGITS, 2);
  }
}

// CRC32 (IEEE), for the checksum GitHub appends to its tokens.
function crc32(text: string): number {
  let crc = ~0;
  for (const byte of Buffer.from(text)) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function base62(n: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64');
const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** PEM armour with 64-column lines (RFC 7468). */
function pem(label: string, der: Buffer): string {
  const body = b64(der)
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;
}

/** What must not leak of a PEM block: its middle body line (64 random characters). */
function pemLine(block: string): string {
  const body = block.split('\n').slice(1, -1);
  return body[Math.floor((body.length - 1) / 2)]!;
}

/** Builds the corpus; `seed` picks the random values. */
export function buildSecretsCorpus(seed = 20261206): SecretsCorpus {
  const g = new Gen(seed);
  const files: Record<string, string> = {};
  const secrets: CorpusSecret[] = [];
  const credentialPaths: string[] = [];
  const add = (path: string, kind: string, value: string): string => {
    secrets.push({ kind, value, path });
    return value;
  };
  /** Registers a PEM block's middle line as the secret and returns the whole block. */
  const addPem = (path: string, kind: string, block: string): string => {
    add(path, kind, pemLine(block));
    return block;
  };
  const file = (path: string, lines: (string | null)[]): void => {
    files[path] = lines.filter((l) => l !== null).join('\n') + '\n';
  };
  const hex = (n: number): string => g.token(HEX, n);

  // ---- values, by format -------------------------------------------------------------------
  const awsKeyId = (): string => 'AKIA' + g.chars(BASE32, 16);
  const awsSecret = (): string => g.token(BASE62 + '+/', 40);
  const githubPat = (): string => {
    const random = g.token(BASE62, 30);
    return `ghp_${random}${base62(crc32(random), 6)}`;
  };
  const githubFineGrained = (): string => `github_pat_${g.token(BASE62, 22)}_${g.token(BASE62, 59)}`;
  const gitlabPat = (): string => `glpat-${g.token(BASE62 + '-_', 20)}`;
  const slackBot = (): string => `xoxb-${g.chars(DIGITS, 12)}-${g.chars(DIGITS, 13)}-${g.token(BASE62, 24)}`;
  const slackWebhook = (): string =>
    `https://hooks.slack.com/services/T${g.chars(UPPER + DIGITS, 8)}/B${g.chars(UPPER + DIGITS, 10)}/${g.token(BASE62, 24)}`;
  const stripeLive = (): string => `sk_live_51${g.token(BASE62, 97)}`;
  const openaiKey = (): string => `sk-${g.token(BASE62, 20)}T3BlbkFJ${g.token(BASE62, 20)}`;
  const anthropicKey = (): string => `sk-ant-api03-${g.token(BASE64URL, 93)}AA`;
  const npmToken = (): string => `npm_${g.token(BASE62, 36)}`;
  const sendgrid = (): string => `SG.${g.token(BASE64URL, 22)}.${g.token(BASE64URL, 43)}`;
  const huggingface = (): string => `hf_${g.chars(UPPER + LOWER, 34)}`;
  const shopify = (): string => `shpat_${hex(32)}`;
  const googleApiKey = (): string => `AIza${g.token(BASE64URL, 35)}`;
  const jwt = (): string => {
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64url(
      JSON.stringify({ sub: g.chars(DIGITS, 10), name: 'svc-' + g.chars(LOWER, 6), iat: 1700000000 + g.int(1e7) }),
    );
    return `${header}.${payload}.${b64url(g.bytes(32))}`;
  };
  const azureAccountKey = (): string => b64(g.bytes(64));
  const azureSasSig = (): string => encodeURIComponent(b64(g.bytes(32)));
  const twilioApiKeySid = (): string => `SK${hex(32)}`;
  const twilioAuthToken = (): string => hex(32);
  const mailgunLegacy = (): string => `key-${hex(32)}`;
  const mailgunNew = (): string => `${hex(32)}-${hex(8)}-${hex(8)}`;
  const telegramBot = (): string => `${1 + g.int(9)}${g.chars(DIGITS, 9)}:AA${g.token(BASE64URL, 33)}`;
  const sentryKey = (): string => hex(32);
  // RFC 5915 (SEC1 ECPrivateKey) for P-256: version 1, 32-byte key, the curve OID, the public point.
  const ecP256Sec1 = (): string =>
    pem(
      'EC PRIVATE KEY',
      Buffer.concat([
        Buffer.from('30770201010420', 'hex'),
        g.bytes(32),
        Buffer.from('a00a06082a8648ce3d030107a14403420004', 'hex'),
        g.bytes(64),
      ]),
    );
  // RFC 8410 (PKCS#8 OneAsymmetricKey) for Ed25519: 48 bytes, a 64-character body.
  const ed25519Pkcs8 = (): string =>
    pem('PRIVATE KEY', Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), g.bytes(32)]));
  // RFC 8017 RSAPrivateKey header for a 2048-bit key, then random bytes of the right length.
  const rsaPkcs1 = (): string =>
    pem('RSA PRIVATE KEY', Buffer.concat([Buffer.from('308204a40201000282010100', 'hex'), g.bytes(1180)]));
  // openssh-key-v1 (PROTOCOL.key): the magic, then random bytes.
  const openssh = (): string =>
    pem(
      'OPENSSH PRIVATE KEY',
      Buffer.concat([Buffer.from('openssh-key-v1\0'), Buffer.from('000000046e6f6e65', 'hex'), g.bytes(360)]),
    );

  // ---- TypeScript / JavaScript source ----------------------------------------------------------
  {
    const p = 'src/integrations/clients.ts';
    file(p, [
      "import { S3Client } from '@aws-sdk/client-s3';",
      '',
      'export const s3 = new S3Client({',
      `  credentials: { accessKeyId: '${add(p, 'aws-access-key-id', awsKeyId())}', secretAccessKey: '${add(p, 'aws-secret-access-key', awsSecret())}' },`,
      '});',
      `const GITHUB_TOKEN = '${add(p, 'github-pat', githubPat())}';`,
      `const gitlab = { token: "${add(p, 'gitlab-pat', gitlabPat())}" };`,
      `export const slack = new WebClient('${add(p, 'slack-bot-token', slackBot())}');`,
      `const stripe = new Stripe("${add(p, 'stripe-live-key', stripeLive())}");`,
      `const openai = new OpenAI({ apiKey: '${add(p, 'openai-key', openaiKey())}' });`,
      `const anthropic = new Anthropic({ apiKey: process.env.KEY ?? '${add(p, 'anthropic-key', anthropicKey())}' });`,
      `fetch(url, { headers: { Authorization: 'Bearer ${add(p, 'bearer-header', g.token(BASE62, 40))}' } });`,
      `fetch(url, { headers: { Authorization: \`Basic ${add(p, 'basic-auth-header', b64(`deploy:${g.password()}`))}\` } });`,
      `// secretlint-disable-line is an author's comment; it must not switch redaction off`,
      `const legacy = '${add(p, 'github-fine-grained-pat', githubFineGrained())}'; // secretlint-disable-line`,
      '// secretlint-disable-next-line',
      `const hf = '${add(p, 'huggingface-token', huggingface())}';`,
      `const sessionSecret = '${add(p, 'generic-hex-under-secret-name', hex(64))}';`,
      `export const SIGNING_KEY = "${add(p, 'generic-base64-under-key-name', b64(g.bytes(32)))}";`,
      `const tg = new Telegraf('${add(p, 'telegram-bot-token', telegramBot())}');`,
      `Sentry.init({ dsn: 'https://${add(p, 'sentry-dsn', sentryKey())}@o${g.chars(DIGITS, 6)}.ingest.sentry.io/${g.chars(DIGITS, 7)}' });`,
      `const redis = createClient({ url: 'redis://:${add(p, 'redis-url-password', g.password())}@cache.internal:6379/0' });`,
      `const pg = new Client('host=db.internal port=5432 dbname=app user=app password=${add(p, 'libpq-password', g.password())} sslmode=require');`,
      `const devKey = \`${addPem(p, 'ec-p256-sec1-private-key', ecP256Sec1())}\`;`,
      'export default s3;',
    ]);
  }
  {
    const p = 'src/server/mailer.js';
    file(p, [
      "const mailgun = require('mailgun-js');",
      `const mg = mailgun({ apiKey: '${add(p, 'mailgun-key', mailgunLegacy())}', domain: 'mg.example.com' });`,
      `const mg2 = new Mailgun(formData).client({ username: 'api', key: '${add(p, 'mailgun-key', mailgunNew())}' });`,
      `const sendgrid = '${add(p, 'sendgrid-key', sendgrid())}';`,
      `const twilio = require('twilio')('AC${hex(32)}', '${add(p, 'twilio-auth-token', twilioAuthToken())}', { accountSid: 'x' });`,
      `const twilioKey = { sid: '${add(p, 'twilio-api-key', twilioApiKeySid())}', secret: '${add(p, 'twilio-api-secret', g.token(BASE62, 32))}' };`,
      `const npm = '${add(p, 'npm-token', npmToken())}';`,
      `const shop = '${add(p, 'shopify-token', shopify())}';`,
      `const token = '${add(p, 'jwt', jwt())}';`,
      'module.exports = { mg, mg2, sendgrid, twilio, twilioKey, npm, shop, token };',
    ]);
  }
  // ---- Python, PHP, Java, Go -------------------------------------------------------------------
  {
    const p = 'app/settings/secrets.py';
    file(p, [
      '# Django settings that should have come from the environment.',
      `SECRET_KEY = '${add(p, 'password-assignment', g.token(BASE62 + '!@#%^&*(-_=+)', 50))}'`,
      `DATABASES = {"default": {"PASSWORD": "${add(p, 'password-assignment', g.password())}"}}`,
      `AWS_ACCESS_KEY_ID = "${add(p, 'aws-access-key-id', awsKeyId())}"`,
      `GOOGLE_MAPS_KEY = "${add(p, 'google-api-key', googleApiKey())}"`,
      `conn = psycopg2.connect("dbname=app user=app password=${add(p, 'libpq-password', g.password())} host=db")`,
      `engine = create_engine("postgresql://app:${add(p, 'url-password', g.password())}@db.internal:5432/app")`,
      `api_token = "${add(p, 'generic-hex-under-token-name', hex(40))}"`,
    ]);
  }
  {
    const p = 'web/config.php';
    file(p, [
      '<?php',
      "define('DB_NAME', 'wordpress');",
      `define('DB_PASSWORD', '${add(p, 'php-define-password', g.password())}');`,
      `define( 'AUTH_KEY', '${add(p, 'php-define-password', g.token(BASE62 + '!@#%^&*()-_[]{}<>~+=,.;:/?|', 64))}' );`,
      "$mysqli = new mysqli('db', 'app', getenv('DB_PASS'));",
    ]);
  }
  {
    const p = 'src/main/java/com/example/Credentials.java';
    file(p, [
      'package com.example;',
      'public final class Credentials {',
      `  static final String JDBC = "jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=${add(p, 'jdbc-password', g.password())};encrypt=true";`,
      `  static final String MYSQL = "jdbc:mysql://db:3306/app?user=app&password=${add(p, 'jdbc-password', g.password())}&useSSL=true";`,
      `  static final String ADO = "Server=tcp:db,1433;Database=app;User ID=sa;Password=${add(p, 'adonet-password', g.password())};Encrypt=True;";`,
      `  static final String STORAGE = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${add(p, 'azure-account-key', azureAccountKey())};EndpointSuffix=core.windows.net";`,
      `  static final String SAS = "https://acme.blob.core.windows.net/c/b.txt?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=${add(p, 'azure-sas-sig', azureSasSig())}";`,
      `  static final String RSA = "${addPem(p, 'rsa-private-key', rsaPkcs1()).replace(/\n/g, '\\n')}";`,
      '}',
    ]);
  }
  {
    const p = 'cmd/notify/main.go';
    file(p, [
      'package main',
      `const webhook = "${add(p, 'slack-webhook', slackWebhook())}"`,
      `const anthropicKey = "${add(p, 'anthropic-key', anthropicKey())}"`,
      `var dsn = "https://${add(p, 'sentry-dsn', sentryKey())}@sentry.internal.example.com/4"`,
      `var bot = "${add(p, 'telegram-bot-token', telegramBot())}"`,
      `var maps = "${add(p, 'google-api-key', googleApiKey())}"`,
    ]);
  }
  // ---- JSON ------------------------------------------------------------------------------------
  {
    const p = 'android/app/google-services.json';
    files[p] =
      JSON.stringify(
        {
          project_info: { project_number: g.chars(DIGITS, 12), project_id: 'acme-app' },
          client: [{ api_key: [{ current_key: add(p, 'google-api-key', googleApiKey()) }] }],
        },
        null,
        2,
      ) + '\n';
  }
  {
    const p = 'deploy/registry-auth.json';
    files[p] =
      JSON.stringify(
        { auths: { 'registry.example.com': { auth: add(p, 'docker-auth', b64(`ci-bot:${g.password()}`)) } } },
        null,
        2,
      ) + '\n';
  }
  {
    const p = 'deploy/gcp-deployer.json';
    const key = addPem(p, 'ed25519-pkcs8-private-key', ed25519Pkcs8());
    files[p] =
      JSON.stringify(
        {
          type: 'service_account',
          client_email: 'deployer@acme.iam.gserviceaccount.com',
          private_key: key + '\n',
          token: add(p, 'jwt', jwt()),
        },
        null,
        2,
      ) + '\n';
  }
  {
    const p = 'config/services.json';
    files[p] =
      JSON.stringify(
        {
          stripe: { secretKey: add(p, 'stripe-live-key', stripeLive()) },
          github: { token: add(p, 'github-pat', githubPat()) },
          sendgrid: { apiKey: add(p, 'sendgrid-key', sendgrid()) },
          webhookSecret: add(p, 'generic-hex-under-secret-name', hex(64)),
          encryptionKey: add(p, 'generic-base64-under-key-name', b64(g.bytes(32))),
          twilio: { authToken: add(p, 'twilio-auth-token', twilioAuthToken()) },
        },
        null,
        2,
      ) + '\n';
  }
  // ---- YAML ------------------------------------------------------------------------------------
  {
    const p = 'k8s/cluster-admin.yaml';
    file(p, [
      'apiVersion: v1',
      'kind: Config',
      'users:',
      '- name: admin',
      '  user:',
      `    token: ${add(p, 'kubeconfig-token', g.token(BASE62, 40))}`,
      `    client-key-data: ${add(p, 'kubeconfig-client-key-data', b64(ecP256Sec1() + '\n'))}`,
      '- name: ci',
      '  user:',
      `    token: ${add(p, 'kubeconfig-token', jwt())}`,
    ]);
  }
  {
    const p = 'ci/yarnrc.template.yml';
    file(p, [
      'npmScopes:',
      '  acme:',
      '    npmRegistryServer: "https://npm.pkg.github.com"',
      `    npmAuthToken: ${add(p, 'yarnrc-token', githubPat())}`,
      `npmAuthToken: ${add(p, 'yarnrc-token', npmToken())}`,
    ]);
  }
  {
    const p = 'config/app.yml';
    const sshKey = addPem(p, 'openssh-private-key', openssh());
    file(p, [
      'slack:',
      `  bot_token: ${add(p, 'unquoted-yaml-token', slackBot())}`,
      `  signing_secret: ${add(p, 'unquoted-yaml-token', hex(32))}`,
      'database:',
      `  url: postgres://app:${add(p, 'url-password', g.password())}@db.internal/app`,
      `  password: ${add(p, 'password-assignment', g.password())}`,
      'deploy:',
      `  api_token: ${add(p, 'unquoted-yaml-token', g.token(BASE62, 32))}`,
      `  hf_token: "${add(p, 'huggingface-token', huggingface())}"`,
      '  ssh_key: |',
      ...sshKey.split('\n').map((l) => `    ${l}`),
      'storage:',
      `  connection: "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${add(p, 'azure-account-key', azureAccountKey())};EndpointSuffix=core.windows.net"`,
    ]);
  }
  {
    const p = '.github/workflows/deploy.yml';
    file(p, [
      'jobs:',
      '  deploy:',
      '    steps:',
      `      - run: docker login -u ci -p ${add(p, 'docker-login-password', g.password())} registry.example.com`,
      `      - run: curl -fsS -u deploy:${add(p, 'curl-user-password', g.password())} https://ci.example.com/hook`,
      `      - run: mysql -h db -u root -p${add(p, 'mysql-password-flag', g.password())} app < schema.sql`,
      '        env:',
      `          OPENAI_API_KEY: ${add(p, 'openai-key', openaiKey())}`,
    ]);
  }
  // ---- XML -------------------------------------------------------------------------------------
  {
    const p = 'config/datasource.xml';
    file(p, [
      '<?xml version="1.0"?>',
      '<datasource>',
      '  <username>app</username>',
      `  <password>${add(p, 'xml-password', g.password())}</password>`,
      `  <url>jdbc:postgresql://db:5432/app?user=app&amp;password=${add(p, 'jdbc-password', g.password())}</url>`,
      `  <apiKey>${add(p, 'xml-password', g.token(BASE62, 32))}</apiKey>`,
      '</datasource>',
    ]);
  }
  {
    const p = 'web/Web.config';
    file(p, [
      '<configuration>',
      '  <connectionStrings>',
      `    <add name="Main" connectionString="Data Source=db;Initial Catalog=app;User Id=sa;Password=${add(p, 'adonet-password', g.password())};" />`,
      '  </connectionStrings>',
      `  <appSettings><add key="SasUrl" value="https://acme.queue.core.windows.net/q?sv=2022-11-02&amp;sig=${add(p, 'azure-sas-sig', azureSasSig())}&amp;se=2030-01-01" /></appSettings>`,
      '</configuration>',
    ]);
  }
  // ---- shell and config ------------------------------------------------------------------------
  {
    const p = 'scripts/release.sh';
    file(p, [
      '#!/bin/sh',
      'set -eu',
      `echo "//registry.npmjs.org/:_authToken=${add(p, 'npmrc-auth-token', npmToken())}" > ~/.npmrc`,
      `curl -H "Authorization: Bearer ${add(p, 'bearer-header', jwt())}" https://api.example.com/release`,
      `curl --user admin:${add(p, 'curl-user-password', g.password())} https://nexus.example.com/upload`,
      `docker login --username ci --password ${add(p, 'docker-login-password', g.password())} ghcr.io`,
      `mysqldump -uroot -p${add(p, 'mysql-password-flag', g.password())} app > app.sql`,
      `export GITLAB_TOKEN=${add(p, 'gitlab-pat', gitlabPat())}`,
      `export SENTRY_DSN=https://${add(p, 'sentry-dsn', sentryKey())}@o${g.chars(DIGITS, 6)}.ingest.us.sentry.io/${g.chars(DIGITS, 7)}`,
      `redis-cli -u redis://:${add(p, 'redis-url-password', g.password())}@localhost:6379 ping`,
      `curl -X POST https://api.telegram.org/bot${add(p, 'telegram-bot-token', telegramBot())}/sendMessage`,
    ]);
  }
  {
    const p = 'config/app.properties';
    file(p, [
      'spring.datasource.url=jdbc:postgresql://db:5432/app',
      `spring.datasource.password=${add(p, 'password-assignment', g.password())}`,
      `mail.api.token=${add(p, 'generic-hex-under-token-name', hex(40))}`,
      `mailgun.key=${add(p, 'mailgun-key', mailgunLegacy())}`,
      `aws.secret=${add(p, 'aws-secret-access-key', awsSecret())}`,
    ]);
  }
  {
    const p = 'infra/terraform/main.tf';
    file(p, [
      'provider "aws" {',
      `  access_key = "${add(p, 'aws-access-key-id', awsKeyId())}"`,
      `  secret_key = "${add(p, 'aws-secret-access-key', awsSecret())}"`,
      '}',
      `resource "tls_key" "signing" { private_key = <<EOT\n${addPem(p, 'ed25519-pkcs8-private-key', ed25519Pkcs8())}\nEOT\n}`,
    ]);
  }
  {
    const p = 'certs/README.md';
    file(p, ['Test key (do not use):', '', '```', addPem(p, 'ec-p256-sec1-private-key', ecP256Sec1()), '```']);
  }
  // ---- credential data files: never read -------------------------------------------------------
  const credential = (path: string, content: string, kind: string, value: string): void => {
    files[path] = content;
    credentialPaths.push(path);
    add(path, kind, value);
  };
  {
    const v = stripeLive();
    credential('.env', `STRIPE_SECRET_KEY=${v}\nDEBUG=1\n`, 'stripe-live-key', v);
  }
  {
    const v = githubPat();
    credential('.envrc', `export GITHUB_TOKEN=${v}\n`, 'github-pat', v);
  }
  {
    const v = g.password();
    credential('deploy/env.production', `DATABASE_PASSWORD=${v}\n`, 'password-assignment', v);
  }
  {
    const v = anthropicKey();
    credential('services/api/.env.local', `ANTHROPIC_API_KEY=${v}\n`, 'anthropic-key', v);
  }
  {
    const v = npmToken();
    credential('.yarnrc', `"//registry.npmjs.org/:_authToken" ${v}\n`, 'npm-token', v);
  }
  {
    const v = npmToken();
    credential('.npmrc', `//registry.npmjs.org/:_authToken=${v}\n`, 'npm-token', v);
  }
  {
    const v = g.password();
    credential(
      '.m2/settings.xml',
      `<settings><servers><server><id>r</id><password>${v}</password></server></servers></settings>\n`,
      'xml-password',
      v,
    );
  }
  {
    const v = g.token(BASE62, 40);
    credential('ops/prod-kubeconfig.yaml', `users:\n- user:\n    token: ${v}\n`, 'kubeconfig-token', v);
  }
  {
    const v = b64(`me:${g.password()}`);
    credential('.docker/config.json', JSON.stringify({ auths: { 'ghcr.io': { auth: v } } }) + '\n', 'docker-auth', v);
  }
  {
    const key = ecP256Sec1();
    credential('deploy/tls/server.key', key + '\n', 'ec-p256-sec1-private-key', pemLine(key));
  }
  {
    const v = googleApiKey();
    credential('gcp/credentials.json', JSON.stringify({ key: v }) + '\n', 'google-api-key', v);
  }
  {
    const v = g.password();
    credential('.pgpass', `db.internal:5432:app:app:${v}\n`, 'password-assignment', v);
  }
  {
    const v = g.password();
    credential('.netrc', `machine api.example.com login ci password ${v}\n`, 'password-assignment', v);
  }
  return { files, secrets, credentialPaths };
}
