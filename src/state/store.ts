// Where submit leaves its state for a later collect. Two stores: a local file (CLI) and a workflow
// artifact (action). Both keep every revision so that nothing paid for is lost if a run dies half-way.
import type { TaskName } from '../types.js';
import type { RunState } from './state.js';
import type { RoundClaimer } from './claims.js';

export interface StoredState {
  /** Stable id of the submission (survives revisions): used in report markers. */
  id: string;
  state: RunState;
}

export interface StateStore {
  /** Where states live, for messages ("artifact overnight-state-…", "file .overnight/…"). */
  describe(id?: string): string;
  /** Saves a new submission; returns its id. */
  create(state: RunState): Promise<string>;
  /** Saves a new revision of a submission (batches added, published, collected). */
  update(id: string, state: RunState): Promise<void>;
  /** Latest revision of every submission, oldest first; `task` filters. */
  list(task?: TaskName, options?: ListOptions): Promise<StoredState[]>;
  /** Saves a collect round's result files (JSONL, Markdown, JSON, patches) before anything is posted. */
  saveResults(id: string, roundKey: string, dir: string, files: string[]): Promise<string>;
  /**
   * Claims collect rounds so that two collects never publish one round (claims.ts). Both of
   * overnight's stores have one; a store without it (a library user's) relies on the caller alone.
   */
  readonly claimer?: RoundClaimer;
}

export interface ListOptions {
  /**
   * Called with each state before its requests are read; false leaves them out (the state's
   * `requests` is then empty and the stores refuse to save it back). A collect reads the requests of
   * the states it collects, not those of every night still in retention.
   */
  withRequests?: (head: RunState) => boolean;
  /**
   * Leave out submissions whose newest revision is collected (`collectedAt` set): an artifact store
   * knows them by name and does not download them at all. For the hourly collect, which needs only
   * what is still open; not for a check made after claiming, which must see a collect that finished.
   */
  skipCollected?: boolean;
  /** Only these submissions (by id); the others are neither downloaded nor read. */
  ids?: ReadonlySet<string>;
}

export class StateFormatError extends Error {
  override name = 'StateFormatError';
}

/** Parses and checks a state document; the message names what is wrong and where. */
export function parseState(text: string, where: string): RunState {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new StateFormatError(`${where} is not a JSON state document; was it written by overnight submit?`);
  }
  const state = doc as Partial<RunState>;
  if (!state || typeof state !== 'object' || state.tool !== 'overnight') {
    throw new StateFormatError(`${where} is not an overnight state document`);
  }
  if (state.version !== 1) {
    throw new StateFormatError(
      `${where} has state version ${String(state.version)}; this overnight reads version 1: upgrade overnight`,
    );
  }
  if (!Array.isArray(state.batches) || typeof state.requests !== 'object' || !state.task) {
    throw new StateFormatError(`${where} is missing batches, requests or task`);
  }
  return state as RunState;
}
