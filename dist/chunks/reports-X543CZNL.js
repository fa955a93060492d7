import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  GITHUB_TARGETS,
  reportersFor
} from "./chunk-LR7B56ZW.js";
import "./chunk-35P4ICNZ.js";
import "./chunk-6L2I24YT.js";
import "./chunk-VN6QSKR3.js";
import "./chunk-LWHE24TO.js";
import "./chunk-2Y3VZYX5.js";
import "./chunk-7KZNXQQH.js";
import "./chunk-ILN2HY2O.js";
export {
  GITHUB_TARGETS,
  reportersFor
};
