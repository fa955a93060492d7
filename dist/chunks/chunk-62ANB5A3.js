import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);

// src/state/state.ts
var STATE_VERSION = 1;
var isFirstPassBatch = (batch) => batch.attempt === 0 && batch.verify !== true && batch.interactive === void 0;

export {
  STATE_VERSION,
  isFirstPassBatch
};
