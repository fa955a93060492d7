// Scenario 5: how many status calls waiting for a batch makes, with the real BatchClient.waitForEnd
// and its default schedule against the emulator, on a simulated clock: the client's sleep advances
// the clock (no real waiting) and ends the batch once the clock reaches the batch's duration.
import { BatchClient } from '../../src/batch/client.js';
import { startAnthropicEmulator } from '../../src/emulator/anthropic/index.js';
import { quietLog } from '../engine-deps.js';
import { report } from '../lib.js';

async function pollsFor(durationMs: number, waitMs: number): Promise<{ polls: number; status: string; waitedMs: number }> {
  const emulator = await startAnthropicEmulator({ pollsUntilEnded: 1_000_000, seed: 3 });
  try {
    let clock = 0;
    let batchId = '';
    const sleep = async (ms: number): Promise<void> => {
      clock += ms;
      if (clock >= durationMs) emulator.endBatch(batchId);
    };
    const client = new BatchClient({ apiKey: 'bench-key', baseURL: emulator.url, log: quietLog, retry: { sleep } });
    const batch = await client.createBatch([
      {
        customId: 'bench-1',
        params: { model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] },
        record: {} as never,
      },
    ]);
    batchId = batch.id;
    const before = emulator.calls['batches.retrieve'] ?? 0;
    // The defaults collect uses when the action or CLI does not override them (30 s, growing 1.5x to 30 min).
    const ended = await client.waitForEnd(batch.id, { waitMs, now: () => clock });
    return { polls: (emulator.calls['batches.retrieve'] ?? 0) - before, status: ended.processing_status, waitedMs: clock };
  } finally {
    await emulator.close();
  }
}

export async function pollsScenario(): Promise<void> {
  const DAY = 24 * 3_600_000;
  report({ oneHour: await pollsFor(3_600_000, DAY), oneDay: await pollsFor(DAY, DAY) });
}
