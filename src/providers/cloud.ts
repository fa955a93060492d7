// Builds the configured cloud provider for EngineDeps.provider. Kept apart from index.ts, which loads
// the Anthropic client: the CLI imports this at start-up, and the cloud SDKs load only on first use,
// by dynamic import (a separate chunk of dist/).
import type { Config } from '../config.js';
import type { Logger } from '../types.js';
import type { BatchProvider } from './types.js';

export interface CloudProviderOptions {
  log: Logger;
  /** Pause between polls and retries (tests pass a clock that does not really wait). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A builder of the configured cloud provider for EngineDeps.provider, or undefined for Anthropic's API.
 * The cloud SDKs load on first use, by dynamic import (a separate chunk of dist/).
 */
export function cloudProvider(config: Config, options: CloudProviderOptions): (() => Promise<BatchProvider>) | undefined {
  switch (config.provider) {
    case 'anthropic':
      return undefined;
    case 'bedrock':
      return async () => {
        const { BedrockProvider } = await import('./bedrock/provider.js');
        return new BedrockProvider(config.bedrock, options);
      };
    case 'vertex':
      return async () => {
        const { VertexProvider } = await import('./vertex/provider.js');
        return new VertexProvider(config.vertex, options);
      };
  }
}
