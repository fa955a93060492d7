// One retry policy for every call to Anthropic. The SDK's own retries are switched off (maxRetries 0)
// because it would retry the monthly spend cap (a 429 that no wait can fix) and because a results
// stream that breaks half-way must be resumed by us, not by the SDK.
import { APIError, APIConnectionError } from '@anthropic-ai/sdk';

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
  onRetry?: (what: string, attempt: number, delayMs: number, reason: string) => void;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 6,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  sleep,
};

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
export function classify(error: unknown): { retry: boolean; retryAfterMs: number | null; reason: string } {
  if (error instanceof APIConnectionError) {
    return { retry: true, retryAfterMs: null, reason: `connection failed (${error.message})` };
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
export function toFatal(error: unknown, what: string): Error {
  if (error instanceof FatalApiError) return error;
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

/** Runs `fn`, retrying what can be retried with capped exponential backoff that honours retry-after. */
export async function withRetries<T>(what: string, fn: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const verdict = classify(error);
      if (!verdict.retry) throw toFatal(error, what);
      if (attempt >= policy.retries) {
        throw new FatalApiError(
          `${what}: still failing after ${attempt + 1} attempts (${verdict.reason}); try again later`,
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
