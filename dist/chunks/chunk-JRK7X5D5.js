import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);

// src/providers/types.ts
var PROVIDER_NAMES = ["anthropic", "bedrock", "vertex"];
function cloudJobCounts(done) {
  const { succeeded, errored, left, ended, endedAs } = done;
  return {
    processing: ended ? 0 : left,
    succeeded,
    errored,
    canceled: ended && endedAs === "canceled" ? left : 0,
    expired: ended && endedAs === "expired" ? left : 0
  };
}
function jobProgress(job) {
  const c = job.counts;
  if (job.status === "ended") {
    return `ended (${c.succeeded} succeeded, ${c.errored} errored, ${c.expired} expired, ${c.canceled} canceled)`;
  }
  const detail = job.detail ? `${job.detail}, ` : "";
  return `${job.status} (${detail}${c.processing} processing${job.expiresAt ? `; expires ${job.expiresAt}` : ""})`;
}

export {
  PROVIDER_NAMES,
  cloudJobCounts,
  jobProgress
};
