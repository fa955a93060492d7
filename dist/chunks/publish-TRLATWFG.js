import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  publishRoundReporting,
  setRoundOutputs,
  severityGateLine
} from "./chunk-X7EVVS3K.js";
import "./chunk-25S7AB5Y.js";
import "./chunk-IM6I7XTX.js";
import "./chunk-VO54GUAL.js";
import "./chunk-62ANB5A3.js";
import "./chunk-VN6QSKR3.js";
import "./chunk-FU5ULAXL.js";
import "./chunk-2TAW6IAD.js";
import "./chunk-2S72PKWC.js";
import "./chunk-2Y3VZYX5.js";
import "./chunk-7KZNXQQH.js";
import "./chunk-NINLAGOQ.js";
export {
  publishRoundReporting,
  setRoundOutputs,
  severityGateLine
};
