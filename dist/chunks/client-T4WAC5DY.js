import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  BATCH_LIMITS,
  BatchClient,
  batchBody,
  batchProgress,
  splitIntoBatches
} from "./chunk-HFKILKHU.js";
import "./chunk-G22B7D6J.js";
import "./chunk-PSXNXEIF.js";
import "./chunk-F3LGO6JY.js";
import "./chunk-NINLAGOQ.js";
export {
  BATCH_LIMITS,
  BatchClient,
  batchBody,
  batchProgress,
  splitIntoBatches
};
