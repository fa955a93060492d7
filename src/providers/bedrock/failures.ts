// AWS failures as one line: no credentials, or a permission the caller (or Bedrock's service role)
// lacks, named as IAM writes it, so the fix is one policy line. Anything else passes through.
import { ConfigError } from '../../errors.js';

/** The IAM action each call needs, named in the line when AWS refuses it without saying which. */
export const PERMISSION_OF = {
  PutObject: 's3:PutObject',
  GetObject: 's3:GetObject',
  ListObjectsV2: 's3:ListBucket',
  CreateModelInvocationJob: 'bedrock:CreateModelInvocationJob',
  GetModelInvocationJob: 'bedrock:GetModelInvocationJob',
  StopModelInvocationJob: 'bedrock:StopModelInvocationJob',
  InvokeModel: 'bedrock:InvokeModel',
} as const;
export type AwsOperation = keyof typeof PERMISSION_OF;

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** A ConfigError of one line for an AWS refusal, or the error itself when it is something else. */
export function awsFailure(error: unknown, operation: AwsOperation, resource: string): unknown {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? '';
  const message = oneLine(e?.message ?? String(error));
  const permission = PERMISSION_OF[operation];
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new ConfigError(
      `provider bedrock: no AWS credentials for ${permission} on ${resource}; run aws-actions/configure-aws-credentials (role-to-assume, with permissions: id-token: write) before overnight, or set AWS_PROFILE`,
    );
  }
  const status = e?.$metadata?.httpStatusCode;
  if (/AccessDenied|Forbidden|UnrecognizedClient|InvalidAccessKeyId|SignatureDoesNotMatch/i.test(name) || status === 403) {
    // Bedrock names the action it refused ("… is not authorized to perform: iam:PassRole on resource: …"); S3 does not.
    const named = /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9]+)/i.exec(message)?.[1];
    const cannotAssume = /assume|trust/i.test(message) && !named;
    if (cannotAssume) {
      return new ConfigError(
        `provider bedrock: Bedrock cannot assume the service role (${message}); its trust policy must allow bedrock.amazonaws.com sts:AssumeRole`,
      );
    }
    return new ConfigError(
      `provider bedrock: access denied: the caller needs ${named ?? permission} on ${resource} (${operation}: ${message})`,
    );
  }
  if (name === 'NoSuchBucket') {
    return new ConfigError(
      `bedrock-bucket: ${resource} does not exist (or is in another region); create it or fix bedrock-bucket`,
    );
  }
  if (name === 'ValidationException' && operation === 'CreateModelInvocationJob') {
    return new ConfigError(`provider bedrock: Bedrock refused the job: ${message}`);
  }
  return error;
}
