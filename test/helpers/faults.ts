// Faults injected at a chosen call of the engine's own client, where an emulator fault alone cannot
// say "the second create".
import type { AnthropicEmulator } from '../../src/emulator/anthropic/index.js';
import type { TestEngine } from './engine.js';

/**
 * The `nth` batch create (counted over every client the engine builds) hits the monthly spend cap
 * (429 enforced_spend_limit_reached), as if the cap were reached part-way through a submit. Returns
 * a function that gives the engine its plain client back.
 */
export function spendCapAtCreate(engine: TestEngine, emulator: AnthropicEmulator, nth: number): () => void {
  let creates = 0;
  const original = engine.deps.anthropic;
  engine.deps.anthropic = () => {
    const client = original();
    const create = client.createBatch.bind(client);
    client.createBatch = async (...args) => {
      if (++creates === nth) emulator.faults.spendCap('batches.create');
      return create(...args);
    };
    return client;
  };
  return () => {
    engine.deps.anthropic = original;
  };
}
