import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  LockFileClaimer,
  readStateFile,
  requestsOmitted,
  writeStateFile
} from "./chunk-AS5QEM2J.js";
import "./chunk-VN6QSKR3.js";
import {
  StateUntrustedError,
  UnsignedStateError
} from "./chunk-7VYBZQJV.js";
import {
  ConfigError
} from "./chunk-7KZNXQQH.js";
import "./chunk-G22B7D6J.js";
import "./chunk-NINLAGOQ.js";

// src/state/file-store.ts
import { mkdir, readdir, rename, stat, copyFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
var FILE_LABEL = "file";
function shown(path) {
  return /[\u0000-\u001f\u007f-\u009f]/.test(path) ? JSON.stringify(path) : path;
}
async function writeAtomic(path, state, seal) {
  if (requestsOmitted(state)) throw new Error(`internal: a state read without its requests cannot be saved (${path})`);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeStateFile(temp, state, seal);
  await rename(temp, path);
}
async function exists(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
var FileStateStore = class {
  dir;
  file;
  resultsDir;
  seal;
  log;
  /** Claims of collect rounds: a lock file next to the state file (see claims.ts). */
  claimer;
  constructor(options) {
    this.dir = resolve(options.dir);
    this.file = options.file ? resolve(options.file) : void 0;
    this.resultsDir = resolve(options.resultsDir);
    this.seal = options.signer ? { signer: options.signer, label: FILE_LABEL } : void 0;
    this.log = options.log;
    this.claimer = new LockFileClaimer({ pathOf: (id, roundKey) => `${this.pathOf(id)}.${roundKey}.lock` });
  }
  pathOf(id) {
    return this.file ?? join(this.dir, `${id}.json`);
  }
  describe(id) {
    return id ? `state file ${this.pathOf(id)}` : this.file ? `state file ${this.file}` : `state directory ${this.dir}`;
  }
  async create(state) {
    if (this.file) {
      if (await exists(this.file)) {
        const previous = await readStateFile(this.file, this.file, { withRequests: () => false });
        if (!previous.collectedAt) {
          throw new Error(
            `${this.file} holds a submission that is not collected yet; collect it first or pass another --state file`
          );
        }
      }
      await writeAtomic(this.file, state, this.seal);
      return basename(this.file).replace(/\.json$/, "");
    }
    const stamp = state.createdAt.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    const base = `${state.task}-${stamp}-${state.headSha.slice(0, 7)}`;
    let id = base;
    for (let n = 2; await exists(this.pathOf(id)); n++) id = `${base}-${n}`;
    await writeAtomic(this.pathOf(id), state, this.seal);
    return id;
  }
  async update(id, state) {
    await writeAtomic(this.pathOf(id), state, this.seal);
  }
  async list(task, listOptions = {}) {
    const found = [];
    const options = {
      withRequests: (head) => (!task || head.task === task) && (listOptions.withRequests?.(head) ?? true)
    };
    if (this.file) {
      const state = await exists(this.file) ? await this.readTrusted(this.file, true, options) : null;
      if (state) found.push({ id: basename(this.file).replace(/\.json$/, ""), state });
    } else {
      let names = [];
      try {
        names = (await readdir(this.dir)).filter((n) => n.endsWith(".json")).sort();
      } catch {
        names = [];
      }
      for (const name of names) {
        if (listOptions.ids && !listOptions.ids.has(name.replace(/\.json$/, ""))) continue;
        const path = join(this.dir, name);
        const state = await this.readTrusted(path, false, options);
        if (state) found.push({ id: name.replace(/\.json$/, ""), state });
      }
    }
    return found.filter((s) => (!task || s.state.task === task) && !(listOptions.skipCollected && s.state.collectedAt)).sort((a, b) => a.state.createdAt.localeCompare(b.state.createdAt));
  }
  /**
   * A state file read with its signature checked in the same pass; null when it may not be used
   * (ignored, said in one warning). See the header for `named`.
   */
  async readTrusted(path, named, options) {
    try {
      return await readStateFile(path, path, options, this.seal);
    } catch (error) {
      if (!(error instanceof StateUntrustedError)) throw error;
      if (named && error instanceof UnsignedStateError) {
        this.log?.warning(
          `state file ${shown(path)} is not signed (saved before overnight signed its states): used because --state names it`
        );
        return await readStateFile(path, path, options);
      }
      if (named) {
        throw new ConfigError(
          `state file ${shown(path)} ${error.message}: refusing it; collect its batch with --batch-id instead`
        );
      }
      this.log?.warning(
        `state file ${shown(path)} ignored: it ${error.message}; if it is a submission of yours still waiting, collect its batch with --batch-id`
      );
      return null;
    }
  }
  async saveResults(id, roundKey, dir, files) {
    const target = join(this.resultsDir, id, roundKey);
    if (resolve(dir) === target) return target;
    await mkdir(target, { recursive: true });
    for (const file of files) await copyFile(join(dir, file), join(target, file));
    return target;
  }
};
export {
  FileStateStore
};
