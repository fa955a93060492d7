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

  it('refuse an unknown provider', () => {
    expect(problems({ provider: 'azure' })).toEqual(["provider: unknown value 'azure'; use one of anthropic, bedrock, vertex"]);
  });

  it('vertex: need project, a regional location, the bucket and a bare model id; refuse global in one line', () => {
    expect(problems({ provider: 'vertex' })).toEqual([
      'gcp-project: provider vertex needs a Google Cloud project; set gcp-project or GOOGLE_CLOUD_PROJECT',
      'gcp-location: provider vertex needs a region, e.g. us-east5; set gcp-location or CLOUD_ML_REGION',
      'vertex-bucket: provider vertex needs the Cloud Storage bucket for requests and results',
      'model: provider vertex needs a Vertex AI Claude model id, e.g. claude-sonnet-4-5@20250929',
    ]);
    const vertex = {
      provider: 'vertex',
      'gcp-project': 'acme-ci',
      'vertex-bucket': 'acme-batches',
      model: 'claude-haiku-4-5@20251001',
    };
    expect(problems({ ...vertex, 'gcp-location': 'us-east5' })).toEqual([]);
    expect(problems({ ...vertex, 'gcp-location': 'global' })).toEqual([
      "gcp-location: 'global' is not a region; Vertex AI batch jobs for Claude run in one region (e.g. us-east5, europe-west1), with the bucket in the same one",
    ]);
    expect(problems({ ...vertex, 'gcp-location': 'us-east5', model: 'publishers/anthropic/models/claude-haiku-4-5' })).toEqual([
      "model: 'publishers/anthropic/models/claude-haiku-4-5' is a path; provider vertex takes the model id alone, e.g. claude-sonnet-4-5@20250929",
    ]);
    // Collect needs no model; the bucket may be a gs:// URI with the prefix in it.
    expect(
      problems({
        ...vertex,
        'gcp-location': 'us-east5',
        model: '',
        mode: 'collect',
        'vertex-bucket': 'gs://acme-batches/nightly',
      }),
    ).toEqual([]);
  });
});
