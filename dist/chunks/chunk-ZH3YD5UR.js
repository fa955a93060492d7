import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  UsageError
} from "./chunk-7KZNXQQH.js";
import {
  BATCH_LIMITS
} from "./chunk-HFKILKHU.js";

// src/providers/anthropic.ts
function jobOfBatch(batch) {
  return {
    id: batch.id,
    status: batch.processing_status,
    counts: { ...batch.request_counts },
    endedAt: batch.ended_at ?? null,
    expiresAt: batch.expires_at || null
  };
}
var AnthropicProvider = class {
  constructor(client, options = {}) {
    this.client = client;
    this.limits = options.limits ?? BATCH_LIMITS;
    this.answer = options.answerOne ?? ((params) => client.message(params));
    this.countTokens = (params) => client.countTokens(params);
  }
  client;
  name = "anthropic";
  limits;
  countTokens;
  answer;
  async createJob(requests, bodyBytes) {
    return jobOfBatch(await this.client.createBatch(requests, bodyBytes));
  }
  async retrieve(id) {
    return jobOfBatch(await this.client.retrieve(id));
  }
  async waitForEnd(id, options) {
    const { onPoll, ...rest } = options;
    const batch = await this.client.waitForEnd(id, {
      ...rest,
      ...onPoll ? { onPoll: (b, waited, next) => onPoll(jobOfBatch(b), waited, next) } : {}
    });
    return jobOfBatch(batch);
  }
  results(id) {
    return this.client.results(id);
  }
  async cancel(id) {
    return jobOfBatch(await this.client.cancel(id));
  }
  answerOne(params) {
    return this.answer(params);
  }
};

// src/providers/index.ts
async function batchService(deps) {
  if (deps.provider) return deps.provider();
  return new AnthropicProvider(deps.anthropic(), deps.batchLimits ? { limits: deps.batchLimits } : {});
}
function providerOfState(state) {
  return state.provider ?? "anthropic";
}
function checkStateProvider(stateId, state, current) {
  const owner = providerOfState(state);
  if (owner !== current) {
    throw new UsageError(
      `state ${stateId} was submitted through ${owner}, but this run uses provider ${current}; collect it with provider: ${owner}`
    );
  }
}

export {
  batchService,
  providerOfState,
  checkStateProvider
};
