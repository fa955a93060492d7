import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  publishRoundReporting,
  setRoundOutputs,
  severityGateLine
} from "./chunk-TPT4VLO3.js";
import "./chunk-SKWFQ6MJ.js";
import "./chunk-FTUUBVCK.js";
import "./chunk-GARV4OI5.js";
import "./chunk-VN6QSKR3.js";
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
