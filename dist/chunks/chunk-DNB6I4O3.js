import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);

// src/providers/cloud.ts
function cloudProvider(config, options) {
  switch (config.provider) {
    case "anthropic":
      return void 0;
    case "bedrock":
      return async () => {
        const { BedrockProvider } = await import("./provider-YZW5LCOJ.js");
        return new BedrockProvider(config.bedrock, options);
      };
    case "vertex":
      return async () => {
        const { VertexProvider } = await import("./provider-VL263LUO.js");
        return new VertexProvider(config.vertex, options);
      };
  }
}

export {
  cloudProvider
};
