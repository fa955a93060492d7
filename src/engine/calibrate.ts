// With a key, the estimate's input tokens come from the API's own count (count_tokens is free), not
// only from the heuristic. Counting every request of a 100,000-request night would take as many calls,
// so a few requests spread over the plan are counted and the heuristic is scaled by what they show.
import type { MessageCreateParamsNonStreaming, TextBlockParam } from '@anthropic-ai/sdk/resources/messages/messages';
import type { PlannedRequest } from '../types.js';

export const CALIBRATION_SAMPLE = 8;

export interface Calibration {
  /** actual / heuristic over the sample; 1 when nothing was counted. */
  ratio: number;
  sampled: number;
}

/** Counts a sample with `count` and scales every request's estimated input tokens in place. */
export async function calibrateInputTokens(
  requests: PlannedRequest[],
  count: (params: MessageCreateParamsNonStreaming) => Promise<number>,
  sampleSize = CALIBRATION_SAMPLE,
): Promise<Calibration> {
  if (requests.length === 0) return { ratio: 1, sampled: 0 };
  const step = Math.max(1, Math.floor(requests.length / sampleSize));
  const sample = requests.filter((_, i) => i % step === 0).slice(0, sampleSize);
  let actual = 0;
  let heuristic = 0;
  for (const request of sample) {
    actual += await count(request.params);
    heuristic += request.record.estimatedInputTokens;
  }
  const ratio = heuristic > 0 ? actual / heuristic : 1;
  for (const request of requests) {
    request.record.estimatedInputTokens = Math.max(1, Math.round(request.record.estimatedInputTokens * ratio));
  }
  return { ratio, sampled: sample.length };
}

/**
 * The shared prefix's size as the API counts it: a one-word message with the system blocks, less the
 * same message alone. The caching decision is made on this (engine/plan.ts decideCachingAgain), not on
 * the heuristic, because the model's caching minimum is a hard line in the API's own tokens.
 */
export async function countPrefixTokens(
  model: string,
  system: TextBlockParam[],
  count: (params: MessageCreateParamsNonStreaming) => Promise<number>,
): Promise<number> {
  const probe = { model, max_tokens: 1, messages: [{ role: 'user' as const, content: 'Hello' }] };
  const withPrefix = await count({ ...probe, system });
  const alone = await count(probe);
  return Math.max(0, withPrefix - alone);
}
