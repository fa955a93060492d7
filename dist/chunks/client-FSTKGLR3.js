import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  BATCH_LIMITS,
  BatchClient,
  batchBody,
  batchProgress,
  splitIntoBatches
} from "./chunk-MTK6DMQ4.js";
import "./chunk-G22B7D6J.js";
import "./chunk-6Q5LGIN2.js";
import "./chunk-ZD6CEFKN.js";
import "./chunk-ILN2HY2O.js";
export {
  BATCH_LIMITS,
  BatchClient,
  batchBody,
  batchProgress,
  splitIntoBatches
};
