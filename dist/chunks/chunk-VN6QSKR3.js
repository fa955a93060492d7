import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);

// src/github/errors.ts
function httpStatus(error) {
  const status = error?.status;
  return typeof status === "number" ? status : void 0;
}
function errorMessage(error) {
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}
function describeHttpError(error) {
  const status = httpStatus(error);
  return status ? `${status} ${errorMessage(error)}` : errorMessage(error);
}

export {
  httpStatus,
  errorMessage,
  describeHttpError
};
