// Entry point of the GitHub Action (action.yml runs dist/index.js, the bundle of this file).
import { run } from './main.js';

await run();
