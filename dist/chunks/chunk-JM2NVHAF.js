import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  sameHex
} from "./chunk-7VYBZQJV.js";

// src/state/ledger.ts
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
var LEDGER_VERSION = 1;
var MONTHS_KEPT = 13;
var ENTRIES_KEPT = 500;
var monthKey = (at) => at.toISOString().slice(0, 7);
function nextMonth(month) {
  const [year, mon] = month.split("-").map(Number);
  return new Date(Date.UTC(year, mon, 1)).toISOString().slice(0, 7);
}
var emptyLedger = () => ({ tool: "overnight-ledger", version: LEDGER_VERSION, months: {} });
function spentIn(ledger, at) {
  return ledger.months[monthKey(at)]?.spentUsd ?? 0;
}
function withEntry(ledger, entry) {
  const key = entry.at.slice(0, 7);
  const month = ledger.months[key] ?? { spentUsd: 0, entries: [] };
  const months = {
    ...ledger.months,
    [key]: { spentUsd: month.spentUsd + entry.usd, entries: [...month.entries, entry].slice(-ENTRIES_KEPT) }
  };
  const keep = Object.keys(months).sort().slice(-MONTHS_KEPT);
  return { ...ledger, months: Object.fromEntries(keep.map((k) => [k, months[k]])) };
}
var LEDGER_DOMAIN = "ledger";
function sealLedger(ledger, signer, label) {
  const text = JSON.stringify(ledger);
  const mac = signer.documentMac(`${LEDGER_DOMAIN}:${label}`).update(text).digest("hex");
  return `${JSON.stringify({ ledger: text, signature: `hmac-sha256:${mac}` })}
`;
}
function openLedger(document, signer, label) {
  let outer;
  try {
    outer = JSON.parse(document);
  } catch {
    return "is not JSON";
  }
  if (typeof outer?.ledger !== "string" || typeof outer.signature !== "string") return "is not a signed overnight ledger";
  const given = /^hmac-sha256:([0-9a-f]{64})$/.exec(outer.signature)?.[1];
  const expected = signer.documentMac(`${LEDGER_DOMAIN}:${label}`).update(outer.ledger).digest("hex");
  if (!given || !sameHex(given, expected)) return "has a signature that does not verify (another API key, or edited)";
  const ledger = JSON.parse(outer.ledger);
  if (ledger.tool !== "overnight-ledger" || ledger.version !== LEDGER_VERSION || typeof ledger.months !== "object") {
    return `is not a version ${LEDGER_VERSION} overnight ledger`;
  }
  for (const month of Object.values(ledger.months ?? {})) {
    if (!Number.isFinite(month?.spentUsd) || !Array.isArray(month.entries)) return "has a malformed month";
  }
  return ledger;
}
var FileLedgerStore = class {
  constructor(path, signer, log) {
    this.path = path;
    this.signer = signer;
    this.log = log;
  }
  path;
  signer;
  log;
  describe() {
    return `ledger file ${this.path}`;
  }
  async read() {
    let text;
    try {
      text = await readFile(this.path, "utf8");
    } catch {
      return emptyLedger();
    }
    if (!this.signer) return emptyLedger();
    const opened = openLedger(text, this.signer, "file");
    if (typeof opened === "string") {
      this.log.warning(`${this.describe()} ignored: it ${opened}; the month's spending starts again from this run`);
      return emptyLedger();
    }
    return opened;
  }
  async add(entry) {
    const ledger = withEntry(await this.read(), entry);
    if (!this.signer) return ledger;
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, sealLedger(ledger, this.signer, "file"));
    await rename(temp, this.path);
    return ledger;
  }
};

export {
  LEDGER_VERSION,
  monthKey,
  nextMonth,
  emptyLedger,
  spentIn,
  withEntry,
  sealLedger,
  openLedger,
  FileLedgerStore
};
