// Shared pieces of the benchmark: running one scenario in its own Node process (so its peak RSS is
// its own), reading the figures it reports, and small formatting helpers.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = dirname(BENCH_DIR);
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
 * Runs `bench/child.ts <scenario> <args>` in a fresh Node process with tsx and returns what it reported.
 * Its stderr (progress lines) is passed through; a child that fails rejects with its last lines.
 */
export function runChild(
  scenario: string,
  args: Record<string, unknown>,
  options: { nodeArgs?: string[] } = {},
): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), '--import', 'tsx', join(BENCH_DIR, 'child.ts'), scenario, JSON.stringify(args)],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderrTail = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
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
