// notify-url against a local webhook receiver (a node http server in this process): one message per
// published round, the URL (a secret: a Slack webhook's path is its credential) never in a log line, a
// summary, a report, an output or a state; failures to notify are one line and never fail the publish.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendNotice } from '../src/reports/notify.js';
import { checkNotifyUrl } from '../src/reports/notify-url.js';
import { parseConfig } from '../src/config.js';
import { filesUnder } from './helpers/engine.js';
import { sampleCli } from './helpers/cli.js';

const API_KEY = 'sk-ant-test-notify-0123456789';
/** The credential part of the webhook URL: it must appear nowhere but in the request itself. */
const SECRET_PATH = '/services/T0NIGHT/B0NIGHT/s3cretWebhookToken42';

interface Receiver {
  url: string;
  /** Bodies of the POSTs received, parsed. */
  received: { path: string; body: unknown }[];
  close(): Promise<void>;
}

/** A webhook receiver answering each POST with the next of `statuses` (the last one repeats); 'hang' never answers. */
async function receiver(statuses: (number | 'hang')[] = [200]): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const status = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      if (status === 'hang') {
        hanging.push(response);
        return;
      }
      response.writeHead(status, status === 302 ? { location: 'https://elsewhere.invalid/' } : {});
      // A receiver that echoes the URL back: overnight must not repeat what it says.
      response.end(`ok ${request.url}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${SECRET_PATH}`,
    received,
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(statuses?: (number | 'hang')[]): Promise<Receiver> {
  const r = await receiver(statuses);
  cleanups.push(() => r.close());
  return r;
}

const noSleep = async (): Promise<void> => undefined;

describe('notify-url through the CLI, against a local receiver', () => {
  it('sends one message per published round, and the URL is in no log line, file or output', async () => {
    const hook = await started();
    const { repo, cli } = await sampleCli(API_KEY, cleanups, { seed: 11 });
    expect((await cli('submit', '--task', 'code-review', '--since', '24h')).code).toBe(0);
    const collected = await cli('collect', '--notify-url', hook.url);
    expect(collected.code).toBe(0);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.path).toBe(SECRET_PATH);
    const text = (hook.received[0]!.body as { text: string }).text;
    expect(Object.keys(hook.received[0]!.body as object)).toEqual(['text']);
    const results = JSON.parse(
      await readFile(
        (await filesUnder(join(repo, '.overnight'))).find((f) => f.endsWith('results.json'))!,
        'utf8',
      ),
    ) as { counts: { findings: number; bySeverity: Record<string, number> }; usage: { costUsd: number } };
    expect(results.counts.findings).toBeGreaterThan(0);
    expect(text).toMatch(new RegExp(`^overnight code-review on shop: ${results.counts.findings} findings \\(`));
    for (const [severity, n] of Object.entries(results.counts.bySeverity)) if (n > 0) expect(text).toContain(`${n} ${severity}`);
    expect(text).toMatch(/ · \$[\d.]+ \(saved \$[\d.]+ against interactive\)/);
    // The URL, or its secret path, in nothing printed; the line names the host only.
    expect([...collected.stdout, ...collected.stderr].join('\n')).not.toContain('s3cretWebhookToken42');
    expect(collected.stdout.join('\n')).toContain('notify-url: notice sent to 127.0.0.1:');

    // Nothing left to collect: nothing is announced.
    expect((await cli('collect', '--notify-url', hook.url)).code).toBe(0);
    expect(hook.received).toHaveLength(1);

    // Nor in anything written: reports, summary, results, outputs, states.
    for (const file of await filesUnder(join(repo, '.overnight'))) {
      expect(await readFile(file, 'utf8'), file).not.toContain('s3cretWebhookToken42');
    }
  });

  it('two rounds published by one collect are two messages, one per task', async () => {
    const hook = await started();
    const { cli } = await sampleCli(API_KEY, cleanups, { seed: 11 });
    for (const task of ['code-review', 'security-scan'])
      expect((await cli('submit', '--task', task, '--since', '24h')).code).toBe(0);
    // --no-verify: security-scan's findings would otherwise wait a collect for their verification round.
    expect((await cli('collect', '--no-verify', '--notify-url', hook.url)).code).toBe(0);
    const texts = hook.received.map((r) => (r.body as { text: string }).text);
    expect(texts).toHaveLength(2);
    expect(texts.map((text) => /^overnight ([\w-]+) on shop:/.exec(text)?.[1]).sort()).toEqual(['code-review', 'security-scan']);
  });

  it('a receiver that keeps failing is one warning; the reports are published and the collect succeeds', async () => {
    const hook = await started([503]);
    const { repo, cli } = await sampleCli(API_KEY, cleanups, { seed: 11 });
    expect((await cli('submit', '--task', 'code-review', '--since', '24h')).code).toBe(0);
    const collected = await cli('collect', '--notify-url', hook.url);
    expect(collected.code).toBe(0);
    // Retried once on the 5xx, then given up.
    expect(hook.received).toHaveLength(2);
    const warnings = collected.stderr.filter((line) => line.includes('notify-url'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^warning: notify-url: the notice to 127\.0\.0\.1:\d+ was not delivered: HTTP 503 \(retried once\)/,
    );
    expect([...collected.stdout, ...collected.stderr].join('\n')).not.toContain('s3cretWebhookToken42');
    expect((await filesUnder(join(repo, '.overnight'))).some((f) => f.endsWith('report.md'))).toBe(true);
  });

  it('a malformed or non-https notify-url is one usage line that does not repeat the secret', async () => {
    const { cli } = await sampleCli(API_KEY, cleanups, { seed: 11 });
    const plain = await cli('collect', '--notify-url', `http://hooks.example.com${SECRET_PATH}`);
    expect(plain.code).not.toBe(0);
    expect(plain.stderr.join('\n')).toContain(
      'notify-url: only https URLs are accepted (plain http only to localhost); got http to hooks.example.com',
    );
    const garbage = await cli('collect', '--notify-url', `hooks.example.com${SECRET_PATH}`);
    expect(garbage.code).not.toBe(0);
    expect(garbage.stderr.join('\n')).toContain('notify-url: not a URL');
    for (const run of [plain, garbage]) expect([...run.stdout, ...run.stderr].join('\n')).not.toContain('s3cretWebhookToken42');
  });
});

describe('sendNotice', () => {
  it('retries a 5xx once and is delivered the second time', async () => {
    const hook = await started([502, 200]);
    expect(await sendNotice(hook.url, 'hello', { sleep: noSleep })).toBeNull();
    expect(hook.received.map((r) => r.body)).toEqual([{ text: 'hello' }, { text: 'hello' }]);
  });

  it('does not retry a 4xx, and does not follow a redirect', async () => {
    const gone = await started([404]);
    expect(await sendNotice(gone.url, 'x', { sleep: noSleep })).toMatch(/not delivered: HTTP 404;/);
    expect(gone.received).toHaveLength(1);
    const moved = await started([302]);
    const line = await sendNotice(moved.url, 'x', { sleep: noSleep });
    expect(line).toMatch(/not delivered: HTTP 302;/);
    expect(line).not.toContain('elsewhere');
    expect(moved.received).toHaveLength(1);
  });

  it('says a refused connection, a timeout and a name that does not resolve in one line each, host only', async () => {
    const closed = await started();
    const url = closed.url;
    await closed.close();
    cleanups.pop();
    const refused = await sendNotice(url, 'x', { sleep: noSleep });
    expect(refused).toMatch(/^notify-url: the notice to 127\.0\.0\.1:\d+ was not delivered: connection refused \(retried once\)/);

    const hung = await started(['hang']);
    const timedOut = await sendNotice(hung.url, 'x', { sleep: noSleep, timeoutMs: 300 });
    expect(timedOut).toMatch(/was not delivered: no answer within 0\.3s \(retried once\)/);
    expect(hung.received).toHaveLength(2);

    const dns = await sendNotice(`https://no-such-host.invalid${SECRET_PATH}`, 'x', { sleep: noSleep, timeoutMs: 5_000 });
    expect(dns).toMatch(/^notify-url: the notice to no-such-host\.invalid was not delivered: /);
    for (const line of [refused, timedOut, dns]) expect(line).not.toContain('s3cretWebhookToken42');
  });
});

describe('checkNotifyUrl', () => {
  it('accepts https anywhere and http only to a loopback host', () => {
    expect(checkNotifyUrl('')).toBeNull();
    expect(checkNotifyUrl(`https://hooks.slack.com${SECRET_PATH}`)).toBe(`https://hooks.slack.com${SECRET_PATH}`);
    expect(checkNotifyUrl(`http://localhost:8080${SECRET_PATH}`)).toBe(`http://localhost:8080${SECRET_PATH}`);
    expect(() => checkNotifyUrl(`http://10.0.0.1${SECRET_PATH}`)).toThrow(/only https URLs are accepted/);
    expect(() => checkNotifyUrl(`ftp://hooks.example.com${SECRET_PATH}`)).toThrow(/got ftp to hooks.example.com$/);
    expect(() => checkNotifyUrl(`https://user:pw@hooks.example.com${SECRET_PATH}`)).toThrow(/user name or password/);
  });

  it('is read from OVERNIGHT_NOTIFY_URL when the input is empty, and the percentage from min-first-pass-rate', () => {
    const config = parseConfig(
      { 'min-first-pass-rate': '75%' },
      { OVERNIGHT_NOTIFY_URL: `https://hooks.slack.com${SECRET_PATH}` },
    );
    expect(config.notifyUrl).toBe(`https://hooks.slack.com${SECRET_PATH}`);
    expect(config.minFirstPassRate).toBe(0.75);
    expect(() => parseConfig({ 'min-first-pass-rate': '120' }, {})).toThrow(
      "min-first-pass-rate: '120' is not a percentage; give a number from 0 to 100 like 90",
    );
  });
});
