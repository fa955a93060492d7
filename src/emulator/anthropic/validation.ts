// What the real API refuses in a Messages request. The same checks answer POST /v1/messages
// synchronously (400) and decide, when a batch ends, which of its requests become `errored`.
import { ApiError, invalidRequest, notFound } from './errors.js';

export type ValidationMode = 'messages' | 'count_tokens' | 'batch';

export const CUSTOM_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const MAX_OUTPUT_TOKENS = 128_000;

const MESSAGES_KEYS = new Set([
  'max_tokens',
  'messages',
  'model',
  'cache_control',
  'container',
  'diagnostics',
  'inference_geo',
  'metadata',
  'output_config',
  'service_tier',
  'speed',
  'stop_sequences',
  'stream',
  'system',
  'thinking',
  'tool_choice',
  'tools',
  'user_profile_id',
  'workspace_id',
]);
const COUNT_TOKENS_KEYS = new Set([
  'messages',
  'model',
  'cache_control',
  'output_config',
  'speed',
  'system',
  'thinking',
  'tool_choice',
  'tools',
]);
/** Sampling parameters the current API version removed. */
const REMOVED_SAMPLING_KEYS = ['temperature', 'top_p', 'top_k'];
/** JSON-schema keywords structured outputs does not support. */
const UNSUPPORTED_SCHEMA_KEYWORDS = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
  'maxItems',
];
const RETIRED_MODEL = /^claude-(instant|2|3)([.-]|$)/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the first reason the real API would refuse `params`, or null when it would accept them. */
export function validateMessageParams(params: unknown, mode: ValidationMode): ApiError | null {
  try {
    checkParams(params, mode);
    return null;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}

function checkParams(params: unknown, mode: ValidationMode): void {
  if (!isRecord(params)) throw invalidRequest('params: Input should be an object');
  for (const key of REMOVED_SAMPLING_KEYS) {
    if (key in params) {
      throw invalidRequest(`${key}: is not supported by this API version; remove it from the request`);
    }
  }
  const allowed = mode === 'count_tokens' ? COUNT_TOKENS_KEYS : MESSAGES_KEYS;
  for (const key of Object.keys(params)) {
    if (!allowed.has(key)) throw invalidRequest(`${key}: Extra inputs are not permitted`);
  }

  checkModel(params.model, mode);
  if (mode !== 'count_tokens') checkMaxTokens(params.max_tokens);
  if (params.stream !== undefined && params.stream !== false) {
    if (params.stream !== true) throw invalidRequest('stream: Input should be a valid boolean');
    throw invalidRequest(
      mode === 'batch'
        ? 'stream: streaming is not supported in Message Batches'
        : 'stream: streaming is not supported by this emulator (overnight never streams)',
    );
  }
  checkSystem(params.system);
  checkMessages(params.messages);
  checkCacheControls(params);
  if (params.output_config !== undefined) checkOutputConfig(params.output_config);
  if (params.stop_sequences !== undefined) {
    if (!Array.isArray(params.stop_sequences) || params.stop_sequences.some((s) => typeof s !== 'string')) {
      throw invalidRequest('stop_sequences: Input should be a list of strings');
    }
  }
  if (params.metadata !== undefined) {
    if (!isRecord(params.metadata)) throw invalidRequest('metadata: Input should be an object');
    for (const key of Object.keys(params.metadata)) {
      if (key !== 'user_id') throw invalidRequest(`metadata.${key}: Extra inputs are not permitted`);
    }
  }
  if (params.thinking !== undefined) checkThinking(params.thinking, params.max_tokens);
}

function checkModel(model: unknown, mode: ValidationMode): void {
  if (model === undefined) throw invalidRequest('model: Field required');
  if (typeof model !== 'string' || model === '') throw invalidRequest('model: Input should be a valid string');
  if (!model.startsWith('claude-') || RETIRED_MODEL.test(model)) {
    // The interactive API answers 404 for an unknown model; inside a batch it is an invalid request.
    const message = `model: ${model} is not a known model`;
    throw mode === 'batch' ? invalidRequest(message) : notFound(message);
  }
}

function checkMaxTokens(maxTokens: unknown): void {
  if (maxTokens === undefined) throw invalidRequest('max_tokens: Field required');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens)) {
    throw invalidRequest('max_tokens: Input should be a valid integer');
  }
  if (maxTokens < 1) throw invalidRequest('max_tokens: Input should be greater than or equal to 1');
  if (maxTokens > MAX_OUTPUT_TOKENS) {
    throw invalidRequest(`max_tokens: ${maxTokens} > ${MAX_OUTPUT_TOKENS}, which is the maximum allowed number of output tokens`);
  }
}

function checkTextBlock(block: unknown, where: string): void {
  if (!isRecord(block)) throw invalidRequest(`${where}: Input should be an object`);
  if (typeof block.type !== 'string') throw invalidRequest(`${where}.type: Field required`);
  if (block.type === 'text') {
    if (typeof block.text !== 'string') throw invalidRequest(`${where}.text: Field required`);
    if (block.text.trim() === '') throw invalidRequest(`${where}: text content blocks must contain non-whitespace text`);
    for (const key of Object.keys(block)) {
      if (!['type', 'text', 'cache_control', 'citations'].includes(key)) {
        throw invalidRequest(`${where}.${key}: Extra inputs are not permitted`);
      }
    }
  }
  if (block.cache_control !== undefined && block.cache_control !== null) {
    checkCacheControl(block.cache_control, `${where}.cache_control`);
  }
}

function checkSystem(system: unknown): void {
  if (system === undefined) return;
  if (typeof system === 'string') return;
  if (!Array.isArray(system)) throw invalidRequest('system: Input should be a valid string or list of text blocks');
  system.forEach((block, i) => {
    checkTextBlock(block, `system.${i}`);
    if ((block as Record<string, unknown>).type !== 'text') {
      throw invalidRequest(`system.${i}.type: Input should be 'text'`);
    }
  });
}

function checkMessages(messages: unknown): void {
  if (messages === undefined) throw invalidRequest('messages: Field required');
  if (!Array.isArray(messages)) throw invalidRequest('messages: Input should be a valid list');
  if (messages.length === 0) throw invalidRequest('messages: at least one message is required');
  messages.forEach((message, i) => {
    const where = `messages.${i}`;
    if (!isRecord(message)) throw invalidRequest(`${where}: Input should be an object`);
    for (const key of Object.keys(message)) {
      if (key !== 'role' && key !== 'content') throw invalidRequest(`${where}.${key}: Extra inputs are not permitted`);
    }
    if (message.role !== 'user' && message.role !== 'assistant') {
      throw invalidRequest(`${where}.role: Input should be 'user' or 'assistant'`);
    }
    const content = message.content;
    if (typeof content === 'string') {
      const finalAssistant = i === messages.length - 1 && message.role === 'assistant';
      if (content.trim() === '' && !finalAssistant) {
        throw invalidRequest(
          `${where}: all messages must have non-empty content except for the optional final assistant message`,
        );
      }
      return;
    }
    if (!Array.isArray(content)) throw invalidRequest(`${where}.content: Input should be a valid string or list`);
    content.forEach((block, j) => checkTextBlock(block, `${where}.content.${j}`));
  });
}

function checkCacheControl(value: unknown, where: string): void {
  if (!isRecord(value)) throw invalidRequest(`${where}: Input should be an object`);
  if (value.type !== 'ephemeral') throw invalidRequest(`${where}.type: Input should be 'ephemeral'`);
  if (value.ttl !== undefined && value.ttl !== '5m' && value.ttl !== '1h') {
    throw invalidRequest(`${where}.ttl: Input should be '5m' or '1h'`);
  }
  for (const key of Object.keys(value)) {
    if (key !== 'type' && key !== 'ttl') throw invalidRequest(`${where}.${key}: Extra inputs are not permitted`);
  }
}

/** Breakpoints in prompt order (tools, system, messages): at most 4, and no 1h after a 5m one. */
function checkCacheControls(params: Record<string, unknown>): void {
  const ttls: string[] = [];
  const visit = (block: unknown): void => {
    if (isRecord(block) && isRecord(block.cache_control)) ttls.push(String(block.cache_control.ttl ?? '5m'));
  };
  if (Array.isArray(params.tools)) params.tools.forEach(visit);
  if (Array.isArray(params.system)) params.system.forEach(visit);
  if (Array.isArray(params.messages)) {
    for (const message of params.messages) {
      if (isRecord(message) && Array.isArray(message.content)) message.content.forEach(visit);
    }
  }
  if (params.cache_control !== undefined && params.cache_control !== null) {
    checkCacheControl(params.cache_control, 'cache_control');
    ttls.push(String((params.cache_control as Record<string, unknown>).ttl ?? '5m'));
  }
  if (ttls.length > 4) {
    throw invalidRequest(`A maximum of 4 blocks with cache_control may be provided. Found ${ttls.length}.`);
  }
  const first5m = ttls.indexOf('5m');
  if (first5m !== -1 && ttls.indexOf('1h', first5m) !== -1) {
    throw invalidRequest("a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block");
  }
}

function checkOutputConfig(config: unknown): void {
  if (!isRecord(config)) throw invalidRequest('output_config: Input should be an object');
  for (const key of Object.keys(config)) {
    if (key !== 'effort' && key !== 'format') throw invalidRequest(`output_config.${key}: Extra inputs are not permitted`);
  }
  if (config.effort !== undefined && config.effort !== null) {
    if (!['low', 'medium', 'high', 'xhigh', 'max'].includes(String(config.effort))) {
      throw invalidRequest("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
    }
  }
  const format = config.format;
  if (format === undefined || format === null) return;
  if (!isRecord(format) || format.type !== 'json_schema') {
    throw invalidRequest("output_config.format.type: Input should be 'json_schema'");
  }
  if (!isRecord(format.schema)) throw invalidRequest('output_config.format.schema: Field required');
  checkOutputSchema(format.schema, 'output_config.format.schema');
}

/** Structured outputs accepts a subset of JSON Schema; refuse what the real API refuses. */
function checkOutputSchema(schema: Record<string, unknown>, where: string): void {
  for (const keyword of UNSUPPORTED_SCHEMA_KEYWORDS) {
    if (keyword in schema) throw invalidRequest(`${where}: '${keyword}' is not supported in structured output schemas`);
  }
  if (typeof schema.minItems === 'number' && schema.minItems > 1) {
    throw invalidRequest(`${where}: minItems values other than 0 or 1 are not supported`);
  }
  const isObject = schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'));
  if (isObject && schema.additionalProperties !== false) {
    throw invalidRequest(`${where}: For 'object' type, 'additionalProperties' must be explicitly set to false`);
  }
  if (isRecord(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (isRecord(sub)) checkOutputSchema(sub, `${where}.properties.${name}`);
    }
  }
  if (isRecord(schema.items)) checkOutputSchema(schema.items, `${where}.items`);
  for (const combinator of ['anyOf', 'allOf', 'oneOf'] as const) {
    const branches = schema[combinator];
    if (Array.isArray(branches)) {
      branches.forEach((sub, i) => isRecord(sub) && checkOutputSchema(sub, `${where}.${combinator}.${i}`));
    }
  }
  for (const defs of ['$defs', 'definitions'] as const) {
    const table = schema[defs];
    if (isRecord(table)) {
      for (const [name, sub] of Object.entries(table)) {
        if (isRecord(sub)) checkOutputSchema(sub, `${where}.${defs}.${name}`);
      }
    }
  }
}

function checkThinking(thinking: unknown, maxTokens: unknown): void {
  if (!isRecord(thinking)) throw invalidRequest('thinking: Input should be an object');
  if (thinking.type === 'disabled' || thinking.type === 'adaptive') return;
  if (thinking.type !== 'enabled') throw invalidRequest("thinking.type: Input should be 'enabled', 'disabled' or 'adaptive'");
  const budget = thinking.budget_tokens;
  if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < 1024) {
    throw invalidRequest('thinking.budget_tokens: Input should be an integer greater than or equal to 1024');
  }
  if (typeof maxTokens === 'number' && budget >= maxTokens) {
    throw invalidRequest('max_tokens must be greater than thinking.budget_tokens');
  }
}
