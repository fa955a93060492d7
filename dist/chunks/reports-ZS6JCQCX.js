import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  GITHUB_TARGETS,
  reportersFor
} from "./chunk-IM6I7XTX.js";
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
  GITHUB_TARGETS,
  reportersFor
};
