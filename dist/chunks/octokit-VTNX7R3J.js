import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  createOctokit,
  defaultApiUrl
} from "./chunk-4HUF5YCS.js";
import "./chunk-ILN2HY2O.js";
export {
  createOctokit,
  defaultApiUrl
};
