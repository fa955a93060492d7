import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  createOctokit,
  defaultApiUrl
} from "./chunk-DAURUXYK.js";
import "./chunk-NINLAGOQ.js";
export {
  createOctokit,
  defaultApiUrl
};
