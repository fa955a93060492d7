// Anthropic's list prices as data. Prices change and models come and go, so the table is dated, each
// row stands alone (add a model = add a row), and users can override or extend it (price-overrides).
import type { ModelPrice } from './types.js';

/** When the table below was last checked against Anthropic's pricing page (../shared/API-NOTES.md). */
export const PRICES_CHECKED = '2026-11';

/**
 * The Message Batches API bills every line (input, cache writes and reads, output) at half price, and
 * so do Bedrock batch inference and Vertex batch prediction against their on-demand Claude prices,
 * which are Anthropic's list prices on global endpoints (../shared/BACKENDS-NOTES.md, checked
 * 2026-12-06: documented by AWS for Bedrock; for Vertex only by third parties, unverified). Regional
 * cloud endpoints may cost more: price-overrides sets the rates an account pays.
 */
export const BATCH_DISCOUNT = 0.5;

/** Cache prices as multiples of the input price; Anthropic applies the same multipliers to every model. */
export const CACHE_MULTIPLIERS = { cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1 } as const;

/** Minimum cacheable prefix assumed for a model the table does not know. */
export const DEFAULT_MIN_CACHEABLE_PREFIX = 1024;

export interface PriceTableEntry extends ModelPrice {
  /** ISO date (YYYY-MM-DD) from which the model no longer answers; absent while it is current. */
  retires?: string;
  /** What to use instead once it retires. */
  replacement?: string;
}

/** USD per million tokens, standard (interactive) prices. */
export const PRICE_TABLE: Readonly<Record<string, Readonly<PriceTableEntry>>> = {
  'claude-opus-4-8': { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, minCacheablePrefix: 1024 },
  'claude-opus-4-7': { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, minCacheablePrefix: 2048 },
  'claude-opus-4-6': { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, minCacheablePrefix: 4096 },
  'claude-opus-4-5': { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, minCacheablePrefix: 4096 },
  'claude-sonnet-4-6': { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3, minCacheablePrefix: 1024 },
  'claude-sonnet-4-5': {
    input: 3,
    output: 15,
    cacheWrite5m: 3.75,
    cacheWrite1h: 6,
    cacheRead: 0.3,
    minCacheablePrefix: 1024,
    retires: '2026-11-30',
    replacement: 'claude-sonnet-4-6',
  },
  'claude-haiku-4-5': { input: 1, output: 5, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1, minCacheablePrefix: 4096 },
};

/** One current model per family: what an estimate compares the chosen model against. */
export const COMPARISON_MODELS: readonly string[] = ['claude-opus-4-8', 'claude-sonnet-4-6', 'claude-haiku-4-5'];

/**
 * The table id a model id belongs to: dated snapshots (`claude-sonnet-4-6-20260101`, Vertex-style
 * `claude-sonnet-4-6@20260101`) and `-latest` aliases share their family's price, and so do Bedrock's
 * ids: base ids (`anthropic.claude-haiku-4-5-20251001-v1:0`), system inference profiles (`us.…`,
 * `global.…`) and their ARNs (`…:inference-profile/us.anthropic.…`). An application inference
 * profile's ARN names no model: its price comes from price-overrides.
 */
export function priceFamily(model: string): string {
  return model
    .trim()
    .toLowerCase()
    .replace(/^arn:aws[^/]*\//, '')
    .replace(/^(?:us|eu|apac|global|jp|au|ca|us-gov)\.(?=anthropic\.)/, '')
    .replace(/^anthropic\./, '')
    .replace(/-v\d+(?::\d+)?$/, '')
    .replace(/(?:-|@)(?:\d{8}|latest)$/, '');
}

function stripTableFields(entry: Readonly<PriceTableEntry>): ModelPrice {
  const { input, output, cacheWrite5m, cacheWrite1h, cacheRead, minCacheablePrefix } = entry;
  return { input, output, cacheWrite5m, cacheWrite1h, cacheRead, minCacheablePrefix };
}

/**
 * The price of `model`: a user override first (exact id, then its family), then the table (exact id,
 * then its family). undefined when nobody knows the price; the caller decides whether that is fatal.
 */
export function resolvePrice(model: string, overrides?: Readonly<Record<string, ModelPrice>>): ModelPrice | undefined {
  const exact = model.trim().toLowerCase();
  const family = priceFamily(model);
  if (overrides) {
    const normalised = new Map(Object.entries(overrides).map(([id, price]) => [id.trim().toLowerCase(), price]));
    const override = normalised.get(exact) ?? normalised.get(family);
    if (override) return { ...override };
  }
  const entry = PRICE_TABLE[exact] ?? PRICE_TABLE[family];
  return entry ? stripTableFields(entry) : undefined;
}

/**
 * A one-line warning when `model` is retired or about to be (null otherwise). `today` is a parameter so
 * the answer does not depend on the clock of whoever runs the tests.
 */
export function retirementWarning(model: string, today: Date): string | null {
  const entry = PRICE_TABLE[priceFamily(model)];
  if (!entry?.retires) return null;
  const instead = entry.replacement ? `; use ${entry.replacement} instead` : '';
  const isoToday = today.toISOString().slice(0, 10);
  return isoToday >= entry.retires
    ? `${model} was retired on ${entry.retires}: requests to it fail${instead}`
    : `${model} retires on ${entry.retires}${instead}`;
}

/** A full price from an input and output price; cache prices follow Anthropic's multipliers. */
export function priceFromRates(
  input: number,
  output: number,
  rest: Partial<Omit<ModelPrice, 'input' | 'output'>> = {},
  minCacheablePrefix = DEFAULT_MIN_CACHEABLE_PREFIX,
): ModelPrice {
  return {
    input,
    output,
    cacheWrite5m: rest.cacheWrite5m ?? input * CACHE_MULTIPLIERS.cacheWrite5m,
    cacheWrite1h: rest.cacheWrite1h ?? input * CACHE_MULTIPLIERS.cacheWrite1h,
    cacheRead: rest.cacheRead ?? input * CACHE_MULTIPLIERS.cacheRead,
    minCacheablePrefix: rest.minCacheablePrefix ?? minCacheablePrefix,
  };
}

const PRICE_FIELDS = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'minCacheablePrefix'] as const;
type PriceField = (typeof PRICE_FIELDS)[number];
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/;
const COMPACT_FORM = 'model=input/output[/cacheWrite5m/cacheWrite1h/cacheRead]';

function fail(message: string): never {
  throw new Error(`price-overrides: ${message}`);
}

function checkModelId(model: string): string {
  const id = model.trim();
  if (!MODEL_ID.test(id)) fail(`"${model}" is not a model id`);
  return id;
}

function checkRate(value: unknown, model: string, field: PriceField): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
    fail(`${model}: ${field} must be a non-negative number of USD per million tokens, got ${JSON.stringify(value)}`);
  }
  if (field === 'minCacheablePrefix' && !Number.isInteger(number)) {
    fail(`${model}: minCacheablePrefix must be a whole number of tokens, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** A model the table knows keeps its own cache minimum when the user only overrides its prices. */
function defaultMinimum(model: string): number {
  return PRICE_TABLE[priceFamily(model)]?.minCacheablePrefix ?? DEFAULT_MIN_CACHEABLE_PREFIX;
}

function parseJsonOverrides(text: string): Record<string, ModelPrice> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail('expected a JSON object like {"model": {"input": 2, "output": 10}}');
  }
  const result: Record<string, ModelPrice> = {};
  for (const [rawModel, rawPrice] of Object.entries(parsed)) {
    const model = checkModelId(rawModel);
    if (typeof rawPrice !== 'object' || rawPrice === null || Array.isArray(rawPrice)) {
      fail(`${model}: expected an object like {"input": 2, "output": 10}`);
    }
    const fields = rawPrice as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (!(PRICE_FIELDS as readonly string[]).includes(key)) {
        fail(`${model}: unknown field "${key}" (known: ${PRICE_FIELDS.join(', ')})`);
      }
    }
    if (fields.input === undefined || fields.output === undefined) fail(`${model}: input and output are required`);
    const rest: Partial<Record<PriceField, number>> = {};
    for (const field of PRICE_FIELDS) {
      if (fields[field] !== undefined) rest[field] = checkRate(fields[field], model, field);
    }
    result[model] = priceFromRates(rest.input!, rest.output!, rest, defaultMinimum(model));
  }
  return result;
}

function parseCompactOverrides(text: string): Record<string, ModelPrice> {
  const result: Record<string, ModelPrice> = {};
  for (const rawEntry of text.split(/[\n,;]/)) {
    const entry = rawEntry.trim();
    if (entry === '' || entry.startsWith('#')) continue;
    const match = /^([^=\s]+)\s*=\s*(.+)$/.exec(entry);
    if (!match) fail(`"${entry}" is not ${COMPACT_FORM}`);
    const model = checkModelId(match[1]!);
    const parts = match[2]!.split('/').map((part) => part.trim());
    if (parts.length < 2 || parts.length > 5) {
      fail(`"${entry}" has ${parts.length} price(s); expected ${COMPACT_FORM}`);
    }
    const rates = parts.map((part, i) => checkRate(part, model, PRICE_FIELDS[i]!));
    const [input, output, cacheWrite5m, cacheWrite1h, cacheRead] = rates;
    result[model] = priceFromRates(input!, output!, { cacheWrite5m, cacheWrite1h, cacheRead }, defaultMinimum(model));
  }
  return result;
}

/**
 * Reads the user's price overrides: JSON `{"model": {"input": 2, "output": 10, ...}}` or compact
 * `model=input/output[/cacheWrite5m/cacheWrite1h/cacheRead]` entries separated by newlines, commas or
 * semicolons. Missing cache prices derive from input (x1.25, x2, x0.1); minCacheablePrefix keeps the
 * table's value for a known model and is 1024 otherwise. Empty text = no overrides. Throws
 * `Error('price-overrides: …')` with one line saying what is wrong.
 */
export function parsePriceOverrides(text: string): Record<string, ModelPrice> {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  return trimmed.startsWith('{') ? parseJsonOverrides(trimmed) : parseCompactOverrides(trimmed);
}
