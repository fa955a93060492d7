import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  collect,
  failedReportLines
} from "./chunk-AQRZLMIG.js";
import "./chunk-J3FHQFQ2.js";
import "./chunk-TPT4VLO3.js";
import "./chunk-KZBPWR22.js";
import "./chunk-SKWFQ6MJ.js";
import "./chunk-ENKSBLQK.js";
import "./chunk-Q2L5NXNA.js";
import "./chunk-IGXXNS6X.js";
import "./chunk-FTUUBVCK.js";
import "./chunk-GARV4OI5.js";
import "./chunk-VN6QSKR3.js";
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
