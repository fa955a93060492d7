// The provider inputs: a bad value is one line naming the input, all of them at once, before any call.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';

const valid = {
  provider: 'bedrock',
  'aws-region': 'us-east-1',
  'bedrock-bucket': 'my-overnight-batches',
  'bedrock-role-arn': 'arn:aws:iam::123456789012:role/overnight-bedrock-batch',
  model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
};

const problems = (raw: Record<string, string>, env: NodeJS.ProcessEnv = {}): string[] => {
  try {
    parseConfig(raw, env);
    return [];
  } catch (error) {
    return (error as Error).message.split('\n');
  }
};

describe('provider inputs', () => {
  it('accept a complete Bedrock configuration, the region from AWS_REGION too', () => {
    const config = parseConfig({ ...valid, 'aws-region': '' }, { AWS_REGION: 'eu-west-1' });
    expect(config.provider).toBe('bedrock');
    expect(config.bedrock).toEqual({
      region: 'eu-west-1',
      bucket: 'my-overnight-batches',
      prefix: 'overnight/',
      roleArn: valid['bedrock-role-arn'],
      minRecords: 100,
    });
    expect(parseConfig({}, {}).provider).toBe('anthropic');
  });

  it('name every bad Bedrock input in one line each', () => {
    expect(
      problems({
        provider: 'bedrock',
        'aws-region': 'Virginia',
        'bedrock-bucket': 'My_Bucket',
        'bedrock-role-arn': 'overnight-role',
        'bedrock-min-records': 'ten',
        model: '',
      }),
    ).toEqual([
      "aws-region: 'Virginia' is not an AWS region like us-east-1",
      "bedrock-bucket: 'My_Bucket' is not an S3 bucket name",
      "bedrock-role-arn: 'overnight-role' is not a role ARN like arn:aws:iam::123456789012:role/overnight-batch",
      "bedrock-min-records: 'ten' is not a whole number from 1 to 999999",
      'model: provider bedrock needs a Bedrock model id or inference profile, e.g. us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ]);
  });

  it('need the bucket and region always, the role wherever jobs are created (collect resubmits), not for run', () => {
    expect(problems({ provider: 'bedrock', mode: 'collect' })).toEqual([
      'aws-region: provider bedrock needs a region; set aws-region or AWS_REGION',
      'bedrock-bucket: provider bedrock needs the S3 bucket for requests and results',
      'bedrock-role-arn: provider bedrock needs the service role Bedrock runs its jobs as (submit, and collect for resubmissions)',
    ]);
    expect(problems({ ...valid, 'bedrock-role-arn': '', mode: 'run' })).toEqual([]);
  });

  it('refuse an unknown provider and vertex (not available yet)', () => {
    expect(problems({ provider: 'azure' })).toEqual(["provider: unknown value 'azure'; use one of anthropic, bedrock, vertex"]);
    expect(problems({ provider: 'vertex' })).toEqual([
      'provider: vertex is not available in this build yet; use anthropic or bedrock',
    ]);
  });
});
