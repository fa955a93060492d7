// Turns one result line of a batch (or one interactive answer) into a RequestOutcome: validated,
// normalised, or a failure that says why and whether a resubmission could help.
import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import type { MessageBatchResult } from '@anthropic-ai/sdk/resources/messages/batches';
import { parseAnswerText } from '../tasks/answer.js';
import { MalformedAnswerError, type TaskDefinition } from '../tasks/task.js';
import type { RequestOutcome, RequestRecord, SourceFile, TokenUsage } from '../types.js';

export function usageOf(message: Message): TokenUsage {
  const u = message.usage;
  return {
    inputTokens: u.input_tokens ?? 0,
    outputTokens: u.output_tokens ?? 0,
    cacheCreationInputTokens: u.cache_creation_input_tokens ?? 0,
    cacheReadInputTokens: u.cache_read_input_tokens ?? 0,
    cacheCreation1hInputTokens: u.cache_creation?.ephemeral_1h_input_tokens ?? 0,
  };
}

/** The text of an answer: its text blocks, joined. */
export function messageText(message: Message): string {
  return message.content
    .filter((block) => block.type === 'text')
    .map((block) => (block as { text: string }).text)
    .join('');
}

/** Normalises an answered message; a malformed answer becomes a failure, never a silent drop. */
export function outcomeOfMessage(
  customId: string,
  message: Message,
  task: TaskDefinition,
  record: RequestRecord,
  files: SourceFile[],
  batchId: string | null,
): RequestOutcome {
  const usage = usageOf(message);
  const failure = (reason: string): RequestOutcome => ({
    customId,
    status: 'malformed',
    reason,
    retryable: false,
    usage,
    model: message.model,
    batchId,
  });
  if (message.stop_reason === 'max_tokens') {
    return failure(`answer cut off at ${usage.outputTokens} output tokens; raise max-output-tokens`);
  }
  if (message.stop_reason === 'refusal') return failure('the model declined to answer this request');
  const text = messageText(message);
  try {
    const output = task.normalise(parseAnswerText(text), { customId, record, files });
    return { customId, status: 'succeeded', output, usage, model: message.model, batchId };
  } catch (error) {
    if (error instanceof MalformedAnswerError) return failure(error.message);
    throw error;
  }
}

/** A batch result line → outcome. */
export function outcomeOfResult(
  customId: string,
  result: MessageBatchResult,
  task: TaskDefinition,
  record: RequestRecord,
  files: SourceFile[],
  batchId: string,
): RequestOutcome {
  switch (result.type) {
    case 'succeeded':
      return outcomeOfMessage(customId, result.message, task, record, files, batchId);
    case 'errored': {
      const error = (result.error as { error?: { type?: string; message?: string } }).error ?? {};
      const type = error.type ?? 'api_error';
      return {
        customId,
        status: 'errored',
        reason: `${type}: ${error.message ?? 'no message'}`,
        // invalid_request_error must be fixed, not retried (API-NOTES.md).
        retryable: type !== 'invalid_request_error',
        usage: null,
        model: null,
        batchId,
      };
    }
    case 'expired':
      return {
        customId,
        status: 'expired',
        reason: 'not processed within 24 hours',
        retryable: true,
        usage: null,
        model: null,
        batchId,
      };
    case 'canceled':
      return {
        customId,
        status: 'canceled',
        reason: 'the batch was canceled',
        retryable: false,
        usage: null,
        model: null,
        batchId,
      };
  }
}
