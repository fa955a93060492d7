// Fits an answer to whatever schema the request asked for: drops properties the schema does not
// allow, fills required ones it lacks, maps enum values. The task modules own their schemas; this
// keeps the default answers valid against them without hard-coding one exact shape.
import { isRecord } from '../validation.js';

type Schema = Record<string, unknown>;

function resolve(schema: unknown, root: Schema): Schema {
  let current = schema;
  for (let depth = 0; depth < 20 && isRecord(current) && typeof current.$ref === 'string'; depth++) {
    const ref = current.$ref as string;
    if (!ref.startsWith('#')) return {};
    let target: unknown = root;
    for (const part of ref.slice(1).split('/').filter(Boolean)) {
      target = isRecord(target) ? target[decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'))] : undefined;
    }
    current = target;
  }
  return isRecord(current) ? current : {};
}

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type.map(String);
  if (typeof schema.type === 'string') return [schema.type];
  if (isRecord(schema.properties)) return ['object'];
  if (schema.items !== undefined) return ['array'];
  if (Array.isArray(schema.enum)) return [...new Set(schema.enum.map((v) => (v === null ? 'null' : typeof v)))];
  return [];
}

function jsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** A minimal value that satisfies `schema`. */
export function exampleFor(schema: unknown, root: Schema): unknown {
  return fitToSchema(undefined, schema, root);
}

export function fitToSchema(value: unknown, rawSchema: unknown, root: Schema = isRecord(rawSchema) ? rawSchema : {}): unknown {
  const schema = resolve(rawSchema, root);
  if ('const' in schema) return schema.const;
  for (const combinator of ['anyOf', 'oneOf'] as const) {
    const branches = schema[combinator];
    if (Array.isArray(branches) && branches.length > 0) {
      const resolved = branches.map((b) => resolve(b, root));
      const kind = jsonType(value);
      const match =
        resolved.find((b) => typesOf(b).includes(kind) || (kind === 'integer' && typesOf(b).includes('number'))) ??
        resolved.find((b) => !typesOf(b).includes('null')) ??
        resolved[0];
      return fitToSchema(value, match, root);
    }
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return fitToSchema(value, schema.allOf[0], root);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    if (schema.enum.includes(value)) return value;
    if (typeof value === 'string') {
      const folded = schema.enum.find((e) => typeof e === 'string' && e.toLowerCase() === value.toLowerCase());
      if (folded !== undefined) return folded;
    }
    return schema.enum.find((e) => e !== null) ?? schema.enum[0];
  }

  const types = typesOf(schema);
  if (types.length === 0) return value === undefined ? null : value;
  const kind = jsonType(value);
  if (kind === 'null' && types.includes('null')) return null;
  const type = types.includes(kind)
    ? kind
    : kind === 'integer' && types.includes('number')
      ? 'number'
      : types.find((t) => t !== 'null')!;

  switch (type) {
    case 'object': {
      const source = isRecord(value) ? value : {};
      const properties = isRecord(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
      const out: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(properties)) {
        if (name in source) out[name] = fitToSchema(source[name], sub, root);
        else if (required.includes(name)) out[name] = exampleFor(sub, root);
      }
      if (schema.additionalProperties !== false) {
        for (const [name, v] of Object.entries(source)) if (!(name in properties)) out[name] = v;
      }
      return out;
    }
    case 'array': {
      const items = Array.isArray(value) ? value.map((item) => fitToSchema(item, schema.items ?? {}, root)) : [];
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      while (items.length < min) items.push(exampleFor(schema.items ?? {}, root));
      return typeof schema.maxItems === 'number' ? items.slice(0, schema.maxItems) : items;
    }
    case 'string':
      return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
    case 'integer':
    case 'number': {
      const n = Number(value);
      const finite = Number.isFinite(n) ? n : typeof schema.minimum === 'number' ? schema.minimum : 0;
      return type === 'integer' ? Math.round(finite) : finite;
    }
    case 'boolean':
      return Boolean(value);
    case 'null':
      return null;
    default:
      return value ?? null;
  }
}
