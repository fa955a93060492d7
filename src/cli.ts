#!/usr/bin/env node
// Entry point of the `overnight` command: everything happens in cli/index.ts.
import { processLines, runCli } from './cli/index.js';

process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  ...processLines(),
});
