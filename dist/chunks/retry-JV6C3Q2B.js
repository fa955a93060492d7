import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  DEFAULT_RETRY_POLICY,
  FatalApiError,
  callAt,
  classify,
  sleep,
  toFatal,
  unreachable,
  withRetries
} from "./chunk-PSXNXEIF.js";
import "./chunk-F3LGO6JY.js";
import "./chunk-NINLAGOQ.js";
export {
  DEFAULT_RETRY_POLICY,
  FatalApiError,
  callAt,
  classify,
  sleep,
  toFatal,
  unreachable,
  withRetries
};
