// The CLI's state store: JSON files in a directory (default .overnight/states), or one named file.
// Writes go to a temporary file renamed into place, so a crash never leaves half a state.
//
// Trust (README "Security"): with an API key, states are signed (signing.ts) and a state file whose
// signature does not verify is ignored with a warning: a directory of states can come with a cloned
// repository (a committed .overnight/states/) as easily as from an earlier submit. `--state FILE` is
// the user naming one file: an unsigned one (saved before states were signed) is used, with a warning;
// one whose signature fails is refused. Without a key nothing is paid for or sent, and states are read
// as they are.
import { mkdir, readdir, rename, stat, copyFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Logger, TaskName } from '../types.js';
import type { RunState } from './state.js';
import { readStateFile, requestsOmitted, writeStateFile, type StateSeal } from './document.js';
import type { ListOptions, StateStore, StoredState } from './store.js';
import { LockFileClaimer } from './claims.js';
import { StateUntrustedError, UnsignedStateError, type StateSigner } from './signing.js';
import { ConfigError } from '../errors.js';

/** A state file's signature binds it to no name: state files are renamed and copied by hand. */
const FILE_LABEL = 'file';

/** A path as a warning shows it: quoted and escaped when it holds control characters (a cloned repository names these files). */
function shown(path: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f]/.test(path) ? JSON.stringify(path) : path;
}

async function writeAtomic(path: string, state: RunState, seal: StateSeal | undefined): Promise<void> {
  if (requestsOmitted(state)) throw new Error(`internal: a state read without its requests cannot be saved (${path})`);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeStateFile(temp, state, seal);
  await rename(temp, path);
}

/** Whether a readable state file is there (without reading tens of megabytes to find out). */
async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export interface FileStoreOptions {
  /** Directory of state files (used when `file` is not given). */
  dir: string;
  /** One explicit state file (--state FILE). */
  file?: string | undefined;
  /** Where collect rounds' results are copied. */
  resultsDir: string;
  /** Signs what is saved and checks what is read (set when an API key is); null: states are read as they are. */
  signer?: StateSigner | null;
  /** Where a state that fails its check is named. */
  log?: Logger;
}

export class FileStateStore implements StateStore {
  private readonly dir: string;
  private readonly file: string | undefined;
  private readonly resultsDir: string;
  private readonly seal: StateSeal | undefined;
  private readonly log: Logger | undefined;
  /** Claims of collect rounds: a lock file next to the state file (see claims.ts). */
  readonly claimer: LockFileClaimer;

  constructor(options: FileStoreOptions) {
    this.dir = resolve(options.dir);
    this.file = options.file ? resolve(options.file) : undefined;
    this.resultsDir = resolve(options.resultsDir);
    this.seal = options.signer ? { signer: options.signer, label: FILE_LABEL } : undefined;
    this.log = options.log;
    // `<state>.json.<round>.lock`: list() reads *.json only, so a lock is never taken for a state.
    this.claimer = new LockFileClaimer({ pathOf: (id, roundKey) => `${this.pathOf(id)}.${roundKey}.lock` });
  }

  private pathOf(id: string): string {
    return this.file ?? join(this.dir, `${id}.json`);
  }

  describe(id?: string): string {
    return id ? `state file ${this.pathOf(id)}` : this.file ? `state file ${this.file}` : `state directory ${this.dir}`;
  }

  async create(state: RunState): Promise<string> {
    if (this.file) {
      if (await exists(this.file)) {
        const previous = await readStateFile(this.file, this.file, { withRequests: () => false });
        if (!previous.collectedAt) {
          throw new Error(
            `${this.file} holds a submission that is not collected yet; collect it first or pass another --state file`,
          );
        }
      }
      await writeAtomic(this.file, state, this.seal);
      return basename(this.file).replace(/\.json$/, '');
    }
    const stamp = state.createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const base = `${state.task}-${stamp}-${state.headSha.slice(0, 7)}`;
    // Two submits of one commit within a second must not overwrite each other's batch ids.
    let id = base;
    for (let n = 2; await exists(this.pathOf(id)); n++) id = `${base}-${n}`;
    await writeAtomic(this.pathOf(id), state, this.seal);
    return id;
  }

  async update(id: string, state: RunState): Promise<void> {
    await writeAtomic(this.pathOf(id), state, this.seal);
  }

  async list(task?: TaskName, listOptions: ListOptions = {}): Promise<StoredState[]> {
    const found: StoredState[] = [];
    // Another task's requests are never needed.
    const options: ListOptions = {
      withRequests: (head) => (!task || head.task === task) && (listOptions.withRequests?.(head) ?? true),
    };
    if (this.file) {
      const state = (await exists(this.file)) ? await this.readTrusted(this.file, true, options) : null;
      if (state) found.push({ id: basename(this.file).replace(/\.json$/, ''), state });
    } else {
      let names: string[] = [];
      try {
        names = (await readdir(this.dir)).filter((n) => n.endsWith('.json')).sort();
      } catch {
        names = [];
      }
      for (const name of names) {
        if (listOptions.ids && !listOptions.ids.has(name.replace(/\.json$/, ''))) continue;
        const path = join(this.dir, name);
        const state = await this.readTrusted(path, false, options);
        if (state) found.push({ id: name.replace(/\.json$/, ''), state });
      }
    }
    return found
      .filter((s) => (!task || s.state.task === task) && !(listOptions.skipCollected && s.state.collectedAt))
      .sort((a, b) => a.state.createdAt.localeCompare(b.state.createdAt));
  }

  /**
   * A state file read with its signature checked in the same pass; null when it may not be used
   * (ignored, said in one warning). See the header for `named`.
   */
  private async readTrusted(path: string, named: boolean, options: ListOptions): Promise<RunState | null> {
    try {
      return await readStateFile(path, path, options, this.seal);
    } catch (error) {
      if (!(error instanceof StateUntrustedError)) throw error;
      if (named && error instanceof UnsignedStateError) {
        this.log?.warning(
          `state file ${shown(path)} is not signed (saved before overnight signed its states): used because --state names it`,
        );
        return await readStateFile(path, path, options);
      }
      if (named) {
        throw new ConfigError(
          `state file ${shown(path)} ${error.message}: refusing it; collect its batch with --batch-id instead`,
        );
      }
      this.log?.warning(
        `state file ${shown(path)} ignored: it ${error.message}; if it is a submission of yours still waiting, collect its batch with --batch-id`,
      );
      return null;
    }
  }

  async saveResults(id: string, roundKey: string, dir: string, files: string[]): Promise<string> {
    const target = join(this.resultsDir, id, roundKey);
    if (resolve(dir) === target) return target;
    await mkdir(target, { recursive: true });
    for (const file of files) await copyFile(join(dir, file), join(target, file));
    return target;
  }
}
