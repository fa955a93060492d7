import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  collect,
  failedReportLines
} from "./chunk-ADW5ZBXB.js";
import "./chunk-IJQ5HWCL.js";
import "./chunk-ZT6WJ6YC.js";
import "./chunk-DKRYXK4B.js";
import "./chunk-KAATY2MO.js";
import "./chunk-GUMROIII.js";
import "./chunk-S5YKUVYI.js";
import "./chunk-VN6QSKR3.js";
import "./chunk-LWHE24TO.js";
import "./chunk-2Y3VZYX5.js";
import "./chunk-7KZNXQQH.js";
import "./chunk-YXHGPNJP.js";
import "./chunk-G22B7D6J.js";
import "./chunk-6Q5LGIN2.js";
import "./chunk-ZD6CEFKN.js";
import "./chunk-ILN2HY2O.js";
export {
  collect,
  failedReportLines
};
