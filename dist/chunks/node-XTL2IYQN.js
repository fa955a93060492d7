import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  child_process,
  crypto,
  fs,
  os,
  path,
  stream,
  util
} from "./chunk-M6ZQ36LJ.js";
import "./chunk-NINLAGOQ.js";
export {
  child_process,
  crypto,
  fs,
  os,
  path,
  stream,
  util
};
