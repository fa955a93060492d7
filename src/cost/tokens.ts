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

// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL by definition
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * estimateTokens for pure-ASCII text (most source code) without the Unicode regex: the same pieces,
 * the same weights, added in the same order, so the result is identical, about 5x faster. Planning
 * estimates every request's message, so this is most of `submit`'s CPU time on large changes.
 */
function estimateAsciiTokens(text: string): number {
  let tokens = 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    const isLower = c >= 97 && c <= 122;
    const isUpper = c >= 65 && c <= 90;
    if (isLower || isUpper || c === 95) {
      // A word ([A-Za-z_]+): its parts are split at underscore runs and lower→upper case changes.
      const start = i;
      let parts = 0;
      let inPart = false;
      let previousLower = false;
      for (; i < length; i++) {
        const w = text.charCodeAt(i);
        const lower = w >= 97 && w <= 122;
        const upper = w >= 65 && w <= 90;
        if (w === 95) {
          inPart = false;
          previousLower = false;
          continue;
        }
        if (!lower && !upper) break;
        if (!inPart) {
          parts++;
          inPart = true;
        } else if (previousLower && upper) parts++;
        previousLower = lower;
      }
      tokens += Math.max(1, parts, Math.ceil((i - start) / LETTERS_PER_TOKEN));
    } else if (c >= 48 && c <= 57) {
      const start = i;
      while (i < length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      tokens += Math.ceil((i - start) / DIGITS_PER_TOKEN);
    } else if (c === 10) {
      tokens += TOKENS_PER_NEWLINE;
      i++;
    } else if (c === 32 || c === 9) {
      const start = i;
      while (i < length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      const run = i - start;
      tokens += run <= 1 ? 0 : run / SPACES_PER_TOKEN;
    } else {
      // \v, \f and \r are whitespace the pattern skips; every other character is one symbol (\S).
      if (c !== 11 && c !== 12 && c !== 13) tokens += TOKENS_PER_SYMBOL;
      i++;
    }
  }
  return Math.ceil(tokens);
}

/** Estimated tokens of `text` (see the calibration note at the top of this file). */
export function estimateTokens(text: string): number {
  if (!NON_ASCII.test(text)) return estimateAsciiTokens(text);
  let tokens = 0;
  for (const match of text.matchAll(PIECE)) {
    const [piece, cjk, word, digits, newline, spaces] = match;
    if (cjk)
      tokens += 1; // ideographs and kana: about one token each
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

/**
 * The system prompt, project context and output schema are identical in every request of a run:
 * estimating them once per run instead of once per request is most of planning's time on 10,000
 * files. Texts are memoised by value (V8 keeps a string's hash, so a lookup of the same shared string
 * is cheap); only long texts, and a bounded number of them, so a run's unique file contents never pile up.
 */
const MEMO_MIN_CHARS = 2_048;
const MEMO_MAX_ENTRIES = 64;
const textMemo = new Map<string, number>();
const schemaMemo = new WeakMap<object, number>();

function sharedTextTokens(text: string): number {
  if (text.length < MEMO_MIN_CHARS) return estimateTokens(text);
  const known = textMemo.get(text);
  if (known !== undefined) return known;
  const tokens = estimateTokens(text);
  if (textMemo.size >= MEMO_MAX_ENTRIES) textMemo.delete(textMemo.keys().next().value!);
  textMemo.set(text, tokens);
  return tokens;
}

function schemaTokensOf(schema: object): number {
  let tokens = schemaMemo.get(schema);
  if (tokens === undefined) {
    tokens = estimateTokens(JSON.stringify(schema));
    schemaMemo.set(schema, tokens);
  }
  return tokens;
}

function blockTokens(block: unknown, shared = false): number {
  const text = shared ? sharedTextTokens : estimateTokens;
  if (typeof block === 'string') return text(block);
  if (typeof block === 'object' && block !== null) {
    const record = block as Record<string, unknown>;
    if (record.type === 'text' && typeof record.text === 'string') return text(record.text);
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
    system === undefined
      ? 0
      : typeof system === 'string'
        ? sharedTextTokens(system)
        : system.reduce((sum, b) => sum + blockTokens(b, true), 0);
  let messageTokens = 0;
  for (const message of params.messages) {
    messageTokens += TOKENS_PER_MESSAGE;
    const content = message.content;
    messageTokens += typeof content === 'string' ? estimateTokens(content) : content.reduce((sum, b) => sum + blockTokens(b), 0);
  }
  let schemaTokens = 0;
  const schema = params.output_config?.format?.schema;
  if (schema) schemaTokens += SCHEMA_PREAMBLE_TOKENS + schemaTokensOf(schema);
  if (params.tools?.length) schemaTokens += estimateTokens(JSON.stringify(params.tools));
  return {
    prefixTokens,
    messageTokens,
    schemaTokens,
    inputTokens: TOKENS_PER_REQUEST + prefixTokens + messageTokens + schemaTokens,
  };
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
