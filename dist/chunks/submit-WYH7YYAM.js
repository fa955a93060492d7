import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  checkSubmitConfig,
  newState,
  prepareWork,
  reportUnsent,
  resolveSince,
  sendBatches,
  submit,
  unsentFiles
} from "./chunk-ZF35QOTF.js";
import "./chunk-35P4ICNZ.js";
import "./chunk-6L2I24YT.js";
import "./chunk-LWHE24TO.js";
import "./chunk-2Y3VZYX5.js";
import "./chunk-7KZNXQQH.js";
import "./chunk-YXHGPNJP.js";
import "./chunk-G22B7D6J.js";
import "./chunk-6Q5LGIN2.js";
import "./chunk-ZD6CEFKN.js";
import "./chunk-ILN2HY2O.js";
export {
  checkSubmitConfig,
  newState,
  prepareWork,
  reportUnsent,
  resolveSince,
  sendBatches,
  submit,
  unsentFiles
};
