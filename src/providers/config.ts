// The inputs that choose and reach a batch service: `provider`, and each cloud's bucket, role and
// region. Part of the one input table (src/config.ts spreads PROVIDER_INPUTS into INPUTS).
import type { InputSpec } from '../config.js';
import { PROVIDER_NAMES, type ProviderName } from './types.js';

export const PROVIDER_INPUTS: InputSpec[] = [
  {
    name: 'provider',
    default: 'anthropic',
    description:
      'Batch service: anthropic (Message Batches API, API key), bedrock (Amazon Bedrock batch inference, AWS credentials from the standard chain) or vertex (Google Vertex AI batch prediction, Application Default Credentials); all at half the on-demand price.',
  },
  {
    name: 'aws-region',
    default: '',
    description: 'bedrock: AWS region of the job and the bucket; empty = AWS_REGION or AWS_DEFAULT_REGION.',
  },
  { name: 'bedrock-bucket', default: '', description: 'bedrock: S3 bucket for the requests (JSONL) and the results.' },
  { name: 'bedrock-prefix', default: 'overnight/', description: 'bedrock: key prefix inside bedrock-bucket.' },
  {
    name: 'bedrock-role-arn',
    default: '',
    description:
      'bedrock: service role Bedrock assumes to read and write the bucket (arn:aws:iam::<account>:role/<name>); needed to submit and to collect (resubmissions).',
  },
  {
    name: 'bedrock-min-records',
    default: '100',
    description:
      "bedrock: the per-job minimum record count of the model's quota; a smaller job is answered on demand (InvokeModel, full price).",
  },
  {
    name: 'gcp-project',
    default: '',
    description: 'vertex: Google Cloud project id of the job; empty = GOOGLE_CLOUD_PROJECT (set by google-github-actions/auth).',
  },
  {
    name: 'gcp-location',
    default: '',
    description:
      'vertex: regional location of the job and the bucket, e.g. us-east5 or europe-west1 (batch jobs need a region, not global); empty = CLOUD_ML_REGION.',
  },
  {
    name: 'vertex-bucket',
    default: '',
    description: 'vertex: Cloud Storage bucket for the requests (JSONL) and the results, as a name or gs://bucket/prefix/.',
  },
  { name: 'vertex-prefix', default: 'overnight/', description: 'vertex: object name prefix inside vertex-bucket.' },
  {
    name: 'state-signing-key',
    default: '',
    description:
      'Secret the state artifacts are signed with when there is no anthropic-api-key (provider bedrock or vertex): any long random string kept as a repository secret.',
  },
];

export interface BedrockConfig {
  region: string;
  bucket: string;
  /** '' or ending in '/'. */
  prefix: string;
  roleArn: string;
  minRecords: number;
}

export interface VertexConfig {
  project: string;
  location: string;
  bucket: string;
  /** '' or ending in '/'. */
  prefix: string;
}

export interface ProviderConfig {
  provider: ProviderName;
  bedrock: BedrockConfig;
  vertex: VertexConfig;
  stateSigningKey: string;
}

/** Bedrock's form of a service role ARN (API_CreateModelInvocationJob roleArn). */
export const ROLE_ARN_PATTERN = /^arn:aws(-[^:]+)?:iam::\d{12}:role\/.+$/;
/** S3 bucket names: 3-63 lower-case letters, digits, dots and hyphens. */
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** Google Cloud project ids: 6-30 lower-case letters, digits and hyphens, starting with a letter. */
const GCP_PROJECT_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** A Google Cloud region (us-east5, europe-west1); multi-regions and global are not. */
const GCP_REGION_PATTERN = /^[a-z]+-[a-z]+\d+$/;
/** Cloud Storage bucket names (the dot-free form; dotted names need domain verification). */
const GCS_BUCKET_PATTERN = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;

function slashed(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+/, '');
  return trimmed && !trimmed.endsWith('/') ? `${trimmed}/` : trimmed;
}

/** The Vertex inputs; problems only when vertex is the chosen provider. */
function parseVertexConfig(get: (name: string) => string, env: NodeJS.ProcessEnv, problems: string[] | null): VertexConfig {
  let bucket = get('vertex-bucket').trim();
  let prefix = slashed(get('vertex-prefix'));
  const uri = /^gs:\/\/([^/]*)\/?(.*)$/.exec(bucket);
  if (uri) {
    bucket = uri[1]!;
    if (uri[2]) prefix = slashed(uri[2]);
  }
  const vertex: VertexConfig = {
    project: (get('gcp-project') || env.GOOGLE_CLOUD_PROJECT || env.GCLOUD_PROJECT || env.GCP_PROJECT || '').trim(),
    location: (get('gcp-location') || env.CLOUD_ML_REGION || '').trim(),
    bucket,
    prefix,
  };
  if (!problems) return vertex;
  if (!vertex.project)
    problems.push('gcp-project: provider vertex needs a Google Cloud project; set gcp-project or GOOGLE_CLOUD_PROJECT');
  else if (!GCP_PROJECT_PATTERN.test(vertex.project))
    problems.push(`gcp-project: '${vertex.project}' is not a Google Cloud project id`);
  if (!vertex.location)
    problems.push('gcp-location: provider vertex needs a region, e.g. us-east5; set gcp-location or CLOUD_ML_REGION');
  else if (['global', 'us', 'eu'].includes(vertex.location)) {
    problems.push(
      `gcp-location: '${vertex.location}' is not a region; Vertex AI batch jobs for Claude run in one region (e.g. us-east5, europe-west1), with the bucket in the same one`,
    );
  } else if (!GCP_REGION_PATTERN.test(vertex.location))
    problems.push(`gcp-location: '${vertex.location}' is not a Google Cloud region like us-east5`);
  if (!vertex.bucket) problems.push('vertex-bucket: provider vertex needs the Cloud Storage bucket for requests and results');
  else if (!GCS_BUCKET_PATTERN.test(vertex.bucket))
    problems.push(`vertex-bucket: '${vertex.bucket}' is not a Cloud Storage bucket name`);
  const mode = get('mode').trim();
  const model = get('model').trim();
  if (mode !== 'collect' && mode !== 'run' && !model) {
    problems.push('model: provider vertex needs a Vertex AI Claude model id, e.g. claude-sonnet-4-5@20250929');
  } else if (model.includes('/')) {
    problems.push(`model: '${model}' is a path; provider vertex takes the model id alone, e.g. claude-sonnet-4-5@20250929`);
  }
  return vertex;
}

/**
 * Reads the provider inputs; every problem is pushed as one line onto `problems` (parseConfig reports
 * them all at once). Cloud inputs are checked only when their provider is chosen.
 */
export function parseProviderConfig(get: (name: string) => string, env: NodeJS.ProcessEnv, problems: string[]): ProviderConfig {
  const name = get('provider').trim();
  let provider: ProviderName = 'anthropic';
  if ((PROVIDER_NAMES as readonly string[]).includes(name)) provider = name as ProviderName;
  else problems.push(`provider: unknown value '${name}'; use one of ${PROVIDER_NAMES.join(', ')}`);
  let prefix = get('bedrock-prefix').trim().replace(/^\/+/, '');
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  const minText = get('bedrock-min-records').trim();
  const bedrock: BedrockConfig = {
    region: (get('aws-region') || env.AWS_REGION || env.AWS_DEFAULT_REGION || '').trim(),
    bucket: get('bedrock-bucket').trim(),
    prefix,
    roleArn: get('bedrock-role-arn').trim(),
    minRecords: /^\d{1,6}$/.test(minText) ? Number(minText) : -1,
  };
  if (provider === 'bedrock') {
    const mode = get('mode').trim();
    const submits = mode !== 'collect' && mode !== 'run';
    // Collect creates jobs too: it resubmits retryable failures.
    const createsJobs = mode !== 'run';
    if (!bedrock.region) problems.push('aws-region: provider bedrock needs a region; set aws-region or AWS_REGION');
    else if (!REGION_PATTERN.test(bedrock.region))
      problems.push(`aws-region: '${bedrock.region}' is not an AWS region like us-east-1`);
    if (!bedrock.bucket) problems.push('bedrock-bucket: provider bedrock needs the S3 bucket for requests and results');
    else if (!BUCKET_PATTERN.test(bedrock.bucket)) problems.push(`bedrock-bucket: '${bedrock.bucket}' is not an S3 bucket name`);
    if (createsJobs && !bedrock.roleArn)
      problems.push(
        'bedrock-role-arn: provider bedrock needs the service role Bedrock runs its jobs as (submit, and collect for resubmissions)',
      );
    else if (bedrock.roleArn && !ROLE_ARN_PATTERN.test(bedrock.roleArn)) {
      problems.push(
        `bedrock-role-arn: '${bedrock.roleArn}' is not a role ARN like arn:aws:iam::123456789012:role/overnight-batch`,
      );
    }
    if (bedrock.minRecords < 1) problems.push(`bedrock-min-records: '${minText}' is not a whole number from 1 to 999999`);
    if (submits && !get('model').trim()) {
      problems.push(
        'model: provider bedrock needs a Bedrock model id or inference profile, e.g. us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      );
    }
  }
  const vertex = parseVertexConfig(get, env, provider === 'vertex' ? problems : null);
  return { provider, bedrock, vertex, stateSigningKey: (get('state-signing-key') || env.OVERNIGHT_STATE_KEY || '').trim() };
}
