// The one way overnight talks to GitHub: @octokit/rest with the throttling and retry plugins, plus a
// write queue. GitHub's secondary limits (80 content-creating requests a minute, 500 an hour) punish
// bursts, so every write (POST/PATCH/PUT/DELETE) waits for the previous one to finish and then for
// `minWriteIntervalMs` more; reads are not queued. A rate-limit answer is retried after the time
// GitHub names (a few times, with a warning); a 5xx is retried by plugin-retry.
import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import { retry } from '@octokit/plugin-retry';
import type { Logger } from '../types.js';

export interface CreateOctokitOptions {
  token: string;
  /** REST API base; default env GITHUB_API_URL, else https://api.github.com. */
  baseUrl?: string;
  log: Logger;
  /** Retries of a rate-limited or 5xx request (default 3). */
  retries?: number;
  /** Pause between the end of one write and the start of the next (default 1000; tests use 0). */
  minWriteIntervalMs?: number;
  /** Milliseconds per second of retry-after / backoff (default 1000; tests shrink it). */
  retryAfterUnitMs?: number;
  userAgent?: string;
  /** fetch implementation (tests wrap it to observe requests). */
  fetch?: typeof globalThis.fetch;
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const ThrottledOctokit = Octokit.plugin(throttling, retry);

/**
 * A stand-in for the throttling plugin's Bottleneck groups that runs jobs at once: our own write queue
 * below does the spacing (fully serialised, which the plugin's groups are not), and the plugin's
 * groups are process-wide, so they would also couple unrelated clients (and tests) to one another.
 */
const passThroughGroup = {
  key: () => ({
    schedule: (_options: unknown, job: (...args: unknown[]) => unknown, ...args: unknown[]) =>
      Promise.resolve().then(() => job(...args)),
  }),
};

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

export function defaultApiUrl(): string {
  return process.env.GITHUB_API_URL?.trim() || 'https://api.github.com';
}

export function createOctokit(options: CreateOctokitOptions): Octokit {
  const { log } = options;
  const retries = options.retries ?? 3;
  const minWriteIntervalMs = options.minWriteIntervalMs ?? 1000;
  const retryAfterUnitMs = options.retryAfterUnitMs ?? 1000;

  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      if (retryCount < retries) {
        log.warning(
          `GitHub ${kind} on ${request.method} ${request.url}: retrying in ${retryAfter}s (attempt ${retryCount + 1} of ${retries})`,
        );
        return true;
      }
      log.warning(`GitHub ${kind} on ${request.method} ${request.url}: giving up after ${retries} retries`);
      return false;
    };

  const octokit = new ThrottledOctokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? defaultApiUrl()).replace(/\/+$/, ''),
    userAgent: options.userAgent ?? 'overnight',
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
    log: {
      debug: (message: string) => log.debug(message),
      info: (message: string) => log.debug(message),
      warn: (message: string) => log.warning(message),
      // Octokit logs every failed request here, including the 404s and 422s overnight expects and handles
      // (a branch that does not exist yet, a claim already taken); what really fails is thrown and reported.
      error: (message: string) => log.debug(message),
    },
    throttle: {
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
      retryAfterBaseValue: retryAfterUnitMs,
      fallbackSecondaryRateRetryAfter: 60,
      // Duck-typed: the plugin only calls group.key(id).schedule(options, job, ...args).
      write: passThroughGroup as never,
      notifications: passThroughGroup as never,
    },
    retry: {
      retries,
      retryAfterBaseValue: retryAfterUnitMs,
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
  });

  // Registered last, so it wraps both plugins: a write keeps its place in the queue while it is
  // being retried, and nothing else is written to GitHub in the meantime.
  let writeChain: Promise<void> = Promise.resolve();
  let lastWriteEnded = 0;
  octokit.hook.wrap('request', async (request, requestOptions) => {
    if (!WRITE_METHODS.has(String(requestOptions.method).toUpperCase())) return request(requestOptions);
    const previous = writeChain;
    let release!: () => void;
    writeChain = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      await previous;
      await delay(lastWriteEnded + minWriteIntervalMs - Date.now());
      return await request(requestOptions);
    } finally {
      lastWriteEnded = Date.now();
      release();
    }
  });

  return octokit;
}
