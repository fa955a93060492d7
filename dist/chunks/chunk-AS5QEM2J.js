import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  httpStatus
} from "./chunk-VN6QSKR3.js";
import {
  StateUntrustedError,
  UnsignedStateError,
  sameHex
} from "./chunk-7VYBZQJV.js";
import {
  readLines
} from "./chunk-G22B7D6J.js";

// src/state/document.ts
import { writeFile } from "node:fs/promises";

// src/state/store.ts
var StateFormatError = class extends Error {
  name = "StateFormatError";
};
function parseState(text, where) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new StateFormatError(`${where} is not a JSON state document; was it written by overnight submit?`);
  }
  const state = doc;
  if (!state || typeof state !== "object" || state.tool !== "overnight") {
    throw new StateFormatError(`${where} is not an overnight state document`);
  }
  if (state.version !== 1) {
    throw new StateFormatError(
      `${where} has state version ${String(state.version)}; this overnight reads version 1: upgrade overnight`
    );
  }
  if (!Array.isArray(state.batches) || typeof state.requests !== "object" || !state.task) {
    throw new StateFormatError(`${where} is missing batches, requests or task`);
  }
  return state;
}

// src/state/document.ts
var REQUESTS_OPEN = '"requests":{';
var REQUESTS_CLOSE = "}}";
var SIGNED_CLOSE = /^\},"signature":"hmac-sha256:([0-9a-f]{64})"\}$/;
function* serialiseState(state, seal) {
  const mac = seal?.signer.documentMac(seal.label);
  const emit = (text) => {
    mac?.update(text);
    return text;
  };
  const { requests, ...rest } = state;
  const head = JSON.stringify(rest);
  yield emit(`${head.slice(0, -1)}${head.length > 2 ? "," : ""}${REQUESTS_OPEN}
`);
  let chunk = [];
  let first = true;
  for (const customId in requests) {
    if (!Object.prototype.hasOwnProperty.call(requests, customId)) continue;
    chunk.push(`${first ? "" : ",\n"}${JSON.stringify(customId)}:${JSON.stringify(requests[customId])}`);
    first = false;
    if (chunk.length >= 500) {
      yield emit(chunk.join(""));
      chunk = [];
    }
  }
  yield emit(`${chunk.join("")}${first ? "" : "\n"}`);
  yield mac ? `},"signature":"hmac-sha256:${mac.digest("hex")}"}
` : `${REQUESTS_CLOSE}
`;
}
async function writeStateFile(path, state, seal) {
  await writeFile(path, serialiseState(state, seal));
}
var SignatureCheck = class {
  mac;
  signature = null;
  unsignedClose = false;
  lineCount = 0;
  constructor(seal) {
    this.mac = seal.signer.documentMac(seal.label);
  }
  line(line) {
    this.lineCount += 1;
    if (this.signature !== null || this.unsignedClose) {
      if (line.trim() === "") return;
      throw new StateUntrustedError("has text after its end");
    }
    const match = this.lineCount > 1 ? SIGNED_CLOSE.exec(line) : null;
    if (match) this.signature = match[1];
    else if (this.lineCount > 1 && line === REQUESTS_CLOSE) this.unsignedClose = true;
    else this.mac.update(`${line}
`);
  }
  end() {
    if (this.signature === null) throw new UnsignedStateError("is not signed");
    if (!sameHex(this.signature, this.mac.digest("hex"))) {
      throw new StateUntrustedError(
        "has a signature that does not match its content and name (altered, copied, or signed with another API key)"
      );
    }
  }
};
var REQUESTS_OMITTED = /* @__PURE__ */ Symbol("requests omitted");
function requestsOmitted(state) {
  return state[REQUESTS_OMITTED] === true;
}
var Interner = class {
  seen = /* @__PURE__ */ new Map();
  of(text) {
    const known = this.seen.get(text);
    if (known !== void 0) return known;
    this.seen.set(text, text);
    return text;
  }
};
function compact(record, strings) {
  if (record.batchId) record.batchId = strings.of(record.batchId);
  if (record.part) record.part = strings.of(record.part);
  if (Array.isArray(record.paths)) record.paths = record.paths.map((p) => strings.of(p));
  const hashes = record.contentHashes;
  if (hashes && typeof hashes === "object" && Array.isArray(record.paths)) {
    for (const path of record.paths) {
      const hash = hashes[path];
      if (typeof hash === "string") hashes[path] = strings.of(hash);
    }
  }
  return record;
}
var ENTRY_KEY = /^("(?:[^"\\]|\\.)*"):/;
async function readStateFile(path, where, options = {}, seal) {
  const check = seal ? new SignatureCheck(seal) : null;
  const lines = readLines(path);
  let damaged = null;
  let head = null;
  let state = null;
  let whole = null;
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
            omitted = options.withRequests !== void 0 && !options.withRequests(state);
          }
          continue;
        }
        if (whole) {
          whole.push(line);
          continue;
        }
        if (omitted) {
          if (!check) break;
          continue;
        }
        if (line === REQUESTS_CLOSE || SIGNED_CLOSE.test(line)) {
          closed = true;
          continue;
        }
        if (line.trim() === "") continue;
        if (closed) throw new StateFormatError(`${where} has text after the end of the state document`);
        addRequestLine(state.requests, line, where, strings);
      } catch (error) {
        if (!check || !(error instanceof StateFormatError)) throw error;
        damaged = error;
      }
    }
  } finally {
    await lines.return(void 0);
  }
  check?.end();
  if (damaged) throw damaged;
  if (head === null || whole) return parseState((whole ?? [""]).join("\n"), where);
  if (omitted) {
    state[REQUESTS_OMITTED] = true;
    return state;
  }
  if (!closed)
    throw new StateFormatError(`${where} ends before its last request; was it cut short? Collect with batch-id to rebuild it`);
  return state;
}
function addRequestLine(requests, line, where, strings) {
  const entry = line.endsWith(",") ? line.slice(0, -1) : line;
  let parsed;
  try {
    parsed = JSON.parse(`[${entry.replace(ENTRY_KEY, "$1,")}]`);
    if (parsed.length !== 2 || typeof parsed[0] !== "string" || !parsed[1] || typeof parsed[1] !== "object") throw new Error();
  } catch {
    throw new StateFormatError(`${where} has a damaged request line; was it cut short? Collect with batch-id to rebuild it`);
  }
  requests[parsed[0]] = compact(parsed[1], strings);
}

// src/state/claims.ts
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { open, readFile, stat, unlink } from "node:fs/promises";
var CLAIM_TTL_MS = 60 * 6e4;
var NO_CLAIM = { release: async () => void 0 };
function ageText(ms) {
  const minutes = Math.round(ms / 6e4);
  return minutes < 1 ? "less than a minute" : minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
function refSafe(text) {
  return text.replace(/[^A-Za-z0-9._-]/g, "-").replace(/\.{2,}/g, ".").replace(/^[.-]+|[.]+$/g, "") || "state";
}
var CLAIM_MESSAGE = "overnight collect claim";
var CLAIM_FILE = "claim";
var CLAIM_FILE_CONTENT = `${CLAIM_MESSAGE}: the holder is in the commit message
`;
function gitObjectId(type, content) {
  return createHash("sha1").update(Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content])).digest("hex");
}
var CLAIM_TREE = (() => {
  const blob = gitObjectId("blob", Buffer.from(CLAIM_FILE_CONTENT));
  return gitObjectId("tree", Buffer.concat([Buffer.from(`100644 ${CLAIM_FILE}\0`), Buffer.from(blob, "hex")]));
})();
var GitRefClaimer = class _GitRefClaimer {
  constructor(options) {
    this.options = options;
    this.now = options.now ?? (() => /* @__PURE__ */ new Date());
    this.ttlMs = options.ttlMs ?? CLAIM_TTL_MS;
  }
  options;
  now;
  ttlMs;
  tree = null;
  async claimTree() {
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
        tree: [{ path: CLAIM_FILE, mode: "100644", type: "blob", content: CLAIM_FILE_CONTENT }]
      });
      this.tree = created.data.sha;
    }
    return this.tree;
  }
  /** `overnight/claims/<state>-<round>` (without the leading refs/, as the REST paths take it). */
  static refName(stateId, roundKey) {
    return `overnight/claims/${refSafe(stateId)}-${refSafe(roundKey)}`;
  }
  label(holder) {
    return `run ${holder.run} (attempt ${holder.attempt})`;
  }
  /** A parentless (or stale-parented) commit that says who claims. */
  async claimCommit(parents) {
    const { octokit, owner, repo, runId, runAttempt } = this.options;
    const holder = { run: runId, attempt: runAttempt, claimedAt: this.now().toISOString() };
    const text = JSON.stringify(holder);
    const commit = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: `${CLAIM_MESSAGE}

${text}
`,
      tree: await this.claimTree(),
      parents
    });
    return commit.data.sha;
  }
  async readHolder(sha) {
    const { octokit, owner, repo } = this.options;
    const commit = await octokit.rest.git.getCommit({ owner, repo, commit_sha: sha });
    const at = new Date(commit.data.committer?.date ?? commit.data.author?.date ?? 0);
    try {
      const parsed = JSON.parse(commit.data.message.slice(commit.data.message.indexOf("{")));
      if (typeof parsed.run === "number" && typeof parsed.attempt === "number" && typeof parsed.claimedAt === "string") {
        return { holder: parsed, at: new Date(parsed.claimedAt) };
      }
    } catch {
    }
    return { holder: null, at };
  }
  /** Whether the run that holds a claim has ended (true), is still going (false), or cannot be told (null). */
  async holderEnded(run) {
    const { octokit, owner, repo } = this.options;
    try {
      const response = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: run });
      return response.data.status === "completed";
    } catch (error) {
      if (httpStatus(error) === 404) return true;
      this.options.log.debug(`claim: could not read run ${run}: ${error.message}`);
      return null;
    }
  }
  held(ref, sha) {
    const { octokit, owner, repo, log } = this.options;
    return {
      // Octokit logs failed requests at debug level (src/github/octokit.ts): the 404s and 422s this
      // protocol expects never become error annotations.
      release: async () => {
        try {
          const current = await octokit.rest.git.getRef({ owner, repo, ref });
          if (current.data.object.sha !== sha) return;
          await octokit.rest.git.deleteRef({ owner, repo, ref });
        } catch (error) {
          log.debug(`claim: could not delete refs/${ref}: ${error.message}`);
        }
      }
    };
  }
  claim(stateId, roundKey) {
    return this.contest(stateId, roundKey);
  }
  async contest(stateId, roundKey) {
    const { octokit, owner, repo, runId } = this.options;
    const ref = _GitRefClaimer.refName(stateId, roundKey);
    let fresh;
    try {
      fresh = await this.claimCommit([]);
    } catch (error) {
      const status = httpStatus(error);
      if (status !== 403 && status !== 404) throw error;
      return {
        claimed: true,
        claim: NO_CLAIM,
        note: `no claim on this round (GitHub answered ${status} to writing refs/${ref}; it needs \`contents: write\`): the workflow's concurrency group is what keeps two collects apart`
      };
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await octokit.rest.git.createRef({ owner, repo, ref: `refs/${ref}`, sha: fresh });
        return { claimed: true, claim: this.held(ref, fresh) };
      } catch (error) {
        if (httpStatus(error) !== 422) throw error;
      }
      let current2;
      try {
        current2 = (await octokit.rest.git.getRef({ owner, repo, ref })).data.object.sha;
      } catch (error) {
        if (httpStatus(error) === 404) continue;
        throw error;
      }
      const { holder: holder2, at: at2 } = await this.readHolder(current2);
      const age = this.now().getTime() - at2.getTime();
      const label = holder2 ? this.label(holder2) : "an unknown holder";
      let why = null;
      if (holder2 && holder2.run === runId) why = `it was this run's own (${label})`;
      else if (age > this.ttlMs) why = `${label} took it ${ageText(age)} ago`;
      else if (holder2 && await this.holderEnded(holder2.run)) why = `${label} has ended without releasing it`;
      if (!why) return { claimed: false, holder: { label, claimedAt: at2.toISOString() } };
      const takeover = await this.claimCommit([current2]);
      try {
        await octokit.rest.git.updateRef({ owner, repo, ref, sha: takeover, force: false });
        return { claimed: true, claim: this.held(ref, takeover), note: `took over the claim on this round: ${why}` };
      } catch (error) {
        const status = httpStatus(error);
        if (status !== 422) throw error;
      }
    }
    const current = await octokit.rest.git.getRef({ owner, repo, ref }).catch(() => null);
    const { holder, at } = current ? await this.readHolder(current.data.object.sha) : { holder: null, at: this.now() };
    return { claimed: false, holder: { label: holder ? this.label(holder) : "another collect", claimedAt: at.toISOString() } };
  }
};
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
var LockFileClaimer = class {
  constructor(options) {
    this.options = options;
    this.now = options.now ?? (() => /* @__PURE__ */ new Date());
    this.ttlMs = options.ttlMs ?? CLAIM_TTL_MS;
    this.pid = options.pid ?? process.pid;
    this.host = options.host ?? hostname();
    this.isAlive = options.isAlive ?? processAlive;
  }
  options;
  now;
  ttlMs;
  pid;
  host;
  isAlive;
  label(holder) {
    return `pid ${holder.pid} on ${holder.host}`;
  }
  async create(path) {
    const text = JSON.stringify({ pid: this.pid, host: this.host, claimedAt: this.now().toISOString() });
    try {
      const handle = await open(path, "wx");
      try {
        await handle.writeFile(text);
      } finally {
        await handle.close();
      }
      return text;
    } catch (error) {
      if (error.code === "EEXIST") return null;
      throw error;
    }
  }
  releaser(path, text) {
    return {
      release: async () => {
        const now = await readFile(path, "utf8").catch(() => null);
        if (now === text) await unlink(path).catch(() => void 0);
      }
    };
  }
  async claim(stateId, roundKey) {
    const path = this.options.pathOf(stateId, roundKey);
    let note;
    for (let attempt = 0; attempt < 3; attempt++) {
      const mine = await this.create(path);
      if (mine !== null) return { claimed: true, claim: this.releaser(path, mine), ...note ? { note } : {} };
      let text;
      let modified;
      try {
        text = await readFile(path, "utf8");
        modified = (await stat(path)).mtime;
      } catch (error) {
        if (error.code === "ENOENT") continue;
        throw error;
      }
      let holder = null;
      try {
        const parsed = JSON.parse(text);
        if (typeof parsed.pid === "number" && typeof parsed.host === "string" && typeof parsed.claimedAt === "string") {
          holder = parsed;
        }
      } catch {
      }
      const at = holder ? new Date(holder.claimedAt) : modified;
      const age = this.now().getTime() - at.getTime();
      const label = holder ? this.label(holder) : `an unreadable lock ${path}`;
      let why = null;
      if (holder && holder.host === this.host && holder.pid !== this.pid && !this.isAlive(holder.pid)) {
        why = `${label} is no longer running`;
      }
      if (!why && age > this.ttlMs) why = `${label} took it ${ageText(age)} ago`;
      if (!why) return { claimed: false, holder: { label, claimedAt: at.toISOString() } };
      const again = await readFile(path, "utf8").catch(() => null);
      if (again === text) await unlink(path).catch(() => void 0);
      note = `took over the lock ${path}: ${why}`;
    }
    return { claimed: false, holder: { label: "another collect", claimedAt: this.now().toISOString() } };
  }
};

export {
  writeStateFile,
  requestsOmitted,
  readStateFile,
  GitRefClaimer,
  LockFileClaimer
};
