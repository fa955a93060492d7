#!/usr/bin/env node
import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  processLines,
  runCli
} from "./chunks/chunk-BGLY3OSS.js";
import "./chunks/chunk-RSZAWMOX.js";
import "./chunks/chunk-JBJALSRO.js";
import "./chunks/chunk-DNB6I4O3.js";
import "./chunks/chunk-2S72PKWC.js";
import "./chunks/chunk-2Y3VZYX5.js";
import "./chunks/chunk-JRK7X5D5.js";
import "./chunks/chunk-7KZNXQQH.js";
import "./chunks/chunk-NINLAGOQ.js";

// src/cli.ts
process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  ...processLines()
});
