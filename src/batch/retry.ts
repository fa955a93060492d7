// One retry policy for every call to Anthropic. The SDK's own retries are switched off (maxRetries 0)
// because it would retry the monthly spend cap (a 429 that no wait can fix) and because a results
// stream that breaks half-way must be resumed by us, not by the SDK.
import { APIError, APIConnectionError, APIConnectionTimeoutError } from '@anthropic-ai/sdk';

/** An Anthropic failure no retry can fix; `message` is the one line shown to the user. */
export class FatalApiError extends Error {
  override name = 'FatalApiError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  /** First backoff in ms (doubles each attempt). */
  baseDelayMs: number;
  /** Longest single wait, including a server's retry-after. */
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /**
   * Attempts after the first for a connection that cannot be made (refused, unknown host, reset on
   * connect): a down or mistyped endpoint does not come back within minutes, so a few seconds of
   * retries, then one line naming the call and the host.
   */
  connectionRetries: number;
  /** The API's host, named in the line a failure ends with. */
  host?: string;
  onRetry?: (what: string, attempt: number, delayMs: number, reason: string) => void;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 6,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  sleep,
  // 1 + 2 + 4 s: seven seconds for an endpoint to answer at all.
  connectionRetries: 3,
};

/** "creating a batch at api.anthropic.com": the call and where it went. */
export function callAt(what: string, host: string | undefined): string {
  return host ? `${what} at ${host}` : what;
}

/** The cause of a connection failure in words: "connection refused (ECONNREFUSED)", "unknown host (ENOTFOUND)". */
function connectionCause(error: unknown): string {
  const CAUSES: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'unknown host',
    EAI_AGAIN: 'host name lookup failed',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  };
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return `${CAUSES[code] ?? 'connection failed'} (${code})`;
  }
  return `connection failed (${error instanceof Error ? error.message : String(error)})`;
}

const FATAL_HINTS: Record<number, string> = {
  400: 'the request was refused as invalid',
  401: 'the API key was refused: check ANTHROPIC_API_KEY (anthropic-api-key)',
  402: 'billing problem on the Anthropic account: check the plan and credit balance',
  403: "the API key may not use this resource: check the key's workspace permissions",
  404: 'not found',
  413: 'the request is larger than the API accepts (256 MB per batch)',
};

function errorText(error: APIError): string {
  return error.apiMessage ?? error.message;
}

/** Whether an error is worth another try; returns the wait the server asked for when it said one. */
export function classify(error: unknown): {
  retry: boolean;
  retryAfterMs: number | null;
  reason: string;
  /** No connection could be made: the short budget (connectionRetries) applies. */
  unreachable?: boolean;
} {
  if (error instanceof APIConnectionTimeoutError) {
    return { retry: true, retryAfterMs: null, reason: `connection failed (${error.message})` };
  }
  if (error instanceof APIConnectionError) {
    const cause = connectionCause(error);
    return {
      retry: true,
      retryAfterMs: null,
      reason: cause,
      unreachable: /\((ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)\)$/.test(cause),
    };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    if (status === 429 && error.errorCode === 'enforced_spend_limit_reached') {
      return { retry: false, retryAfterMs: null, reason: 'the monthly spend limit of the Anthropic account is reached' };
    }
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      const headers = error.headers;
      let retryAfterMs: number | null = null;
      const ms = headers?.get('retry-after-ms');
      const seconds = headers?.get('retry-after');
      if (ms && Number.isFinite(Number(ms))) retryAfterMs = Number(ms);
      else if (seconds && Number.isFinite(Number(seconds))) retryAfterMs = Number(seconds) * 1000;
      else if (seconds) {
        const at = Date.parse(seconds);
        if (Number.isFinite(at)) retryAfterMs = Math.max(0, at - Date.now());
      }
      return { retry: true, retryAfterMs, reason: `${status} ${error.type ?? ''} ${errorText(error)}`.replace(/\s+/g, ' ') };
    }
    return { retry: false, retryAfterMs: null, reason: `${status} ${error.type ?? ''}: ${errorText(error)}` };
  }
  if (error instanceof Error && /terminated|ECONNRESET|socket hang up|premature close|aborted/i.test(error.message)) {
    return { retry: true, retryAfterMs: null, reason: `connection dropped (${error.message})` };
  }
  return { retry: false, retryAfterMs: null, reason: error instanceof Error ? error.message : String(error) };
}

/** Turns a non-retryable API error into the one line a user sees. */
export function toFatal(error: unknown, call: string, host?: string): Error {
  if (error instanceof FatalApiError) return error;
  const what = callAt(call, host);
  if (error instanceof APIError && typeof error.status === 'number') {
    if (error.status === 429 && error.errorCode === 'enforced_spend_limit_reached') {
      return new FatalApiError(
        `${what}: the monthly spend limit of the Anthropic account is reached; raise it in the Console or wait for the next month`,
        429,
      );
    }
    const hint = FATAL_HINTS[error.status];
    return new FatalApiError(
      `${what}: Anthropic answered ${error.status} ${error.type ?? ''} (${errorText(error)})${hint ? `: ${hint}` : ''}`.replace(
        /\s+/g,
        ' ',
      ),
      error.status,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The one line for an API that cannot be reached: the call, the host, the cause, what to check. */
export function unreachable(what: string, policy: Pick<RetryPolicy, 'host'>, attempt: number, reason: string): FatalApiError {
  return new FatalApiError(
    `${callAt(what, policy.host)} failed: ${reason} (${attempt + 1} attempts); check the network and the API URL (ANTHROPIC_BASE_URL, anthropic-base-url)`,
    null,
  );
}

/** Runs `fn`, retrying what can be retried with capped exponential backoff that honours retry-after. */
export async function withRetries<T>(what: string, fn: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const verdict = classify(error);
      if (!verdict.retry) throw toFatal(error, what, policy.host);
      if (verdict.unreachable && attempt >= policy.connectionRetries) throw unreachable(what, policy, attempt, verdict.reason);
      if (attempt >= policy.retries) {
        throw new FatalApiError(
          `${callAt(what, policy.host)}: still failing after ${attempt + 1} attempts (${verdict.reason}); try again later`,
          null,
        );
      }
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      const delay = Math.min(policy.maxDelayMs, verdict.retryAfterMs ?? backoff);
      policy.onRetry?.(what, attempt + 1, delay, verdict.reason);
      await policy.sleep(delay);
    }
  }
}
