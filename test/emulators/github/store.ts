// The emulator's one in-memory store: plain data the REST API, the artifact service and tests share.
import { createHash } from 'node:crypto';
import { GitDatabase, SHA_PATTERN, type GitSignature } from './git.js';

export interface StoredUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

/** The identity a workflow's GITHUB_TOKEN acts as. */
export const ACTIONS_BOT: StoredUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
export const SEED_USER: StoredUser = { login: 'octocat', id: 583231, type: 'User' };

export interface StoredLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface StoredIssue {
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | 'reopened' | 'duplicate' | null;
  /** Label names, as attached. */
  labels: string[];
  assignees: string[];
  user: StoredUser;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** True for the issue half of a pull request (GitHub lists those among issues). */
  is_pull_request: boolean;
}

export interface StoredComment {
  id: number;
  issue_number: number;
  body: string;
  user: StoredUser;
  created_at: string;
  updated_at: string;
}

export interface StoredCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: string | null;
  details_url: string | null;
  external_id: string | null;
  started_at: string;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** How many times the run was updated (PATCH), so tests see an update in place. */
  updates: number;
}

export interface StoredCommitStatus {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  target_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface StoredPullFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  patch?: string;
  additions?: number;
  deletions?: number;
  previous_filename?: string;
}

export interface StoredPull {
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  files: StoredPullFile[];
  user: StoredUser;
  maintainer_can_modify: boolean;
  created_at: string;
  updated_at: string;
}

export interface StoredReview {
  id: number;
  pull_number: number;
  user: StoredUser;
  body: string;
  state: 'PENDING' | 'COMMENTED' | 'CHANGES_REQUESTED' | 'APPROVED';
  commit_id: string;
  submitted_at: string | null;
}

export interface StoredReviewComment {
  id: number;
  pull_number: number;
  pull_request_review_id: number;
  path: string;
  line: number | null;
  side: 'LEFT' | 'RIGHT' | null;
  start_line: number | null;
  start_side: 'LEFT' | 'RIGHT' | null;
  position: number | null;
  body: string;
  commit_id: string;
  user: StoredUser;
  created_at: string;
}

export interface StoredSarifUpload {
  id: string;
  commit_sha: string;
  ref: string;
  tool_name: string | null;
  checkout_uri: string | null;
  /** The decoded (gunzipped, parsed) SARIF log. */
  sarif: unknown;
  processing_status: 'complete' | 'failed';
  errors: string[] | null;
  received_at: string;
}

export interface StoredArtifact {
  id: number;
  name: string;
  workflow_run_id: number;
  workflow_run_backend_id: string;
  workflow_job_run_backend_id: string;
  /** Key of the blob in `blobs`. */
  blob_key: string;
  size_in_bytes: number;
  /** 'sha256:<hex>' as the uploader reported it at finalize time. */
  digest: string | null;
  finalized: boolean;
  created_at: string;
  updated_at: string;
  expires_at: string;
}

/** The repository's id in REST answers, and the id of "a fork" for runs of a fork's pull request. */
export const REPOSITORY_ID = 123456789;
export const FORK_REPOSITORY_ID = 987654321;

/** A workflow run, as GET /actions/runs/{id} and each artifact's `workflow_run` describe it. */
export interface StoredWorkflowRun {
  id: number;
  status: 'in_progress' | 'completed';
  /** schedule, push, pull_request, pull_request_target, workflow_dispatch, ... */
  event: string;
  head_branch: string | null;
  head_sha: string;
  /** The repository whose code ran: this one, or a fork (a fork's pull_request run). */
  head_repository_id: number;
  /** The workflow file. */
  path: string;
}

/** What a test says about a run (the rest defaults to a scheduled run of this repository's default branch). */
export type SeedWorkflowRun = Partial<Omit<StoredWorkflowRun, 'id' | 'status'>> & { fromFork?: boolean };

export interface StoredBlob {
  /** Staged, uncommitted blocks by block id. */
  blocks: Map<string, Buffer>;
  /** The committed content, once a block list or single-shot upload committed it. */
  content: Buffer | null;
  content_type: string | null;
}

export interface SeedPullRequest {
  number: number;
  title?: string;
  body?: string;
  draft?: boolean;
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  files: StoredPullFile[];
}

export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class GitHubStore {
  readonly issues: StoredIssue[] = [];
  readonly comments: StoredComment[] = [];
  readonly labels: StoredLabel[] = [];
  readonly pulls: StoredPull[] = [];
  readonly reviews: StoredReview[] = [];
  readonly reviewComments: StoredReviewComment[] = [];
  readonly sarifUploads: StoredSarifUpload[] = [];
  /** Check runs and commit statuses (checks.ts). */
  readonly checkRuns: StoredCheckRun[] = [];
  readonly commitStatuses: StoredCommitStatus[] = [];
  readonly artifacts: StoredArtifact[] = [];
  readonly blobs = new Map<string, StoredBlob>();
  readonly workflowRuns = new Map<number, StoredWorkflowRun>();
  readonly git = new GitDatabase();
  /** Repository setting "Allow GitHub Actions to create and approve pull requests" (off by default). */
  actionsCanCreatePullRequests = false;
  private lastId = 1_000_000;

  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly defaultBranch: string,
    headSha?: string,
  ) {
    const initial = this.git.writeCommit(
      {
        tree: this.git.buildTree(new Map()),
        parents: [],
        message: 'Initial commit',
        author: this.signature(),
        committer: this.signature(),
      },
      headSha,
    );
    this.git.refs.set(`refs/heads/${defaultBranch}`, initial);
  }

  /** Registers run `id` (in progress) unless it is known; `seed` says what kind of run it is. */
  registerRun(id: number, seed: SeedWorkflowRun = {}): StoredWorkflowRun {
    const known = this.workflowRuns.get(id);
    if (known) return known;
    const { fromFork, ...fields } = seed;
    const run: StoredWorkflowRun = {
      id,
      status: 'in_progress',
      event: 'schedule',
      head_branch: this.defaultBranch,
      head_sha: this.git.refs.get(`refs/heads/${this.defaultBranch}`) ?? '0'.repeat(40),
      head_repository_id: fromFork ? FORK_REPOSITORY_ID : REPOSITORY_ID,
      path: '.github/workflows/overnight.yml',
      ...fields,
    };
    this.workflowRuns.set(id, run);
    return run;
  }

  nextId(): number {
    return ++this.lastId;
  }

  nextIssueNumber(): number {
    return this.issues.reduce((max, issue) => Math.max(max, issue.number), 0) + 1;
  }

  signature(): GitSignature {
    return { name: ACTIONS_BOT.login, email: '41898282+github-actions[bot]@users.noreply.github.com', date: timestamp() };
  }

  /**
   * Commits `content` at `path` on a branch (moving it; a new branch starts from the default branch)
   * or into the commit a test named by SHA (created on first use, so a seeded pull request's base and
   * head SHAs can carry files).
   */
  seedFile(refOrSha: string, path: string, content: string | Buffer): string {
    const blob = this.git.writeBlob(Buffer.isBuffer(content) ? content : Buffer.from(content));
    if (SHA_PATTERN.test(refOrSha)) {
      const existing = this.git.get(refOrSha, 'commit');
      const flat = existing ? this.git.flatten(existing.tree) : new Map();
      flat.set(path, { mode: '100644', type: 'blob', sha: blob });
      this.git.writeCommit(
        {
          tree: this.git.buildTree(flat),
          parents: existing?.parents ?? [],
          message: existing?.message ?? `Seed ${path}`,
          author: existing?.author ?? this.signature(),
          committer: existing?.committer ?? this.signature(),
        },
        refOrSha,
      );
      return refOrSha;
    }
    const ref = `refs/heads/${refOrSha.replace(/^refs\/heads\//, '')}`;
    const parent = this.git.refs.get(ref) ?? (this.git.refs.get(`refs/heads/${this.defaultBranch}`) as string);
    const flat = this.git.flatten((this.git.get(parent, 'commit') as { tree: string }).tree);
    flat.set(path, { mode: '100644', type: 'blob', sha: blob });
    const commit = this.git.writeCommit({
      tree: this.git.buildTree(flat),
      parents: [parent],
      message: `Add ${path}`,
      author: this.signature(),
      committer: this.signature(),
    });
    this.git.refs.set(ref, commit);
    return commit;
  }

  /** Points a branch at a SHA, creating an (empty-tree) commit under that SHA if it is unknown. */
  private seedBranch(branch: string, sha: string, parent?: string): void {
    if (!this.git.get(sha, 'commit')) {
      const parentTree = parent ? this.git.get(parent, 'commit')?.tree : undefined;
      this.git.writeCommit(
        {
          tree: parentTree ?? this.git.buildTree(new Map()),
          parents: parent ? [parent] : [],
          message: `Seeded ${branch}`,
          author: this.signature(),
          committer: this.signature(),
        },
        sha,
      );
    }
    this.git.refs.set(`refs/heads/${branch}`, sha);
  }

  seedPullRequest(seed: SeedPullRequest): StoredPull {
    if (this.issues.some((i) => i.number === seed.number)) {
      throw new Error(`seedPullRequest: number ${seed.number} is already an issue or pull request`);
    }
    const defaultHead = this.git.refs.get(`refs/heads/${this.defaultBranch}`);
    this.seedBranch(seed.base.ref, seed.base.sha, seed.base.ref === this.defaultBranch ? undefined : defaultHead);
    this.seedBranch(seed.head.ref, seed.head.sha, seed.base.sha);
    const now = timestamp();
    const title = seed.title ?? `Pull request #${seed.number}`;
    this.issues.push({
      number: seed.number,
      id: this.nextId(),
      title,
      body: seed.body ?? null,
      state: 'open',
      state_reason: null,
      labels: [],
      assignees: [],
      user: SEED_USER,
      created_at: now,
      updated_at: now,
      closed_at: null,
      is_pull_request: true,
    });
    const pull: StoredPull = {
      number: seed.number,
      id: this.nextId(),
      title,
      body: seed.body ?? null,
      state: 'open',
      draft: seed.draft ?? false,
      base: { ...seed.base },
      head: { ...seed.head },
      files: seed.files.map((f) => ({ ...f })),
      user: SEED_USER,
      maintainer_can_modify: false,
      created_at: now,
      updated_at: now,
    };
    this.pulls.push(pull);
    return pull;
  }

  /** A stable pseudo-UUID, e.g. the backend id the runner's token carries for a workflow run. */
  static uuidFor(seed: string): string {
    const hex = createHash('sha256').update(seed).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}
