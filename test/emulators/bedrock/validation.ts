// Bedrock's rules for CreateModelInvocationJob and for a batch record, as its API definition states
// them (botocore bedrock/2023-04-20/service-2.json; API_CreateModelInvocationJob;
// userguide/batch-inference-data.html); ../shared/BACKENDS-NOTES.md §1.
import { validateMessageParams } from '../../../src/emulator/anthropic/validation.js';

export const JOB_NAME = /^[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9+\-.]){0,63}$/;
export const ROLE_ARN = /^arn:aws(-[^:]+)?:iam::\d{12}:role\/.+$/;
export const CLIENT_TOKEN = /^[a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}$/;
/** Base model id, system inference profile, or a foundation-model / (application-)inference-profile ARN. */
const MODEL_ID =
  /^(?:(?:us|eu|apac|global|jp|au|ca)\.)?anthropic\.claude-[a-z0-9-]+-v\d+(?::\d+)?$|^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]+:(\d{12})?:(foundation-model|inference-profile|application-inference-profile)\/.+$/;
export const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.*)$/;

export class BedrockError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const validation = (message: string): BedrockError => new BedrockError(400, 'ValidationException', message);

export interface JobRequest {
  jobName: string;
  roleArn: string;
  clientRequestToken?: string;
  modelId: string;
  inputDataConfig: { s3InputDataConfig: { s3Uri: string; s3InputFormat?: string } };
  outputDataConfig: { s3OutputDataConfig: { s3Uri: string } };
  timeoutDurationInHours?: number;
}

const KNOWN = new Set([
  'jobName',
  'roleArn',
  'clientRequestToken',
  'modelId',
  'inputDataConfig',
  'outputDataConfig',
  'vpcConfig',
  'timeoutDurationInHours',
  'tags',
  'modelInvocationType',
]);

export function validateJobRequest(body: Record<string, unknown>): JobRequest {
  for (const key of Object.keys(body)) if (!KNOWN.has(key)) throw validation(`Unknown parameter ${key}`);
  const { jobName, roleArn, modelId, clientRequestToken, timeoutDurationInHours } = body;
  if (typeof jobName !== 'string' || jobName.length < 1 || jobName.length > 63 || !JOB_NAME.test(jobName)) {
    throw validation(
      `1 validation error detected: Value '${String(jobName)}' at 'jobName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\\+\\-\\.]){0,63}`,
    );
  }
  if (typeof roleArn !== 'string' || roleArn.length > 2048 || !ROLE_ARN.test(roleArn)) {
    throw validation(
      `1 validation error detected: Value '${String(roleArn)}' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+`,
    );
  }
  if (clientRequestToken !== undefined && (typeof clientRequestToken !== 'string' || !CLIENT_TOKEN.test(clientRequestToken))) {
    throw validation(`Value '${String(clientRequestToken)}' at 'clientRequestToken' failed to satisfy constraint`);
  }
  if (typeof modelId !== 'string' || modelId.length < 1 || modelId.length > 2048 || !MODEL_ID.test(modelId)) {
    throw validation(`The provided model identifier is invalid: ${String(modelId)}`);
  }
  if (timeoutDurationInHours !== undefined) {
    if (
      !Number.isInteger(timeoutDurationInHours) ||
      (timeoutDurationInHours as number) < 24 ||
      (timeoutDurationInHours as number) > 168
    ) {
      throw validation(
        `Value '${String(timeoutDurationInHours)}' at 'timeoutDurationInHours' failed to satisfy constraint: Member must have value between 24 and 168`,
      );
    }
  }
  const input = (body.inputDataConfig as { s3InputDataConfig?: { s3Uri?: unknown; s3InputFormat?: unknown } } | undefined)
    ?.s3InputDataConfig;
  if (!input || typeof input.s3Uri !== 'string' || !S3_URI.test(input.s3Uri))
    throw validation('inputDataConfig.s3InputDataConfig.s3Uri must be an s3:// URI');
  if (input.s3InputFormat !== undefined && input.s3InputFormat !== 'JSONL')
    throw validation(`s3InputFormat '${String(input.s3InputFormat)}' is not JSONL`);
  const output = (body.outputDataConfig as { s3OutputDataConfig?: { s3Uri?: unknown } } | undefined)?.s3OutputDataConfig;
  if (!output || typeof output.s3Uri !== 'string' || !S3_URI.test(output.s3Uri))
    throw validation('outputDataConfig.s3OutputDataConfig.s3Uri must be an s3:// URI');
  return body as unknown as JobRequest;
}

/** The Anthropic model family a Bedrock model id names, for the Messages validation (claude-…). */
export function familyOf(modelId: string): string {
  const tail = modelId.split('/').pop()!;
  return tail
    .replace(/^(?:us|eu|apac|global|jp|au|ca)\./, '')
    .replace(/^anthropic\./, '')
    .replace(/-v\d+(?::\d+)?$/, '')
    .replace(/-\d{8}$/, '');
}

/**
 * The reason Bedrock's InvokeModel would refuse `body` for `modelId`, or null. The body is Bedrock's
 * Messages form: anthropic_version bedrock-2023-05-31, no model, no stream; the rest as the Messages API.
 */
export function bodyProblem(body: unknown, modelId: string): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be a JSON object';
  const { anthropic_version, ...rest } = body as Record<string, unknown>;
  if (anthropic_version !== 'bedrock-2023-05-31')
    return `anthropic_version: '${String(anthropic_version)}' is not bedrock-2023-05-31`;
  if ('model' in rest) return 'model: Extra inputs are not permitted (the model is the modelId)';
  if ('stream' in rest) return 'stream: Extra inputs are not permitted (use InvokeModelWithResponseStream)';
  if ('anthropic_beta' in rest) delete rest.anthropic_beta;
  const problem = validateMessageParams({ ...rest, model: familyOf(modelId) }, 'messages');
  return problem ? problem.message : null;
}
