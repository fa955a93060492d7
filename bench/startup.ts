// Scenario 7: what a user waits for before the CLI answers. Cold start of `node dist/cli.js --help`
// (a new process each time, the file cache warm, as on a second run) against a bare `node -e 0`,
// interleaved so load on the machine hits both alike; the median of each is judged. Also counts the
// JavaScript that --help loads: the static imports of dist/cli.js, followed chunk by chunk.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface StartupFigures {
  helpMs: number;
  bareMs: number;
  /** Bytes of JavaScript in dist/cli.js and every chunk it imports statically. */
  helpBytes: number;
}

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Bytes of `entry` and every module it imports statically (relative imports only: the bundle's chunks). */
export function staticClosureBytes(entry: string): number {
  const seen = new Set<string>();
  let bytes = 0;
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    bytes += Buffer.byteLength(text);
    // Static `import … from "./x.js"` and `import "./x.js"`; dynamic import("./x.js") is not followed.
    for (const m of text.matchAll(/(?:^|[\s;}])(?:import|export)\s[^"'();]*?["'](\.{1,2}\/[^"']+)["']/g)) {
      walk(join(dirname(file), m[1]!));
    }
    for (const m of text.matchAll(/(?:^|[\s;])import\s*["'](\.{1,2}\/[^"']+)["']/g)) walk(join(dirname(file), m[1]!));
  };
  walk(entry);
  return bytes;
}

export function measureStartup(cli: string, runs = 10): StartupFigures {
  wallMs([cli, '--help']); // the file cache warm for both
  wallMs(['-e', '0']);
  const help: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    help.push(wallMs([cli, '--help']));
    bare.push(wallMs(['-e', '0']));
  }
  return { helpMs: median(help), bareMs: median(bare), helpBytes: staticClosureBytes(cli) };
}
