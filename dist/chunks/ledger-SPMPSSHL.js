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
} from "./chunk-JM2NVHAF.js";
import "./chunk-7VYBZQJV.js";
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
