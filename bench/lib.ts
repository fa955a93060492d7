// Shared pieces of the benchmark: running one scenario in its own Node process (so its peak RSS is
// its own), reading the figures it reports, and small formatting helpers.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

// In the bundled scenario child (see childBundle) import.meta.url is the bundle's, so the parent
// passes the repository root down.
export const REPO_ROOT = process.env.OVERNIGHT_BENCH_ROOT ?? dirname(dirname(fileURLToPath(import.meta.url)));
export const BENCH_DIR = join(REPO_ROOT, 'bench');
const RESULT_PREFIX = 'BENCH_RESULT ';

/** What every scenario child reports, plus its own figures. */
export interface ChildReport {
  /** Peak resident set size of the child process, in MB (getrusage ru_maxrss). */
  peakRssMB: number;
  [key: string]: unknown;
}

/** Peak RSS of this process so far, in MB. ru_maxrss is in kilobytes on Linux. */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Called by a scenario child to hand its figures to the parent (one line on stdout). */
export function report(figures: Record<string, unknown>): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ ...figures, peakRssMB: peakRssMB() })}\n`);
}

/**
 * With BENCH_HEAP_PROFILE=<file.heapprofile>, samples where a scenario child allocates the memory that
 * survives V8's young generation (including what a major GC collects later): the allocations that make
 * the heap, and so the RSS, grow. Each child writes `<file>-<scenario>-<pid>.heapprofile` (Chrome
 * DevTools, Memory tab) when its scenario ends; returns the stop function, or null when not asked.
 */
export async function startHeapProfile(scenario: string): Promise<(() => Promise<void>) | null> {
  const target = process.env.BENCH_HEAP_PROFILE;
  if (!target) return null;
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 32 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  });
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    const path = `${target.replace(/\.heapprofile$/, '')}-${scenario}-${process.pid}.heapprofile`;
    await writeFile(path, JSON.stringify(profile));
    session.disconnect();
    process.stderr.write(`heap profile: ${path}\n`);
  };
}

let bundle: Promise<string> | null = null;

/**
 * bench/child.ts and everything it imports bundled by esbuild into one ESM file (built once per bench
 * run, under the scratch TMPDIR), the way dist/ is built: the scenario children then measure the code a
 * runner executes, not tsx compiling TypeScript at load (which alone held ~170 MB of RSS).
 */
function childBundle(): Promise<string> {
  bundle ??= (async () => {
    const { build } = await import('esbuild');
    // Inside the repository's node_modules (its cache folder), so that what the bundle resolves at run
    // time (the OpenAPI description the GitHub emulator reads) is found as from bench/ itself.
    const dir = join(REPO_ROOT, 'node_modules', '.cache', 'overnight-bench');
    await mkdir(dir, { recursive: true });
    const outfile = join(dir, `child-${process.pid}.mjs`);
    await build({
      entryPoints: [join(BENCH_DIR, 'child.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      // As scripts/build.mjs: CommonJS dependencies call require().
      banner: {
        js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
      },
      // esbuild is a native tool the child only needs for nothing: leave it out of the bundle.
      external: ['esbuild'],
      logLevel: 'warning',
    });
    return outfile;
  })();
  return bundle;
}

/** Removes the scenario bundle built by this run. */
export async function removeChildBundle(): Promise<void> {
  if (bundle) await rm(await bundle, { force: true });
}

/**
 * Runs `bench/child.ts <scenario> <args>` (bundled, see childBundle) in a fresh Node process and returns what it reported.
 * Its stderr (progress lines) is passed through; a child that fails rejects with its last lines.
 */
export function runChild(
  scenario: string,
  args: Record<string, unknown>,
  options: { nodeArgs?: string[] } = {},
): Promise<ChildReport> {
  // BENCH_NODE_FLAGS (e.g. --trace-gc) is passed to every scenario child, for finding where memory goes.
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  return childBundle().then((script) => runScript(script, scenario, args, [...flags, ...(options.nodeArgs ?? [])]));
}

function runScript(script: string, scenario: string, args: Record<string, unknown>, nodeArgs: string[]): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script, scenario, JSON.stringify(args)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OVERNIGHT_BENCH_ROOT: REPO_ROOT },
    });
    let stdout = '';
    let stderrTail = '';
    // Anything else a child prints (e.g. --trace-gc lines) goes to stderr with the scenario's name.
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const other = text.split('\n').filter((l) => l && !l.startsWith(RESULT_PREFIX));
      if (other.length > 0 && !text.includes(RESULT_PREFIX))
        process.stderr.write(other.map((l) => `  [${scenario}] ${l}\n`).join(''));
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderrTail = (stderrTail + text).slice(-4000);
      process.stderr.write(text.replace(/^(?=.)/gm, `  [${scenario}] `));
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        reject(
          new Error(`bench scenario ${scenario} failed (exit ${code}): ${stderrTail.trim().split('\n').slice(-5).join(' | ')}`),
        );
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildReport);
    });
  });
}

/** Milliseconds since `start` (from performance.now()). */
export function since(start: number): number {
  return performance.now() - start;
}

export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
export const megabytes = (mb: number): string => `${Math.round(mb)} MB`;
export const integer = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A deterministic pseudo-random sequence (mulberry32), so every run builds the same inputs. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface EmulatorProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts bench/emulator-process.ts (the Anthropic emulator with the benchmark's responder). */
export function startEmulatorProcess(): Promise<EmulatorProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=8192', '--import', 'tsx', join(BENCH_DIR, 'emulator-process.ts')],
      {
        cwd: REPO_ROOT,
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    let out = '';
    const closed = new Promise<void>((r) => child.on('close', () => r()));
    child.on('error', reject);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const match = /EMULATOR_URL (\S+)/.exec(out);
      if (match) {
        resolve({
          url: match[1]!,
          stop: async () => {
            child.stdin.end();
            await closed;
          },
        });
      }
    });
    child.on('close', (code) => reject(new Error(`emulator process exited (${code}) before listening`)));
  });
}
