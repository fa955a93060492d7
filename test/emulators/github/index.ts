// GitHub emulator for tests: one node:http server on 127.0.0.1 serving, against ONE in-memory store,
// the REST API parts overnight uses (every request checked against GitHub's OpenAPI description) and
// the Actions artifact service (Twirp + signed blob URLs) that @actions/artifact 6 uses inside a job.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArtifactService, BLOB_PREFIX, TWIRP_PREFIX, runtimeToken, type ServiceResponse } from './artifacts.js';
import { matchRoute, validateRequest } from './openapi.js';
import { HttpError, Views, errorBody, handlers, type RestContext, type RestResponse } from './rest.js';
import { checkHandlers } from './checks.js';
import { missingPermission, type TokenPermissions } from './permissions.js';
import { GitHubStore, REPOSITORY_ID, type SeedPullRequest, type SeedWorkflowRun, type StoredPull } from './store.js';

export { GitHubStore } from './store.js';
export type * from './store.js';
export { MAX_BODY_LENGTH } from './rest.js';
export type { TokenPermissions } from './permissions.js';

/** Which requests a fault applies to (REST, Twirp and blob alike); `path` is tested against the pathname, without the query. */
export interface FaultMatch {
  method?: string;
  path?: RegExp;
}

export interface FaultResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests get this response (default 1). */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  path: string;
  body: unknown;
  status: number;
}

export interface GitHubEmulatorOptions {
  owner?: string;
  repo?: string;
  defaultBranch?: string;
  /** SHA of the default branch's initial commit (the workflow's GITHUB_SHA). */
  headSha?: string;
  /** Web base for html_url fields (default https://github.com). */
  serverUrl?: string;
  /** Whether callers act as a workflow's GITHUB_TOKEN (default true: can never approve a pull request). */
  actionsToken?: boolean;
  /**
   * GitHub's secondary limit on content creation: at most `perWindow` content-creating requests per
   * `windowMs` (default 80 per 60 s) and `perHour` per hour (default 500). Tests shrink the window.
   */
  contentCreation?: { perWindow?: number; windowMs?: number; perHour?: number };
  /** The token's permissions (a job's `permissions:` block); default: every permission. */
  permissions?: TokenPermissions;
}

export interface GitHubEmulator {
  /** http://127.0.0.1:PORT: GITHUB_API_URL and Octokit's baseUrl. */
  url: string;
  /** ACTIONS_RESULTS_URL (same server; ends with '/'). */
  resultsUrl: string;
  /**
   * An unsigned JWT like the runner's ACTIONS_RUNTIME_TOKEN, scp 'Actions.Results:<runBackendId>:<jobBackendId>' for this run.
   * The first call registers the run: `run` says what kind (event, branch, a fork's pull_request run);
   * by default a scheduled run of the default branch. Its artifacts carry that as `workflow_run`.
   */
  runtimeToken(runId: number, run?: SeedWorkflowRun): string;
  store: GitHubStore;
  /** OpenAPI violations and unknown routes, human-readable. */
  violations: string[];
  requests: RecordedRequest[];
  faults: { next(match: FaultMatch, response: FaultResponse): void };
  /**
   * Calls `callback` once, for the first request that matches, after the request took effect and
   * before its answer is sent (the answer waits for the callback). A test kills its child process
   * there: the write happened, the client never learnt it did. `where` looks at the recorded request
   * (its body: a ref name, an artifact name).
   */
  onRequest(
    match: FaultMatch & { where?: (request: RecordedRequest) => boolean },
    callback: (request: RecordedRequest) => void | Promise<void>,
  ): void;
  /**
   * GET /repos/{o}/{r}/actions/runs/{id}: a run is `in_progress` from its runtimeToken() until
   * completeRun() (a killed job's run completes too); an unknown run is 404.
   */
  completeRun(runId: number): void;
  /** Fail writes with 403 'Resource not accessible by integration' (a fork's read-only token). */
  setReadOnly(readOnly: boolean): void;
  /**
   * The token's permissions from now on, as a job's `permissions:` block grants them (scopes left out
   * are `none`; undefined: every permission). A request outside them is GitHub's 403.
   */
  setPermissions(permissions: TokenPermissions | undefined): void;
  /** Whether POST /repos/{o}/{r}/pulls is allowed (repository setting; off by default = 403). */
  allowActionsToCreatePullRequests(allowed: boolean): void;
  seedPullRequest(seed: SeedPullRequest): StoredPull;
  seedFile(refOrSha: string, path: string, content: string | Buffer): string;
  close(): Promise<void>;
}

/** Operations GitHub counts against its secondary content-creation limit. */
const CONTENT_CREATING = new Set([
  'issues/create',
  'issues/create-comment',
  'pulls/create',
  'pulls/create-review',
  'pulls/create-review-comment',
  'pulls/create-reply-for-review-comment',
]);

const SECONDARY_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startGitHubEmulator(options: GitHubEmulatorOptions = {}): Promise<GitHubEmulator> {
  const store = new GitHubStore(
    options.owner ?? 'octo-org',
    options.repo ?? 'octo-repo',
    options.defaultBranch ?? 'main',
    options.headSha,
  );
  const violations: string[] = [];
  const requests: RecordedRequest[] = [];
  const faults: (FaultMatch & { response: FaultResponse; remaining: number })[] = [];
  const perWindow = options.contentCreation?.perWindow ?? 80;
  const windowMs = options.contentCreation?.windowMs ?? 60_000;
  const perHour = options.contentCreation?.perHour ?? 500;
  const contentCreatedAt: number[] = [];
  let readOnly = false;
  let permissions = options.permissions;
  let baseUrl = '';
  let requestCounter = 0;
  const hooks: {
    match: FaultMatch & { where?: (request: RecordedRequest) => boolean };
    callback: (request: RecordedRequest) => void | Promise<void>;
  }[] = [];
  // Routes answered from the store's run registry (runs exist once a test minted their token).
  const localHandlers: Record<string, (req: { params: Record<string, string> }) => RestResponse> = {
    'actions/get-workflow-run': (req) => {
      const id = Number(req.params['run_id']);
      const run = store.workflowRuns.get(id);
      if (!run) return { status: 404, body: errorBody(404, 'Not Found') };
      const repository = { id: REPOSITORY_ID, full_name: `${store.owner}/${store.repo}` };
      return {
        status: 200,
        body: {
          id,
          run_number: id,
          run_attempt: 1,
          status: run.status,
          conclusion: run.status === 'completed' ? 'failure' : null,
          event: run.event,
          head_branch: run.head_branch,
          head_sha: run.head_sha,
          path: run.path,
          repository,
          head_repository:
            run.head_repository_id === REPOSITORY_ID
              ? repository
              : { id: run.head_repository_id, full_name: `fork-owner/${store.repo}` },
          html_url: `${context.serverUrl}/${store.owner}/${store.repo}/actions/runs/${id}`,
          url: `${baseUrl}/repos/${store.owner}/${store.repo}/actions/runs/${id}`,
        },
      };
    },
  };

  const artifacts = new ArtifactService(store, () => baseUrl);
  const context: RestContext = {
    store,
    get apiUrl() {
      return baseUrl;
    },
    serverUrl: options.serverUrl ?? 'https://github.com',
    actionsToken: options.actionsToken ?? true,
    signedDownloadUrl: (artifact) => artifacts.signedDownloadUrl(artifact),
  };

  function takeFault(method: string, pathname: string): FaultResponse | undefined {
    const fault = faults.find((f) => (!f.method || f.method.toUpperCase() === method) && (!f.path || f.path.test(pathname)));
    if (!fault) return undefined;
    if (--fault.remaining <= 0) faults.splice(faults.indexOf(fault), 1);
    return fault.response;
  }

  /** Seconds until the content-creation windows admit one more request, or 0 if they do now. */
  function contentCreationWait(now: number): number {
    while (contentCreatedAt.length > 0 && (contentCreatedAt[0] as number) <= now - 3_600_000) contentCreatedAt.shift();
    const inWindow = contentCreatedAt.filter((t) => t > now - windowMs);
    let waitMs = 0;
    if (inWindow.length >= perWindow) waitMs = (inWindow[inWindow.length - perWindow] as number) + windowMs - now;
    if (contentCreatedAt.length >= perHour) {
      waitMs = Math.max(waitMs, (contentCreatedAt[contentCreatedAt.length - perHour] as number) + 3_600_000 - now);
    }
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
  }

  function handleRest(method: string, url: URL, req: IncomingMessage, raw: Buffer): RestResponse {
    const where = `${method} ${url.pathname}`;
    let body: unknown;
    const hasBody = raw.length > 0;
    if (hasBody) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        violations.push(`${where}: request body is not valid JSON`);
        return { status: 400, body: errorBody(400, 'Problems parsing JSON') };
      }
    }
    const match = matchRoute(method, url.pathname);
    if (!match) {
      violations.push(`${where}: no such route in GitHub's REST API`);
      return { status: 404, body: errorBody(404, 'Not Found') };
    }
    const problems = validateRequest(match, url.searchParams, body, hasBody);
    violations.push(...problems.map((p) => `${p} (${where})`));
    const fault = takeFault(method, url.pathname);
    if (fault) return { status: fault.status, body: fault.body, headers: fault.headers ?? {} };
    // GitHub answers 422 to a body or parameter that breaks the schema; an unknown query parameter it ignores.
    const rejected = problems.filter((p) => !/unknown query parameter/.test(p));
    if (rejected.length > 0) {
      return { status: 422, body: errorBody(422, `Invalid request.\n\n${rejected.join('\n')}`) };
    }
    const { params } = match;
    if (
      (params['owner'] !== undefined && params['owner'] !== store.owner) ||
      (params['repo'] !== undefined && params['repo'] !== store.repo)
    ) {
      return { status: 404, body: errorBody(404, 'Not Found') };
    }
    const write = method !== 'GET' && method !== 'HEAD';
    if (write && !req.headers.authorization) return { status: 401, body: errorBody(401, 'Requires authentication') };
    if (write && readOnly) return { status: 403, body: errorBody(403, 'Resource not accessible by integration') };
    const missing = missingPermission(permissions, match.operation.operationId, write);
    if (missing) {
      return {
        status: 403,
        body: errorBody(403, 'Resource not accessible by integration'),
        headers: { 'x-accepted-github-permissions': missing },
      };
    }
    const local = localHandlers[match.operation.operationId];
    if (local) return local({ params });
    const handler = handlers[match.operation.operationId] ?? checkHandlers[match.operation.operationId];
    if (!handler) {
      violations.push(
        `${where}: ${match.operation.operationId} (${match.operation.method} ${match.operation.template}) is a real GitHub route this emulator does not implement`,
      );
      return { status: 404, body: errorBody(404, 'Not Found') };
    }
    if (CONTENT_CREATING.has(match.operation.operationId)) {
      const now = Date.now();
      const retryAfter = contentCreationWait(now);
      if (retryAfter > 0) {
        return { status: 403, body: errorBody(403, SECONDARY_LIMIT_MESSAGE), headers: { 'retry-after': String(retryAfter) } };
      }
      contentCreatedAt.push(now);
    }
    try {
      return handler({ params, query: url.searchParams, body, url }, context, new Views(context));
    } catch (error) {
      if (error instanceof HttpError) return { status: error.status, body: error.body, headers: error.headers };
      throw error;
    }
  }

  function send(res: ServerResponse, response: ServiceResponse, json: boolean, extraHeaders: Record<string, string>): void {
    const headers: Record<string, string> = { ...extraHeaders, ...(response.headers ?? {}) };
    let payload: Buffer | undefined = response.raw;
    if (!payload && response.body !== undefined) {
      payload = Buffer.from(typeof response.body === 'string' ? response.body : JSON.stringify(response.body));
      if (json) headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    if (payload) headers['content-length'] ??= String(payload.length);
    res.writeHead(response.status, headers);
    res.end(payload);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', baseUrl);
    const raw = await readBody(req);
    const requestId = `EMU${(++requestCounter).toString(16).toUpperCase().padStart(8, '0')}`;
    let response: ServiceResponse;
    let recordedBody: unknown;
    let json = true;
    if (url.pathname.startsWith(BLOB_PREFIX)) {
      json = false;
      recordedBody = raw.length > 0 ? `<${raw.length} bytes>` : undefined;
      response = takeFault(method, url.pathname) ?? artifacts.handleBlob(method, url, req.headers, raw);
    } else if (url.pathname.startsWith(TWIRP_PREFIX) && method === 'POST') {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = undefined;
      }
      recordedBody = body;
      response =
        takeFault(method, url.pathname) ??
        (body === undefined
          ? { status: 400, body: { code: 'malformed', msg: 'request body is not JSON' } }
          : artifacts.handleTwirp(url.pathname.slice(TWIRP_PREFIX.length), req.headers.authorization, body));
    } else {
      try {
        recordedBody = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        recordedBody = raw.toString('utf8');
      }
      response = handleRest(method, url, req, raw);
    }
    const recorded: RecordedRequest = { method, path: url.pathname + url.search, body: recordedBody, status: response.status };
    requests.push(recorded);
    const hook = hooks.find(
      ({ match }) =>
        (!match.method || match.method.toUpperCase() === method) &&
        (!match.path || match.path.test(url.pathname)) &&
        (!match.where || match.where(recorded)),
    );
    if (hook) {
      hooks.splice(hooks.indexOf(hook), 1);
      await hook.callback(recorded);
    }
    const restHeaders: Record<string, string> = json
      ? {
          'x-github-request-id': requestId,
          'x-github-media-type': 'github.v3; format=json',
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '4999',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
          'x-ratelimit-used': '1',
          'x-ratelimit-resource': 'core',
        }
      : {};
    send(res, response, json, restHeaders);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push(`emulator crashed on ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(errorBody(500, 'Internal emulator error')));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    resultsUrl: `${baseUrl}/`,
    runtimeToken(runId: number, run?: SeedWorkflowRun) {
      artifacts.registerRun(runId);
      store.registerRun(runId, run);
      return runtimeToken(runId);
    },
    store,
    violations,
    requests,
    faults: {
      next(match, response) {
        faults.push({ ...match, response, remaining: response.times ?? 1 });
      },
    },
    onRequest(match, callback) {
      hooks.push({ match, callback });
    },
    completeRun(runId) {
      store.registerRun(runId).status = 'completed';
    },
    setReadOnly(value) {
      readOnly = value;
    },
    setPermissions(value) {
      permissions = value;
    },
    allowActionsToCreatePullRequests(allowed) {
      store.actionsCanCreatePullRequests = allowed;
    },
    seedPullRequest: (seed) => store.seedPullRequest(seed),
    seedFile: (refOrSha, path, content) => store.seedFile(refOrSha, path, content),
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
