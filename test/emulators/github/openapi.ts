// Matches requests to operations of GitHub's own OpenAPI description (@octokit/openapi) and validates
// their path, query and JSON body against it. The 13 MB description is parsed once per process, on the
// first request, and each operation's validators are compiled on first use.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
}

interface OpenApiOperation {
  operationId: string;
  parameters?: (OpenApiParameter | { $ref: string })[];
  requestBody?: {
    required?: boolean;
    content?: Record<string, { schema?: Record<string, unknown> }>;
  };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { parameters: Record<string, OpenApiParameter>; [key: string]: unknown };
}

/** One operation of the description, with its path template split into segments for matching. */
export interface RouteOperation {
  method: string;
  template: string;
  operationId: string;
  segments: string[];
  parameters: OpenApiParameter[];
  requestBody: OpenApiOperation['requestBody'];
  bodyValidator?: ValidateFunction | null;
  queryValidator?: ValidateFunction;
}

export interface RouteMatch {
  operation: RouteOperation;
  params: Record<string, string>;
}

const DOCUMENT_ID = 'https://api.github.com/openapi.json';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'];

let loaded: { operations: RouteOperation[]; ajv: Ajv; coercingAjv: Ajv } | undefined;

function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const document = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  const resolveParameter = (p: OpenApiParameter | { $ref: string }): OpenApiParameter => {
    if ('$ref' in p) {
      const name = p.$ref.split('/').pop() ?? '';
      const resolved = document.components.parameters[name];
      if (!resolved) throw new Error(`OpenAPI description: unresolvable parameter ${p.$ref}`);
      return resolved;
    }
    return p;
  };
  const operations: RouteOperation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      operations.push({
        method: method.toUpperCase(),
        template,
        operationId: op.operationId,
        segments: template.split('/').slice(1),
        parameters: (op.parameters ?? []).map(resolveParameter),
        requestBody: op.requestBody,
      });
    }
  }
  // Component schemas live under one registered root so their internal `#/components/...` refs resolve.
  const options = { strict: false, validateFormats: false, allErrors: true, logger: false } as const;
  const ajv = new Ajv(options);
  const root = { $id: DOCUMENT_ID, components: { schemas: toJsonSchema(document.components['schemas']) } };
  ajv.addSchema(root);
  const coercingAjv = new Ajv({ ...options, coerceTypes: 'array' });
  coercingAjv.addSchema(root);
  loaded = { operations, ajv, coercingAjv };
  return loaded;
}

/**
 * Turns OpenAPI 3.0 schema dialect into JSON Schema ajv understands: document-relative refs
 * (`#/components/...`) are anchored to the registered root so a schema compiled on its own still finds
 * them, and `nullable: true` becomes "or null" (ajv refuses `nullable` without a sibling `type`).
 */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // A boolean `nullable` is the keyword; an object value would be a property that happens to be named so.
    if (key === 'nullable' && typeof value === 'boolean') continue;
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? DOCUMENT_ID + value : toJsonSchema(value);
  }
  return (schema as { nullable?: unknown }).nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

/**
 * Finds the operation for a method and raw (still percent-encoded) path. Literal segments beat
 * parameters; a trailing `{path}` or `{ref}` may span several segments (unencoded slashes), but
 * only when no exact-length template matches.
 */
export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  const { operations } = load();
  const segments = rawPath.split('/').slice(1);
  let best: { match: RouteMatch; score: number[] } | undefined;
  for (const operation of operations) {
    if (operation.method !== method) continue;
    const params = matchSegments(operation.segments, segments);
    if (!params) continue;
    const exactLength = operation.segments.length === segments.length ? 1 : 0;
    const score = [exactLength, ...operation.segments.map((s) => (s.startsWith('{') ? 0 : 1))];
    if (!best || compareScores(score, best.score) > 0) best = { match: { operation, params }, score };
  }
  return best?.match;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function matchSegments(template: string[], actual: string[]): Record<string, string> | undefined {
  if (actual.length < template.length) return undefined;
  const last = template[template.length - 1] ?? '';
  // Only a file path or a git ref may arrive with its slashes unencoded; `{repo}` never spans segments.
  const greedy = last === '{path}' || last === '{ref}';
  if (actual.length > template.length && !greedy) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const part = template[i] ?? '';
    const isLast = i === template.length - 1;
    const value = isLast ? actual.slice(i).join('/') : (actual[i] ?? '');
    const param = /^\{([^}]+)\}$/.exec(part);
    if (param) {
      if (value === '') return undefined;
      try {
        params[param[1] ?? ''] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (part !== value) {
      return undefined;
    }
  }
  return params;
}

function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}

/** Checks one request against its operation; returns human-readable violations (empty when valid). */
export function validateRequest(match: RouteMatch, query: URLSearchParams, body: unknown, hasBody: boolean): string[] {
  const { ajv, coercingAjv } = load();
  const { operation } = match;
  const where = `${operation.method} ${operation.template}`;
  const violations: string[] = [];

  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  if (!operation.queryValidator) {
    const properties: Record<string, unknown> = {};
    for (const p of queryParams) properties[p.name] = toJsonSchema(p.schema ?? {});
    operation.queryValidator = coercingAjv.compile({
      type: 'object',
      properties,
      required: queryParams.filter((p) => p.required).map((p) => p.name),
    });
  }
  const queryObject: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    queryObject[key] = values.length > 1 ? values : (values[0] ?? '');
    // GitHub silently ignores a parameter it does not know, so the client's intent is lost.
    if (!queryParams.some((p) => p.name === key)) {
      violations.push(`${where}: unknown query parameter '${key}'`);
    }
  }
  if (!operation.queryValidator(queryObject)) {
    violations.push(`${where}: query ${describeErrors(operation.queryValidator)}`);
  }

  const jsonBody = operation.requestBody?.content?.['application/json'];
  if (!hasBody) {
    if (operation.requestBody?.required) violations.push(`${where}: request body is required`);
    return violations;
  }
  if (!operation.requestBody) {
    violations.push(`${where}: this operation takes no request body`);
    return violations;
  }
  if (!jsonBody) return violations;
  if (operation.bodyValidator === undefined) {
    operation.bodyValidator = jsonBody.schema ? ajv.compile(toJsonSchema(jsonBody.schema) as object) : null;
  }
  if (operation.bodyValidator && !operation.bodyValidator(body)) {
    violations.push(`${where}: body ${describeErrors(operation.bodyValidator)}`);
  }
  return violations;
}
