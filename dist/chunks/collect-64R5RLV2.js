import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  collect,
  failedReportLines
} from "./chunk-74IKJRXB.js";
import "./chunk-BSUXYCL2.js";
import "./chunk-BP5XPGBT.js";
import "./chunk-KLUCF4CQ.js";
import "./chunk-KRAXAHXO.js";
import "./chunk-ZH3YD5UR.js";
import "./chunk-JM2NVHAF.js";
import "./chunk-7VYBZQJV.js";
import "./chunk-G2MVADRK.js";
import "./chunk-NWSOXXQJ.js";
import "./chunk-VN6QSKR3.js";
import "./chunk-62ANB5A3.js";
import "./chunk-FU5ULAXL.js";
import "./chunk-JBJALSRO.js";
import "./chunk-32JV2S3D.js";
import "./chunk-2S72PKWC.js";
import "./chunk-7KZNXQQH.js";
import "./chunk-2Y3VZYX5.js";
import "./chunk-HFKILKHU.js";
import "./chunk-G22B7D6J.js";
import "./chunk-PSXNXEIF.js";
import "./chunk-F3LGO6JY.js";
import "./chunk-NINLAGOQ.js";
export {
  collect,
  failedReportLines
};
