import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError
} from "./chunk-F3LGO6JY.js";

// src/batch/retry.ts
var FatalApiError = class extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
  status;
  name = "FatalApiError";
};
var sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
var DEFAULT_RETRY_POLICY = {
  retries: 6,
  baseDelayMs: 1e3,
  maxDelayMs: 6e4,
  sleep,
  // 1 + 2 + 4 s: seven seconds for an endpoint to answer at all.
  connectionRetries: 3
};
function callAt(what, host) {
  return host ? `${what} at ${host}` : what;
}
function connectionCause(error) {
  const CAUSES = {
    ECONNREFUSED: "connection refused",
    ENOTFOUND: "unknown host",
    EAI_AGAIN: "host name lookup failed",
    ECONNRESET: "connection reset",
    ETIMEDOUT: "connection timed out",
    EHOSTUNREACH: "host unreachable",
    ENETUNREACH: "network unreachable",
    UND_ERR_CONNECT_TIMEOUT: "connection timed out"
  };
  for (let e = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    const code = e.code;
    if (typeof code === "string") return `${CAUSES[code] ?? "connection failed"} (${code})`;
  }
  return `connection failed (${error instanceof Error ? error.message : String(error)})`;
}
var FATAL_HINTS = {
  400: "the request was refused as invalid",
  401: "the API key was refused: check ANTHROPIC_API_KEY (anthropic-api-key)",
  402: "billing problem on the Anthropic account: check the plan and credit balance",
  403: "the API key may not use this resource: check the key's workspace permissions",
  404: "not found",
  413: "the request is larger than the API accepts (256 MB per batch)"
};
function errorText(error) {
  return error.apiMessage ?? error.message;
}
function classify(error) {
  if (error instanceof APIConnectionTimeoutError) {
    return { retry: true, retryAfterMs: null, reason: `connection failed (${error.message})` };
  }
  if (error instanceof APIConnectionError) {
    const cause = connectionCause(error);
    return {
      retry: true,
      retryAfterMs: null,
      reason: cause,
      unreachable: /\((ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)\)$/.test(cause)
    };
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const status = error.status;
    if (status === 429 && error.errorCode === "enforced_spend_limit_reached") {
      return { retry: false, retryAfterMs: null, reason: "the monthly spend limit of the Anthropic account is reached" };
    }
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      const headers = error.headers;
      let retryAfterMs = null;
      const ms = headers?.get("retry-after-ms");
      const seconds = headers?.get("retry-after");
      if (ms && Number.isFinite(Number(ms))) retryAfterMs = Number(ms);
      else if (seconds && Number.isFinite(Number(seconds))) retryAfterMs = Number(seconds) * 1e3;
      else if (seconds) {
        const at = Date.parse(seconds);
        if (Number.isFinite(at)) retryAfterMs = Math.max(0, at - Date.now());
      }
      return { retry: true, retryAfterMs, reason: `${status} ${error.type ?? ""} ${errorText(error)}`.replace(/\s+/g, " ") };
    }
    return { retry: false, retryAfterMs: null, reason: `${status} ${error.type ?? ""}: ${errorText(error)}` };
  }
  if (error instanceof Error && /terminated|ECONNRESET|socket hang up|premature close|aborted/i.test(error.message)) {
    return { retry: true, retryAfterMs: null, reason: `connection dropped (${error.message})` };
  }
  return { retry: false, retryAfterMs: null, reason: error instanceof Error ? error.message : String(error) };
}
function toFatal(error, call, host) {
  if (error instanceof FatalApiError) return error;
  const what = callAt(call, host);
  if (error instanceof APIError && typeof error.status === "number") {
    if (error.status === 429 && error.errorCode === "enforced_spend_limit_reached") {
      return new FatalApiError(
        `${what}: the monthly spend limit of the Anthropic account is reached; raise it in the Console or wait for the next month`,
        429
      );
    }
    const hint = FATAL_HINTS[error.status];
    return new FatalApiError(
      `${what}: Anthropic answered ${error.status} ${error.type ?? ""} (${errorText(error)})${hint ? `: ${hint}` : ""}`.replace(
        /\s+/g,
        " "
      ),
      error.status
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
function unreachable(what, policy, attempt, reason) {
  return new FatalApiError(
    `${callAt(what, policy.host)} failed: ${reason} (${attempt + 1} attempts); check the network and the API URL (ANTHROPIC_BASE_URL, anthropic-base-url)`,
    null
  );
}
async function withRetries(what, fn, policy = DEFAULT_RETRY_POLICY) {
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
          null
        );
      }
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      const delay = Math.min(policy.maxDelayMs, verdict.retryAfterMs ?? backoff);
      policy.onRetry?.(what, attempt + 1, delay, verdict.reason);
      await policy.sleep(delay);
    }
  }
}

export {
  FatalApiError,
  sleep,
  DEFAULT_RETRY_POLICY,
  callAt,
  classify,
  toFatal,
  unreachable,
  withRetries
};
