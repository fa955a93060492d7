import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  FileLedgerStore,
  LEDGER_VERSION,
  emptyLedger,
  monthKey,
  nextMonth,
  openLedger,
  sealLedger,
  spentIn,
  withEntry
} from "./chunk-Q2L5NXNA.js";
import "./chunk-IGXXNS6X.js";
import "./chunk-NINLAGOQ.js";
export {
  FileLedgerStore,
  LEDGER_VERSION,
  emptyLedger,
  monthKey,
  nextMonth,
  openLedger,
  sealLedger,
  spentIn,
  withEntry
};
