// monthly-budget-usd: what each calendar month (UTC) has committed, over every night, kept in a
// ledger carried with the states: a file next to the CLI's state directory, or a workflow artifact
// (`<state-name>-ledger-r<run>a<attempt>n<k>`, a new one per change, the newest trusted one wins).
// States expire with retention-days; the ledger is carried forward by every run that adds to it.
//
// Signed like a state (signing.ts: an HMAC keyed from the API key, bound to the name it is saved
// under): a ledger anyone else wrote (a fork's run, a committed file) is ignored with a warning, so it
// can neither spend the month's budget nor hide what was spent. Two runs adding at once may lose one
// entry (last writer wins); the next submit's own entry still counts.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../types.js';
import { sameHex, type StateSigner } from './signing.js';

export const LEDGER_VERSION = 1;
/** Months kept in the ledger (the current one and a year back). */
const MONTHS_KEPT = 13;
/** Entries listed per month (the total counts them all). */
const ENTRIES_KEPT = 500;

export interface LedgerEntry {
  /** When it was committed (ISO). */
  at: string;
  usd: number;
  /** submit: a night's batches; resubmit: a collect's resubmissions; deadline: answered interactively; run: mode run. */
  what: 'submit' | 'resubmit' | 'deadline' | 'verify' | 'run';
  /** The submission (state id) it belongs to, when there is one. */
  submission?: string;
}

export interface LedgerMonth {
  spentUsd: number;
  entries: LedgerEntry[];
}

export interface Ledger {
  tool: 'overnight-ledger';
  version: typeof LEDGER_VERSION;
  months: Record<string, LedgerMonth>;
}

/** The ledger's key of the month `at` falls in (UTC): "2026-12". */
export const monthKey = (at: Date): string => at.toISOString().slice(0, 7);

/** The month after `month` ("2026-12" → "2027-01"), for "wait until" lines. */
export function nextMonth(month: string): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, mon, 1)).toISOString().slice(0, 7);
}

export const emptyLedger = (): Ledger => ({ tool: 'overnight-ledger', version: LEDGER_VERSION, months: {} });

/** USD committed in the month of `at`. */
export function spentIn(ledger: Ledger, at: Date): number {
  return ledger.months[monthKey(at)]?.spentUsd ?? 0;
}

/** The ledger with `entry` added to its month (months older than a year dropped). */
export function withEntry(ledger: Ledger, entry: LedgerEntry): Ledger {
  const key = entry.at.slice(0, 7);
  const month = ledger.months[key] ?? { spentUsd: 0, entries: [] };
  const months: Record<string, LedgerMonth> = {
    ...ledger.months,
    [key]: { spentUsd: month.spentUsd + entry.usd, entries: [...month.entries, entry].slice(-ENTRIES_KEPT) },
  };
  const keep = Object.keys(months).sort().slice(-MONTHS_KEPT);
  return { ...ledger, months: Object.fromEntries(keep.map((k) => [k, months[k]!])) };
}

const LEDGER_DOMAIN = 'ledger';

/** The signed document: the ledger's JSON text as it was signed, and the HMAC over it and `label`. */
export function sealLedger(ledger: Ledger, signer: StateSigner, label: string): string {
  const text = JSON.stringify(ledger);
  const mac = signer.documentMac(`${LEDGER_DOMAIN}:${label}`).update(text).digest('hex');
  return `${JSON.stringify({ ledger: text, signature: `hmac-sha256:${mac}` })}\n`;
}

/** The ledger of a signed document, or why it cannot be believed (one phrase). */
export function openLedger(document: string, signer: StateSigner, label: string): Ledger | string {
  let outer: { ledger?: unknown; signature?: unknown };
  try {
    outer = JSON.parse(document) as typeof outer;
  } catch {
    return 'is not JSON';
  }
  if (typeof outer?.ledger !== 'string' || typeof outer.signature !== 'string') return 'is not a signed overnight ledger';
  const given = /^hmac-sha256:([0-9a-f]{64})$/.exec(outer.signature)?.[1];
  const expected = signer.documentMac(`${LEDGER_DOMAIN}:${label}`).update(outer.ledger).digest('hex');
  if (!given || !sameHex(given, expected)) return 'has a signature that does not verify (another API key, or edited)';
  const ledger = JSON.parse(outer.ledger) as Partial<Ledger>;
  if (ledger.tool !== 'overnight-ledger' || ledger.version !== LEDGER_VERSION || typeof ledger.months !== 'object') {
    return `is not a version ${LEDGER_VERSION} overnight ledger`;
  }
  for (const month of Object.values(ledger.months ?? {})) {
    if (!Number.isFinite(month?.spentUsd) || !Array.isArray(month.entries)) return 'has a malformed month';
  }
  return ledger as Ledger;
}

/** Where a month's spending is kept: read it, add to it. */
export interface LedgerStore {
  /** "ledger file .overnight/ledger.json", "ledger artifacts overnight-state-ledger-*". */
  describe(): string;
  /** The newest trusted ledger, or an empty one. */
  read(): Promise<Ledger>;
  /** Adds an entry to the newest ledger and saves it; returns the new ledger. */
  add(entry: LedgerEntry): Promise<Ledger>;
}

/** The CLI's ledger: one signed file, replaced atomically. */
export class FileLedgerStore implements LedgerStore {
  constructor(
    private readonly path: string,
    private readonly signer: StateSigner | null,
    private readonly log: Logger,
  ) {}

  describe(): string {
    return `ledger file ${this.path}`;
  }

  async read(): Promise<Ledger> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return emptyLedger();
    }
    if (!this.signer) return emptyLedger();
    const opened = openLedger(text, this.signer, 'file');
    if (typeof opened === 'string') {
      this.log.warning(`${this.describe()} ignored: it ${opened}; the month's spending starts again from this run`);
      return emptyLedger();
    }
    return opened;
  }

  async add(entry: LedgerEntry): Promise<Ledger> {
    const ledger = withEntry(await this.read(), entry);
    // Unsigned, nothing would believe it: without a key nothing is paid for either.
    if (!this.signer) return ledger;
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, sealLedger(ledger, this.signer, 'file'));
    await rename(temp, this.path);
    return ledger;
  }
}
