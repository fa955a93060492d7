// Claims: which collect publishes a round. Two collects that reach the same submission at once (two
// workflows, a manual dispatch next to the schedule, two terminals) would otherwise both stream its
// results, both resubmit its failures (paid twice) and both post its reports before either can see the
// other's markers. The workflow's `concurrency` group is the first line of defence; a claim is the
// second, for whatever runs outside that group.
//
// Why a claim and not "re-check the markers right before each post": two collects in lock-step both
// check, both find nothing, both post. Only an atomic test-and-set closes that window:
// - the action: a git ref `refs/overnight/claims/<state>-<round>` created through the Git Data API.
//   POST /git/refs answers 422 when the ref exists, atomically, on GitHub's side. The ref points at a
//   commit whose message says who holds it (run, attempt, when). Refs under refs/overnight/ are not
//   branches: nobody sees them in the UI, and no workflow triggers on them.
// - the CLI: a lock file next to the state file, opened with 'wx' (O_CREAT|O_EXCL).
//
// A crashed claimer must not block forever. A claim is taken over when it is ours (the same run: a
// re-run attempt starts only after the previous attempt ended), when its holder has
// ended (the Actions API says the run completed; the CLI's process is gone from this host), or when
// it is older than CLAIM_TTL_MS whatever its holder says. The takeover of a git ref is itself atomic:
// the new claim commit has the stale one as parent and the ref is moved without `force`, so GitHub
// accepts only a fast-forward from exactly the claim we judged stale; of two takers one wins.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import type { Octokit } from '@octokit/rest';
import type { Logger } from '../types.js';
import { httpStatus } from '../github/errors.js';

/** Past this age a claim is taken over even when its holder still looks alive (a hung run). */
export const CLAIM_TTL_MS = 60 * 60_000;

/** Who holds a claim, as written into it. */
export interface ClaimHolder {
  /** "run 1234 (attempt 1)" or "pid 42 on host-a". */
  label: string;
  claimedAt: string;
}

export interface RoundClaim {
  /** Gives the claim up (after the round's state revision is saved). Never throws. */
  release(): Promise<void>;
}

export type ClaimResult =
  | {
      claimed: true;
      claim: RoundClaim;
      /** One line worth logging: a takeover, or why nothing guards this round. */ note?: string;
    }
  | { claimed: false; holder: ClaimHolder };

export interface RoundClaimer {
  /** Claims `<stateId>-<roundKey>` for this collect, or says who holds it. */
  claim(stateId: string, roundKey: string): Promise<ClaimResult>;
}

const NO_CLAIM: RoundClaim = { release: async () => undefined };

function ageText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 1 ? 'less than a minute' : minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** Ref names allow much, but not everything a state id might hold. */
function refSafe(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/^[.-]+|[.]+$/g, '') || 'state'
  );
}

// ---------------------------------------------------------------------------------------------
// The action: git refs
// ---------------------------------------------------------------------------------------------

export interface GitRefClaimerOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  runId: number;
  runAttempt: number;
  log: Logger;
  now?: () => Date;
  ttlMs?: number;
}

interface RefHolder {
  run: number;
  attempt: number;
  claimedAt: string;
}

const CLAIM_MESSAGE = 'overnight collect claim';
const CLAIM_FILE = 'claim';
const CLAIM_FILE_CONTENT = `${CLAIM_MESSAGE}: the holder is in the commit message\n`;

/** Git's object id of `content` as a `type` object (sha1 of "<type> <length>\0<content>"). */
function gitObjectId(type: 'blob' | 'tree', content: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]))
    .digest('hex');
}

/**
 * The one tree every claim commit points at: always the same content, so its id is known without
 * asking, and it is written once per repository. Each write to GitHub is spaced a second apart
 * (github/octokit.ts): a claim costs two writes (commit, ref) and its release one.
 */
const CLAIM_TREE = (() => {
  const blob = gitObjectId('blob', Buffer.from(CLAIM_FILE_CONTENT));
  return gitObjectId('tree', Buffer.concat([Buffer.from(`100644 ${CLAIM_FILE}\0`), Buffer.from(blob, 'hex')]));
})();

export class GitRefClaimer implements RoundClaimer {
  private readonly now: () => Date;
  private readonly ttlMs: number;
  private tree: string | null = null;

  constructor(private readonly options: GitRefClaimerOptions) {
    this.now = options.now ?? (() => new Date());
    this.ttlMs = options.ttlMs ?? CLAIM_TTL_MS;
  }

  private async claimTree(): Promise<string> {
    if (this.tree) return this.tree;
    const { octokit, owner, repo } = this.options;
    try {
      await octokit.rest.git.getTree({ owner, repo, tree_sha: CLAIM_TREE });
      this.tree = CLAIM_TREE;
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
      const created = await octokit.rest.git.createTree({
        owner,
        repo,
        tree: [{ path: CLAIM_FILE, mode: '100644', type: 'blob', content: CLAIM_FILE_CONTENT }],
      });
      this.tree = created.data.sha;
    }
    return this.tree;
  }

  /** `overnight/claims/<state>-<round>` (without the leading refs/, as the REST paths take it). */
  static refName(stateId: string, roundKey: string): string {
    return `overnight/claims/${refSafe(stateId)}-${refSafe(roundKey)}`;
  }

  private label(holder: RefHolder): string {
    return `run ${holder.run} (attempt ${holder.attempt})`;
  }

  /** A parentless (or stale-parented) commit that says who claims. */
  private async claimCommit(parents: string[]): Promise<string> {
    const { octokit, owner, repo, runId, runAttempt } = this.options;
    const holder: RefHolder = { run: runId, attempt: runAttempt, claimedAt: this.now().toISOString() };
    const text = JSON.stringify(holder);
    const commit = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: `${CLAIM_MESSAGE}\n\n${text}\n`,
      tree: await this.claimTree(),
      parents,
    });
    return commit.data.sha;
  }

  private async readHolder(sha: string): Promise<{ holder: RefHolder | null; at: Date }> {
    const { octokit, owner, repo } = this.options;
    const commit = await octokit.rest.git.getCommit({ owner, repo, commit_sha: sha });
    const at = new Date(commit.data.committer?.date ?? commit.data.author?.date ?? 0);
    try {
      const parsed = JSON.parse(commit.data.message.slice(commit.data.message.indexOf('{'))) as Partial<RefHolder>;
      if (typeof parsed.run === 'number' && typeof parsed.attempt === 'number' && typeof parsed.claimedAt === 'string') {
        return { holder: parsed as RefHolder, at: new Date(parsed.claimedAt) };
      }
    } catch {
      // Not ours to read: judged by its age alone.
    }
    return { holder: null, at };
  }

  /** Whether the run that holds a claim has ended (true), is still going (false), or cannot be told (null). */
  private async holderEnded(run: number): Promise<boolean | null> {
    const { octokit, owner, repo } = this.options;
    try {
      const response = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: run });
      return response.data.status === 'completed';
    } catch (error) {
      // A run that no longer exists has certainly ended; without `actions: read` we cannot tell.
      if (httpStatus(error) === 404) return true;
      this.options.log.debug(`claim: could not read run ${run}: ${(error as Error).message}`);
      return null;
    }
  }

  private held(ref: string, sha: string): RoundClaim {
    const { octokit, owner, repo, log } = this.options;
    return {
      // Octokit logs failed requests at debug level (src/github/octokit.ts): the 404s and 422s this
      // protocol expects never become error annotations.
      release: async () => {
        try {
          // Only our own claim: one taken over from us after a long stall belongs to its new holder.
          // (GitHub's delete has no compare-and-swap; the read narrows the window to one request.)
          const current = await octokit.rest.git.getRef({ owner, repo, ref });
          if (current.data.object.sha !== sha) return;
          await octokit.rest.git.deleteRef({ owner, repo, ref });
        } catch (error) {
          // Gone already (taken over after a long stall): nothing to give up. A claim left behind is
          // inert: the round it names is recorded in the state, and the ref is taken over if ever needed.
          log.debug(`claim: could not delete refs/${ref}: ${(error as Error).message}`);
        }
      },
    };
  }

  claim(stateId: string, roundKey: string): Promise<ClaimResult> {
    return this.contest(stateId, roundKey);
  }

  private async contest(stateId: string, roundKey: string): Promise<ClaimResult> {
    const { octokit, owner, repo, runId } = this.options;
    const ref = GitRefClaimer.refName(stateId, roundKey);
    let fresh: string;
    try {
      fresh = await this.claimCommit([]);
    } catch (error) {
      const status = httpStatus(error);
      if (status !== 403 && status !== 404) throw error;
      // Without `contents: write` the claim cannot be written: the concurrency group stays the guard.
      return {
        claimed: true,
        claim: NO_CLAIM,
        note: `no claim on this round (GitHub answered ${status} to writing refs/${ref}; it needs \`contents: write\`): the workflow's concurrency group is what keeps two collects apart`,
      };
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await octokit.rest.git.createRef({ owner, repo, ref: `refs/${ref}`, sha: fresh });
        return { claimed: true, claim: this.held(ref, fresh) };
      } catch (error) {
        if (httpStatus(error) !== 422) throw error;
      }
      // Someone holds it: read who, and whether that someone is gone.
      let current: string;
      try {
        current = (await octokit.rest.git.getRef({ owner, repo, ref })).data.object.sha;
      } catch (error) {
        if (httpStatus(error) === 404) continue; // Released meanwhile: try again.
        throw error;
      }
      const { holder, at } = await this.readHolder(current);
      const age = this.now().getTime() - at.getTime();
      const label = holder ? this.label(holder) : 'an unknown holder';
      let why: string | null = null;
      if (holder && holder.run === runId) why = `it was this run's own (${label})`;
      else if (age > this.ttlMs) why = `${label} took it ${ageText(age)} ago`;
      else if (holder && (await this.holderEnded(holder.run))) why = `${label} has ended without releasing it`;
      if (!why) return { claimed: false, holder: { label, claimedAt: at.toISOString() } };
      // Take over atomically: a fast-forward from exactly the stale claim, or nothing.
      const takeover = await this.claimCommit([current]);
      try {
        await octokit.rest.git.updateRef({ owner, repo, ref, sha: takeover, force: false });
        return { claimed: true, claim: this.held(ref, takeover), note: `took over the claim on this round: ${why}` };
      } catch (error) {
        const status = httpStatus(error);
        if (status !== 422) throw error;
        // Moved since we read it (another taker won) or deleted (released): look again.
      }
    }
    const current = await octokit.rest.git.getRef({ owner, repo, ref }).catch(() => null);
    const { holder, at } = current ? await this.readHolder(current.data.object.sha) : { holder: null, at: this.now() };
    return { claimed: false, holder: { label: holder ? this.label(holder) : 'another collect', claimedAt: at.toISOString() } };
  }
}

// ---------------------------------------------------------------------------------------------
// The CLI: lock files
// ---------------------------------------------------------------------------------------------

interface LockHolder {
  pid: number;
  host: string;
  claimedAt: string;
}

export interface LockFileClaimerOptions {
  /** The lock file of a round. */
  pathOf: (stateId: string, roundKey: string) => string;
  now?: () => Date;
  ttlMs?: number;
  /** This process (tests pass another to play a second collect). */
  pid?: number;
  host?: string;
  /** Whether a process of this host is alive (default: signal 0). */
  isAlive?: (pid: number) => boolean;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class LockFileClaimer implements RoundClaimer {
  private readonly now: () => Date;
  private readonly ttlMs: number;
  private readonly pid: number;
  private readonly host: string;
  private readonly isAlive: (pid: number) => boolean;

  constructor(private readonly options: LockFileClaimerOptions) {
    this.now = options.now ?? (() => new Date());
    this.ttlMs = options.ttlMs ?? CLAIM_TTL_MS;
    this.pid = options.pid ?? process.pid;
    this.host = options.host ?? hostname();
    this.isAlive = options.isAlive ?? processAlive;
  }

  private label(holder: LockHolder): string {
    return `pid ${holder.pid} on ${holder.host}`;
  }

  private async create(path: string): Promise<string | null> {
    const text = JSON.stringify({ pid: this.pid, host: this.host, claimedAt: this.now().toISOString() } satisfies LockHolder);
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(text);
      } finally {
        await handle.close();
      }
      return text;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
      throw error;
    }
  }

  private releaser(path: string, text: string): RoundClaim {
    return {
      release: async () => {
        // Only our own lock: one taken over from us after a stall belongs to its new holder.
        const now = await readFile(path, 'utf8').catch(() => null);
        if (now === text) await unlink(path).catch(() => undefined);
      },
    };
  }

  async claim(stateId: string, roundKey: string): Promise<ClaimResult> {
    const path = this.options.pathOf(stateId, roundKey);
    let note: string | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const mine = await this.create(path);
      if (mine !== null) return { claimed: true, claim: this.releaser(path, mine), ...(note ? { note } : {}) };
      let text: string;
      let modified: Date;
      try {
        text = await readFile(path, 'utf8');
        modified = (await stat(path)).mtime;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // Released meanwhile.
        throw error;
      }
      let holder: LockHolder | null = null;
      try {
        const parsed = JSON.parse(text) as Partial<LockHolder>;
        if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.claimedAt === 'string') {
          holder = parsed as LockHolder;
        }
      } catch {
        // Half-written by a process killed between open and write: judged by its age.
      }
      const at = holder ? new Date(holder.claimedAt) : modified;
      const age = this.now().getTime() - at.getTime();
      const label = holder ? this.label(holder) : `an unreadable lock ${path}`;
      let why: string | null = null;
      // A lock of this very process is another collect running in it (a library user): it holds.
      if (holder && holder.host === this.host && holder.pid !== this.pid && !this.isAlive(holder.pid)) {
        why = `${label} is no longer running`;
      }
      if (!why && age > this.ttlMs) why = `${label} took it ${ageText(age)} ago`;
      if (!why) return { claimed: false, holder: { label, claimedAt: at.toISOString() } };
      // Remove the stale lock only if it is still the one we judged (re-read just before), then race
      // for it with 'wx' again: whoever creates it first holds it.
      const again = await readFile(path, 'utf8').catch(() => null);
      if (again === text) await unlink(path).catch(() => undefined);
      note = `took over the lock ${path}: ${why}`;
    }
    return { claimed: false, holder: { label: 'another collect', claimedAt: this.now().toISOString() } };
  }
}
