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
} from "./chunk-6Q5LGIN2.js";
import "./chunk-ZD6CEFKN.js";
import "./chunk-ILN2HY2O.js";
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
