// The CLI's state store: JSON files in a directory (default .overnight/states), or one named file.
// Writes go to a temporary file renamed into place, so a crash never leaves half a state.
import { mkdir, readdir, rename, stat, copyFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { TaskName } from '../types.js';
import type { RunState } from './state.js';
import { readStateFile, requestsOmitted, writeStateFile } from './document.js';
import type { ListOptions, StateStore, StoredState } from './store.js';
import { LockFileClaimer } from './claims.js';

async function writeAtomic(path: string, state: RunState): Promise<void> {
  if (requestsOmitted(state)) throw new Error(`internal: a state read without its requests cannot be saved (${path})`);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeStateFile(temp, state);
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
}

export class FileStateStore implements StateStore {
  private readonly dir: string;
  private readonly file: string | undefined;
  private readonly resultsDir: string;
  /** Claims of collect rounds: a lock file next to the state file (see claims.ts). */
  readonly claimer: LockFileClaimer;

  constructor(options: FileStoreOptions) {
    this.dir = resolve(options.dir);
    this.file = options.file ? resolve(options.file) : undefined;
    this.resultsDir = resolve(options.resultsDir);
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
      await writeAtomic(this.file, state);
      return basename(this.file).replace(/\.json$/, '');
    }
    const stamp = state.createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const base = `${state.task}-${stamp}-${state.headSha.slice(0, 7)}`;
    // Two submits of one commit within a second must not overwrite each other's batch ids.
    let id = base;
    for (let n = 2; await exists(this.pathOf(id)); n++) id = `${base}-${n}`;
    await writeAtomic(this.pathOf(id), state);
    return id;
  }

  async update(id: string, state: RunState): Promise<void> {
    await writeAtomic(this.pathOf(id), state);
  }

  async list(task?: TaskName, listOptions: ListOptions = {}): Promise<StoredState[]> {
    const found: StoredState[] = [];
    // Another task's requests are never needed.
    const options: ListOptions = {
      withRequests: (head) => (!task || head.task === task) && (listOptions.withRequests?.(head) ?? true),
    };
    if (this.file) {
      if (await exists(this.file)) {
        found.push({
          id: basename(this.file).replace(/\.json$/, ''),
          state: await readStateFile(this.file, this.file, options),
        });
      }
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
        found.push({ id: name.replace(/\.json$/, ''), state: await readStateFile(path, path, options) });
      }
    }
    return found
      .filter((s) => (!task || s.state.task === task) && !(listOptions.skipCollected && s.state.collectedAt))
      .sort((a, b) => a.state.createdAt.localeCompare(b.state.createdAt));
  }

  async saveResults(id: string, roundKey: string, dir: string, files: string[]): Promise<string> {
    const target = join(this.resultsDir, id, roundKey);
    if (resolve(dir) === target) return target;
    await mkdir(target, { recursive: true });
    for (const file of files) await copyFile(join(dir, file), join(target, file));
    return target;
  }
}
