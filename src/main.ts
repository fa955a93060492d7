// Entry point of the GitHub Action (action.yml runs dist/index.js, the bundle of this file).
import { runAction } from './action/run-action.js';

await runAction(process.env);
