// One batch request sent through the interactive Messages API instead (the deadline fallback of
// collect, engine/deadline.ts): the same params, the same retries as every other call (BatchClient's
// withRetries policy), and the answer in the shape the batch results stream yields
// (`{custom_id, result}`), so the collect that reads it normalises, prices and reports it exactly as
// it would a batch result. A provider other than Anthropic (src/providers/) can offer the same
// function over its own client.
import type { MessageBatchIndividualResponse, MessageBatchResult } from '@anthropic-ai/sdk/resources/messages/batches';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { BatchProvider } from '../providers/types.js';

/** What answers one request now: any provider (Anthropic's Messages API, Bedrock's InvokeModel). */
export type Answerer = Pick<BatchProvider, 'answerOne'>;
import { FatalApiError } from './retry.js';

/** One request as a batch holds it. */
export interface InteractiveRequest {
  custom_id: string;
  params: MessageCreateParamsNonStreaming;
}

/** The API's error type for a status the retries gave up on (API-NOTES.md "Errors"). */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

/**
 * Failures that stop every further call, not just this request: a refused key or account, the
 * monthly spend cap. They are thrown, so a caller does not pay for (or fail) the rest one by one.
 */
export function stopsEverything(error: unknown): boolean {
  return error instanceof FatalApiError && error.status !== null && [401, 402, 403, 429].includes(error.status);
}

function erroredResult(error: unknown): MessageBatchResult {
  const status = error instanceof FatalApiError ? error.status : null;
  const type = (status !== null ? ERROR_TYPES[status] : undefined) ?? 'api_error';
  const message = error instanceof Error ? error.message : String(error);
  return { type: 'errored', error: { type: 'error', error: { type, message } } } as MessageBatchResult;
}

/**
 * Sends one batch request's params through POST /v1/messages. A failure that outlasted the retries
 * becomes an `errored` result (invalid_request_error for a 400, so it is not retried again); one that
 * stops everything (stopsEverything) is thrown.
 */
export async function answerInteractively(
  client: Answerer,
  request: InteractiveRequest,
): Promise<MessageBatchIndividualResponse> {
  try {
    const message = await client.answerOne(request.params);
    return { custom_id: request.custom_id, result: { type: 'succeeded', message } };
  } catch (error) {
    if (stopsEverything(error)) throw error;
    return { custom_id: request.custom_id, result: erroredResult(error) };
  }
}

/**
 * Answers requests with `concurrency` in flight, yielding each result as it comes (not in request
 * order, like a batch's results). A failure that stops everything ends the stream with that error
 * once the calls in flight have settled; what was already yielded stays yielded.
 */
export async function* answerAllInteractively(
  client: Answerer,
  requests: readonly InteractiveRequest[],
  concurrency = 4,
): AsyncGenerator<MessageBatchIndividualResponse> {
  let next = 0;
  let stop: unknown = null;
  const inFlight = new Map<number, Promise<{ slot: number; line: MessageBatchIndividualResponse | null }>>();
  const start = (slot: number): void => {
    const request = requests[next++]!;
    inFlight.set(
      slot,
      answerInteractively(client, request).then(
        (line) => ({ slot, line }),
        (error: unknown) => {
          stop ??= error;
          return { slot, line: null };
        },
      ),
    );
  };
  for (let slot = 0; slot < Math.max(1, concurrency) && next < requests.length; slot++) start(slot);
  while (inFlight.size > 0) {
    const { slot, line } = await Promise.race(inFlight.values());
    inFlight.delete(slot);
    if (line) yield line;
    if (stop === null && next < requests.length) start(slot);
  }
  if (stop !== null) throw stop;
}
