#!/usr/bin/env node
import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  processLines,
  runCli
} from "./chunks/chunk-BFIUYCFE.js";
import "./chunks/chunk-NU3EXZOR.js";
import "./chunks/chunk-LWHE24TO.js";
import "./chunks/chunk-2Y3VZYX5.js";
import "./chunks/chunk-7KZNXQQH.js";
import "./chunks/chunk-ILN2HY2O.js";

// src/cli.ts
process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  ...processLines()
});
