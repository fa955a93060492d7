// The state as a file, written and read without ever holding it as one string. A night of 100,000
// requests is ~40 MB of JSON: read whole, it sits in memory as text and as objects at once, and the
// text is promoted garbage the moment the parse ends. The layout is still one JSON document (any JSON
// tool reads it), laid out so that it can be read a line at a time:
//
//   {"version":1,"tool":"overnight",...,"requests":{
//   "<custom id>":{...},
//   "<custom id>":{...}
//   }}
//
// `requests` comes last, one request per line. States written otherwise (indented, one line, another
// key order: earlier versions, or a hand-edited file) are read whole, as before.
//
// A signed state (signing.ts) ends with `},"signature":"hmac-sha256:<hex>"}` instead of `}}`: the HMAC
// of every line before it, so the document stays one JSON object and is still written in one pass.
import type { Hmac } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { readLines } from '../io/lines.js';
import type { RequestRecord } from '../types.js';
import type { RunState } from './state.js';
import { parseState, StateFormatError, type ListOptions } from './store.js';
import { sameHex, StateUntrustedError, UnsignedStateError, type StateSigner } from './signing.js';

const REQUESTS_OPEN = '"requests":{';
const REQUESTS_CLOSE = '}}';
const SIGNED_CLOSE = /^\},"signature":"hmac-sha256:([0-9a-f]{64})"\}$/;

/** Who signs or checks a state, and the name it is saved under (bound into the signature). */
export interface StateSeal {
  signer: StateSigner;
  label: string;
}

/** The state document, a few hundred lines at a time (for fs.writeFile, which takes an iterable). */
export function* serialiseState(state: RunState, seal?: StateSeal): Generator<string> {
  const mac = seal?.signer.documentMac(seal.label);
  const emit = (text: string): string => {
    mac?.update(text);
    return text;
  };
  const { requests, ...rest } = state;
  const head = JSON.stringify(rest);
  yield emit(`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}${REQUESTS_OPEN}\n`);
  let chunk: string[] = [];
  let first = true;
  for (const customId in requests) {
    if (!Object.prototype.hasOwnProperty.call(requests, customId)) continue;
    chunk.push(`${first ? '' : ',\n'}${JSON.stringify(customId)}:${JSON.stringify(requests[customId])}`);
    first = false;
    if (chunk.length >= 500) {
      yield emit(chunk.join(''));
      chunk = [];
    }
  }
  yield emit(`${chunk.join('')}${first ? '' : '\n'}`);
  yield mac ? `},"signature":"hmac-sha256:${mac.digest('hex')}"}\n` : `${REQUESTS_CLOSE}\n`;
}

/** Writes `state` to `path`, signed when `seal` is given (not atomically: callers that need it write a temporary file and rename). */
export async function writeStateFile(path: string, state: RunState, seal?: StateSeal): Promise<void> {
  await writeFile(path, serialiseState(state, seal));
}

/**
 * A state file's signature, checked line by line as the file is read: every line before the closing
 * one goes through the HMAC. `end` throws StateUntrustedError (UnsignedStateError for a state saved
 * without a signature, by an earlier overnight or by hand) naming why.
 */
class SignatureCheck {
  private readonly mac: Hmac;
  private signature: string | null = null;
  private unsignedClose = false;
  private lineCount = 0;

  constructor(seal: StateSeal) {
    this.mac = seal.signer.documentMac(seal.label);
  }

  line(line: string): void {
    this.lineCount += 1;
    if (this.signature !== null || this.unsignedClose) {
      if (line.trim() === '') return;
      throw new StateUntrustedError('has text after its end');
    }
    const match = this.lineCount > 1 ? SIGNED_CLOSE.exec(line) : null;
    if (match) this.signature = match[1]!;
    else if (this.lineCount > 1 && line === REQUESTS_CLOSE) this.unsignedClose = true;
    else this.mac.update(`${line}\n`);
  }

  end(): void {
    if (this.signature === null) throw new UnsignedStateError('is not signed');
    if (!sameHex(this.signature, this.mac.digest('hex'))) {
      throw new StateUntrustedError(
        'has a signature that does not match its content and name (altered, copied, or signed with another API key)',
      );
    }
  }
}

/** A state read with its requests left out (ListOptions.withRequests). */
export const REQUESTS_OMITTED: unique symbol = Symbol('requests omitted');
export type PartialState = RunState & { [REQUESTS_OMITTED]?: true };

/** Whether a state was read without its requests. */
export function requestsOmitted(state: RunState): boolean {
  return (state as PartialState)[REQUESTS_OMITTED] === true;
}

/**
 * The same strings appear in many records (the batch id in all of a batch's, a part label, a path as
 * both a value and a key): one copy of each instead of one per record (~10 MB at 100,000 requests).
 */
class Interner {
  private readonly seen = new Map<string, string>();
  of(text: string): string {
    const known = this.seen.get(text);
    if (known !== undefined) return known;
    this.seen.set(text, text);
    return text;
  }
}

function compact(record: RequestRecord, strings: Interner): RequestRecord {
  if (record.batchId) record.batchId = strings.of(record.batchId);
  if (record.part) record.part = strings.of(record.part);
  if (Array.isArray(record.paths)) record.paths = record.paths.map((p) => strings.of(p));
  // By the record's own paths, not for...in: enumerating gives each object's hidden class an enum
  // cache, and these objects, keyed by a path, mostly have a hidden class of their own (~6 MB at 100,000).
  const hashes = record.contentHashes;
  if (hashes && typeof hashes === 'object' && Array.isArray(record.paths)) {
    for (const path of record.paths) {
      const hash = hashes[path];
      if (typeof hash === 'string') hashes[path] = strings.of(hash);
    }
  }
  return record;
}

/** `"<custom id>":{...}` as `["<custom id>",{...}]`: parsed as an object, each line's unique key would give V8 one more hidden class (100,000 of them, ~20 MB). */
const ENTRY_KEY = /^("(?:[^"\\]|\\.)*"):/;

/**
 * Reads and checks a state file; `where` names it in messages. With `seal`, its signature is checked in
 * the same pass (one read of the file, not two): nothing read is returned unless it verifies, and a
 * state that fails it throws StateUntrustedError even when it is also damaged (the signature decides
 * first, as a separate check before reading would).
 */
export async function readStateFile(path: string, where: string, options: ListOptions = {}, seal?: StateSeal): Promise<RunState> {
  const check = seal ? new SignatureCheck(seal) : null;
  const lines = readLines(path);
  // A damaged line of a sealed state is said only once the signature is known to hold.
  let damaged: StateFormatError | null = null;
  let head: string | null = null;
  let state: RunState | null = null;
  /** Lines of a state not laid out a request per line: read whole (its requests come with it). */
  let whole: string[] | null = null;
  let omitted = false;
  let closed = false;
  const strings = new Interner();
  try {
    for await (const line of lines) {
      check?.line(line);
      if (damaged) continue;
      try {
        if (head === null) {
          head = line;
          if (!head.endsWith(REQUESTS_OPEN)) whole = [head];
          else {
            state = parseState(`${head}${REQUESTS_CLOSE}`, where);
            omitted = options.withRequests !== undefined && !options.withRequests(state);
          }
          continue;
        }
        if (whole) {
          whole.push(line);
          continue;
        }
        // Requests left out: the rest is read only for the signature.
        if (omitted) {
          if (!check) break;
          continue;
        }
        if (line === REQUESTS_CLOSE || SIGNED_CLOSE.test(line)) {
          closed = true;
          continue;
        }
        if (line.trim() === '') continue;
        if (closed) throw new StateFormatError(`${where} has text after the end of the state document`);
        addRequestLine(state!.requests, line, where, strings);
      } catch (error) {
        if (!check || !(error instanceof StateFormatError)) throw error;
        damaged = error;
      }
    }
  } finally {
    await lines.return(undefined);
  }
  check?.end();
  if (damaged) throw damaged;
  if (head === null || whole) return parseState((whole ?? ['']).join('\n'), where);
  if (omitted) {
    (state as PartialState)[REQUESTS_OMITTED] = true;
    return state!;
  }
  if (!closed)
    throw new StateFormatError(`${where} ends before its last request; was it cut short? Collect with batch-id to rebuild it`);
  return state!;
}

/** One `"<custom id>":{...},` line of the requests, parsed into `requests`. */
function addRequestLine(requests: Record<string, RequestRecord>, line: string, where: string, strings: Interner): void {
  const entry = line.endsWith(',') ? line.slice(0, -1) : line;
  let parsed: [string, RequestRecord];
  try {
    parsed = JSON.parse(`[${entry.replace(ENTRY_KEY, '$1,')}]`) as [string, RequestRecord];
    if (parsed.length !== 2 || typeof parsed[0] !== 'string' || !parsed[1] || typeof parsed[1] !== 'object') throw new Error();
  } catch {
    throw new StateFormatError(`${where} has a damaged request line; was it cut short? Collect with batch-id to rebuild it`);
  }
  requests[parsed[0]] = compact(parsed[1], strings);
}
