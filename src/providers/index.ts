// Which batch service the engine talks to. The Anthropic client is built as before (deps.anthropic);
// a cloud provider's SDK is imported only when that provider is chosen, so the bundle's start-up
// never pays for the AWS or Google clients.
import type { EngineDeps } from '../engine/deps.js';
import { UsageError } from '../errors.js';
import { AnthropicProvider } from './anthropic.js';
import type { BatchProvider, ProviderName } from './types.js';

export { cloudProvider, type CloudProviderOptions } from './cloud.js';

export { PROVIDER_NAMES, jobProgress, type BatchProvider, type JobStatus, type ProviderName } from './types.js';

/** The provider of this run: the one the action or CLI chose (deps.provider), else Anthropic's API. */
export async function batchService(deps: EngineDeps): Promise<BatchProvider> {
  if (deps.provider) return deps.provider();
  return new AnthropicProvider(deps.anthropic(), deps.batchLimits ? { limits: deps.batchLimits } : {});
}

/** The provider a state's jobs live with (states from before providers existed: Anthropic). */
export function providerOfState(state: { provider?: ProviderName | undefined }): ProviderName {
  return state.provider ?? 'anthropic';
}

/** One line when a state's jobs live with another provider than the one this run talks to. */
export function checkStateProvider(stateId: string, state: { provider?: ProviderName | undefined }, current: ProviderName): void {
  const owner = providerOfState(state);
  if (owner !== current) {
    throw new UsageError(
      `state ${stateId} was submitted through ${owner}, but this run uses provider ${current}; collect it with provider: ${owner}`,
    );
  }
}
