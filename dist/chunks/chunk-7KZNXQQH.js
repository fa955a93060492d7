import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);

// src/errors.ts
var UsageError = class extends Error {
  exitCode = 2;
  constructor(message) {
    super(message);
    this.name = "UsageError";
  }
};
var ConfigError = class extends Error {
  exitCode = 1;
  constructor(message) {
    super(message);
    this.name = "ConfigError";
  }
};

export {
  UsageError,
  ConfigError
};
