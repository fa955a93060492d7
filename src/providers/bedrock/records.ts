// Bedrock's batch record format, both ways: a planned request as a JSONL line
// {"recordId", "modelInput"} in Bedrock's Messages form, and an output line of a `.jsonl.out` file as
// the {custom_id, result} the engine reads, with Bedrock's per-record errors mapped to our kinds.
import type { MessageBatchResult } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { PlannedRequest } from '../../types.js';
import type { ProviderResult } from '../types.js';

export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';

/**
 * Bedrock's recordId is documented as alphanumeric; our custom_ids hold '-'. The record id is the
 * custom_id's bytes in hex: alphanumeric, and read back exactly, so results join on it, never by order.
 */
export function recordIdOf(customId: string): string {
  return Buffer.from(customId, 'utf8').toString('hex');
}

/** The custom_id a record id stands for, or null for one overnight did not write. */
export function customIdOfRecord(recordId: unknown): string | null {
  if (typeof recordId !== 'string' || recordId.length === 0 || recordId.length % 2 !== 0 || !/^[0-9a-f]+$/.test(recordId)) {
    return null;
  }
  return Buffer.from(recordId, 'hex').toString('utf8');
}

/**
 * The InvokeModel body of a request: the Messages params without `model` (the job names the model)
 * and `stream`, with Bedrock's anthropic_version. cache_control marks stay: Bedrock reads them where
 * it caches, and a batch that refuses them fails per record, loudly, as invalid_request_error.
 */
export function bedrockBody(params: MessageCreateParamsNonStreaming): Record<string, unknown> {
  const { model: _model, stream: _stream, ...rest } = params as MessageCreateParamsNonStreaming & { stream?: unknown };
  void _model;
  void _stream;
  return { anthropic_version: BEDROCK_ANTHROPIC_VERSION, ...rest };
}

export function recordLine(request: PlannedRequest): string {
  return JSON.stringify({ recordId: recordIdOf(request.customId), modelInput: bedrockBody(request.params) });
}

/** The one model id of a job's requests (a job runs one model). */
export function jobModel(requests: readonly PlannedRequest[]): string {
  const models = new Set(requests.map((r) => r.params.model));
  if (models.size !== 1) throw new Error(`internal: one Bedrock job holds one model, got ${[...models].join(', ')}`);
  return [...models][0]!;
}

/** Our error kind for a Bedrock per-record error code: what outcome.ts decides retries on. */
export function errorTypeOf(code: unknown): string {
  const text = String(code ?? '');
  if (/validation|^400$|^413$|^422$/i.test(text)) return 'invalid_request_error';
  if (/accessdenied|^403$/i.test(text)) return 'permission_error';
  if (/throttl|toomany|^429$/i.test(text)) return 'rate_limit_error';
  if (/unavailable|overload|^503$|^529$/i.test(text)) return 'overloaded_error';
  if (/timeout|^408$/i.test(text)) return 'timeout_error';
  return 'api_error';
}

export function erroredResult(type: string, message: string): MessageBatchResult {
  return {
    type: 'errored',
    error: { type: 'error', error: { type, message }, request_id: null },
  } as unknown as MessageBatchResult;
}

/**
 * One output line as a result, or null when it is not a record overnight wrote. A line that says
 * neither modelOutput nor error is reported as an error naming what came back: the format guessed
 * from the documentation is wrong, and that must show.
 */
export function resultOfOutputLine(line: string): ProviderResult | null {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
  const customId = customIdOfRecord(doc.recordId);
  if (customId === null) return null;
  const output = doc.modelOutput as Message | undefined;
  if (output && typeof output === 'object' && Array.isArray(output.content)) {
    return { custom_id: customId, result: { type: 'succeeded', message: output } as MessageBatchResult };
  }
  const error = doc.error as { errorCode?: unknown; errorMessage?: unknown } | undefined;
  if (error && typeof error === 'object') {
    const code = String(error.errorCode ?? 'unknown');
    return {
      custom_id: customId,
      result: erroredResult(errorTypeOf(code), `Bedrock ${code}: ${String(error.errorMessage ?? 'no message')}`),
    };
  }
  const keys = Object.keys(doc).join(', ');
  return {
    custom_id: customId,
    result: erroredResult('api_error', `Bedrock output line has neither modelOutput nor error (keys: ${keys})`),
  };
}
