// Turns an accepted Messages request into the Message the real API would return, with usage derived
// from what was sent and the answer cut at max_tokens exactly as a real truncated answer looks.
import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { Responder } from './responders/index.js';
import { tokensForChars, type PromptCache } from './tokens.js';

export interface AnswerContext {
  responder: Responder;
  cache: PromptCache;
  newId: (prefix: string) => string;
  serviceTier: 'standard' | 'batch';
}

/** A succeeded answer whose text is not valid JSON: what a broken model output looks like. */
export function malformedText(text: string): string {
  const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  return cut.trim().startsWith('{') ? cut : `{"summary": "${cut.replace(/["\\]/g, '')}`;
}

export function buildMessage(
  params: Record<string, unknown>,
  context: AnswerContext,
  options: { malformed?: boolean } = {},
): Message {
  let text = context.responder(params as unknown as MessageCreateParamsNonStreaming);
  if (typeof text !== 'string') throw new Error('responder must return a string');
  if (options.malformed) text = malformedText(text);
  const maxTokens = Number(params.max_tokens);
  let outputTokens = Math.max(1, tokensForChars(text.length));
  let stopReason: 'end_turn' | 'max_tokens' = 'end_turn';
  if (outputTokens > maxTokens) {
    text = text.slice(0, maxTokens * 4);
    outputTokens = maxTokens;
    stopReason = 'max_tokens';
  }
  const usage = context.cache.usage(params);
  return {
    id: context.newId('msg'),
    type: 'message',
    role: 'assistant',
    model: String(params.model),
    content: [{ type: 'text', text, citations: null }],
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      ...usage,
      output_tokens: outputTokens,
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: context.serviceTier,
      speed: 'standard',
    },
  } as Message;
}
