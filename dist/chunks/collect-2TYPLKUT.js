import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  collect,
  failedReportLines
} from "./chunk-T6KHMIHU.js";
import "./chunk-I4FSNR3W.js";
import "./chunk-DSI466S5.js";
import "./chunk-43IC7OTG.js";
import "./chunk-6QJ6LNFG.js";
import "./chunk-TP5FJXB5.js";
import "./chunk-MKU5AH4P.js";
import "./chunk-7SXIEQQS.js";
import "./chunk-VN6QSKR3.js";
import "./chunk-LWHE24TO.js";
import "./chunk-2Y3VZYX5.js";
import "./chunk-7KZNXQQH.js";
import "./chunk-MTK6DMQ4.js";
import "./chunk-G22B7D6J.js";
import "./chunk-6Q5LGIN2.js";
import "./chunk-ZD6CEFKN.js";
import "./chunk-ILN2HY2O.js";
export {
  collect,
  failedReportLines
};
