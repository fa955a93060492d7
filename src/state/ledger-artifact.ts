// The action's ledger (ledger.ts): workflow artifacts `<state-name>-ledger-r<run>a<attempt>n<k>`, one
// uploaded per change, each holding the whole ledger; the newest one that a run of this repository
// uploaded under its own name (artifact-store.ts's rule) and whose signature verifies wins. A forged or
// unreadable one is ignored with one warning and the one before it is tried, so a fork's run can
// neither spend the month nor hide what was spent. Kept at least 35 days, so the current month's
// ledger outlives a state's retention-days (GitHub clamps it to the repository's maximum).
import { DefaultArtifactClient, type ArtifactClient } from '@actions/artifact';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { untrustedRun, type ArtifactStoreOptions, type ListedArtifact } from './artifact-store.js';
import { emptyLedger, openLedger, sealLedger, withEntry, type Ledger, type LedgerEntry, type LedgerStore } from './ledger.js';

/** Days a ledger artifact is kept at least (a month and a few days of slack). */
export const LEDGER_RETENTION_DAYS = 35;

/** The same store options as the states': the ledger travels with them, under the same token and signer. */
export type ArtifactLedgerOptions = ArtifactStoreOptions;

export class ArtifactLedgerStore implements LedgerStore {
  private readonly client: ArtifactClient;
  private revisions = 0;
  /** The ledger as this run last read or wrote it: a run adds to what it read, without listing again. */
  private latest: Ledger | null = null;

  constructor(private readonly options: ArtifactLedgerOptions) {
    this.client = options.client ?? new DefaultArtifactClient();
  }

  private get prefix(): string {
    return `${this.options.stateName}-ledger-`;
  }

  describe(): string {
    return `ledger artifacts ${this.prefix}*`;
  }

  async read(): Promise<Ledger> {
    if (this.latest) return this.latest;
    const { octokit, owner, repo, signer, log } = this.options;
    if (!signer) return emptyLedger();
    const listed = (await octokit.paginate(octokit.rest.actions.listArtifactsForRepo, {
      owner,
      repo,
      per_page: 100,
    })) as ListedArtifact[];
    const candidates = listed
      .map((artifact) => ({
        artifact,
        run: artifact.name.startsWith(this.prefix) ? /^r(\d+)a\d+n\d+$/.exec(artifact.name.slice(this.prefix.length)) : null,
      }))
      .filter((c): c is { artifact: ListedArtifact; run: RegExpExecArray } => c.run !== null && !c.artifact.expired)
      .sort((a, b) => b.artifact.id - a.artifact.id);
    for (const { artifact, run } of candidates) {
      const why = untrustedRun(artifact, Number(run[1])) ?? (await this.open(artifact));
      if (typeof why !== 'string') {
        this.latest = why;
        return why;
      }
      log.warning(`ledger artifact ${artifact.name} ignored: ${why}`);
    }
    this.latest = emptyLedger();
    return this.latest;
  }

  /** The ledger an artifact holds, or why it cannot be believed. */
  private async open(artifact: ListedArtifact): Promise<Ledger | string> {
    const { owner, repo, token } = this.options;
    const dir = await mkdtemp(join(this.options.tempDir ?? tmpdir(), 'overnight-ledger-'));
    try {
      await this.client.downloadArtifact(artifact.id, {
        path: dir,
        findBy: { token, workflowRunId: artifact.workflow_run!.id!, repositoryOwner: owner, repositoryName: repo },
      });
      const text = await readFile(join(dir, 'ledger.json'), 'utf8').catch(() => null);
      if (text === null) return 'it holds no ledger.json';
      const opened = openLedger(text, this.options.signer!, artifact.name);
      return typeof opened === 'string' ? `it ${opened}` : opened;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async add(entry: LedgerEntry): Promise<Ledger> {
    const ledger = withEntry(await this.read(), entry);
    const { signer, runId, runAttempt, retentionDays } = this.options;
    if (!signer) return ledger;
    this.revisions += 1;
    const name = `${this.prefix}r${runId}a${runAttempt}n${this.revisions}`;
    const dir = await mkdtemp(join(this.options.tempDir ?? tmpdir(), 'overnight-ledger-'));
    try {
      const path = join(dir, 'ledger.json');
      await writeFile(path, sealLedger(ledger, signer, name));
      await this.client.uploadArtifact(name, [path], dir, {
        retentionDays: Math.max(retentionDays, LEDGER_RETENTION_DAYS),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    this.latest = ledger;
    return ledger;
  }
}
