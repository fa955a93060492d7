// A minimal Cloud Storage JSON API (upload media, list by prefix, download alt=media) with a bearer
// token checked on every call and IAM permissions refusable one by one, answering errors in Google's
// {error: {code, message, status}} form. Written here (fsouza/fake-gcs-server needs a container this
// machine does not run); objects live in the ObjectStore the Vertex emulator reads and writes, as the
// real service agent reads and writes the same bucket.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { close, listen, type ObjectStore } from '../s3/index.js';
import { readBody } from '../s3/sigv4.js';

export const CALLER = 'overnight-ci@acme-ci.iam.gserviceaccount.com';

export interface GcsEmulatorOptions {
  store: ObjectStore;
  /** Access tokens the STS exchange handed out (a request with any other is 401). */
  tokens: ReadonlySet<string>;
  /** Permissions the caller lacks (storage.objects.create, storage.objects.get, storage.objects.list). */
  denied?: Set<string>;
}

export interface GcsEmulator {
  url: string;
  calls: { method: string; path: string }[];
  close(): Promise<void>;
}

export function sendGoogleError(response: ServerResponse, code: number, status: string, message: string): void {
  response.writeHead(code, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: { code, message, status, errors: [{ message, reason: status.toLowerCase() }] } }));
}

/** The bearer token of a request, when it is one the emulated STS issued; else answers 401 and returns false. */
export function authorized(request: IncomingMessage, response: ServerResponse, tokens: ReadonlySet<string>): boolean {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (token && tokens.has(token)) return true;
  sendGoogleError(
    response,
    401,
    'UNAUTHENTICATED',
    'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  );
  return false;
}

export async function startGcsEmulator(options: GcsEmulatorOptions): Promise<GcsEmulator> {
  const calls: GcsEmulator['calls'] = [];
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://localhost');
    calls.push({ method: request.method ?? '', path: url.pathname });
    if (!authorized(request, response, options.tokens)) return;
    const refuse = (permission: string, what: string): boolean => {
      if (!options.denied?.has(permission)) return false;
      sendGoogleError(
        response,
        403,
        'PERMISSION_DENIED',
        `${CALLER} does not have ${permission} access to the Google Cloud Storage ${what}. Permission '${permission}' denied on resource (or it may not exist).`,
      );
      return true;
    };
    const noBucket = (bucket: string): boolean => {
      if (options.store.buckets.has(bucket)) return false;
      sendGoogleError(response, 404, 'NOT_FOUND', 'The specified bucket does not exist.');
      return true;
    };
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (request.method === 'POST' && upload) {
      const bucket = decodeURIComponent(upload[1]!);
      const name = url.searchParams.get('name');
      if (url.searchParams.get('uploadType') !== 'media') {
        return sendGoogleError(response, 400, 'INVALID_ARGUMENT', 'Only uploadType=media is emulated');
      }
      if (!name) return sendGoogleError(response, 400, 'INVALID_ARGUMENT', 'Required parameter: name');
      if (refuse('storage.objects.create', 'object') || noBucket(bucket)) return;
      options.store.put(bucket, name, body);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ kind: 'storage#object', bucket, name, size: String(body.length) }));
      return;
    }
    const list = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (request.method === 'GET' && list) {
      const bucket = decodeURIComponent(list[1]!);
      if (refuse('storage.objects.list', 'bucket') || noBucket(bucket)) return;
      // Two names a page, so the caller's pageToken loop is exercised.
      const names = options.store.keys(bucket, url.searchParams.get('prefix') ?? '');
      const start = Number(url.searchParams.get('pageToken') ?? '0');
      const page = names.slice(start, start + 2);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          kind: 'storage#objects',
          ...(page.length ? { items: page.map((name) => ({ kind: 'storage#object', bucket, name })) } : {}),
          ...(start + 2 < names.length ? { nextPageToken: String(start + 2) } : {}),
        }),
      );
      return;
    }
    const object = /^\/(?:download\/)?storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    if (request.method === 'GET' && object && url.searchParams.get('alt') === 'media') {
      const bucket = decodeURIComponent(object[1]!);
      const name = decodeURIComponent(object[2]!);
      if (refuse('storage.objects.get', 'object') || noBucket(bucket)) return;
      const data = options.store.get(bucket, name);
      if (!data) return sendGoogleError(response, 404, 'NOT_FOUND', `No such object: ${bucket}/${name}`);
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(data);
      return;
    }
    sendGoogleError(response, 404, 'NOT_FOUND', `${request.method} ${url.pathname} is not emulated`);
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => sendGoogleError(response, 500, 'INTERNAL', String(error)));
  });
  return { url: await listen(server), calls, close: () => close(server) };
}
