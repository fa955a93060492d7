import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  COLLECTED_TAG_LENGTH,
  StateSigner,
  StateUntrustedError,
  UnsignedStateError,
  sameHex
} from "./chunk-7VYBZQJV.js";
import "./chunk-NINLAGOQ.js";
export {
  COLLECTED_TAG_LENGTH,
  StateSigner,
  StateUntrustedError,
  UnsignedStateError,
  sameHex
};
