// Vertex AI's batch record format for Claude, both ways: a planned request as a JSONL line
// {"custom_id", "request"} (the Messages body with Vertex's anthropic_version and no model), and an
// output line of the job's prediction files as the {custom_id, result} the engine reads. The output
// line shape is not documented in one place (BACKENDS-NOTES: unverified), so every shape this reads is
// named here, and a line in any other shape becomes an error naming the keys it had: never a silent drop.
import type { MessageBatchResult } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { PlannedRequest } from '../../types.js';
import { erroredResult } from '../bedrock/records.js';
import type { ProviderResult } from '../types.js';

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

/** The rawPredict / batch body of a request: Messages params without `model` and `stream`. */
export function vertexBody(params: MessageCreateParamsNonStreaming): Record<string, unknown> {
  const { model: _model, stream: _stream, ...rest } = params as MessageCreateParamsNonStreaming & { stream?: unknown };
  void _model;
  void _stream;
  return { anthropic_version: VERTEX_ANTHROPIC_VERSION, ...rest };
}

export function recordLine(request: PlannedRequest): string {
  return JSON.stringify({ custom_id: request.customId, request: vertexBody(request.params) });
}

/** The custom_id of a line (ours are written at the top level; some readers nest it in `request`). */
export function customIdOfLine(doc: Record<string, unknown>): string | null {
  if (typeof doc.custom_id === 'string' && doc.custom_id) return doc.custom_id;
  const request = doc.request as Record<string, unknown> | undefined;
  if (request && typeof request === 'object' && typeof request.custom_id === 'string' && request.custom_id) {
    return request.custom_id;
  }
  return null;
}

/** Our error kind for a Vertex per-line error (a google.rpc code or status name, or an HTTP status). */
export function errorTypeOf(code: unknown, message = ''): string {
  const text = `${String(code ?? '')} ${message}`;
  if (/INVALID_ARGUMENT|FAILED_PRECONDITION|OUT_OF_RANGE|\b400\b|\b413\b|\b422\b|^\s*(3|9|11)\s/i.test(text)) {
    return 'invalid_request_error';
  }
  if (/PERMISSION_DENIED|UNAUTHENTICATED|\b40[13]\b|^\s*(7|16)\s/i.test(text)) return 'permission_error';
  if (/RESOURCE_EXHAUSTED|quota|\b429\b|^\s*8\s/i.test(text)) return 'rate_limit_error';
  if (/UNAVAILABLE|overload|\b503\b|\b529\b|^\s*14\s/i.test(text)) return 'overloaded_error';
  if (/DEADLINE_EXCEEDED|timeout|\b408\b|\b504\b|^\s*4\s/i.test(text)) return 'timeout_error';
  return 'api_error';
}

const isMessage = (value: unknown): value is Message =>
  typeof value === 'object' && value !== null && Array.isArray((value as { content?: unknown }).content);

/** The Claude Message of a `response` field: the message itself, or wrapped in `body` (object or JSON text). */
function messageOf(response: unknown): Message | null {
  if (isMessage(response)) return response;
  if (typeof response !== 'object' || response === null) return null;
  let body = (response as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown;
    } catch {
      return null;
    }
  }
  return isMessage(body) ? body : null;
}

/** An Anthropic error body ({type: "error", error: {type, message}}) inside `response`, if that is what came back. */
function anthropicErrorOf(response: unknown): { type: string; message: string } | null {
  const error = (response as { error?: { type?: unknown; message?: unknown } } | null)?.error;
  if (!error || typeof error !== 'object' || typeof error.type !== 'string') return null;
  return { type: error.type, message: String(error.message ?? '') };
}

/** The error a line's `status` (text or google.rpc.Status) or `error` field states, if any. */
function statusErrorOf(doc: Record<string, unknown>): { code: string; message: string } | null {
  for (const field of ['status', 'error']) {
    const value = doc[field];
    if (typeof value === 'string' && value.trim()) return { code: '', message: value.trim() };
    if (value && typeof value === 'object') {
      const v = value as { code?: unknown; status?: unknown; message?: unknown };
      const code = String(v.status ?? v.code ?? '');
      const message = String(v.message ?? '');
      if (code || message) return { code, message };
    }
  }
  return null;
}

/**
 * One output line as a result, or null when it has no custom_id (not joinable; the caller counts those
 * and names them on the requests left unanswered). A line with a custom_id but neither an answer nor an
 * error becomes an error naming its keys: the format guessed from the documentation is wrong, and that must show.
 */
export function resultOfOutputLine(doc: Record<string, unknown>): ProviderResult | null {
  const customId = customIdOfLine(doc);
  if (customId === null) return null;
  const message = messageOf(doc.response);
  const status = statusErrorOf(doc);
  if (message && !status) {
    return { custom_id: customId, result: { type: 'succeeded', message } as MessageBatchResult };
  }
  const anthropicError = anthropicErrorOf(doc.response);
  if (anthropicError) {
    return { custom_id: customId, result: erroredResult(anthropicError.type, `Vertex AI: ${anthropicError.message}`) };
  }
  if (status) {
    const label = status.code ? `Vertex AI ${status.code}: ` : 'Vertex AI: ';
    return {
      custom_id: customId,
      result: erroredResult(errorTypeOf(status.code, status.message), `${label}${status.message || 'no message'}`),
    };
  }
  const keys = Object.keys(doc).join(', ');
  return {
    custom_id: customId,
    result: erroredResult('api_error', `Vertex AI output line has neither a response message nor a status (keys: ${keys})`),
  };
}
