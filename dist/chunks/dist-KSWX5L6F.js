import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  require_dist2 as require_dist
} from "./chunk-5ER3C55O.js";
import "./chunk-2TAW6IAD.js";
import "./chunk-NINLAGOQ.js";
export default require_dist();
