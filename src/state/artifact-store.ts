// The action's state store: workflow artifacts. Submit uploads `<state-name>-<task>-<run id>`; a
// collect (another workflow run) lists the repository's artifacts through the REST API and downloads
// them with findBy. Artifacts are immutable, so a collect records progress by uploading a revision
// `<state-name>-<task>-<origin run id>-r<run id>a<attempt>n<k>[c]`; the newest revision of an origin
// wins, and a revision whose collectedAt is set (`c`) marks the submission as done for every later
// collect, which then does not even download it.
import { DefaultArtifactClient, type ArtifactClient } from '@actions/artifact';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { TASK_NAMES, type Logger, type TaskName } from '../types.js';
import type { RunState } from './state.js';
import { readStateFile, requestsOmitted, writeStateFile } from './document.js';
import type { ListOptions, StateStore, StoredState } from './store.js';
import { ConfigError } from '../errors.js';
import { GitRefClaimer } from './claims.js';
import { httpStatus } from '../github/errors.js';

export interface ArtifactStoreOptions {
  octokit: Octokit;
  token: string;
  owner: string;
  repo: string;
  /** This workflow run. */
  runId: number;
  runAttempt: number;
  stateName: string;
  retentionDays: number;
  log: Logger;
  client?: ArtifactClient;
  tempDir?: string;
}

interface ParsedName {
  task: TaskName;
  origin: string;
  revision: string | null;
  /** The revision was saved with collectedAt set (its name ends in `c`). */
  collected: boolean;
}

export class ArtifactStateStore implements StateStore {
  private readonly client: ArtifactClient;
  private revisions = 0;
  /** Claims of collect rounds: git refs (see claims.ts). */
  readonly claimer: GitRefClaimer;

  constructor(private readonly options: ArtifactStoreOptions) {
    this.client = options.client ?? new DefaultArtifactClient();
    const { octokit, owner, repo, runId, runAttempt, log } = options;
    this.claimer = new GitRefClaimer({ octokit, owner, repo, runId, runAttempt, log });
  }

  /** Reads `<state-name>-<task>-<origin>[-r…]`; null for other artifacts. */
  parseName(name: string): ParsedName | null {
    const prefix = `${this.options.stateName}-`;
    if (!name.startsWith(prefix)) return null;
    const rest = name.slice(prefix.length);
    for (const task of TASK_NAMES) {
      if (!rest.startsWith(`${task}-`)) continue;
      const match = /^(\d+)(?:-(r\d+a\d+n\d+)(c?))?$/.exec(rest.slice(task.length + 1));
      if (match) return { task, origin: match[1]!, revision: match[2] ?? null, collected: match[3] === 'c' };
    }
    return null;
  }

  describe(id?: string): string {
    return id ? `artifact ${this.options.stateName}-${id}` : `artifacts named ${this.options.stateName}-*`;
  }

  private async upload(name: string, state: RunState): Promise<void> {
    if (requestsOmitted(state)) throw new Error(`internal: a state read without its requests cannot be saved (${name})`);
    const dir = await mkdtemp(join(this.options.tempDir ?? tmpdir(), 'overnight-upload-'));
    try {
      const path = join(dir, 'state.json');
      await writeStateFile(path, state);
      await this.client.uploadArtifact(name, [path], dir, { retentionDays: this.options.retentionDays });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async create(state: RunState): Promise<string> {
    const id = `${state.task}-${this.options.runId}`;
    await this.upload(`${this.options.stateName}-${id}`, state);
    return id;
  }

  async update(id: string, state: RunState): Promise<void> {
    this.revisions += 1;
    // A collected revision says so in its name: later collects skip it without downloading it.
    const name = `${this.options.stateName}-${id}-r${this.options.runId}a${this.options.runAttempt}n${this.revisions}${state.collectedAt ? 'c' : ''}`;
    await this.upload(name, state);
  }

  async list(task?: TaskName, options: ListOptions = {}): Promise<StoredState[]> {
    const { octokit, owner, repo } = this.options;
    type Listed = {
      id: number;
      name: string;
      expired: boolean;
      created_at?: string | null;
      workflow_run?: { id?: number } | null;
    };
    const artifacts = (await octokit
      .paginate(octokit.rest.actions.listArtifactsForRepo, { owner, repo, per_page: 100 })
      .catch((error: unknown) => {
        // Without `actions: read` the collect cannot see any submission: say which permission, once.
        if (httpStatus(error) !== 403) throw error;
        throw new ConfigError(
          `listing the state artifacts of ${owner}/${repo}: GitHub answered 403 (${(error as Error).message.split('\n')[0]}); the workflow needs \`permissions: actions: read\``,
        );
      })) as Listed[];
    // Newest revision per origin: a later collect's revision supersedes the submit's upload.
    const newest = new Map<string, { artifact: Listed; parsed: ParsedName }>();
    for (const artifact of artifacts) {
      const parsed = this.parseName(artifact.name);
      if (!parsed || (task && parsed.task !== task)) continue;
      const key = `${parsed.task}-${parsed.origin}`;
      const seen = newest.get(key);
      if (!seen || artifact.id > seen.artifact.id) newest.set(key, { artifact, parsed });
    }
    const states: StoredState[] = [];
    for (const [key, { artifact, parsed }] of newest) {
      if ((parsed.collected && options.skipCollected) || (options.ids && !options.ids.has(key))) continue;
      if (artifact.expired) {
        // A collected submission has nothing left to lose.
        if (parsed.collected) continue;
        this.options.log.warning(
          `state artifact ${artifact.name} has expired (retention-days); collect its batch with batch-id if it is not collected yet`,
        );
        continue;
      }
      const state = await this.download(
        artifact.id,
        artifact.workflow_run?.id ?? Number(key.split('-').pop()),
        artifact.name,
        options,
      );
      states.push({ id: key, state });
    }
    return states.sort((a, b) => a.state.createdAt.localeCompare(b.state.createdAt));
  }

  private async download(artifactId: number, workflowRunId: number, name: string, options: ListOptions): Promise<RunState> {
    const dir = await mkdtemp(join(this.options.tempDir ?? tmpdir(), 'overnight-state-'));
    const { owner, repo, token } = this.options;
    try {
      await this.client.downloadArtifact(artifactId, {
        path: dir,
        findBy: { token, workflowRunId, repositoryOwner: owner, repositoryName: repo },
      });
      return await readStateFile(join(dir, 'state.json'), `artifact ${name}`, options);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async saveResults(id: string, roundKey: string, dir: string, files: string[]): Promise<string> {
    const name = `overnight-results-${id}-${roundKey}-r${this.options.runId}a${this.options.runAttempt}`;
    await mkdir(dir, { recursive: true });
    await this.client.uploadArtifact(
      name,
      files.map((f) => join(dir, f)),
      dir,
      { retentionDays: Math.max(this.options.retentionDays, 30) },
    );
    return name;
  }
}
