// The action's logic, in the layout of GitHub's typescript-action template: importing this module
// does nothing; src/index.ts (the bundle's entry, dist/index.js) calls run(), and so does
// @github/local-action (`npm run local-action`), which stubs @actions/core around it.
import { runAction } from './action/run-action.js';

/** Runs the action with the inputs and context GitHub (or local-action) put in the environment. */
export async function run(): Promise<void> {
  await runAction(process.env);
}
