// Check runs and commit statuses: what a pull request shows beside its merge button. A workflow's
// GITHUB_TOKEN creates check runs as the github-actions app; a run is found again by its commit and
// name (GET /commits/{ref}/check-runs?check_name=), `filter=latest` (the default) keeping the newest
// run of each name. Bodies already passed the OpenAPI schema (index.ts); what the schema cannot say
// (a completed run needs a conclusion, the commit must exist, a status description fits 140
// characters) is answered here as GitHub answers it.
import { HttpError, Views, errorBody, type RestContext, type RestRequest, type RestResponse } from './rest.js';
import { timestamp, type GitHubStore, type StoredCheckRun, type StoredCommitStatus } from './store.js';

type Handler = (req: RestRequest, ctx: RestContext, views: Views) => RestResponse;

/** GitHub's app for a workflow's GITHUB_TOKEN: the `app` of every check run the token creates. */
const ACTIONS_APP = { id: 15368, slug: 'github-actions', name: 'GitHub Actions' };
const MAX_STATUS_DESCRIPTION = 140;

function unprocessable(message: string, errors?: unknown[]): HttpError {
  return new HttpError(422, errorBody(422, message, errors ? { errors } : {}));
}

/** The commit a ref names (a full SHA, a branch, a tag), or a 422 like GitHub's for an unknown SHA. */
function commitOf(store: GitHubStore, ref: string, status: 404 | 422): string {
  const sha = /^[0-9a-f]{40}$/.test(ref)
    ? ref
    : (store.git.refs.get(`refs/heads/${ref}`) ?? store.git.refs.get(`refs/tags/${ref}`) ?? store.git.refs.get(ref));
  if (!sha || !store.git.get(sha, 'commit')) {
    if (status === 404) throw new HttpError(404, errorBody(404, 'Not Found'));
    throw unprocessable(`No commit found for SHA: ${ref}`);
  }
  return sha;
}

/** Status and conclusion after a create or update: a conclusion completes the run; completed needs one. */
function settle(run: StoredCheckRun, body: Record<string, unknown>): void {
  if (typeof body['status'] === 'string') run.status = body['status'] as StoredCheckRun['status'];
  if (typeof body['conclusion'] === 'string') {
    run.conclusion = body['conclusion'];
    run.status = 'completed';
  }
  if (run.status === 'completed') {
    if (!run.conclusion) throw unprocessable('Invalid request.\n\n"conclusion" wasn\'t supplied.');
    run.completed_at =
      (typeof body['completed_at'] === 'string' ? body['completed_at'] : null) ?? run.completed_at ?? timestamp();
  } else {
    run.conclusion = null;
    run.completed_at = null;
  }
}

function applyFields(run: StoredCheckRun, body: Record<string, unknown>): void {
  if (typeof body['name'] === 'string') run.name = body['name'];
  if (typeof body['details_url'] === 'string') run.details_url = body['details_url'];
  if (typeof body['external_id'] === 'string') run.external_id = body['external_id'];
  if (typeof body['started_at'] === 'string') run.started_at = body['started_at'];
  const output = body['output'] as { title?: string; summary?: string; text?: string } | undefined;
  if (output) run.output = { title: output.title ?? null, summary: output.summary ?? null, text: output.text ?? null };
}

function checkRunView(run: StoredCheckRun, ctx: RestContext, views: Views) {
  const pulls = ctx.store.pulls.filter((p) => p.state === 'open' && p.head.sha === run.head_sha);
  return {
    id: run.id,
    node_id: Buffer.from(`08:CheckRun${run.id}`).toString('base64'),
    head_sha: run.head_sha,
    external_id: run.external_id ?? '',
    url: `${views.repoApi}/check-runs/${run.id}`,
    html_url: `${views.repoHtml}/runs/${run.id}`,
    details_url: run.details_url ?? `${views.repoHtml}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: 0,
      annotations_url: `${views.repoApi}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id + 7_000_000 },
    app: { ...ACTIONS_APP, node_id: 'MDM6QXBwMTUzNjg=', owner: views.user({ login: 'github', id: 9919, type: 'User' }) },
    pull_requests: pulls.map((p) => ({
      id: p.id,
      number: p.number,
      url: `${views.repoApi}/pulls/${p.number}`,
      head: { ref: p.head.ref, sha: p.head.sha, repo: { id: 1, url: views.repoApi, name: ctx.store.repo } },
      base: { ref: p.base.ref, sha: p.base.sha, repo: { id: 1, url: views.repoApi, name: ctx.store.repo } },
    })),
  };
}

function statusView(status: StoredCommitStatus, views: Views) {
  return {
    url: `${views.repoApi}/statuses/${status.sha}`,
    avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
    id: status.id,
    node_id: Buffer.from(`013:StatusContext${status.id}`).toString('base64'),
    state: status.state,
    description: status.description,
    target_url: status.target_url,
    context: status.context,
    created_at: status.created_at,
    updated_at: status.updated_at,
    creator: views.user({ login: 'github-actions[bot]', id: 41898282, type: 'Bot' }),
  };
}

function findRun(store: GitHubStore, id: string | undefined): StoredCheckRun {
  const run = store.checkRuns.find((r) => r.id === Number(id));
  if (!run) throw new HttpError(404, errorBody(404, 'Not Found'));
  return run;
}

function page<T>(items: T[], req: RestRequest): T[] {
  const perPage = Math.min(Math.max(Number(req.query.get('per_page') ?? 30) || 30, 1), 100);
  const number = Math.max(Number(req.query.get('page') ?? 1) || 1, 1);
  return items.slice((number - 1) * perPage, number * perPage);
}

export const checkHandlers: Record<string, Handler> = {
  'checks/create': (req, ctx, views) => {
    const body = req.body as Record<string, unknown> & { head_sha: string; name: string };
    const headSha = commitOf(ctx.store, body.head_sha, 422);
    const run: StoredCheckRun = {
      id: ctx.store.nextId(),
      name: body.name,
      head_sha: headSha,
      status: 'queued',
      conclusion: null,
      details_url: null,
      external_id: null,
      started_at: timestamp(),
      completed_at: null,
      output: { title: null, summary: null, text: null },
      updates: 0,
    };
    applyFields(run, body);
    settle(run, body);
    ctx.store.checkRuns.push(run);
    return { status: 201, body: checkRunView(run, ctx, views) };
  },

  'checks/get': (req, ctx, views) => ({
    status: 200,
    body: checkRunView(findRun(ctx.store, req.params['check_run_id']), ctx, views),
  }),

  'checks/update': (req, ctx, views) => {
    const run = findRun(ctx.store, req.params['check_run_id']);
    const body = req.body as Record<string, unknown>;
    const before = { ...run, output: { ...run.output } };
    applyFields(run, body);
    try {
      settle(run, body);
    } catch (error) {
      Object.assign(run, before);
      throw error;
    }
    run.updates++;
    return { status: 200, body: checkRunView(run, ctx, views) };
  },

  'checks/list-for-ref': (req, ctx, views) => {
    const sha = commitOf(ctx.store, req.params['ref'] ?? '', 422);
    const name = req.query.get('check_name');
    const status = req.query.get('status');
    let runs = ctx.store.checkRuns.filter(
      (r) => r.head_sha === sha && (!name || r.name === name) && (!status || r.status === status),
    );
    if ((req.query.get('filter') ?? 'latest') === 'latest') {
      // The newest run of each name.
      runs = runs.filter((r) => !runs.some((other) => other.name === r.name && other.id > r.id));
    }
    runs = [...runs].sort((a, b) => b.id - a.id);
    return {
      status: 200,
      body: { total_count: runs.length, check_runs: page(runs, req).map((r) => checkRunView(r, ctx, views)) },
    };
  },

  'repos/create-commit-status': (req, ctx, views) => {
    const sha = commitOf(ctx.store, req.params['sha'] ?? '', 422);
    const body = req.body as {
      state: StoredCommitStatus['state'];
      target_url?: string | null;
      description?: string | null;
      context?: string;
    };
    if (body.description && body.description.length > MAX_STATUS_DESCRIPTION) {
      throw unprocessable('Validation Failed', [
        {
          resource: 'Status',
          code: 'custom',
          field: 'description',
          message: 'description is too long (maximum is 140 characters)',
        },
      ]);
    }
    const now = timestamp();
    const status: StoredCommitStatus = {
      id: ctx.store.nextId(),
      sha,
      state: body.state,
      context: body.context ?? 'default',
      description: body.description ?? null,
      target_url: body.target_url ?? null,
      created_at: now,
      updated_at: now,
    };
    ctx.store.commitStatuses.push(status);
    return { status: 201, body: statusView(status, views) };
  },

  'repos/list-commit-statuses-for-ref': (req, ctx, views) => {
    const sha = commitOf(ctx.store, req.params['ref'] ?? '', 404);
    const statuses = ctx.store.commitStatuses.filter((s) => s.sha === sha).sort((a, b) => b.id - a.id);
    return { status: 200, body: page(statuses, req).map((s) => statusView(s, views)) };
  },
};
