// The Google side of a Vertex night: one bucket store served by the GCS emulator and read by the
// Vertex emulator, and the environment Application Default Credentials find them in: an
// external_account credential file, as google-github-actions/auth writes it for Workload Identity
// Federation, whose STS token exchange the Vertex emulator answers.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGcsEmulator, type GcsEmulator } from '../emulators/gcs/index.js';
import { ObjectStore } from '../emulators/s3/index.js';
import { startVertexEmulator, type VertexEmulator, type VertexEmulatorOptions } from '../emulators/vertex/index.js';

export const GCP_PROJECT = 'acme-ci';
export const GCP_LOCATION = 'us-east5';
export const GCS_BUCKET = 'acme-overnight-batches';
export const VERTEX_MODEL = 'claude-haiku-4-5@20251001';

export interface GcpEmulators {
  store: ObjectStore;
  gcs: GcsEmulator;
  vertex: VertexEmulator;
  /** Endpoints and the credential file, as google-github-actions/auth would export them. */
  env: Record<string, string>;
  /** The endpoints only: no credential file, no gcloud config, no metadata server. */
  envWithoutCredentials: Record<string, string>;
  close(): Promise<void>;
}

/** Variables that could lend the test the machine's own Google credentials. */
export const GOOGLE_CREDENTIAL_VARS = [
  'GOOGLE_APPLICATION_CREDENTIALS',
  'GOOGLE_GHA_CREDS_PATH',
  'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE',
  'GOOGLE_CLOUD_PROJECT',
  'GCLOUD_PROJECT',
  'GCP_PROJECT',
  'CLOUD_ML_REGION',
];

export async function startGcpEmulators(
  options: Omit<VertexEmulatorOptions, 'store' | 'project' | 'location' | 'tokens'> & { gcsDenied?: Set<string> } = {},
): Promise<GcpEmulators> {
  const store = new ObjectStore([GCS_BUCKET]);
  const tokens = new Set<string>();
  const gcs = await startGcsEmulator({ store, tokens, ...(options.gcsDenied ? { denied: options.gcsDenied } : {}) });
  const vertex = await startVertexEmulator({ ...options, store, tokens, project: GCP_PROJECT, location: GCP_LOCATION });
  const dir = await mkdtemp(join(tmpdir(), 'overnight-gcp-'));
  const subjectToken = join(dir, 'github-oidc-token');
  await writeFile(subjectToken, 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvd2ViOnJlZjpyZWZzL2hlYWRzL21haW4ifQ.c2ln');
  const credentials = join(dir, 'gha-creds.json');
  await writeFile(
    credentials,
    JSON.stringify({
      type: 'external_account',
      audience: '//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/github/providers/github',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: vertex.tokenUrl,
      credential_source: { file: subjectToken },
    }),
  );
  const endpoints = {
    ANTHROPIC_VERTEX_BASE_URL: vertex.url,
    STORAGE_EMULATOR_HOST: gcs.url,
    // Nothing from the machine running the tests: no gcloud config, no metadata server.
    CLOUDSDK_CONFIG: join(dir, 'no-gcloud'),
    METADATA_SERVER_DETECTION: 'none',
  };
  return {
    store,
    gcs,
    vertex,
    env: { ...endpoints, GOOGLE_APPLICATION_CREDENTIALS: credentials, GOOGLE_CLOUD_PROJECT: GCP_PROJECT },
    envWithoutCredentials: endpoints,
    close: async () => {
      await gcs.close();
      await vertex.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
