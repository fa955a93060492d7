// The action's state store: workflow artifacts. Submit uploads `<state-name>-<task>-<run id>`; a
// collect (another workflow run) lists the repository's artifacts through the REST API and downloads
// them with findBy. Artifacts are immutable, so a collect records progress by uploading a revision
// `<state-name>-<task>-<origin run id>-r<run id>a<attempt>n<k>[c<tag>]`; the newest trusted revision of
// an origin wins, and a revision whose collectedAt is set (`c`, with a tag only a holder of the key
// can make) marks the submission as done for every later collect, which then does not even download it.
//
// Trust (README "Security"): an artifact is considered only when GitHub says a run of this repository's
// own code uploaded it (not a fork's pull_request run) and its name names that very run; it is used
// only when its signature (signing.ts) verifies. Anything else is ignored with one warning line, and
// the next older revision of the same submission is tried: a forged revision hides nothing.
import { DefaultArtifactClient, type ArtifactClient } from '@actions/artifact';
import { existsSync } from 'node:fs';
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
import { COLLECTED_TAG_LENGTH, sameHex, StateUntrustedError, UnsignedStateError, type StateSigner } from './signing.js';

const RECOVERY = 'if it is a submission of yours still waiting, collect its batch with batch-id';

/** What follows `<state-name>-<task>-` in a state artifact's name: `<origin>[-r<run>a<attempt>n<k>[c[<tag>]]]`. */
const NAME_REST = new RegExp(`^(\\d+)(?:-(r(\\d+)a\\d+n\\d+)(c([0-9a-f]{${COLLECTED_TAG_LENGTH}})?)?)?$`);

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
  /** Signs what is saved and checks what is read; null (no API key): no state can be trusted. */
  signer: StateSigner | null;
  client?: ArtifactClient;
  tempDir?: string;
}

interface ParsedName {
  task: TaskName;
  origin: string;
  revision: string | null;
  /** The run the name says uploaded it: the origin's for a submit, `r<run>` for a revision. */
  run: number;
  /** The revision was saved with collectedAt set (its name ends in `c`). */
  collected: boolean;
  /** The name without its collected tag (what the tag is made over). */
  untagged: string;
  tag: string | null;
}

/** What the REST API says about an artifact (the fields trust is decided on). */
export interface ListedArtifact {
  id: number;
  name: string;
  expired: boolean;
  created_at?: string | null;
  workflow_run?: {
    id?: number;
    repository_id?: number;
    head_repository_id?: number;
    head_branch?: string | null;
    head_sha?: string;
  } | null;
}

/**
 * Why GitHub's own record of an artifact's run rules it out, or null when a run of this repository
 * uploaded it and its name names that run (`namedRun`). Shared with the ledger (ledger-artifact.ts).
 */
export function untrustedRun(artifact: ListedArtifact, namedRun: number): string | null {
  const run = artifact.workflow_run;
  if (!run || typeof run.id !== 'number' || typeof run.repository_id !== 'number') {
    return 'GitHub names no workflow run of this repository for it';
  }
  if (run.head_repository_id !== run.repository_id) {
    return `run ${run.id} that uploaded it ran another repository's code (a fork's pull request)`;
  }
  if (namedRun !== run.id) return `its name says run ${namedRun} but run ${run.id} uploaded it`;
  return null;
}

export class ArtifactStateStore implements StateStore {
  private readonly client: ArtifactClient;
  private revisions = 0;
  /** Claims of collect rounds: git refs (see claims.ts). */
  readonly claimer: GitRefClaimer;
  /** Artifacts already warned about by this run (a collect lists twice: once, then after claiming). */
  private readonly warned = new Set<number>();

  constructor(private readonly options: ArtifactStoreOptions) {
    this.client = options.client ?? new DefaultArtifactClient();
    const { octokit, owner, repo, runId, runAttempt, log } = options;
    this.claimer = new GitRefClaimer({ octokit, owner, repo, runId, runAttempt, log });
  }

  /** Reads `<state-name>-<task>-<origin>[-r…[c<tag>]]`; null for other artifacts. */
  parseName(name: string): ParsedName | null {
    const prefix = `${this.options.stateName}-`;
    if (!name.startsWith(prefix)) return null;
    const rest = name.slice(prefix.length);
    for (const task of TASK_NAMES) {
      if (!rest.startsWith(`${task}-`)) continue;
      const match = NAME_REST.exec(rest.slice(task.length + 1));
      if (!match) continue;
      const tag = match[5] ?? null;
      return {
        task,
        origin: match[1]!,
        revision: match[2] ?? null,
        run: Number(match[3] ?? match[1]),
        collected: match[4] !== undefined,
        untagged: tag ? name.slice(0, -tag.length) : name,
        tag,
      };
    }
    return null;
  }

  /** Whether a `…c<tag>` name was made by a holder of the key: then it is known collected without reading it. */
  private provenCollected(parsed: ParsedName): boolean {
    const { signer } = this.options;
    return (
      parsed.collected && parsed.tag !== null && signer !== null && sameHex(parsed.tag, signer.collectedTag(parsed.untagged))
    );
  }

  /** One warning line for artifacts of one submission, each named once per run. */
  private ignore(artifacts: ListedArtifact[], why: string): void {
    const fresh = artifacts.filter((a) => !this.warned.has(a.id));
    if (fresh.length === 0) return;
    for (const artifact of fresh) this.warned.add(artifact.id);
    const names = fresh.map((a) => a.name).join(', ');
    this.options.log.warning(`state artifact${fresh.length > 1 ? 's' : ''} ${names} ignored: ${why}`);
  }

  describe(id?: string): string {
    return id ? `artifact ${this.options.stateName}-${id}` : `artifacts named ${this.options.stateName}-*`;
  }

  private async upload(name: string, state: RunState): Promise<void> {
    if (requestsOmitted(state)) throw new Error(`internal: a state read without its requests cannot be saved (${name})`);
    const { signer } = this.options;
    // Unreachable in practice: saving follows a paid call, which needs the key.
    if (!signer)
      throw new ConfigError(`anthropic-api-key: missing; a state (${name}) is signed with it and cannot be saved without it`);
    const dir = await mkdtemp(join(this.options.tempDir ?? tmpdir(), 'overnight-upload-'));
    try {
      const path = join(dir, 'state.json');
      await writeStateFile(path, state, { signer, label: name });
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
    // A collected revision says so in its name, with a tag only a holder of the key can make: later
    // collects skip it without downloading it.
    const name = `${this.options.stateName}-${id}-r${this.options.runId}a${this.options.runAttempt}n${this.revisions}`;
    const collected = state.collectedAt ? `${name}c` : null;
    await this.upload(collected ? `${collected}${this.options.signer?.collectedTag(collected) ?? ''}` : name, state);
  }

  async list(task?: TaskName, options: ListOptions = {}): Promise<StoredState[]> {
    const { octokit, owner, repo } = this.options;
    const artifacts = (await octokit
      .paginate(octokit.rest.actions.listArtifactsForRepo, { owner, repo, per_page: 100 })
      .catch((error: unknown) => {
        // Without `actions: read` the collect cannot see any submission: say which permission, once.
        if (httpStatus(error) !== 403) throw error;
        throw new ConfigError(
          `listing the state artifacts of ${owner}/${repo}: GitHub answered 403 (${(error as Error).message.split('\n')[0]}); the workflow needs \`permissions: actions: read\``,
        );
      })) as ListedArtifact[];
    // Every trusted revision per origin, newest first: one that fails its signature gives way to the one before.
    const byOrigin = new Map<string, { artifact: ListedArtifact; parsed: ParsedName }[]>();
    for (const artifact of artifacts) {
      const parsed = this.parseName(artifact.name);
      if (!parsed || (task && parsed.task !== task)) continue;
      const key = `${parsed.task}-${parsed.origin}`;
      if (options.ids && !options.ids.has(key)) continue;
      // Without a key nothing can be checked: the submissions are counted, nothing else is judged.
      const why = this.options.signer ? untrustedRun(artifact, parsed.run) : null;
      if (why) {
        this.ignore([artifact], why);
        continue;
      }
      const revisions = byOrigin.get(key);
      if (revisions) revisions.push({ artifact, parsed });
      else byOrigin.set(key, [{ artifact, parsed }]);
    }
    if (!this.options.signer) {
      if (byOrigin.size > 0) {
        this.options.log.warning(
          `${byOrigin.size} state artifact(s) ignored: without anthropic-api-key no state's signature can be checked`,
        );
      }
      return [];
    }
    const states: StoredState[] = [];
    for (const [key, candidates] of byOrigin) {
      candidates.sort((a, b) => b.artifact.id - a.artifact.id);
      // Said once per submission: after an upgrade, every revision of a night saved before signing is unsigned.
      const unsigned: ListedArtifact[] = [];
      // A `…c` name without its tag: collected before states were signed (a signed collected revision
      // always carries its tag), or forged. It cannot verify, so it is not downloaded; the revisions
      // before it are still tried (an unsigned name proves nothing, so it hides nothing).
      let collectedUnsigned: ListedArtifact | null = null;
      for (const { artifact, parsed } of candidates) {
        const collected = this.provenCollected(parsed);
        // A collected submission has nothing left to lose, expired or not.
        if (collected && (options.skipCollected || artifact.expired)) break;
        if (artifact.expired) {
          this.options.log.warning(
            `state artifact ${artifact.name} has expired (retention-days); collect its batch with batch-id if it is not collected yet`,
          );
          break;
        }
        if (parsed.collected && parsed.tag === null) {
          unsigned.push(artifact);
          collectedUnsigned ??= artifact;
          continue;
        }
        try {
          states.push({ id: key, state: await this.download(artifact, options) });
          break;
        } catch (error) {
          if (!(error instanceof StateUntrustedError)) throw error;
          if (error instanceof UnsignedStateError) unsigned.push(artifact);
          else this.ignore([artifact], `it ${error.message}; ${RECOVERY}`);
        }
      }
      const none = unsigned.length > 1 ? 'none is signed' : 'it is not signed';
      this.ignore(
        unsigned,
        collectedUnsigned
          ? `${none}; ${collectedUnsigned.name} says the submission was collected before states were signed: nothing to do if so, else collect its batch with batch-id`
          : `${none}; ${RECOVERY}`,
      );
    }
    return states.sort((a, b) => a.state.createdAt.localeCompare(b.state.createdAt));
  }

  private async download(artifact: ListedArtifact, options: ListOptions): Promise<RunState> {
    const dir = await mkdtemp(join(this.options.tempDir ?? tmpdir(), 'overnight-state-'));
    const { owner, repo, token } = this.options;
    try {
      await this.client.downloadArtifact(artifact.id, {
        path: dir,
        findBy: { token, workflowRunId: artifact.workflow_run!.id!, repositoryOwner: owner, repositoryName: repo },
      });
      const path = join(dir, 'state.json');
      if (!existsSync(path)) throw new StateUntrustedError('holds no state.json');
      // Its signature is checked as it is read: nothing in it is used unless it verifies.
      return await readStateFile(path, `artifact ${artifact.name}`, options, {
        signer: this.options.signer!,
        label: artifact.name,
      });
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
