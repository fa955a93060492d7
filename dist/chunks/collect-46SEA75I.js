import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  collect,
  failedReportLines
} from "./chunk-AW63DKTM.js";
import "./chunk-UTR2P3LB.js";
import "./chunk-WETIW5P4.js";
import "./chunk-ZH3YD5UR.js";
import "./chunk-JM2NVHAF.js";
import "./chunk-X7EVVS3K.js";
import "./chunk-25S7AB5Y.js";
import "./chunk-IM6I7XTX.js";
import "./chunk-VO54GUAL.js";
import "./chunk-62ANB5A3.js";
import "./chunk-VN6QSKR3.js";
import "./chunk-FU5ULAXL.js";
import "./chunk-2TAW6IAD.js";
import "./chunk-7VYBZQJV.js";
import "./chunk-JBJALSRO.js";
import "./chunk-DNB6I4O3.js";
import "./chunk-2S72PKWC.js";
import "./chunk-2Y3VZYX5.js";
import "./chunk-JRK7X5D5.js";
import "./chunk-7KZNXQQH.js";
import "./chunk-HFKILKHU.js";
import "./chunk-G22B7D6J.js";
import "./chunk-PSXNXEIF.js";
import "./chunk-F3LGO6JY.js";
import "./chunk-NINLAGOQ.js";
export {
  collect,
  failedReportLines
};
