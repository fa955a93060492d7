// A minimal S3 for the official @aws-sdk/client-s3: PutObject, GetObject, ListObjectsV2 (path-style),
// with SigV4 presence, scope and key checked (sigv4.ts) and permissions refusable per action. Written
// here because the npm S3 emulators are unmaintained (s3rver's last release is from 2021) and MinIO or
// LocalStack need a container this machine does not run. Objects live in an ObjectStore the Bedrock
// emulator shares, as the real service reads and writes the same buckets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSignature, readBody } from './sigv4.js';

export class ObjectStore {
  readonly buckets = new Map<string, Map<string, Buffer>>();

  constructor(buckets: string[]) {
    for (const bucket of buckets) this.buckets.set(bucket, new Map());
  }

  get(bucket: string, key: string): Buffer | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  put(bucket: string, key: string, body: Buffer): void {
    const objects = this.buckets.get(bucket);
    if (!objects) throw new Error(`no bucket ${bucket}`);
    objects.set(key, body);
  }

  keys(bucket: string, prefix = ''): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].filter((k) => k.startsWith(prefix)).sort();
  }
}

export interface S3EmulatorOptions {
  store: ObjectStore;
  region: string;
  accessKeys: ReadonlySet<string>;
  /** IAM actions the caller lacks (s3:PutObject, s3:GetObject, s3:ListBucket): answered 403 AccessDenied. */
  denied?: Set<string>;
}

export interface S3Emulator {
  url: string;
  calls: { action: string; key: string }[];
  close(): Promise<void>;
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function fail(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${xml(message)}</Message></Error>`);
}

export async function startS3Emulator(options: S3EmulatorOptions): Promise<S3Emulator> {
  const calls: S3Emulator['calls'] = [];
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const body = await readBody(request);
    const caller = checkSignature(request, { service: 's3', region: options.region, accessKeys: options.accessKeys });
    if ('code' in caller) return fail(response, caller.status, caller.code, caller.message);
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const objects = options.store.buckets.get(decodeURIComponent(bucket));
    if (!objects) return fail(response, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    const action =
      request.method === 'PUT' && key
        ? 's3:PutObject'
        : request.method === 'GET' && key
          ? 's3:GetObject'
          : request.method === 'GET' && url.searchParams.get('list-type') === '2'
            ? 's3:ListBucket'
            : null;
    if (!action) return fail(response, 501, 'NotImplemented', `${request.method} ${url.pathname}${url.search} is not emulated`);
    calls.push({ action, key });
    if (options.denied?.has(action)) return fail(response, 403, 'AccessDenied', 'Access Denied');
    if (action === 's3:PutObject') {
      if (request.headers['content-encoding']?.includes('aws-chunked')) {
        return fail(response, 501, 'NotImplemented', 'aws-chunked uploads are not emulated; send a buffer');
      }
      objects.set(key, body);
      response.writeHead(200, { etag: `"${body.length.toString(16)}"` });
      return void response.end();
    }
    if (action === 's3:GetObject') {
      const object = objects.get(key);
      if (!object) return fail(response, 404, 'NoSuchKey', 'The specified key does not exist.');
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(object.length) });
      return void response.end(object);
    }
    const prefix = url.searchParams.get('prefix') ?? '';
    const max = Math.min(1000, Number(url.searchParams.get('max-keys') ?? 1000));
    const start = Number(url.searchParams.get('continuation-token') ?? 0);
    const all = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    const page = all.slice(start, start + max);
    const truncated = start + max < all.length;
    response.writeHead(200, { 'content-type': 'application/xml' });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
        page.map((k) => `<Contents><Key>${xml(k)}</Key><Size>${objects.get(k)!.length}</Size></Contents>`).join('') +
        (truncated ? `<NextContinuationToken>${start + max}</NextContinuationToken>` : '') +
        '</ListBucketResult>',
    );
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => fail(response, 500, 'InternalError', String(error)));
  });
  return { url: await listen(server), calls, close: () => close(server) };
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
