import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  publishRoundReporting,
  setRoundOutputs,
  severityGateLine
} from "./chunk-BP5XPGBT.js";
import "./chunk-KRAXAHXO.js";
import "./chunk-G2MVADRK.js";
import "./chunk-NWSOXXQJ.js";
import "./chunk-VN6QSKR3.js";
import "./chunk-62ANB5A3.js";
import "./chunk-FU5ULAXL.js";
import "./chunk-2S72PKWC.js";
import "./chunk-7KZNXQQH.js";
import "./chunk-2Y3VZYX5.js";
import "./chunk-NINLAGOQ.js";
export {
  publishRoundReporting,
  setRoundOutputs,
  severityGateLine
};
