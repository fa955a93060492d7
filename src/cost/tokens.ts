// Token estimates without a network call. count_tokens is exact but costs a round trip per request and
// needs a key; submit --dry-run and `overnight estimate` must work offline, so this is the fallback.
//
// Calibration. Claude's tokenizer is byte-pair based: common English words are one token with their
// leading space, long identifiers split at camelCase / snake_case parts, runs of punctuation merge into
// a few tokens, and indentation becomes a token per few spaces. Anthropic documents ≈ 3.5 characters
// per token on average; code is denser than prose. The weights below were tuned (Nov 2026) so that
// characters / estimate comes out at ≈ 4.0 on English prose (the license texts in
// /usr/share/common-licenses) and ≈ 3.0-3.5 on source code (JavaScript 3.0, Python 3.2, TypeScript
// with its comments 3.5; files from node_modules and the Python standard library), i.e. ≈ chars / 4
// for prose and ≈ chars / 3.2 for code. Unknown text errs towards more tokens: an estimate feeds a
// budget, where overestimating is the safe side. count_tokens replaces it when an API key is at hand.
//
// Every weight is non-negative and counted per run, so appending text never lowers the estimate.
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { TaskName } from '../types.js';

/** Letters per token: most English words are one token; long identifiers cost a token per ~6 letters. */
const LETTERS_PER_TOKEN = 6;
/** Digits per token: numbers are split into groups of up to three digits. */
const DIGITS_PER_TOKEN = 3;
/** Punctuation per token: `();`, `=>`, `!==` often merge, so a symbol costs less than a whole token. */
const TOKENS_PER_SYMBOL = 0.9;
/** Spaces per token inside indentation runs (a single space between words is free: it joins the word). */
const SPACES_PER_TOKEN = 4;
/** A line break is roughly half a token (it often merges with the indentation that follows). */
const TOKENS_PER_NEWLINE = 0.5;

// Letters (any script that writes words with spaces), digits, then everything a BPE treats differently.
// Ideographs, kana and hangul are about a token each, so they never join a word.
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
const PIECE = new RegExp(`([${CJK}])|((?:(?![${CJK}])[\\p{L}\\p{M}_])+)|(\\p{N}+)|(\\n)|([ \\t]+)|(\\S)`, 'gu');

/** A word costs a token per ~LETTERS_PER_TOKEN letters, and at least one per camelCase / snake_case part. */
function wordTokens(word: string): number {
  const parts = word.split(/_+|(?<=\p{Ll})(?=\p{Lu})/u).filter(Boolean).length;
  return Math.max(1, parts, Math.ceil(word.length / LETTERS_PER_TOKEN));
}

/** Estimated tokens of `text` (see the calibration note at the top of this file). */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const match of text.matchAll(PIECE)) {
    const [piece, cjk, word, digits, newline, spaces] = match;
    if (cjk) tokens += 1; // ideographs and kana: about one token each
    else if (word) tokens += wordTokens(word);
    else if (digits) tokens += Math.ceil(digits.length / DIGITS_PER_TOKEN);
    else if (newline) tokens += TOKENS_PER_NEWLINE;
    else if (spaces) tokens += spaces.length <= 1 ? 0 : spaces.length / SPACES_PER_TOKEN;
    else if (piece) tokens += TOKENS_PER_SYMBOL;
  }
  return Math.ceil(tokens);
}

/**
 * Fixed costs the API adds around the content: role markers per message and the request framing.
 * Small next to a file, but a budget should not ignore them.
 */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_REQUEST = 8;
/**
 * A structured-output schema is compiled into instructions the model reads: the schema's JSON plus a
 * preamble of about this many tokens.
 */
const SCHEMA_PREAMBLE_TOKENS = 150;

export interface RequestTokenEstimate {
  /** The system blocks: identical across requests, the cacheable shared prefix. */
  prefixTokens: number;
  /** The messages (the unit of work). */
  messageTokens: number;
  /** The output schema and tool definitions (also identical across requests). */
  schemaTokens: number;
  /** Everything the request is billed for as input. */
  inputTokens: number;
}

type TokenParams = Pick<MessageCreateParamsNonStreaming, 'messages'> &
  Partial<Pick<MessageCreateParamsNonStreaming, 'system' | 'output_config' | 'tools'>>;

function blockTokens(block: unknown): number {
  if (typeof block === 'string') return estimateTokens(block);
  if (typeof block === 'object' && block !== null) {
    const record = block as Record<string, unknown>;
    if (record.type === 'text' && typeof record.text === 'string') return estimateTokens(record.text);
    // Tool calls, tool results, documents: their JSON is a fair stand-in for what the model reads.
    const { cache_control: _ignored, ...rest } = record;
    return estimateTokens(JSON.stringify(rest));
  }
  return 0;
}

/** Estimated input tokens of one Messages request: system blocks, messages, schema and tools. */
export function estimateRequestTokens(params: TokenParams): RequestTokenEstimate {
  const system = params.system;
  const prefixTokens =
    system === undefined ? 0 : typeof system === 'string' ? estimateTokens(system) : system.reduce((sum, b) => sum + blockTokens(b), 0);
  let messageTokens = 0;
  for (const message of params.messages) {
    messageTokens += TOKENS_PER_MESSAGE;
    const content = message.content;
    messageTokens += typeof content === 'string' ? estimateTokens(content) : content.reduce((sum, b) => sum + blockTokens(b), 0);
  }
  let schemaTokens = 0;
  const schema = params.output_config?.format?.schema;
  if (schema) schemaTokens += SCHEMA_PREAMBLE_TOKENS + estimateTokens(JSON.stringify(schema));
  if (params.tools?.length) schemaTokens += estimateTokens(JSON.stringify(params.tools));
  return { prefixTokens, messageTokens, schemaTokens, inputTokens: TOKENS_PER_REQUEST + prefixTokens + messageTokens + schemaTokens };
}

/**
 * How long an answer each task tends to write: `base + ratio × input tokens of the unit`, capped at
 * max_tokens. Reviews, scans and verdicts answer with a short JSON list (a summary and a few findings),
 * so their output is a small fraction of the code read; test generation writes a test file at least as
 * long as its source, and a docs update returns the whole file with its comments added. The values err
 * high: the estimate feeds a budget.
 */
export const OUTPUT_PROFILES: Readonly<Record<TaskName, { base: number; ratio: number }>> = {
  'code-review': { base: 300, ratio: 0.1 },
  'security-scan': { base: 250, ratio: 0.08 },
  'refactor-validation': { base: 250, ratio: 0.08 },
  'test-generation': { base: 500, ratio: 1.2 },
  'docs-update': { base: 200, ratio: 1.15 },
};

/**
 * Expected output tokens of one request. `inputTokens` is the request's own content (the unit of work,
 * not the shared prefix, which says nothing about how long the answer is).
 */
export function expectedOutputTokens(task: TaskName, maxOutputTokens: number, inputTokens: number): number {
  const { base, ratio } = OUTPUT_PROFILES[task];
  const expected = Math.ceil(base + ratio * Math.max(0, inputTokens));
  return Math.max(0, Math.min(maxOutputTokens, expected));
}
