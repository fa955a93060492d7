#!/usr/bin/env node
import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  processLines,
  runCli
} from "./chunks/chunk-TMOW4IJ2.js";
import "./chunks/chunk-BP3WQEMA.js";
import "./chunks/chunk-JBJALSRO.js";
import "./chunks/chunk-4Z5PWFOH.js";
import "./chunks/chunk-2S72PKWC.js";
import "./chunks/chunk-2Y3VZYX5.js";
import "./chunks/chunk-7KZNXQQH.js";
import "./chunks/chunk-NINLAGOQ.js";

// src/cli.ts
process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  ...processLines()
});
