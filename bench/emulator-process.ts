// The Anthropic emulator in its own process, so the memory it needs to hold batches of hundreds of MB
// is not counted against the client being measured. Prints `EMULATOR_URL <url>`; exits when its stdin closes.
import { startAnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { benchResponder } from './responder.js';

const emulator = await startAnthropicEmulator({ pollsUntilEnded: 0, responder: benchResponder, seed: 1 });
process.stdout.write(`EMULATOR_URL ${emulator.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void emulator.close().then(() => process.exit(0));
});
