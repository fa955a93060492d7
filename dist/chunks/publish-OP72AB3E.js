import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  publishRoundReporting,
  setRoundOutputs,
  severityGateLine
} from "./chunk-43IC7OTG.js";
import "./chunk-6QJ6LNFG.js";
import "./chunk-TP5FJXB5.js";
import "./chunk-MKU5AH4P.js";
import "./chunk-7SXIEQQS.js";
import "./chunk-VN6QSKR3.js";
import "./chunk-LWHE24TO.js";
import "./chunk-2Y3VZYX5.js";
import "./chunk-7KZNXQQH.js";
import "./chunk-ILN2HY2O.js";
export {
  publishRoundReporting,
  setRoundOutputs,
  severityGateLine
};
