import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);

// src/providers/types.ts
var PROVIDER_NAMES = ["anthropic", "bedrock", "vertex"];
function jobProgress(job) {
  const c = job.counts;
  if (job.status === "ended") {
    return `ended (${c.succeeded} succeeded, ${c.errored} errored, ${c.expired} expired, ${c.canceled} canceled)`;
  }
  const detail = job.detail ? `${job.detail}, ` : "";
  return `${job.status} (${detail}${c.processing} processing${job.expiresAt ? `; expires ${job.expiresAt}` : ""})`;
}

// src/providers/cloud.ts
function cloudProvider(config, options) {
  switch (config.provider) {
    case "anthropic":
      return void 0;
    case "bedrock":
      return async () => {
        const { BedrockProvider } = await import("./provider-YAQDOIW5.js");
        return new BedrockProvider(config.bedrock, options);
      };
    case "vertex":
      return async () => {
        const { VertexProvider } = await import("./provider-HWQ6356W.js");
        return new VertexProvider(config.vertex, options);
      };
  }
}

export {
  PROVIDER_NAMES,
  jobProgress,
  cloudProvider
};
