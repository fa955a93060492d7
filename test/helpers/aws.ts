// The AWS side of a Bedrock night: one bucket store served by the S3 emulator and read by the Bedrock
// emulator, and the environment the official SDK clients find them (and the test's credentials) in.
import { ObjectStore, startS3Emulator, type S3Emulator } from '../emulators/s3/index.js';
import { ACCOUNT, startBedrockEmulator, type BedrockEmulator, type BedrockEmulatorOptions } from '../emulators/bedrock/index.js';

export const AWS_REGION = 'us-east-1';
export const BUCKET = 'overnight-batches';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/overnight-bedrock-batch`;
export const BEDROCK_MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const ACCESS_KEY = 'AKIAOVERNIGHTTEST000';

export interface AwsEmulators {
  store: ObjectStore;
  s3: S3Emulator;
  bedrock: BedrockEmulator;
  /** Endpoints and credentials, as configure-aws-credentials would export them. */
  env: Record<string, string>;
  /** The endpoints only: no credentials anywhere (files and instance metadata switched off too). */
  envWithoutCredentials: Record<string, string>;
  close(): Promise<void>;
}

export async function startAwsEmulators(
  options: Omit<BedrockEmulatorOptions, 'store' | 'region' | 'accessKeys'> & { s3Denied?: Set<string> } = {},
): Promise<AwsEmulators> {
  const store = new ObjectStore([BUCKET]);
  const accessKeys = new Set([ACCESS_KEY]);
  const s3 = await startS3Emulator({
    store,
    region: AWS_REGION,
    accessKeys,
    ...(options.s3Denied ? { denied: options.s3Denied } : {}),
  });
  const bedrock = await startBedrockEmulator({ ...options, store, region: AWS_REGION, accessKeys });
  const endpoints = {
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ENDPOINT_URL_BEDROCK: bedrock.url,
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.runtimeUrl,
    AWS_REGION,
    // Nothing from the machine running the tests: no profile files, no instance metadata.
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/overnight-aws-credentials',
    AWS_CONFIG_FILE: '/nonexistent/overnight-aws-config',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return {
    store,
    s3,
    bedrock,
    env: {
      ...endpoints,
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: 'overnight-test-secret',
      AWS_SESSION_TOKEN: 'overnight-test-session',
    },
    envWithoutCredentials: endpoints,
    close: async () => {
      await s3.close();
      await bedrock.close();
    },
  };
}
