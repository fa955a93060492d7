// The Anthropic Message Batches API behind the provider interface: a thin wrapper of BatchClient,
// which keeps every retry, lost-answer and streaming rule it already has.
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { BATCH_LIMITS, type BatchClient, type BatchLimits } from '../batch/client.js';
import type { PlannedRequest } from '../types.js';
import type { BatchProvider, JobStatus, JobWaitOptions, ProviderResult } from './types.js';

export interface AnthropicProviderOptions {
  limits?: BatchLimits | undefined;
  /**
   * Seam for the interactive call: how one request is answered outside a batch. Default: the batch
   * client's own messages.create with its retries. The lead wires src/batch/interactive.ts here.
   */
  answerOne?: ((params: MessageCreateParamsNonStreaming) => Promise<Message>) | undefined;
}

export function jobOfBatch(batch: MessageBatch): JobStatus {
  return {
    id: batch.id,
    status: batch.processing_status,
    counts: { ...batch.request_counts },
    endedAt: batch.ended_at ?? null,
    expiresAt: batch.expires_at || null,
  };
}

export class AnthropicProvider implements BatchProvider {
  readonly name = 'anthropic' as const;
  readonly limits: BatchLimits;
  readonly countTokens: (params: MessageCreateParamsNonStreaming) => Promise<number>;
  private readonly answer: (params: MessageCreateParamsNonStreaming) => Promise<Message>;

  constructor(
    readonly client: BatchClient,
    options: AnthropicProviderOptions = {},
  ) {
    this.limits = options.limits ?? BATCH_LIMITS;
    this.answer = options.answerOne ?? ((params) => client.message(params));
    this.countTokens = (params) => client.countTokens(params);
  }

  async createJob(requests: PlannedRequest[], bodyBytes?: number): Promise<JobStatus> {
    return jobOfBatch(await this.client.createBatch(requests, bodyBytes));
  }

  async retrieve(id: string): Promise<JobStatus> {
    return jobOfBatch(await this.client.retrieve(id));
  }

  async waitForEnd(id: string, options: JobWaitOptions): Promise<JobStatus> {
    const { onPoll, ...rest } = options;
    const batch = await this.client.waitForEnd(id, {
      ...rest,
      ...(onPoll ? { onPoll: (b: MessageBatch, waited: number, next: number) => onPoll(jobOfBatch(b), waited, next) } : {}),
    });
    return jobOfBatch(batch);
  }

  results(id: string): AsyncIterable<ProviderResult> {
    return this.client.results(id);
  }

  async cancel(id: string): Promise<JobStatus> {
    return jobOfBatch(await this.client.cancel(id));
  }

  answerOne(params: MessageCreateParamsNonStreaming): Promise<Message> {
    return this.answer(params);
  }
}
