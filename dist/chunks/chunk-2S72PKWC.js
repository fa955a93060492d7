import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);

// src/cost/prices.ts
var PRICES_CHECKED = "2026-11";
var BATCH_DISCOUNT = 0.5;
var CACHE_MULTIPLIERS = { cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1 };
var DEFAULT_MIN_CACHEABLE_PREFIX = 1024;
var PRICE_TABLE = {
  "claude-opus-4-8": { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, minCacheablePrefix: 1024 },
  "claude-opus-4-7": { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, minCacheablePrefix: 2048 },
  "claude-opus-4-6": { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, minCacheablePrefix: 4096 },
  "claude-opus-4-5": { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, minCacheablePrefix: 4096 },
  "claude-sonnet-4-6": { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3, minCacheablePrefix: 1024 },
  "claude-sonnet-4-5": {
    input: 3,
    output: 15,
    cacheWrite5m: 3.75,
    cacheWrite1h: 6,
    cacheRead: 0.3,
    minCacheablePrefix: 1024,
    retires: "2026-11-30",
    replacement: "claude-sonnet-4-6"
  },
  "claude-haiku-4-5": { input: 1, output: 5, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1, minCacheablePrefix: 4096 }
};
var COMPARISON_MODELS = ["claude-opus-4-8", "claude-sonnet-4-6", "claude-haiku-4-5"];
function priceFamily(model) {
  return model.trim().toLowerCase().replace(/^arn:aws[^/]*\//, "").replace(/^(?:us|eu|apac|global|jp|au|ca|us-gov)\.(?=anthropic\.)/, "").replace(/^anthropic\./, "").replace(/-v\d+(?::\d+)?$/, "").replace(/(?:-|@)(?:\d{8}|latest)$/, "");
}
function stripTableFields(entry) {
  const { input, output, cacheWrite5m, cacheWrite1h, cacheRead, minCacheablePrefix } = entry;
  return { input, output, cacheWrite5m, cacheWrite1h, cacheRead, minCacheablePrefix };
}
function resolvePrice(model, overrides) {
  const exact = model.trim().toLowerCase();
  const family = priceFamily(model);
  if (overrides) {
    const normalised = new Map(Object.entries(overrides).map(([id, price]) => [id.trim().toLowerCase(), price]));
    const override = normalised.get(exact) ?? normalised.get(family);
    if (override) return { ...override };
  }
  const entry = PRICE_TABLE[exact] ?? PRICE_TABLE[family];
  return entry ? stripTableFields(entry) : void 0;
}
function retirementWarning(model, today) {
  const entry = PRICE_TABLE[priceFamily(model)];
  if (!entry?.retires) return null;
  const instead = entry.replacement ? `; use ${entry.replacement} instead` : "";
  const isoToday = today.toISOString().slice(0, 10);
  return isoToday >= entry.retires ? `${model} was retired on ${entry.retires}: requests to it fail${instead}` : `${model} retires on ${entry.retires}${instead}`;
}
function priceFromRates(input, output, rest = {}, minCacheablePrefix = DEFAULT_MIN_CACHEABLE_PREFIX) {
  return {
    input,
    output,
    cacheWrite5m: rest.cacheWrite5m ?? input * CACHE_MULTIPLIERS.cacheWrite5m,
    cacheWrite1h: rest.cacheWrite1h ?? input * CACHE_MULTIPLIERS.cacheWrite1h,
    cacheRead: rest.cacheRead ?? input * CACHE_MULTIPLIERS.cacheRead,
    minCacheablePrefix: rest.minCacheablePrefix ?? minCacheablePrefix
  };
}
var PRICE_FIELDS = ["input", "output", "cacheWrite5m", "cacheWrite1h", "cacheRead", "minCacheablePrefix"];
var MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/;
var COMPACT_FORM = "model=input/output[/cacheWrite5m/cacheWrite1h/cacheRead]";
function fail(message) {
  throw new Error(`price-overrides: ${message}`);
}
function checkModelId(model) {
  const id = model.trim();
  if (!MODEL_ID.test(id)) fail(`"${model}" is not a model id`);
  return id;
}
function checkRate(value, model, field) {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isFinite(number) || number < 0) {
    fail(`${model}: ${field} must be a non-negative number of USD per million tokens, got ${JSON.stringify(value)}`);
  }
  if (field === "minCacheablePrefix" && !Number.isInteger(number)) {
    fail(`${model}: minCacheablePrefix must be a whole number of tokens, got ${JSON.stringify(value)}`);
  }
  return number;
}
function defaultMinimum(model) {
  return PRICE_TABLE[priceFamily(model)]?.minCacheablePrefix ?? DEFAULT_MIN_CACHEABLE_PREFIX;
}
function parseJsonOverrides(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`not valid JSON (${error.message.split("\n")[0]})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    fail('expected a JSON object like {"model": {"input": 2, "output": 10}}');
  }
  const result = {};
  for (const [rawModel, rawPrice] of Object.entries(parsed)) {
    const model = checkModelId(rawModel);
    if (typeof rawPrice !== "object" || rawPrice === null || Array.isArray(rawPrice)) {
      fail(`${model}: expected an object like {"input": 2, "output": 10}`);
    }
    const fields = rawPrice;
    for (const key of Object.keys(fields)) {
      if (!PRICE_FIELDS.includes(key)) {
        fail(`${model}: unknown field "${key}" (known: ${PRICE_FIELDS.join(", ")})`);
      }
    }
    if (fields.input === void 0 || fields.output === void 0) fail(`${model}: input and output are required`);
    const rest = {};
    for (const field of PRICE_FIELDS) {
      if (fields[field] !== void 0) rest[field] = checkRate(fields[field], model, field);
    }
    result[model] = priceFromRates(rest.input, rest.output, rest, defaultMinimum(model));
  }
  return result;
}
function parseCompactOverrides(text) {
  const result = {};
  for (const rawEntry of text.split(/[\n,;]/)) {
    const entry = rawEntry.trim();
    if (entry === "" || entry.startsWith("#")) continue;
    const match = /^([^=\s]+)\s*=\s*(.+)$/.exec(entry);
    if (!match) fail(`"${entry}" is not ${COMPACT_FORM}`);
    const model = checkModelId(match[1]);
    const parts = match[2].split("/").map((part) => part.trim());
    if (parts.length < 2 || parts.length > 5) {
      fail(`"${entry}" has ${parts.length} price(s); expected ${COMPACT_FORM}`);
    }
    const rates = parts.map((part, i) => checkRate(part, model, PRICE_FIELDS[i]));
    const [input, output, cacheWrite5m, cacheWrite1h, cacheRead] = rates;
    result[model] = priceFromRates(input, output, { cacheWrite5m, cacheWrite1h, cacheRead }, defaultMinimum(model));
  }
  return result;
}
function parsePriceOverrides(text) {
  const trimmed = text.trim();
  if (trimmed === "") return {};
  return trimmed.startsWith("{") ? parseJsonOverrides(trimmed) : parseCompactOverrides(trimmed);
}

export {
  PRICES_CHECKED,
  BATCH_DISCOUNT,
  COMPARISON_MODELS,
  priceFamily,
  resolvePrice,
  retirementWarning,
  parsePriceOverrides
};
