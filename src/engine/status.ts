// `status`: every saved submission and where its batches stand (checked live when a key is set).
import type { Config } from '../config.js';
import { batchService, jobProgress } from '../providers/index.js';
import { plural } from '../reports/format.js';
import type { EngineDeps } from './deps.js';
import { isFirstPassBatch } from '../state/state.js';

export async function status(config: Config, deps: EngineDeps): Promise<void> {
  // Heads only: the batches say how many requests went out (~40 MB of requests a night not read).
  const states = await deps.store.list(config.task ?? undefined, { withRequests: () => false });
  if (states.length === 0) {
    deps.log.info(`no submissions in ${deps.store.describe()}`);
    return;
  }
  // Anthropic's API needs a key to look; a cloud provider finds its credentials in the environment.
  const client = config.apiKey || deps.provider ? await batchService(deps) : null;
  for (const { id, state } of states) {
    // A deadline fallback answers requests its batch already counts.
    const requests = state.batches.filter(isFirstPassBatch).reduce((n, b) => n + b.requestCount, 0);
    deps.log.info(
      `${id}: ${state.task} of ${state.repository}@${state.headSha.slice(0, 7)}, ${plural(requests, 'request')}, ` +
        `submitted ${state.createdAt}, ${state.collectedAt ? `collected ${state.collectedAt}` : 'not collected yet'}`,
    );
    for (const batch of state.batches) {
      let line = `  ${batch.id} (${plural(batch.requestCount, 'request')}, attempt ${batch.attempt}): `;
      if (batch.resultsSaved) line += 'collected';
      else if (batch.interactive) line += 'answered through the interactive API at the deadline, not yet published';
      else if (client) {
        const live = await client.retrieve(batch.id);
        line += `${jobProgress(live)}${live.status === 'ended' ? ', ready to collect' : ''}`;
      } else line += `${batch.status} when last seen (set ANTHROPIC_API_KEY to check now)`;
      deps.log.info(line);
    }
  }
}
