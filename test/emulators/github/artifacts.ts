// The Actions artifact service a job talks to: Twirp JSON RPCs under /twirp/ (what @actions/artifact 6
// sends inside a job) and an Azure-style block blob store behind signed URLs.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GitHubStore, timestamp, type StoredArtifact } from './store.js';

export const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/';
export const BLOB_PREFIX = '/_artifact-blobs/';

const DEFAULT_RETENTION_DAYS = 90;

export interface ServiceResponse {
  status: number;
  body?: unknown;
  raw?: Buffer;
  headers?: Record<string, string>;
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    msg: string,
  ) {
    super(msg);
  }
}

function twirpError(error: TwirpError): ServiceResponse {
  return { status: error.status, body: { code: error.code, msg: error.message } };
}

/** Backend ids of a workflow run, as the runner's token carries them. */
export function backendIdsFor(runId: number): { run: string; job: string } {
  return { run: GitHubStore.uuidFor(`workflow-run:${runId}`), job: GitHubStore.uuidFor(`workflow-job:${runId}`) };
}

function base64Url(value: string): string {
  return Buffer.from(value).toString('base64url');
}

/** An unsigned JWT shaped like ACTIONS_RUNTIME_TOKEN (the client decodes it without verifying). */
export function runtimeToken(runId: number): string {
  const ids = backendIdsFor(runId);
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    scp: `Actions.ExampleScope Actions.Results:${ids.run}:${ids.job}`,
    ac: '[]',
    iss: 'vstoken.actions.githubusercontent.com',
    aud: 'vso:emulated',
    nbf: now - 60,
    exp: now + 6 * 3600,
  };
  return `${base64Url(JSON.stringify({ typ: 'JWT', alg: 'RS256' }))}.${base64Url(JSON.stringify(payload))}.`;
}

type Fields = Record<string, unknown>;

export class ArtifactService {
  /** Run backend id -> workflow run id, registered when a token is minted. */
  private readonly runsByBackendId = new Map<string, number>();
  private readonly signingKey = randomBytes(32);

  constructor(
    private readonly store: GitHubStore,
    private readonly baseUrl: () => string,
  ) {}

  registerRun(runId: number): void {
    this.runsByBackendId.set(backendIdsFor(runId).run, runId);
  }

  // ---- Twirp ----

  handleTwirp(method: string, authorization: string | undefined, body: unknown): ServiceResponse {
    try {
      const runBackendId = this.authenticate(authorization);
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw new TwirpError(400, 'malformed', 'request body must be a JSON object');
      const request = body as Fields;
      const allowed = REQUEST_FIELDS[method];
      if (!allowed) throw new TwirpError(404, 'bad_route', `no handler for path "${TWIRP_PREFIX}${method}"`);
      for (const key of Object.keys(request)) {
        if (!allowed.includes(key)) throw new TwirpError(400, 'malformed', `unknown field "${key}" in ${method}Request`);
      }
      if (request['workflow_run_backend_id'] !== runBackendId) {
        throw new TwirpError(403, 'permission_denied', 'workflow_run_backend_id does not match the runtime token');
      }
      if (typeof request['workflow_job_run_backend_id'] !== 'string' || request['workflow_job_run_backend_id'] === '') {
        throw new TwirpError(400, 'invalid_argument', 'workflow_job_run_backend_id is required');
      }
      const runId = this.runsByBackendId.get(runBackendId) as number;
      switch (method) {
        case 'CreateArtifact':
          return { status: 200, body: this.createArtifact(runId, request) };
        case 'FinalizeArtifact':
          return { status: 200, body: this.finalizeArtifact(runId, request) };
        case 'ListArtifacts':
          return { status: 200, body: this.listArtifacts(runId, request) };
        case 'GetSignedArtifactURL':
          return { status: 200, body: this.getSignedArtifactUrl(runId, request) };
        default:
          return { status: 200, body: this.deleteArtifact(runId, request) };
      }
    } catch (error) {
      if (error instanceof TwirpError) return twirpError(error);
      throw error;
    }
  }

  private authenticate(authorization: string | undefined): string {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new TwirpError(401, 'unauthenticated', 'missing bearer runtime token');
    let scp: unknown;
    try {
      scp = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).scp;
    } catch {
      throw new TwirpError(401, 'unauthenticated', 'runtime token is not a JWT');
    }
    const scope = typeof scp === 'string' ? scp.split(' ').find((s) => s.startsWith('Actions.Results:')) : undefined;
    const runBackendId = scope?.split(':')[1];
    if (!runBackendId || !this.runsByBackendId.has(runBackendId)) {
      throw new TwirpError(401, 'unauthenticated', 'runtime token has no known Actions.Results scope');
    }
    return runBackendId;
  }

  private requireName(request: Fields): string {
    const name = request['name'];
    if (typeof name !== 'string' || name === '') throw new TwirpError(400, 'invalid_argument', 'name is required');
    return name;
  }

  private findFinalized(runId: number, name: string): StoredArtifact {
    const artifact = this.store.artifacts.find((a) => a.workflow_run_id === runId && a.name === name && a.finalized);
    if (!artifact) throw new TwirpError(404, 'not_found', `artifact "${name}" not found`);
    return artifact;
  }

  private createArtifact(runId: number, request: Fields) {
    const name = this.requireName(request);
    if (typeof request['version'] !== 'number' || request['version'] < 4) {
      throw new TwirpError(400, 'invalid_argument', 'artifact version must be 4 or higher');
    }
    if (this.store.artifacts.some((a) => a.workflow_run_id === runId && a.name === name && a.finalized)) {
      throw new TwirpError(409, 'already_exists', `an artifact with this name already exists on the workflow run`);
    }
    let expiresAt = new Date(Date.now() + DEFAULT_RETENTION_DAYS * 86_400_000);
    if (request['expires_at'] !== undefined) {
      expiresAt = new Date(String(request['expires_at']));
      if (Number.isNaN(expiresAt.getTime())) throw new TwirpError(400, 'malformed', 'expires_at is not an RFC 3339 timestamp');
    }
    // A retried CreateArtifact replaces an upload that never finalized.
    const stale = this.store.artifacts.findIndex((a) => a.workflow_run_id === runId && a.name === name && !a.finalized);
    if (stale >= 0) this.store.artifacts.splice(stale, 1);
    const ids = backendIdsFor(runId);
    const now = timestamp();
    const artifact: StoredArtifact = {
      id: this.store.nextId(),
      name,
      workflow_run_id: runId,
      workflow_run_backend_id: ids.run,
      workflow_job_run_backend_id: String(request['workflow_job_run_backend_id']),
      blob_key: `${ids.run}/${createHash('sha1').update(`${name}:${now}:${Math.random()}`).digest('hex')}`,
      size_in_bytes: 0,
      digest: null,
      finalized: false,
      created_at: now,
      updated_at: now,
      expires_at: timestamp(expiresAt),
    };
    this.store.artifacts.push(artifact);
    this.store.blobs.set(artifact.blob_key, {
      blocks: new Map(),
      content: null,
      content_type: typeof request['mime_type'] === 'string' ? request['mime_type'] : null,
    });
    return { ok: true, signed_upload_url: this.signBlobUrl(artifact.blob_key, 'cw', 6 * 3600) };
  }

  private finalizeArtifact(runId: number, request: Fields) {
    const name = this.requireName(request);
    const artifact = this.store.artifacts.find((a) => a.workflow_run_id === runId && a.name === name && !a.finalized);
    if (!artifact) throw new TwirpError(404, 'not_found', `no pending upload for artifact "${name}"`);
    const blob = this.store.blobs.get(artifact.blob_key);
    if (!blob?.content) throw new TwirpError(412, 'failed_precondition', 'the artifact blob was never committed');
    const size = Number(request['size']);
    if (typeof request['size'] !== 'string' || !Number.isInteger(size) || size !== blob.content.length) {
      throw new TwirpError(
        400,
        'invalid_argument',
        `size ${JSON.stringify(request['size'])} does not match the ${blob.content.length} bytes uploaded`,
      );
    }
    if (request['hash'] !== undefined) {
      const actual = `sha256:${createHash('sha256').update(blob.content).digest('hex')}`;
      if (request['hash'] !== actual)
        throw new TwirpError(
          400,
          'invalid_argument',
          `hash ${String(request['hash'])} does not match the uploaded content (${actual})`,
        );
      artifact.digest = actual;
    }
    artifact.size_in_bytes = size;
    artifact.finalized = true;
    artifact.updated_at = timestamp();
    return { ok: true, artifact_id: String(artifact.id) };
  }

  private listArtifacts(runId: number, request: Fields) {
    const nameFilter = request['name_filter'];
    const idFilter = request['id_filter'];
    const artifacts = this.store.artifacts.filter(
      (a) =>
        a.finalized &&
        a.workflow_run_id === runId &&
        Date.parse(a.expires_at) > Date.now() &&
        (nameFilter === undefined || a.name === nameFilter) &&
        (idFilter === undefined || String(a.id) === String(idFilter)),
    );
    return {
      artifacts: artifacts.map((a) => ({
        workflow_run_backend_id: a.workflow_run_backend_id,
        workflow_job_run_backend_id: a.workflow_job_run_backend_id,
        database_id: String(a.id),
        name: a.name,
        size: String(a.size_in_bytes),
        created_at: a.created_at,
        ...(a.digest ? { digest: a.digest } : {}),
      })),
    };
  }

  private getSignedArtifactUrl(runId: number, request: Fields) {
    const artifact = this.findFinalized(runId, this.requireName(request));
    return { signed_url: this.signedDownloadUrl(artifact) };
  }

  private deleteArtifact(runId: number, request: Fields) {
    const artifact = this.findFinalized(runId, this.requireName(request));
    this.store.artifacts.splice(this.store.artifacts.indexOf(artifact), 1);
    this.store.blobs.delete(artifact.blob_key);
    return { ok: true, artifact_id: String(artifact.id) };
  }

  // ---- blob storage ----

  signedDownloadUrl(artifact: StoredArtifact): string {
    return this.signBlobUrl(artifact.blob_key, 'r', 600, `${artifact.name}.zip`);
  }

  private signature(path: string, permissions: string, expiry: string): string {
    return createHmac('sha256', this.signingKey).update(`${path}\n${permissions}\n${expiry}`).digest('base64');
  }

  private signBlobUrl(key: string, permissions: string, seconds: number, fileName = 'artifact.zip'): string {
    const path = `${BLOB_PREFIX}${key}/${encodeURIComponent(fileName)}`;
    const expiry = new Date(Date.now() + seconds * 1000).toISOString();
    const url = new URL(path, this.baseUrl());
    url.searchParams.set('sv', '2024-11-04');
    url.searchParams.set('sr', 'b');
    url.searchParams.set('sp', permissions);
    url.searchParams.set('se', expiry);
    url.searchParams.set('sig', this.signature(path, permissions, expiry));
    return url.toString();
  }

  /** Azure-style blob endpoint: PUT block / block list / single-shot blob, GET content. */
  handleBlob(method: string, url: URL, headers: Record<string, string | string[] | undefined>, body: Buffer): ServiceResponse {
    const permissions = url.searchParams.get('sp') ?? '';
    const expiry = url.searchParams.get('se') ?? '';
    const given = Buffer.from(url.searchParams.get('sig') ?? '');
    const expected = Buffer.from(this.signature(url.pathname, permissions, expiry));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return azureError(
        403,
        'AuthenticationFailed',
        'Server failed to authenticate the request. Make sure the value of the signature is formed correctly.',
      );
    }
    if (!(Date.parse(expiry) > Date.now())) return azureError(403, 'AuthenticationFailed', 'Signed expiry time has passed.');
    const key = url.pathname.slice(BLOB_PREFIX.length).split('/').slice(0, -1).join('/');
    const blob = this.store.blobs.get(key);
    if (!blob) return azureError(404, 'BlobNotFound', 'The specified blob does not exist.');
    const write = method === 'PUT';
    if (write ? !permissions.includes('w') : !permissions.includes('r')) {
      return azureError(
        403,
        'AuthorizationPermissionMismatch',
        'This request is not authorized to perform this operation using this permission.',
      );
    }
    const common = {
      'x-ms-request-id': createHash('md5').update(`${Date.now()}${Math.random()}`).digest('hex'),
      'x-ms-version': '2024-11-04',
      date: new Date().toUTCString(),
    };
    if (method === 'GET' || method === 'HEAD') {
      if (!blob.content) return azureError(404, 'BlobNotFound', 'The specified blob does not exist.');
      return {
        status: 200,
        raw: method === 'GET' ? blob.content : Buffer.alloc(0),
        headers: {
          ...common,
          'content-type': blob.content_type ?? 'application/octet-stream',
          'content-length': String(blob.content.length),
          'x-ms-blob-type': 'BlockBlob',
        },
      };
    }
    if (!write) return azureError(405, 'UnsupportedHttpVerb', `The resource doesn't support the specified HTTP verb ${method}.`);
    const comp = url.searchParams.get('comp');
    const contentType = headers['x-ms-blob-content-type'];
    if (comp === 'block') {
      const blockId = url.searchParams.get('blockid');
      if (!blockId) return azureError(400, 'InvalidQueryParameterValue', 'blockid is required');
      blob.blocks.set(blockId, body);
      return { status: 201, headers: { ...common, 'x-ms-request-server-encrypted': 'true' } };
    }
    if (comp === 'blocklist') {
      const ids = [...body.toString('utf8').matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)].map((m) => m[2] ?? '');
      const parts: Buffer[] = [];
      for (const id of ids) {
        const block = blob.blocks.get(id);
        if (!block)
          return azureError(400, 'InvalidBlockList', `The specified block list is invalid: block ${id} was never staged.`);
        parts.push(block);
      }
      blob.content = Buffer.concat(parts);
      blob.blocks.clear();
      if (typeof contentType === 'string') blob.content_type = contentType;
      return {
        status: 201,
        headers: {
          ...common,
          etag: `"0x${createHash('md5').update(blob.content).digest('hex').slice(0, 16).toUpperCase()}"`,
          'last-modified': new Date().toUTCString(),
        },
      };
    }
    if (comp === null) {
      if (headers['x-ms-blob-type'] !== 'BlockBlob')
        return azureError(
          400,
          'MissingRequiredHeader',
          "An HTTP header that's mandatory for this request is not specified: x-ms-blob-type.",
        );
      blob.content = body;
      const type = contentType ?? headers['content-type'];
      if (typeof type === 'string') blob.content_type = type;
      return { status: 201, headers: common };
    }
    return azureError(400, 'InvalidQueryParameterValue', `comp=${comp} is not supported by this emulator`);
  }
}

const RUN_FIELDS = ['workflow_run_backend_id', 'workflow_job_run_backend_id'];
const REQUEST_FIELDS: Record<string, string[]> = {
  CreateArtifact: [...RUN_FIELDS, 'name', 'expires_at', 'version', 'mime_type'],
  FinalizeArtifact: [...RUN_FIELDS, 'name', 'size', 'hash'],
  ListArtifacts: [...RUN_FIELDS, 'name_filter', 'id_filter'],
  GetSignedArtifactURL: [...RUN_FIELDS, 'name'],
  DeleteArtifact: [...RUN_FIELDS, 'name'],
};

function azureError(status: number, code: string, message: string): ServiceResponse {
  return {
    status,
    raw: Buffer.from(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`),
    headers: { 'content-type': 'application/xml', 'x-ms-error-code': code },
  };
}
