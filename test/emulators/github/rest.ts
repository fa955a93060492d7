// REST handlers, keyed by the OpenAPI operationId the request matched. Response objects carry the
// fields real GitHub sends that clients read (ids, node_id, urls, user, timestamps), not every field.
import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { createPatch, findHunk, parsePatch } from './diff.js';
import { SHA_PATTERN, type GitTreeEntry, type FlatTree } from './git.js';
import {
  ACTIONS_BOT,
  REPOSITORY_ID,
  timestamp,
  type GitHubStore,
  type StoredArtifact,
  type StoredComment,
  type StoredIssue,
  type StoredLabel,
  type StoredPull,
  type StoredPullFile,
  type StoredReview,
  type StoredReviewComment,
  type StoredUser,
} from './store.js';

export interface RestRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  // The body already passed the operation's OpenAPI schema, so handlers read its fields directly.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** Absolute URL of this request on the emulator. */
  url: URL;
}

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RestContext {
  store: GitHubStore;
  /** The emulator's base URL (API urls in responses). */
  apiUrl: string;
  /** The web UI base (html_url), https://github.com unless configured. */
  serverUrl: string;
  /** True when the caller is a workflow's GITHUB_TOKEN (it can never approve pull requests). */
  actionsToken: boolean;
  /** Signs a blob download URL for an artifact (the `/zip` redirect target). */
  signedDownloadUrl(artifact: StoredArtifact): string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body['message']));
  }
}

const DOCS = 'https://docs.github.com/rest';
export const MAX_BODY_LENGTH = 65_536;

export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}) {
  return { message, ...extra, documentation_url: DOCS, status: String(status) };
}

function notFound(): HttpError {
  return new HttpError(404, errorBody(404, 'Not Found'));
}

function validationFailed(resource: string, field: string, code: string, message?: string): HttpError {
  const error: Record<string, string> = { resource, code, field };
  if (message) error['message'] = message;
  return new HttpError(422, errorBody(422, 'Validation Failed', { errors: [error] }));
}

function unprocessable(errors: string[]): HttpError {
  return new HttpError(422, errorBody(422, 'Unprocessable Entity', { errors }));
}

function checkBodyLength(body: unknown, resource: string): void {
  if (typeof body === 'string' && body.length > MAX_BODY_LENGTH) {
    throw validationFailed(resource, 'body', 'custom', `body is too long (maximum is ${MAX_BODY_LENGTH} characters)`);
  }
}

function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`0${kind.length}:${kind}${id}`).toString('base64');
}

/** Builds response objects with the URLs of this emulator and its repository. */
class Views {
  readonly repoApi: string;
  readonly repoHtml: string;

  constructor(private readonly ctx: RestContext) {
    const { owner, repo } = ctx.store;
    this.repoApi = `${ctx.apiUrl}/repos/${owner}/${repo}`;
    this.repoHtml = `${ctx.serverUrl}/${owner}/${repo}`;
  }

  user(u: StoredUser) {
    const htmlUrl =
      u.type === 'Bot' ? `${this.ctx.serverUrl}/apps/${u.login.replace(/\[bot\]$/, '')}` : `${this.ctx.serverUrl}/${u.login}`;
    return {
      login: u.login,
      id: u.id,
      node_id: nodeId(u.type, u.id),
      avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
      gravatar_id: '',
      url: `${this.ctx.apiUrl}/users/${encodeURIComponent(u.login)}`,
      html_url: htmlUrl,
      type: u.type,
      site_admin: false,
    };
  }

  repository() {
    const { store } = this.ctx;
    return {
      id: REPOSITORY_ID,
      node_id: nodeId('Repository', REPOSITORY_ID),
      name: store.repo,
      full_name: `${store.owner}/${store.repo}`,
      owner: this.user({ login: store.owner, id: 9919, type: 'User' }),
      private: false,
      html_url: this.repoHtml,
      url: this.repoApi,
      fork: false,
      default_branch: store.defaultBranch,
      visibility: 'public',
      archived: false,
      disabled: false,
      permissions: { admin: false, maintain: false, push: true, triage: false, pull: true },
    };
  }

  label(l: StoredLabel) {
    return {
      id: l.id,
      node_id: nodeId('Label', l.id),
      url: `${this.repoApi}/labels/${encodeURIComponent(l.name)}`,
      name: l.name,
      color: l.color,
      default: false,
      description: l.description,
    };
  }

  issue(i: StoredIssue) {
    const { store } = this.ctx;
    const url = `${this.repoApi}/issues/${i.number}`;
    const pull = i.is_pull_request ? store.pulls.find((p) => p.number === i.number) : undefined;
    return {
      id: i.id,
      node_id: nodeId(i.is_pull_request ? 'PullRequest' : 'Issue', i.id),
      url,
      repository_url: this.repoApi,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `${this.repoHtml}/${i.is_pull_request ? 'pull' : 'issues'}/${i.number}`,
      number: i.number,
      state: i.state,
      state_reason: i.state_reason,
      title: i.title,
      body: i.body,
      user: this.user(i.user),
      labels: i.labels.map((name) => this.label(findLabel(store, name) as StoredLabel)),
      assignee: i.assignees[0] ? this.user({ login: i.assignees[0], id: 1, type: 'User' }) : null,
      assignees: i.assignees.map((login) => this.user({ login, id: 1, type: 'User' })),
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: store.comments.filter((c) => c.issue_number === i.number).length,
      ...(pull
        ? {
            pull_request: {
              url: `${this.repoApi}/pulls/${i.number}`,
              html_url: `${this.repoHtml}/pull/${i.number}`,
              diff_url: `${this.repoHtml}/pull/${i.number}.diff`,
              patch_url: `${this.repoHtml}/pull/${i.number}.patch`,
              merged_at: null,
            },
            draft: pull.draft,
          }
        : {}),
      closed_at: i.closed_at,
      created_at: i.created_at,
      updated_at: i.updated_at,
      closed_by: null,
      author_association: i.user.type === 'Bot' ? 'NONE' : 'OWNER',
    };
  }

  comment(c: StoredComment) {
    const issue = this.ctx.store.issues.find((i) => i.number === c.issue_number);
    return {
      id: c.id,
      node_id: nodeId('IssueComment', c.id),
      url: `${this.repoApi}/issues/comments/${c.id}`,
      html_url: `${this.repoHtml}/${issue?.is_pull_request ? 'pull' : 'issues'}/${c.issue_number}#issuecomment-${c.id}`,
      issue_url: `${this.repoApi}/issues/${c.issue_number}`,
      body: c.body,
      user: this.user(c.user),
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: 'NONE',
      performed_via_github_app: null,
    };
  }

  branch(ref: string, sha: string) {
    const { store } = this.ctx;
    return {
      label: `${store.owner}:${ref}`,
      ref,
      sha,
      user: this.user({ login: store.owner, id: 9919, type: 'User' }),
      repo: this.repository(),
    };
  }

  pull(p: StoredPull) {
    const { store } = this.ctx;
    const url = `${this.repoApi}/pulls/${p.number}`;
    const issue = store.issues.find((i) => i.number === p.number);
    const additions = p.files.reduce((n, f) => n + (f.additions ?? 0), 0);
    const deletions = p.files.reduce((n, f) => n + (f.deletions ?? 0), 0);
    return {
      url,
      id: p.id,
      node_id: nodeId('PullRequest', p.id),
      html_url: `${this.repoHtml}/pull/${p.number}`,
      diff_url: `${this.repoHtml}/pull/${p.number}.diff`,
      patch_url: `${this.repoHtml}/pull/${p.number}.patch`,
      issue_url: `${this.repoApi}/issues/${p.number}`,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${this.repoApi}/pulls/comments{/number}`,
      comments_url: `${this.repoApi}/issues/${p.number}/comments`,
      statuses_url: `${this.repoApi}/statuses/${p.head.sha}`,
      number: p.number,
      state: p.state,
      locked: false,
      title: p.title,
      user: this.user(p.user),
      body: p.body,
      labels: (issue?.labels ?? []).map((name) => this.label(findLabel(store, name) as StoredLabel)),
      milestone: null,
      active_lock_reason: null,
      created_at: p.created_at,
      updated_at: p.updated_at,
      closed_at: null,
      merged_at: null,
      merge_commit_sha: null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: this.branch(p.head.ref, p.head.sha),
      base: this.branch(p.base.ref, p.base.sha),
      _links: {
        self: { href: url },
        html: { href: `${this.repoHtml}/pull/${p.number}` },
        issue: { href: `${this.repoApi}/issues/${p.number}` },
        comments: { href: `${this.repoApi}/issues/${p.number}/comments` },
        review_comments: { href: `${url}/comments` },
        review_comment: { href: `${this.repoApi}/pulls/comments{/number}` },
        commits: { href: `${url}/commits` },
        statuses: { href: `${this.repoApi}/statuses/${p.head.sha}` },
      },
      author_association: p.user.type === 'Bot' ? 'NONE' : 'OWNER',
      auto_merge: null,
      draft: p.draft,
      merged: false,
      mergeable: true,
      rebaseable: true,
      mergeable_state: 'clean',
      merged_by: null,
      comments: store.comments.filter((c) => c.issue_number === p.number).length,
      review_comments: store.reviewComments.filter((c) => c.pull_number === p.number).length,
      maintainer_can_modify: p.maintainer_can_modify,
      commits: 1,
      additions,
      deletions,
      changed_files: p.files.length,
    };
  }

  pullFile(p: StoredPull, f: StoredPullFile) {
    const { git } = this.ctx.store;
    const entry = f.status === 'removed' ? undefined : git.lookup(p.head.sha, f.filename);
    const additions = f.additions ?? countPatchLines(f.patch, '+');
    const deletions = f.deletions ?? countPatchLines(f.patch, '-');
    const path = f.filename.split('/').map(encodeURIComponent).join('/');
    return {
      sha: entry?.sha ?? createHash('sha1').update(`${p.head.sha}:${f.filename}`).digest('hex'),
      filename: f.filename,
      status: f.status,
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `${this.repoHtml}/blob/${p.head.sha}/${path}`,
      raw_url: `${this.repoHtml}/raw/${p.head.sha}/${path}`,
      contents_url: `${this.repoApi}/contents/${path}?ref=${p.head.sha}`,
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
      ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
    };
  }

  review(r: StoredReview) {
    const html = `${this.repoHtml}/pull/${r.pull_number}#pullrequestreview-${r.id}`;
    const pullUrl = `${this.repoApi}/pulls/${r.pull_number}`;
    return {
      id: r.id,
      node_id: nodeId('PullRequestReview', r.id),
      user: this.user(r.user),
      body: r.body,
      state: r.state,
      html_url: html,
      pull_request_url: pullUrl,
      _links: { html: { href: html }, pull_request: { href: pullUrl } },
      ...(r.submitted_at ? { submitted_at: r.submitted_at } : {}),
      commit_id: r.commit_id,
      author_association: 'NONE',
    };
  }

  reviewComment(c: StoredReviewComment, diffHunk: string) {
    const url = `${this.repoApi}/pulls/comments/${c.id}`;
    const html = `${this.repoHtml}/pull/${c.pull_number}#discussion_r${c.id}`;
    const pullUrl = `${this.repoApi}/pulls/${c.pull_number}`;
    return {
      url,
      pull_request_review_id: c.pull_request_review_id,
      id: c.id,
      node_id: nodeId('PullRequestReviewComment', c.id),
      diff_hunk: diffHunk,
      path: c.path,
      position: c.position,
      original_position: c.position,
      commit_id: c.commit_id,
      original_commit_id: c.commit_id,
      user: this.user(c.user),
      body: c.body,
      created_at: c.created_at,
      updated_at: c.created_at,
      html_url: html,
      pull_request_url: pullUrl,
      author_association: 'NONE',
      _links: { self: { href: url }, html: { href: html }, pull_request: { href: pullUrl } },
      start_line: c.start_line,
      original_start_line: c.start_line,
      start_side: c.start_side,
      line: c.line,
      original_line: c.line,
      side: c.side,
      subject_type: 'line',
    };
  }

  artifact(a: StoredArtifact) {
    const url = `${this.repoApi}/actions/artifacts/${a.id}`;
    const run = this.ctx.store.registerRun(a.workflow_run_id);
    return {
      id: a.id,
      node_id: nodeId('Artifact', a.id),
      name: a.name,
      size_in_bytes: a.size_in_bytes,
      url,
      archive_download_url: `${url}/zip`,
      expired: Date.parse(a.expires_at) <= Date.now(),
      created_at: a.created_at,
      updated_at: a.updated_at,
      expires_at: a.expires_at,
      digest: a.digest,
      // GitHub's record of the run that uploaded it: a fork's pull_request run has the fork as its head repository.
      workflow_run: {
        id: run.id,
        repository_id: REPOSITORY_ID,
        head_repository_id: run.head_repository_id,
        head_branch: run.head_branch,
        head_sha: run.head_sha,
      },
    };
  }

  ref(name: string, sha: string) {
    const object = this.ctx.store.git.objects.get(sha);
    const type = object?.type ?? 'commit';
    return {
      ref: name,
      node_id: nodeId('Ref', name),
      url: `${this.repoApi}/git/${name}`,
      object: { sha, type, url: `${this.repoApi}/git/${type}s/${sha}` },
    };
  }

  commit(sha: string) {
    const commit = this.ctx.store.git.get(sha, 'commit');
    if (!commit) throw notFound();
    return {
      sha,
      node_id: nodeId('Commit', sha),
      url: `${this.repoApi}/git/commits/${sha}`,
      html_url: `${this.repoHtml}/commit/${sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      tree: { sha: commit.tree, url: `${this.repoApi}/git/trees/${commit.tree}` },
      parents: commit.parents.map((p) => ({
        sha: p,
        url: `${this.repoApi}/git/commits/${p}`,
        html_url: `${this.repoHtml}/commit/${p}`,
      })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    };
  }

  tree(sha: string, recursive: boolean) {
    const { git } = this.ctx.store;
    const tree = git.get(sha, 'tree');
    if (!tree) throw notFound();
    const entries: (GitTreeEntry & { size?: number; url: string })[] = [];
    const walk = (treeSha: string, prefix: string) => {
      for (const e of git.get(treeSha, 'tree')?.entries ?? []) {
        const path = prefix + e.path;
        const blob = e.type === 'blob' ? git.get(e.sha, 'blob') : undefined;
        entries.push({
          ...e,
          path,
          ...(blob ? { size: blob.content.length } : {}),
          url: `${this.repoApi}/git/${e.type}s/${e.sha}`,
        });
        if (recursive && e.type === 'tree') walk(e.sha, `${path}/`);
      }
    };
    walk(sha, '');
    return { sha, url: `${this.repoApi}/git/trees/${sha}`, tree: entries, truncated: false };
  }
}

function countPatchLines(patch: string | undefined, sign: '+' | '-'): number {
  return (patch ?? '').split('\n').filter((l) => l.startsWith(sign)).length;
}

function findLabel(store: GitHubStore, name: string): StoredLabel | undefined {
  return store.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
}

/** Attaching a label that does not exist creates it, as GitHub does. */
function ensureLabel(store: GitHubStore, name: string): StoredLabel {
  const existing = findLabel(store, name);
  if (existing) return existing;
  const label: StoredLabel = { id: store.nextId(), name, color: 'ededed', description: null };
  store.labels.push(label);
  return label;
}

function labelNames(labels: unknown[]): string[] {
  return labels.map((l) => (typeof l === 'string' ? l : String((l as { name?: string }).name ?? '')));
}

function getIssue(store: GitHubStore, numberParam: string | undefined): StoredIssue {
  const issue = store.issues.find((i) => i.number === Number(numberParam));
  if (!issue) throw notFound();
  return issue;
}

function getPull(store: GitHubStore, numberParam: string | undefined): StoredPull {
  const pull = store.pulls.find((p) => p.number === Number(numberParam));
  if (!pull) throw notFound();
  return pull;
}

/** Slices a list by `page`/`per_page` and builds GitHub's `Link` header for the other pages. */
function paginate<T>(items: T[], req: RestRequest, maxPerPage = 100): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(req.query.get('per_page') ?? 30) || 30, 1), maxPerPage);
  const page = Math.max(Number(req.query.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string) => {
    const url = new URL(req.url);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

function listResponse<T>(items: T[], req: RestRequest, view: (item: T) => unknown): RestResponse {
  const { page, headers } = paginate(items, req);
  return { status: 200, body: page.map(view), headers };
}

function sortBy<T>(items: T[], key: (item: T) => string | number, direction: string | null): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : 0));
}

/** The files a pull request changes, computed from the two commits' trees. */
function diffCommits(store: GitHubStore, baseSha: string, headSha: string): StoredPullFile[] {
  const { git } = store;
  const tree = (sha: string): FlatTree => git.flatten((git.get(sha, 'commit') as { tree: string }).tree);
  const base = tree(baseSha);
  const head = tree(headSha);
  const text = (sha: string | undefined) => (sha ? (git.get(sha, 'blob')?.content.toString('utf8') ?? '') : '');
  const files: StoredPullFile[] = [];
  for (const path of [...new Set([...base.keys(), ...head.keys()])].sort()) {
    const before = base.get(path)?.sha;
    const after = head.get(path)?.sha;
    if (before === after) continue;
    const { patch, additions, deletions } = createPatch(text(before), text(after));
    files.push({ filename: path, status: !before ? 'added' : !after ? 'removed' : 'modified', patch, additions, deletions });
  }
  return files;
}

type Handler = (req: RestRequest, ctx: RestContext, views: Views) => RestResponse;

const RANGE_ERRORS = {
  line: 'Line could not be resolved',
  start: 'Start line could not be resolved',
  path: 'Path could not be resolved',
  position: 'Position could not be resolved',
};

export const handlers: Record<string, Handler> = {
  'repos/get': (_req, _ctx, v) => ({ status: 200, body: v.repository() }),

  'repos/get-branch': (req, { store }, v) => {
    const sha = store.git.refs.get(`refs/heads/${req.params['branch']}`);
    if (!sha) throw new HttpError(404, errorBody(404, 'Branch not found'));
    return {
      status: 200,
      body: {
        name: req.params['branch'],
        commit: { sha, node_id: nodeId('Commit', sha), url: `${v.repoApi}/commits/${sha}`, commit: v.commit(sha) },
        protected: false,
      },
    };
  },

  // ---- issues ----
  'issues/create': (req, { store }, v) => {
    checkBodyLength(req.body.body, 'Issue');
    const now = timestamp();
    const issue: StoredIssue = {
      number: store.nextIssueNumber(),
      id: store.nextId(),
      title: String(req.body.title),
      body: req.body.body ?? null,
      state: 'open',
      state_reason: null,
      labels: labelNames(req.body.labels ?? []).map((name) => ensureLabel(store, name).name),
      assignees: req.body.assignees ?? [],
      user: ACTIONS_BOT,
      created_at: now,
      updated_at: now,
      closed_at: null,
      is_pull_request: false,
    };
    store.issues.push(issue);
    return { status: 201, body: v.issue(issue), headers: { location: `${v.repoApi}/issues/${issue.number}` } };
  },

  'issues/get': (req, { store }, v) => ({ status: 200, body: v.issue(getIssue(store, req.params['issue_number'])) }),

  'issues/update': (req, { store }, v) => {
    const issue = getIssue(store, req.params['issue_number']);
    const b = req.body ?? {};
    checkBodyLength(b.body, 'Issue');
    if (b.title !== undefined) issue.title = String(b.title);
    if (b.body !== undefined) issue.body = b.body;
    if (b.labels !== undefined) issue.labels = labelNames(b.labels).map((name) => ensureLabel(store, name).name);
    if (b.assignees !== undefined) issue.assignees = b.assignees;
    if (b.state !== undefined && b.state !== issue.state) {
      issue.state = b.state;
      issue.closed_at = b.state === 'closed' ? timestamp() : null;
      issue.state_reason = b.state === 'closed' ? (b.state_reason ?? 'completed') : 'reopened';
      const pull = store.pulls.find((p) => p.number === issue.number);
      if (pull) pull.state = b.state;
    } else if (b.state_reason !== undefined) {
      issue.state_reason = b.state_reason;
    }
    issue.updated_at = timestamp();
    return { status: 200, body: v.issue(issue) };
  },

  'issues/list-for-repo': (req, { store }, v) => {
    const state = req.query.get('state') ?? 'open';
    const wanted = (req.query.get('labels') ?? '')
      .split(',')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean);
    const creator = req.query.get('creator');
    const since = req.query.get('since');
    const sortKey = req.query.get('sort') ?? 'created';
    const matching = store.issues.filter(
      (i) =>
        (state === 'all' || i.state === state) &&
        wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)) &&
        (!creator || i.user.login === creator) &&
        (!since || i.updated_at >= since),
    );
    const key = (i: StoredIssue) =>
      sortKey === 'updated'
        ? i.updated_at
        : sortKey === 'comments'
          ? store.comments.filter((c) => c.issue_number === i.number).length
          : i.created_at;
    // Issues created within one second share a timestamp; the number keeps the order stable.
    const sorted = sortBy(
      sortBy(matching, (i) => i.number, req.query.get('direction')),
      key,
      req.query.get('direction'),
    );
    return listResponse(sorted, req, (i) => v.issue(i));
  },

  // GitHub's issue search, for the qualifiers a client uses to find its own earlier issue.
  'search/issues-and-pull-requests': (req, { store }, v) => {
    const q = req.query.get('q') ?? '';
    const tokens = [...q.matchAll(/(-?)(\w+):("[^"]*"|\S+)|"([^"]*)"|(\S+)/g)];
    let inFields = ['title', 'body'];
    const tests: ((i: StoredIssue) => boolean)[] = [];
    for (const [, negate, qualifier, rawValue, phrase, word] of tokens) {
      const value = (rawValue ?? '').replace(/^"|"$/g, '');
      let test: ((i: StoredIssue) => boolean) | undefined;
      if (qualifier) {
        switch (qualifier.toLowerCase()) {
          case 'repo':
            test = () => value.toLowerCase() === `${store.owner}/${store.repo}`.toLowerCase();
            break;
          case 'is':
          case 'type':
          case 'state':
            test = (i) =>
              value === 'issue'
                ? !i.is_pull_request
                : value === 'pr'
                  ? i.is_pull_request
                  : value === 'open' || value === 'closed'
                    ? i.state === value
                    : true;
            break;
          case 'label':
            test = (i) => i.labels.some((l) => l.toLowerCase() === value.toLowerCase());
            break;
          case 'author':
            test = (i) => i.user.login === value || (value === 'app/github-actions' && i.user.login === 'github-actions[bot]');
            break;
          case 'in':
            inFields = value.split(',');
            continue;
          default:
            throw new HttpError(
              422,
              errorBody(422, 'Validation Failed', {
                errors: [
                  {
                    resource: 'Search',
                    field: 'q',
                    code: 'invalid',
                    message: `qualifier ${qualifier}: is not supported by this emulator`,
                  },
                ],
              }),
            );
        }
        if (negate) {
          const positive = test;
          test = (i) => !positive(i);
        }
        tests.push(test);
      } else {
        const text = (phrase ?? word ?? '').toLowerCase();
        if (text)
          tests.push((i) =>
            inFields.some((f) => ((f === 'title' ? i.title : f === 'body' ? i.body : '') ?? '').toLowerCase().includes(text)),
          );
      }
    }
    const matching = sortBy(
      store.issues.filter((i) => tests.every((t) => t(i))),
      (i) => i.number,
      req.query.get('order') ?? 'desc',
    );
    const { page, headers } = paginate(matching, req);
    return {
      status: 200,
      body: { total_count: matching.length, incomplete_results: false, items: page.map((i) => ({ ...v.issue(i), score: 1 })) },
      headers,
    };
  },

  'issues/list-comments': (req, { store }, v) => {
    const issue = getIssue(store, req.params['issue_number']);
    const since = req.query.get('since');
    const comments = store.comments.filter((c) => c.issue_number === issue.number && (!since || c.updated_at >= since));
    return listResponse(comments, req, (c) => v.comment(c));
  },

  'issues/create-comment': (req, { store }, v) => {
    const issue = getIssue(store, req.params['issue_number']);
    checkBodyLength(req.body.body, 'IssueComment');
    const now = timestamp();
    const comment: StoredComment = {
      id: store.nextId(),
      issue_number: issue.number,
      body: req.body.body,
      user: ACTIONS_BOT,
      created_at: now,
      updated_at: now,
    };
    store.comments.push(comment);
    return { status: 201, body: v.comment(comment), headers: { location: `${v.repoApi}/issues/comments/${comment.id}` } };
  },

  'issues/get-comment': (req, { store }, v) => {
    const comment = store.comments.find((c) => c.id === Number(req.params['comment_id']));
    if (!comment) throw notFound();
    return { status: 200, body: v.comment(comment) };
  },

  'issues/update-comment': (req, { store }, v) => {
    const comment = store.comments.find((c) => c.id === Number(req.params['comment_id']));
    if (!comment) throw notFound();
    checkBodyLength(req.body.body, 'IssueComment');
    comment.body = req.body.body;
    comment.updated_at = timestamp();
    return { status: 200, body: v.comment(comment) };
  },

  'issues/delete-comment': (req, { store }) => {
    const index = store.comments.findIndex((c) => c.id === Number(req.params['comment_id']));
    if (index < 0) throw notFound();
    store.comments.splice(index, 1);
    return { status: 204 };
  },

  // ---- labels ----
  'issues/list-labels-for-repo': (req, { store }, v) => listResponse(store.labels, req, (l) => v.label(l)),

  'issues/get-label': (req, { store }, v) => {
    const label = findLabel(store, req.params['name'] ?? '');
    if (!label) throw notFound();
    return { status: 200, body: v.label(label) };
  },

  'issues/create-label': (req, { store }, v) => {
    const name = String(req.body.name);
    if (findLabel(store, name)) throw validationFailed('Label', 'name', 'already_exists');
    const color = String(req.body.color ?? 'ededed').replace(/^#/, '');
    if (!/^[0-9a-fA-F]{6}$/.test(color)) throw validationFailed('Label', 'color', 'invalid');
    const label: StoredLabel = { id: store.nextId(), name, color, description: req.body.description ?? null };
    store.labels.push(label);
    return { status: 201, body: v.label(label) };
  },

  'issues/list-labels-on-issue': (req, { store }, v) => {
    const issue = getIssue(store, req.params['issue_number']);
    return listResponse(issue.labels, req, (name) => v.label(findLabel(store, name) as StoredLabel));
  },

  'issues/add-labels': (req, { store }, v) => {
    const issue = getIssue(store, req.params['issue_number']);
    const body = req.body;
    const raw: unknown[] = Array.isArray(body)
      ? body
      : Array.isArray(body?.labels)
        ? body.labels
        : typeof body?.labels === 'string'
          ? [body.labels]
          : [];
    for (const name of labelNames(raw)) {
      const label = ensureLabel(store, name);
      if (!issue.labels.includes(label.name)) issue.labels.push(label.name);
    }
    issue.updated_at = timestamp();
    return { status: 200, body: issue.labels.map((name) => v.label(findLabel(store, name) as StoredLabel)) };
  },

  'issues/set-labels': (req, { store }, v) => {
    const issue = getIssue(store, req.params['issue_number']);
    const body = req.body;
    const raw: unknown[] = Array.isArray(body) ? body : Array.isArray(body?.labels) ? body.labels : [];
    issue.labels = labelNames(raw).map((name) => ensureLabel(store, name).name);
    issue.updated_at = timestamp();
    return { status: 200, body: issue.labels.map((name) => v.label(findLabel(store, name) as StoredLabel)) };
  },

  'issues/remove-label': (req, { store }, v) => {
    const issue = getIssue(store, req.params['issue_number']);
    const name = (req.params['name'] ?? '').toLowerCase();
    const before = issue.labels.length;
    issue.labels = issue.labels.filter((l) => l.toLowerCase() !== name);
    if (issue.labels.length === before) throw new HttpError(404, errorBody(404, 'Label does not exist'));
    return { status: 200, body: issue.labels.map((l) => v.label(findLabel(store, l) as StoredLabel)) };
  },

  // ---- pull requests ----
  'pulls/get': (req, { store }, v) => ({ status: 200, body: v.pull(getPull(store, req.params['pull_number'])) }),

  'pulls/list': (req, { store }, v) => {
    const state = req.query.get('state') ?? 'open';
    const head = req.query.get('head');
    const base = req.query.get('base');
    const pulls = store.pulls.filter(
      (p) =>
        (state === 'all' || p.state === state) &&
        (!head || head === `${store.owner}:${p.head.ref}`) &&
        (!base || p.base.ref === base),
    );
    return listResponse(
      sortBy(pulls, (p) => p.number, req.query.get('direction')),
      req,
      (p) => v.pull(p),
    );
  },

  'pulls/list-files': (req, { store }, v) => {
    const pull = getPull(store, req.params['pull_number']);
    return listResponse(pull.files, req, (f) => v.pullFile(pull, f));
  },

  'pulls/create': (req, ctx, v) => {
    const { store } = ctx;
    if (ctx.actionsToken && !store.actionsCanCreatePullRequests) {
      throw new HttpError(403, errorBody(403, 'GitHub Actions is not permitted to create or approve pull requests.'));
    }
    checkBodyLength(req.body.body, 'PullRequest');
    const headRef = String(req.body.head).replace(new RegExp(`^${store.owner}:`), '');
    const baseRef = String(req.body.base);
    const headSha = store.git.refs.get(`refs/heads/${headRef}`);
    const baseSha = store.git.refs.get(`refs/heads/${baseRef}`);
    if (!headSha) throw validationFailed('PullRequest', 'head', 'invalid');
    if (!baseSha) throw validationFailed('PullRequest', 'base', 'invalid');
    if (store.pulls.some((p) => p.state === 'open' && p.head.ref === headRef && p.base.ref === baseRef)) {
      throw validationFailed('PullRequest', 'head', 'custom', `A pull request already exists for ${store.owner}:${headRef}.`);
    }
    const files = diffCommits(store, baseSha, headSha);
    if (files.length === 0)
      throw validationFailed('PullRequest', 'head', 'custom', `No commits between ${baseRef} and ${headRef}`);
    const now = timestamp();
    const number = store.nextIssueNumber();
    const title = String(req.body.title ?? headRef);
    store.issues.push({
      number,
      id: store.nextId(),
      title,
      body: req.body.body ?? null,
      state: 'open',
      state_reason: null,
      labels: [],
      assignees: [],
      user: ACTIONS_BOT,
      created_at: now,
      updated_at: now,
      closed_at: null,
      is_pull_request: true,
    });
    const pull: StoredPull = {
      number,
      id: store.nextId(),
      title,
      body: req.body.body ?? null,
      state: 'open',
      draft: req.body.draft === true,
      base: { ref: baseRef, sha: baseSha },
      head: { ref: headRef, sha: headSha },
      files,
      user: ACTIONS_BOT,
      maintainer_can_modify: req.body.maintainer_can_modify ?? false,
      created_at: now,
      updated_at: now,
    };
    store.pulls.push(pull);
    return { status: 201, body: v.pull(pull), headers: { location: `${v.repoApi}/pulls/${number}` } };
  },

  'pulls/update': (req, { store }, v) => {
    const pull = getPull(store, req.params['pull_number']);
    const issue = getIssue(store, req.params['pull_number']);
    const b = req.body ?? {};
    checkBodyLength(b.body, 'PullRequest');
    if (b.title !== undefined) pull.title = issue.title = b.title;
    if (b.body !== undefined) pull.body = issue.body = b.body;
    if (b.state !== undefined) {
      pull.state = issue.state = b.state;
      issue.closed_at = b.state === 'closed' ? timestamp() : null;
    }
    pull.updated_at = issue.updated_at = timestamp();
    return { status: 200, body: v.pull(pull) };
  },

  'pulls/list-reviews': (req, { store }, v) => {
    const pull = getPull(store, req.params['pull_number']);
    return listResponse(
      store.reviews.filter((r) => r.pull_number === pull.number),
      req,
      (r) => v.review(r),
    );
  },

  'pulls/create-review': (req, ctx, v) => {
    const { store } = ctx;
    const pull = getPull(store, req.params['pull_number']);
    const b = req.body ?? {};
    if (b.event === 'APPROVE' && ctx.actionsToken) {
      throw unprocessable(['GitHub Actions is not permitted to approve pull requests.']);
    }
    if ((b.event === 'COMMENT' || b.event === 'REQUEST_CHANGES') && !b.body && !(b.comments?.length > 0)) {
      throw unprocessable([`Review Can not ${b.event === 'COMMENT' ? 'comment' : 'request changes'} without a body or comments`]);
    }
    checkBodyLength(b.body, 'PullRequestReview');
    const commitId: string = b.commit_id ?? pull.head.sha;
    if (!store.git.get(commitId, 'commit')) throw unprocessable(['Commit could not be resolved']);
    // Every inline comment must land in the diff, or the whole review is refused and nothing is stored.
    const placed: { comment: (typeof b.comments)[number]; hunk: string }[] = [];
    for (const comment of b.comments ?? []) {
      checkBodyLength(comment.body, 'PullRequestReviewComment');
      const file = pull.files.find((f) => f.filename === comment.path);
      if (!file) throw unprocessable([RANGE_ERRORS.path]);
      const parsed = parsePatch(file.patch);
      if (comment.line === undefined) {
        if (comment.position === undefined || comment.position < 1 || comment.position > parsed.positions) {
          throw unprocessable([comment.position === undefined ? RANGE_ERRORS.line : RANGE_ERRORS.position]);
        }
        placed.push({ comment, hunk: parsed.hunks.map((h) => h.lines.join('\n')).join('\n') });
        continue;
      }
      const side = comment.side === 'LEFT' ? 'LEFT' : 'RIGHT';
      const hunk = findHunk(parsed, comment.line, side);
      if (hunk < 0) throw unprocessable([RANGE_ERRORS.line]);
      if (comment.start_line !== undefined) {
        const startSide = comment.start_side === 'LEFT' ? 'LEFT' : comment.start_side === 'RIGHT' ? 'RIGHT' : side;
        if (comment.start_line >= comment.line && startSide === side)
          throw unprocessable(['start_line must precede the end line.']);
        if (findHunk(parsed, comment.start_line, startSide) !== hunk) throw unprocessable([RANGE_ERRORS.start]);
      }
      placed.push({ comment, hunk: parsed.hunks[hunk]?.lines.join('\n') ?? '' });
    }
    const now = timestamp();
    const review: StoredReview = {
      id: store.nextId(),
      pull_number: pull.number,
      user: ACTIONS_BOT,
      body: b.body ?? '',
      state:
        b.event === 'REQUEST_CHANGES'
          ? 'CHANGES_REQUESTED'
          : b.event === 'APPROVE'
            ? 'APPROVED'
            : b.event === 'COMMENT'
              ? 'COMMENTED'
              : 'PENDING',
      commit_id: commitId,
      submitted_at: b.event ? now : null,
    };
    store.reviews.push(review);
    for (const { comment } of placed) {
      store.reviewComments.push({
        id: store.nextId(),
        pull_number: pull.number,
        pull_request_review_id: review.id,
        path: comment.path,
        line: comment.line ?? null,
        side: comment.line !== undefined ? (comment.side === 'LEFT' ? 'LEFT' : 'RIGHT') : null,
        start_line: comment.start_line ?? null,
        start_side: comment.start_line !== undefined ? (comment.start_side ?? comment.side ?? 'RIGHT') : null,
        position: comment.position ?? null,
        body: comment.body,
        commit_id: commitId,
        user: ACTIONS_BOT,
        created_at: now,
      });
    }
    return { status: 200, body: v.review(review) };
  },

  'pulls/list-review-comments': (req, { store }, v) => {
    const pull = getPull(store, req.params['pull_number']);
    const comments = store.reviewComments.filter((c) => c.pull_number === pull.number);
    return listResponse(comments, req, (c) => {
      const parsed = parsePatch(pull.files.find((f) => f.filename === c.path)?.patch);
      const hunk = c.line !== null ? parsed.hunks[findHunk(parsed, c.line, c.side ?? 'RIGHT')] : undefined;
      return v.reviewComment(c, hunk?.lines.join('\n') ?? '');
    });
  },

  // ---- contents and git data ----
  'repos/get-content': (req, { store }, v) => {
    const ref = req.query.get('ref') ?? store.defaultBranch;
    const commit = store.git.resolveCommit(ref);
    if (!commit) throw new HttpError(404, errorBody(404, `No commit found for the ref ${ref}`));
    const path = (req.params['path'] ?? '').replace(/^\/+|\/+$/g, '');
    const entry = store.git.lookup(commit, path);
    if (!entry) throw notFound();
    const describe = (e: GitTreeEntry, fullPath: string) => {
      const encoded = fullPath.split('/').map(encodeURIComponent).join('/');
      const type = e.type === 'tree' ? 'dir' : e.type === 'commit' ? 'submodule' : 'file';
      const size = e.type === 'blob' ? (store.git.get(e.sha, 'blob')?.content.length ?? 0) : 0;
      const url = `${v.repoApi}/contents/${encoded}?ref=${encodeURIComponent(ref)}`;
      const gitUrl = `${v.repoApi}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`;
      const htmlUrl = `${v.repoHtml}/${e.type === 'tree' ? 'tree' : 'blob'}/${ref}/${encoded}`;
      return {
        type,
        size,
        name: fullPath.split('/').pop() ?? '',
        path: fullPath,
        sha: e.sha,
        url,
        git_url: gitUrl,
        html_url: htmlUrl,
        download_url: type === 'file' ? `https://raw.githubusercontent.com/${store.owner}/${store.repo}/${ref}/${encoded}` : null,
        _links: { self: url, git: gitUrl, html: htmlUrl },
      };
    };
    if (entry.type === 'tree') {
      const tree = store.git.get(entry.sha, 'tree');
      return { status: 200, body: (tree?.entries ?? []).map((e) => describe(e, path ? `${path}/${e.path}` : e.path)) };
    }
    const content = store.git.get(entry.sha, 'blob')?.content ?? Buffer.alloc(0);
    // GitHub wraps the base64 content at 60 characters.
    const base64 = (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n');
    return { status: 200, body: { ...describe(entry, path), content: base64 ? `${base64}\n` : '', encoding: 'base64' } };
  },

  'git/get-ref': (req, { store }, v) => {
    const name = `refs/${req.params['ref']}`;
    const sha = store.git.refs.get(name);
    if (!sha) throw notFound();
    return { status: 200, body: v.ref(name, sha) };
  },

  'git/list-matching-refs': (req, { store }, v) => {
    const prefix = `refs/${req.params['ref']}`;
    const refs = [...store.git.refs.entries()].filter(([name]) => name.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1));
    return { status: 200, body: refs.map(([name, sha]) => v.ref(name, sha)) };
  },

  'git/create-ref': (req, { store }, v) => {
    const name = String(req.body.ref);
    if (!/^refs\/[^/]+\/.+/.test(name) || name.split('/').length < 3) {
      throw new HttpError(422, errorBody(422, "Reference name must start with 'refs/' and have at least two slashes."));
    }
    if (store.git.refs.has(name)) throw new HttpError(422, errorBody(422, 'Reference already exists'));
    if (!store.git.objects.has(req.body.sha)) throw new HttpError(422, errorBody(422, 'Object does not exist'));
    store.git.refs.set(name, req.body.sha);
    return { status: 201, body: v.ref(name, req.body.sha), headers: { location: `${v.repoApi}/git/${name}` } };
  },

  'git/update-ref': (req, { store }, v) => {
    const name = `refs/${req.params['ref']}`;
    const current = store.git.refs.get(name);
    if (!current) throw new HttpError(422, errorBody(422, 'Reference does not exist'));
    const sha = String(req.body.sha);
    if (!store.git.get(sha, 'commit')) throw new HttpError(422, errorBody(422, 'Object does not exist'));
    if (!req.body.force && !store.git.isAncestor(current, sha))
      throw new HttpError(422, errorBody(422, 'Update is not a fast forward'));
    store.git.refs.set(name, sha);
    return { status: 200, body: v.ref(name, sha) };
  },

  'git/delete-ref': (req, { store }) => {
    const name = `refs/${req.params['ref']}`;
    if (!store.git.refs.delete(name)) throw new HttpError(422, errorBody(422, 'Reference does not exist'));
    return { status: 204 };
  },

  'git/create-blob': (req, { store }, v) => {
    const encoding = req.body.encoding ?? 'utf-8';
    if (encoding !== 'utf-8' && encoding !== 'base64')
      throw new HttpError(422, errorBody(422, `encoding must be utf-8 or base64`));
    const content = Buffer.from(String(req.body.content), encoding === 'base64' ? 'base64' : 'utf8');
    const sha = store.git.writeBlob(content);
    return {
      status: 201,
      body: { sha, url: `${v.repoApi}/git/blobs/${sha}` },
      headers: { location: `${v.repoApi}/git/blobs/${sha}` },
    };
  },

  'git/get-blob': (req, { store }, v) => {
    const sha = req.params['file_sha'] ?? '';
    const blob = store.git.get(sha, 'blob');
    if (!blob) throw notFound();
    return {
      status: 200,
      body: {
        sha,
        node_id: nodeId('Blob', sha),
        size: blob.content.length,
        url: `${v.repoApi}/git/blobs/${sha}`,
        content: blob.content.toString('base64'),
        encoding: 'base64',
      },
    };
  },

  'git/create-tree': (req, { store }, v) => {
    const { git } = store;
    let flat: FlatTree = new Map();
    if (req.body.base_tree) {
      if (!git.get(req.body.base_tree, 'tree'))
        throw new HttpError(422, errorBody(422, 'Invalid tree info', { errors: ['base_tree is not a valid tree oid'] }));
      flat = git.flatten(req.body.base_tree);
    }
    for (const entry of req.body.tree as { path: string; mode: string; type: string; sha?: string | null; content?: string }[]) {
      const path = entry.path.replace(/^\/+/, '');
      if (entry.content !== undefined && entry.sha !== undefined) {
        throw new HttpError(
          422,
          errorBody(422, 'Invalid tree info', { errors: [`tree.sha and tree.content cannot both be set (${path})`] }),
        );
      }
      if (entry.sha === null) {
        for (const key of [...flat.keys()]) if (key === path || key.startsWith(`${path}/`)) flat.delete(key);
        continue;
      }
      if (entry.type === 'tree') {
        if (!entry.sha || !git.get(entry.sha, 'tree'))
          throw new HttpError(422, errorBody(422, 'Invalid tree info', { errors: [`${path}: tree.sha is not a tree`] }));
        for (const key of [...flat.keys()]) if (key.startsWith(`${path}/`)) flat.delete(key);
        for (const [sub, e] of git.flatten(entry.sha)) flat.set(`${path}/${sub}`, e);
        continue;
      }
      const sha = entry.content !== undefined ? git.writeBlob(Buffer.from(entry.content)) : entry.sha;
      if (!sha || (entry.type === 'blob' && !git.get(sha, 'blob'))) {
        throw new HttpError(
          422,
          errorBody(422, 'Invalid tree info', { errors: [`${path}: tree.sha ${sha ?? ''} is not a valid blob`] }),
        );
      }
      flat.set(path, { mode: entry.mode, type: entry.type as GitTreeEntry['type'], sha });
    }
    const sha = git.buildTree(flat);
    return { status: 201, body: v.tree(sha, false), headers: { location: `${v.repoApi}/git/trees/${sha}` } };
  },

  'git/get-tree': (req, { store }, v) => {
    const sha = store.git.resolveCommit(req.params['tree_sha'] ?? '');
    const treeSha = sha ? (store.git.get(sha, 'commit')?.tree ?? '') : (req.params['tree_sha'] ?? '');
    const recursive = req.query.get('recursive');
    return {
      status: 200,
      body: v.tree(treeSha, recursive !== null && recursive !== '' && recursive !== '0' && recursive !== 'false'),
    };
  },

  'git/create-commit': (req, { store }, v) => {
    const { git } = store;
    if (!git.get(req.body.tree, 'tree')) throw new HttpError(422, errorBody(422, 'Tree SHA does not exist'));
    const parents: string[] = req.body.parents ?? [];
    for (const parent of parents)
      if (!git.get(parent, 'commit'))
        throw new HttpError(422, errorBody(422, 'Parent SHA does not exist or is not a commit object'));
    const now = timestamp();
    const sign = (s: { name?: string; email?: string; date?: string } | undefined) => ({
      name: s?.name ?? ACTIONS_BOT.login,
      email: s?.email ?? store.signature().email,
      date: s?.date ?? now,
    });
    const author = sign(req.body.author);
    const sha = git.writeCommit({
      tree: req.body.tree,
      parents,
      message: String(req.body.message),
      author,
      committer: req.body.committer ? sign(req.body.committer) : author,
    });
    return { status: 201, body: v.commit(sha), headers: { location: `${v.repoApi}/git/commits/${sha}` } };
  },

  'git/get-commit': (req, _ctx, v) => ({ status: 200, body: v.commit(req.params['commit_sha'] ?? '') }),

  // ---- code scanning ----
  'code-scanning/upload-sarif': (req, { store }, v) => {
    const encoded = String(req.body.sarif);
    const gzipped = Buffer.from(encoded, 'base64');
    // Buffer.from ignores stray characters; a round trip proves the text really was base64.
    if (gzipped.toString('base64').replace(/=+$/, '') !== encoded.replace(/\s/g, '').replace(/=+$/, '')) {
      throw new HttpError(400, errorBody(400, 'Invalid request.\n\nsarif: not valid base64'));
    }
    if (gzipped.length > 10 * 1024 * 1024) {
      throw new HttpError(413, errorBody(413, 'Payload Too Large: the gzipped SARIF file must be 10 MB or smaller'));
    }
    let sarif: unknown;
    try {
      sarif = JSON.parse(gunzipSync(gzipped).toString('utf8'));
    } catch (error) {
      throw new HttpError(
        400,
        errorBody(
          400,
          `Invalid request.\n\nsarif: must be gzip-compressed, then base64-encoded JSON (${(error as Error).message})`,
        ),
      );
    }
    const errors = checkSarif(sarif);
    const upload = {
      id: randomUUID(),
      commit_sha: req.body.commit_sha,
      ref: req.body.ref,
      tool_name: req.body.tool_name ?? null,
      checkout_uri: req.body.checkout_uri ?? null,
      sarif,
      processing_status: errors.length > 0 ? ('failed' as const) : ('complete' as const),
      errors: errors.length > 0 ? errors : null,
      received_at: timestamp(),
    };
    store.sarifUploads.push(upload);
    return { status: 202, body: { id: upload.id, url: `${v.repoApi}/code-scanning/sarifs/${upload.id}` } };
  },

  'code-scanning/get-sarif': (req, { store }, v) => {
    const upload = store.sarifUploads.find((u) => u.id === req.params['sarif_id']);
    if (!upload) throw notFound();
    return {
      status: 200,
      body: {
        processing_status: upload.processing_status,
        analyses_url:
          upload.processing_status === 'complete' ? `${v.repoApi}/code-scanning/analyses?sarif_id=${upload.id}` : null,
        errors: upload.errors,
      },
    };
  },

  // ---- actions artifacts ----
  'actions/list-artifacts-for-repo': (req, { store }, v) => {
    const name = req.query.get('name');
    const artifacts = sortBy(
      store.artifacts.filter((a) => a.finalized && (!name || a.name === name)),
      (a) => a.id,
      'desc',
    );
    const { page, headers } = paginate(artifacts, req);
    return { status: 200, body: { total_count: artifacts.length, artifacts: page.map((a) => v.artifact(a)) }, headers };
  },

  'actions/list-workflow-run-artifacts': (req, { store }, v) => {
    const name = req.query.get('name');
    const runId = Number(req.params['run_id']);
    const matching = store.artifacts.filter((a) => a.finalized && a.workflow_run_id === runId && (!name || a.name === name));
    const artifacts = sortBy(matching, (a) => a.id, req.query.get('direction') ?? 'desc');
    const { page, headers } = paginate(artifacts, req);
    return { status: 200, body: { total_count: artifacts.length, artifacts: page.map((a) => v.artifact(a)) }, headers };
  },

  'actions/get-artifact': (req, { store }, v) => {
    const artifact = store.artifacts.find((a) => a.finalized && a.id === Number(req.params['artifact_id']));
    if (!artifact) throw notFound();
    return { status: 200, body: v.artifact(artifact) };
  },

  'actions/download-artifact': (req, ctx) => {
    const artifact = ctx.store.artifacts.find((a) => a.finalized && a.id === Number(req.params['artifact_id']));
    if (!artifact) throw notFound();
    if (req.params['archive_format'] !== 'zip') throw notFound();
    if (Date.parse(artifact.expires_at) <= Date.now()) throw new HttpError(410, errorBody(410, 'Artifact has expired'));
    return { status: 302, headers: { location: ctx.signedDownloadUrl(artifact) } };
  },

  'actions/delete-artifact': (req, { store }) => {
    const index = store.artifacts.findIndex((a) => a.finalized && a.id === Number(req.params['artifact_id']));
    if (index < 0) throw notFound();
    const [artifact] = store.artifacts.splice(index, 1);
    if (artifact) store.blobs.delete(artifact.blob_key);
    return { status: 204 };
  },
};

/**
 * What GitHub's SARIF processing rejects after a 202: the wrong version, no runs, a run without a
 * tool name, or an artifact URI that is not a relative URI reference (a raw space, a backslash).
 */
function checkSarif(sarif: unknown): string[] {
  const errors: string[] = [];
  const log = sarif as { version?: unknown; runs?: unknown };
  if (!log || typeof log !== 'object') return ['SARIF log must be a JSON object'];
  if (log.version !== '2.1.0') errors.push(`unsupported SARIF version ${JSON.stringify(log.version)} (expected "2.1.0")`);
  if (!Array.isArray(log.runs)) return [...errors, 'SARIF log has no "runs" array'];
  log.runs.forEach((run: { tool?: { driver?: { name?: unknown } }; results?: unknown }, r) => {
    if (typeof run?.tool?.driver?.name !== 'string') errors.push(`runs[${r}].tool.driver.name is required`);
    if (run?.results !== undefined && !Array.isArray(run.results)) errors.push(`runs[${r}].results must be an array`);
    (Array.isArray(run?.results) ? run.results : []).forEach(
      (result: { message?: { text?: unknown; id?: unknown }; locations?: unknown }, i: number) => {
        if (typeof result?.message?.text !== 'string' && typeof result?.message?.id !== 'string')
          errors.push(`runs[${r}].results[${i}].message needs text or id`);
        for (const location of Array.isArray(result?.locations) ? result.locations : []) {
          const uri = (location as { physicalLocation?: { artifactLocation?: { uri?: unknown } } })?.physicalLocation
            ?.artifactLocation?.uri;
          if (uri !== undefined && (typeof uri !== 'string' || /[\s\\"<>^`{|}]/.test(uri))) {
            errors.push(`runs[${r}].results[${i}]: artifactLocation.uri ${JSON.stringify(uri)} is not a valid URI reference`);
          }
        }
      },
    );
  });
  return errors;
}

export { Views, SHA_PATTERN };
