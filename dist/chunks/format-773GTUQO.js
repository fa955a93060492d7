import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  formatCount,
  isoDate,
  plural,
  repositoryOf,
  sanitizeOptionsFor,
  severityBreakdown,
  taskTitle
} from "./chunk-FU5ULAXL.js";
import "./chunk-2Y3VZYX5.js";
import "./chunk-NINLAGOQ.js";
export {
  formatCount,
  isoDate,
  plural,
  repositoryOf,
  sanitizeOptionsFor,
  severityBreakdown,
  taskTitle
};
