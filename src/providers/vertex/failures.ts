// Google Cloud failures as one line: no Application Default Credentials, or a permission the caller
// (or the Vertex AI service agent) lacks, named as IAM writes it, so the fix is one role binding.
import { ConfigError } from '../../errors.js';

/** The IAM permission each call needs, named in the line when Google refuses it without saying which. */
export const PERMISSION_OF = {
  upload: 'storage.objects.create',
  list: 'storage.objects.list',
  download: 'storage.objects.get',
  create: 'aiplatform.batchPredictionJobs.create',
  get: 'aiplatform.batchPredictionJobs.get',
  cancel: 'aiplatform.batchPredictionJobs.cancel',
  rawPredict: 'aiplatform.endpoints.predict',
} as const;
export type GcpOperation = keyof typeof PERMISSION_OF;

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** An HTTP answer Google refused, with its google.rpc error body. */
export class GcpHttpError extends Error {
  override name = 'GcpHttpError';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The error of a non-2xx answer: {error: {code, status, message}} as Google's JSON APIs write it. */
export async function httpError(response: Response): Promise<GcpHttpError> {
  const text = await response.text().catch(() => '');
  let reason = '';
  let message = oneLine(text).slice(0, 500) || response.statusText;
  try {
    const body = JSON.parse(text) as { error?: { status?: unknown; message?: unknown } };
    if (body.error) {
      reason = String(body.error.status ?? '');
      message = oneLine(String(body.error.message ?? message));
    }
  } catch {
    // Not JSON: the text itself (a proxy's page) is the message.
  }
  return new GcpHttpError(response.status, reason, message);
}

/** A ConfigError of one line for a refusal or missing credentials, or the error itself when it is something else. */
export function gcpFailure(error: unknown, operation: GcpOperation, resource: string): unknown {
  const permission = PERMISSION_OF[operation];
  const message = oneLine((error as { message?: string })?.message ?? String(error));
  if (!(error instanceof GcpHttpError)) {
    if (
      /could not load the default credentials|unable to detect a project id|could not refresh access token|invalid_grant/i.test(
        message,
      )
    ) {
      return new ConfigError(
        `provider vertex: no Google credentials for ${permission} on ${resource} (${message.slice(0, 200)}); run google-github-actions/auth (workload_identity_provider, service_account, with permissions: id-token: write) before overnight, or set GOOGLE_APPLICATION_CREDENTIALS`,
      );
    }
    return error;
  }
  if (error.status === 401 || error.status === 403 || error.reason === 'PERMISSION_DENIED') {
    // Vertex says "Permission 'aiplatform.x.y' denied on resource …"; GCS "… does not have storage.objects.get access …".
    const named =
      /Permission '([a-z]+\.[a-zA-Z]+\.[a-zA-Z]+)'/.exec(message)?.[1] ??
      /\b([a-z]+\.[a-zA-Z]+\.[a-zA-Z]+) access\b/.exec(message)?.[1];
    if (error.status === 401) {
      return new ConfigError(
        `provider vertex: Google refused the credentials for ${permission} on ${resource} (${message}); check google-github-actions/auth ran in this job`,
      );
    }
    return new ConfigError(`provider vertex: access denied: the caller needs ${named ?? permission} on ${resource} (${message})`);
  }
  if (error.status === 404 && (operation === 'upload' || operation === 'list')) {
    return new ConfigError(`vertex-bucket: ${resource} does not exist; create the bucket (in gcp-location) or fix vertex-bucket`);
  }
  if (error.status === 400 && (operation === 'create' || operation === 'rawPredict')) {
    return new ConfigError(`provider vertex: Vertex AI refused the ${operation === 'create' ? 'job' : 'request'}: ${message}`);
  }
  return new Error(`Vertex AI ${operation} ${resource}: HTTP ${error.status} ${error.reason} ${message}`.replace(/\s+/g, ' '));
}
