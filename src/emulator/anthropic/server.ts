// The HTTP side: routing, body limits, auth and version headers, fault injection, and the exact error
// body shape. Plain node:http so what the SDK sees is what a socket carries.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchStore } from './batch-store.js';
import { ApiError, errorBody, invalidRequest, notFound } from './errors.js';
import type { Faults, RouteName } from './faults.js';
import { buildMessage, type AnswerContext } from './messages.js';
import { countTokens } from './tokens.js';
import { validateMessageParams } from './validation.js';

export interface ServerLimits {
  /** Largest POST /v1/messages/batches body, in bytes (256 MB). */
  maxBatchBytes: number;
  /** Largest body of the other POST routes, in bytes (32 MB). */
  maxMessageBytes: number;
  /** Most requests in one batch (100,000). */
  maxBatchRequests: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxBatchBytes: 256 * 1024 * 1024,
  maxMessageBytes: 32 * 1024 * 1024,
  maxBatchRequests: 100_000,
};

export interface ServerContext {
  store: BatchStore;
  faults: Faults;
  answers: AnswerContext;
  calls: Record<string, number>;
  apiKeys: string[] | null;
  limits: ServerLimits;
  newId: (prefix: string) => string;
}

interface Route {
  name: RouteName;
  batchId?: string;
}

const BATCH_PATH = /^\/v1\/messages\/batches\/([^/]+)(\/results|\/cancel)?$/;

/** The route a method and path name, or null with whether the path exists under another method. */
function matchRoute(method: string, path: string): Route | { pathExists: boolean } {
  if (path === '/v1/messages') return method === 'POST' ? { name: 'messages' } : { pathExists: true };
  if (path === '/v1/messages/count_tokens') return method === 'POST' ? { name: 'count_tokens' } : { pathExists: true };
  if (path === '/v1/messages/batches') {
    if (method === 'POST') return { name: 'batches.create' };
    if (method === 'GET') return { name: 'batches.list' };
    return { pathExists: true };
  }
  const match = BATCH_PATH.exec(path);
  if (!match) return { pathExists: false };
  const batchId = decodeURIComponent(match[1]!);
  if (match[2] === '/results') return method === 'GET' ? { name: 'batches.results', batchId } : { pathExists: true };
  if (match[2] === '/cancel') return method === 'POST' ? { name: 'batches.cancel', batchId } : { pathExists: true };
  if (method === 'GET') return { name: 'batches.retrieve', batchId };
  if (method === 'DELETE') return { name: 'batches.delete', batchId };
  return { pathExists: true };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': requestId,
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: ApiError, requestId: string): void {
  sendJson(res, error.status, errorBody(error.type, error.message, requestId, error.details), requestId, error.headers);
}

class BodyTooLarge extends Error {}

/** Reads the body, refusing (before buffering) anything over `limit` bytes, declared or streamed. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Stop buffering but leave the socket alone: the 413 still has to reach the client.
      req.off('data', onData);
      req.pause();
      chunks.length = 0;
      reject(new BodyTooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw invalidRequest('Request body is empty; a JSON object is required');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw invalidRequest(`Request body is not valid JSON: ${(error as Error).message}`);
  }
}

function checkAuth(req: IncomingMessage, apiKeys: string[] | null): void {
  const header = req.headers['x-api-key'];
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  const key = (Array.isArray(header) ? header[0] : header) || bearer;
  if (!key) {
    throw new ApiError('authentication_error', 'No API key: send it in the x-api-key header or as Authorization: Bearer <key>');
  }
  if (apiKeys && !apiKeys.includes(key)) throw new ApiError('authentication_error', 'invalid x-api-key');
  const version = req.headers['anthropic-version'];
  if (!version) throw invalidRequest('anthropic-version: header is required');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(version))) {
    throw invalidRequest(`anthropic-version: ${JSON.stringify(version)} is not a valid version (YYYY-MM-DD)`);
  }
}

/**
 * Writes result lines; a truncation fault ends the stream after `cutAfter` whole lines and half of the
 * next one (a connection dropped mid-line, as TCP does) by closing the socket.
 */
async function streamResults(res: ServerResponse, lines: unknown[], cutAfter: number | null, requestId: string): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/binary', 'request-id': requestId });
  const count = cutAfter === null ? lines.length : Math.min(cutAfter, lines.length);
  for (let i = 0; i < count; i++) {
    if (!res.write(`${JSON.stringify(lines[i])}\n`)) await once(res, 'drain');
  }
  if (cutAfter === null) {
    res.end();
    return;
  }
  if (count < lines.length) {
    const torn = JSON.stringify(lines[count]);
    res.write(torn.slice(0, Math.ceil(torn.length / 2)));
  }
  // Flush what was written, then close the connection without the final chunk: the client sees a
  // body that stops mid-way. A graceful close keeps the kernel from discarding the written lines.
  await new Promise<void>((resolve) => res.write('', () => resolve()));
  const socket = res.socket;
  socket?.end();
  setTimeout(() => socket?.destroy(), 1000).unref();
}

async function handle(req: IncomingMessage, res: ServerResponse, context: ServerContext, requestId: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const route = matchRoute(req.method ?? 'GET', url.pathname);
  if (!('name' in route)) {
    req.resume();
    const error = route.pathExists
      ? new ApiError('invalid_request_error', `Method ${req.method} is not allowed on ${url.pathname}`, { status: 405 })
      : notFound(`Not found: ${req.method} ${url.pathname}`);
    sendError(res, error, requestId);
    return;
  }
  context.calls[route.name] = (context.calls[route.name] ?? 0) + 1;

  let body: Buffer;
  const limit = route.name === 'batches.create' ? context.limits.maxBatchBytes : context.limits.maxMessageBytes;
  try {
    body = await readBody(req, limit);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    const megabytes = Math.round(limit / 1024 / 1024);
    res.setHeader('connection', 'close');
    sendError(
      res,
      new ApiError('request_too_large', `Request exceeds the maximum size of ${megabytes} MB for ${url.pathname}`),
      requestId,
    );
    res.on('finish', () => req.destroy());
    return;
  }

  const fault = context.faults.takeRequestFault(route.name);
  if (fault?.kind === 'drop') {
    req.socket.destroy();
    return;
  }
  if (fault?.kind === 'http') {
    const { spec } = fault;
    const headers: Record<string, string> = {};
    if (spec.retryAfterSeconds !== undefined) headers['retry-after'] = String(spec.retryAfterSeconds);
    if (spec.shouldRetry !== undefined) headers['x-should-retry'] = String(spec.shouldRetry);
    const message = spec.message ?? `injected ${spec.type} (${spec.status})`;
    sendError(res, new ApiError(spec.type, message, { status: spec.status, details: spec.details, headers }), requestId);
    return;
  }

  checkAuth(req, context.apiKeys);
  const { store } = context;
  switch (route.name) {
    case 'messages': {
      const params = parseJson(body);
      const invalid = validateMessageParams(params, 'messages');
      if (invalid) throw invalid;
      let message;
      try {
        message = buildMessage(params as Record<string, unknown>, context.answers);
      } catch (error) {
        throw new ApiError('api_error', `Internal server error: ${(error as Error).message}`);
      }
      sendJson(res, 200, message, requestId);
      return;
    }
    case 'count_tokens': {
      const params = parseJson(body);
      const invalid = validateMessageParams(params, 'count_tokens');
      if (invalid) throw invalid;
      sendJson(res, 200, { input_tokens: countTokens(params) }, requestId);
      return;
    }
    case 'batches.create':
      sendJson(res, 200, store.create(parseJson(body)), requestId);
      return;
    case 'batches.list':
      sendJson(res, 200, store.list(url.searchParams), requestId);
      return;
    case 'batches.retrieve':
      sendJson(res, 200, store.retrieve(route.batchId!), requestId);
      return;
    case 'batches.cancel':
      sendJson(res, 200, store.cancel(route.batchId!), requestId);
      return;
    case 'batches.delete':
      sendJson(res, 200, store.delete(route.batchId!), requestId);
      return;
    case 'batches.results': {
      const lines = store.results(route.batchId!);
      await streamResults(res, lines, context.faults.takeTruncation(route.batchId!), requestId);
      return;
    }
  }
}

export async function listen(context: ServerContext): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const requestId = context.newId('req');
    handle(req, res, context, requestId).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof ApiError) sendError(res, error, requestId);
      else sendError(res, new ApiError('api_error', `Internal server error: ${(error as Error).message}`), requestId);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}
