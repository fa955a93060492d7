// The answer schemas the tasks share and their validation. Structured outputs accept only a subset
// of JSON Schema (no minimum/maxLength/pattern): schemas stay within types, enums, required and
// additionalProperties, and the normalisers check the rest.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { CONFIDENCES, FINDING_SEVERITIES, SEVERITIES, type TaskName } from '../types.js';
import { MalformedAnswerError } from './task.js';

/**
 * Structured outputs accept only a subset of JSON Schema (no minimum/maxLength/pattern): schemas stay
 * within types, enums, required and additionalProperties, and the normalisers check the rest.
 */
export function objectSchema(properties: Record<string, Record<string, unknown>>, description?: string): Record<string, unknown> {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  };
}

export const severitySchema = { type: 'string', enum: [...SEVERITIES] };
export const lineSchema = (description: string): Record<string, unknown> => ({ type: 'integer', description });
export const nullableString = (description: string): Record<string, unknown> => ({
  type: ['string', 'null'],
  description,
});

/** The severities a findings answer may give, defined so that `low` is still a real defect. */
export const findingSeveritySchema = {
  type: 'string',
  enum: [...FINDING_SEVERITIES],
  description:
    'critical: exploitable or data-destroying in normal use; high: real impact, likely hit; medium: real impact, less common path; low: real defect, small impact.',
};

export const confidenceSchema = {
  type: 'string',
  enum: [...CONFIDENCES],
  description:
    'certain: the quoted code alone shows it; likely: needs a plausible assumption about code not shown; possible: depends on code or input not shown.',
};

/**
 * findings answer shape (code-review, security-scan). The fields are in reasoning order (structured
 * outputs write them in this order): where, the code quoted, what triggers it, and only then the
 * verdict (severity, confidence) and the prose. Descriptions stay short: they are sent with every
 * request, and every field is paid for in output tokens.
 */
export function findingsSchema(cweDescription: string, triggerDescription: string): Record<string, unknown> {
  return objectSchema({
    summary: { type: 'string', description: 'One or two sentences on the reviewed change overall.' },
    findings: {
      type: 'array',
      items: objectSchema({
        path: { type: 'string', description: 'The path attribute of the <file> block.' },
        start_line: lineSchema('First line of the problem, from the "N| " prefixes.'),
        end_line: lineSchema('Last line of the problem (equal to start_line for one line).'),
        quote: { type: 'string', description: 'The code at those lines, copied verbatim without "N| " (at most 3 lines).' },
        trigger: { type: 'string', description: triggerDescription },
        severity: findingSeveritySchema,
        confidence: confidenceSchema,
        category: { type: 'string', description: 'Short kebab-case kind, e.g. "null-dereference", "sql-injection".' },
        cwe: nullableString(cweDescription),
        title: { type: 'string', description: 'One line, at most 100 characters.' },
        explanation: { type: 'string', description: 'Why it matters, briefly.' },
        fix_explanation: nullableString('How to fix it, in prose (name code in backticks), or null.'),
        replacement: nullableString(
          'Code replacing exactly lines start_line..end_line (every line, original indentation, no "N| ", no fence), ready to commit; null unless the fix is such a drop-in.',
        ),
      }),
    },
  });
}

/** What a files answer says about each field; the shape is the same for every task that writes files. */
export interface FilesSchemaText {
  summary: string;
  path: string;
  content: string;
  description: string;
  sourcePath: string;
}

/** files answer shape (test-generation, docs-update). */
export function filesSchema(text: FilesSchemaText): Record<string, unknown> {
  return objectSchema({
    summary: { type: 'string', description: text.summary },
    files: {
      type: 'array',
      items: objectSchema({
        path: { type: 'string', description: text.path },
        content: { type: 'string', description: text.content },
        description: { type: 'string', description: text.description },
        source_path: { type: 'string', description: text.sourcePath },
      }),
    },
  });
}

export interface FilesAnswer {
  summary: string;
  files: { path: string; content: string; description: string; source_path: string }[];
}

// ---- validation ----------------------------------------------------------------------------------

/** One ajv for all task schemas: schemas are compiled once, at module load. */
export const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });

export function compileAnswerSchema(schema: Record<string, unknown>): ValidateFunction {
  return ajv.compile(schema);
}

function describeError(error: ErrorObject, answer: unknown): string {
  const where = error.instancePath || '(root)';
  if (error.keyword === 'required') return `${where} is missing "${String(error.params.missingProperty)}"`;
  if (error.keyword === 'additionalProperties') {
    return `${where} has unexpected property "${String(error.params.additionalProperty)}"`;
  }
  let got = '';
  try {
    const value = error.instancePath
      .split('/')
      .slice(1)
      .reduce<unknown>(
        (node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
        answer,
      );
    const text = JSON.stringify(value);
    if (text !== undefined) got = ` (got ${text.length > 40 ? `${text.slice(0, 40)}…` : text})`;
  } catch {
    // A value we cannot show is not worth a second error.
  }
  if (error.keyword === 'enum') {
    return `${where} must be one of ${(error.params.allowedValues as unknown[]).join(', ')}${got}`;
  }
  return `${where} ${error.message ?? 'is invalid'}${got}`;
}

/** Throws MalformedAnswerError naming the first schema violation. */
export function assertMatchesSchema<T>(validate: ValidateFunction, answer: unknown, task: TaskName): T {
  if (!validate(answer)) {
    const first = validate.errors?.[0];
    const reason = first ? describeError(first, answer) : 'does not match';
    throw new MalformedAnswerError(`${task} answer does not match its schema: ${reason}`);
  }
  return answer as T;
}
