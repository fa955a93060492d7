// Talking to git: argument arrays, never a shell; one long-lived `cat-file --batch` for contents so
// that thousands of files never mean thousands of processes.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { ConfigError } from '../errors.js';

/**
 * Options every call passes so a user's git configuration cannot change what we parse
 * (no pager, no colour, no external diff or textconv, paths printed verbatim).
 */
const STABLE_CONFIG = [
  '-c',
  'core.quotePath=false',
  '-c',
  'color.ui=false',
  '-c',
  'diff.noprefix=false',
  '-c',
  'diff.relative=false',
  '-c',
  'diff.mnemonicPrefix=false',
  '-c',
  'diff.suppressBlankEmpty=false',
  '--no-pager',
];

const GIT_ENV = {
  ...process.env,
  // Never prompt for credentials or open an editor from a CI job.
  GIT_TERMINAL_PROMPT: '0',
  GIT_EDITOR: 'true',
  LC_ALL: 'C',
};

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    const firstLine = stderr.split('\n').find((line) => line.trim() !== '') ?? `exit code ${exitCode}`;
    super(`git ${args[0] ?? ''} failed: ${firstLine.trim()}`);
    this.name = 'GitError';
  }
}

function spawnGit(cwd: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn('git', [...STABLE_CONFIG, ...args], { cwd, env: GIT_ENV, stdio: 'pipe', windowsHide: true });
}

function missingGit(error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOENT') {
    return new ConfigError('git is not installed or not on PATH; install git (actions/checkout needs it too)');
  }
  return error;
}

export interface GitRunOptions {
  /** Written to git's stdin, then stdin is closed. */
  input?: string;
  /** Exit codes that are answers, not failures (e.g. 1 for `symbolic-ref -q` on a detached HEAD). */
  okExitCodes?: number[];
}

export interface GitResult {
  stdout: Buffer;
  exitCode: number;
}

/** Runs one git command to completion and returns its whole stdout. */
export function runGitRaw(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, args);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(missingGit(error)));
    child.on('close', (code) => {
      const exitCode = code ?? -1;
      if (exitCode === 0 || options.okExitCodes?.includes(exitCode)) {
        resolve({ stdout: Buffer.concat(out), exitCode });
      } else {
        reject(new GitError(args, code, Buffer.concat(err).toString('utf8')));
      }
    });
    // git may exit before reading all its input (EPIPE); the exit code tells what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Runs git and returns stdout as text without the final newline. */
export async function runGit(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<string> {
  const { stdout } = await runGitRaw(cwd, args, options);
  return stdout.toString('utf8').replace(/\n$/, '');
}

/**
 * Streams git's stdout as text, calling `onText` per chunk (UTF-8 sequences are never split),
 * for outputs too large to hold whole (a patch over thousands of files).
 */
export function streamGit(cwd: string, args: readonly string[], onText: (text: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, args);
    const err: Buffer[] = [];
    let failed: unknown = null;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      if (failed) return;
      try {
        onText(text);
      } catch (error) {
        failed = error;
        child.kill();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(missingGit(error)));
    child.on('close', (code) => {
      if (failed) reject(failed);
      else if (code === 0) resolve();
      else reject(new GitError(args, code, Buffer.concat(err).toString('utf8')));
    });
    child.stdin.end();
  });
}

/** A blob as `git cat-file --batch` returns it; null when the object does not exist. */
export type ObjectContent = { type: string; data: Buffer } | null;

interface PendingRead {
  resolve(value: ObjectContent): void;
  reject(error: Error): void;
}

/**
 * One `git cat-file --batch` process answering any number of object requests in order.
 * Requests are pipelined: call `read` for many objects, then await them all.
 */
export class GitObjectReader {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: PendingRead[] = [];
  private buffered: Buffer = Buffer.alloc(0);
  /** Header of the object whose body is being received. */
  private current: { type: string; size: number } | null = null;
  private bodyChunks: Buffer[] = [];
  private bodyLength = 0;
  private closedWith: Error | null = null;
  private stderr = '';

  constructor(cwd: string) {
    this.child = spawnGit(cwd, ['cat-file', '--batch']);
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (error) => this.fail(missingGit(error)));
    this.child.on('close', (code) => {
      this.fail(new GitError(['cat-file', '--batch'], code, this.stderr || 'cat-file exited early'));
    });
  }

  /** Content of an object by name (`<sha>`, `<commit>:<path>`). Names must not contain a newline. */
  read(name: string): Promise<ObjectContent> {
    if (name.includes('\n')) return Promise.reject(new Error(`object name contains a newline: ${JSON.stringify(name)}`));
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      this.child.stdin.write(`${name}\n`);
    });
  }

  /** Ends the process; pending reads are rejected. */
  close(): void {
    if (!this.closedWith) {
      this.closedWith = new Error('object reader closed');
      this.child.stdin.end();
    }
    for (const pending of this.queue.splice(0)) pending.reject(this.closedWith);
  }

  private fail(error: Error): void {
    if (!this.closedWith) this.closedWith = error;
    for (const pending of this.queue.splice(0)) pending.reject(error);
  }

  private receive(chunk: Buffer): void {
    let data = this.buffered.length > 0 ? Buffer.concat([this.buffered, chunk]) : chunk;
    this.buffered = Buffer.alloc(0);
    while (data.length > 0) {
      if (this.current) {
        // Body plus the newline git prints after it.
        const needed = this.current.size + 1 - this.bodyLength;
        const take = Math.min(needed, data.length);
        this.bodyChunks.push(data.subarray(0, take));
        this.bodyLength += take;
        data = data.subarray(take);
        if (this.bodyLength === this.current.size + 1) {
          const body = Buffer.concat(this.bodyChunks, this.bodyLength).subarray(0, this.current.size);
          const type = this.current.type;
          this.current = null;
          this.bodyChunks = [];
          this.bodyLength = 0;
          this.queue.shift()?.resolve({ type, data: body });
        }
        continue;
      }
      const newline = data.indexOf(0x0a);
      if (newline < 0) {
        this.buffered = Buffer.from(data);
        return;
      }
      const header = data.subarray(0, newline).toString('utf8');
      data = data.subarray(newline + 1);
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.queue.shift()?.resolve(null);
        continue;
      }
      const match = /^\S+ (\S+) (\d+)$/.exec(header);
      if (!match) {
        this.fail(new Error(`unexpected git cat-file output: ${header.slice(0, 200)}`));
        return;
      }
      this.current = { type: match[1]!, size: Number(match[2]) };
    }
  }
}

/** Sizes of many objects in one `git cat-file --batch-check` call; missing objects are absent from the map. */
export async function objectSizes(cwd: string, names: readonly string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const unique = [...new Set(names)];
  if (unique.length === 0) return sizes;
  const output = await runGit(cwd, ['cat-file', '--batch-check=%(objectsize)'], { input: unique.join('\n') + '\n' });
  const lines = output.split('\n');
  unique.forEach((name, index) => {
    const line = lines[index] ?? '';
    if (/^\d+$/.test(line)) sizes.set(name, Number(line));
  });
  return sizes;
}
