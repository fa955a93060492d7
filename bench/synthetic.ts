// Synthetic inputs: TypeScript-like source files (functions with bodies, so the planner's
// enclosing-block heuristic has real blocks to find) and git repositories built in one
// `git fast-import` stream: a base commit and a head commit that edits a few lines of every file.
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seeded } from './lib.js';

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };

export function git(cwd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: GIT_ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
    child.on('error', reject);
    // git may exit before reading its (empty) stdin: the exit code says what happened.
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`git ${args[0]}: ${err.trim()}`))));
    child.stdin.end(input ?? '');
  });
}

const WORDS = ['value', 'count', 'items', 'result', 'index', 'buffer', 'config', 'request', 'user', 'order', 'total', 'cache'];

/** One function of about 8 lines; `edit` changes its arithmetic (a one-line change). */
function functionText(file: number, fn: number, random: () => number, edit = 0): string {
  const a = WORDS[Math.floor(random() * WORDS.length)]!;
  const b = WORDS[Math.floor(random() * WORDS.length)]!;
  const k = Math.floor(random() * 97) + 1 + edit;
  return [
    `export function ${a}Of${file}_${fn}(${a}: number, ${b}: string): string {`,
    `  const scaled = ${a} * ${k} + ${b}.length;`,
    `  if (scaled > ${k * 10}) {`,
    `    return ${b}.repeat(2).slice(0, scaled % 17);`,
    `  }`,
    `  // Keep the ${b} short: callers print it.`,
    `  return String(scaled).padStart(${(k % 7) + 2}, '0');`,
    `}`,
    '',
  ].join('\n');
}

/** A source file of `functions` functions; `edits` lists functions whose body changes. */
export function sourceFile(file: number, functions: number, edits: ReadonlySet<number> = new Set()): string {
  const random = seeded(file * 7919 + 1);
  const parts = [
    `// Module ${file}: generated for the overnight benchmark.`,
    `import { strict as assert } from 'node:assert';`,
    '',
  ];
  for (let fn = 0; fn < functions; fn++) parts.push(functionText(file, fn, random, edits.has(fn) ? 1 : 0));
  return parts.join('\n');
}

/** How many functions file `index` has: 3-40 (24-320 lines), skewed small like real code. */
export function functionsOf(index: number): number {
  const r = seeded(index + 17)();
  return 3 + Math.floor(r * r * 38);
}

/** Which functions of file `index` the head commit edits: one to three of them. */
export function editsOf(index: number, functions: number): Set<number> {
  const random = seeded(index * 31 + 5);
  const edits = new Set<number>();
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) edits.add(Math.floor(random() * functions));
  return edits;
}

export const pathOf = (index: number): string => `packages/pkg${Math.floor(index / 500)}/src/module${index}.ts`;

export interface SyntheticRepo {
  dir: string;
  baseSha: string;
  headSha: string;
  files: number;
  bytes: number;
}

/**
 * A repository whose head commit changes `changed` files: 90% edited (1-3 functions each), 10% added.
 * Built with one `git fast-import` stream: seconds for 50,000 files, not 50,000 commits.
 */
export async function buildChangedRepo(changed: number): Promise<SyntheticRepo> {
  const dir = await mkdtemp(join(tmpdir(), `overnight-bench-${changed}-`));
  await git(dir, ['init', '-q', '-b', 'main']);
  const importer = spawn('git', ['fast-import', '--quiet', '--done'], {
    cwd: dir,
    env: GIT_ENV,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let err = '';
  importer.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
  const closed = new Promise<number | null>((resolve) => importer.on('close', resolve));
  let pending = '';
  const write = async (text: string): Promise<void> => {
    pending += text;
    if (pending.length < 1 << 20) return;
    const chunk = pending;
    pending = '';
    if (!importer.stdin.write(chunk)) await new Promise((r) => importer.stdin.once('drain', r));
  };
  const data = (text: string): string => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const added = (index: number): boolean => index % 10 === 9;
  let bytes = 0;

  await write(`commit refs/heads/main\nmark :1\ncommitter Bench <bench@example.com> 1700000000 +0000\n${data('base')}`);
  await write(`M 100644 inline README.md\n${data('# bench repository\n')}`);
  for (let i = 0; i < changed; i++) {
    if (added(i)) continue;
    await write(`M 100644 inline ${pathOf(i)}\n${data(sourceFile(i, functionsOf(i)))}`);
  }
  await write(`commit refs/heads/main\nmark :2\ncommitter Bench <bench@example.com> 1700086400 +0000\n${data('head')}from :1\n`);
  for (let i = 0; i < changed; i++) {
    const functions = functionsOf(i);
    const text = sourceFile(i, functions, added(i) ? new Set() : editsOf(i, functions));
    bytes += Buffer.byteLength(text);
    await write(`M 100644 inline ${pathOf(i)}\n${data(text)}`);
  }
  await write('done\n');
  importer.stdin.end(pending);
  if ((await closed) !== 0) throw new Error(`git fast-import failed: ${err.trim()}`);
  const headSha = await git(dir, ['rev-parse', 'main']);
  const baseSha = await git(dir, ['rev-parse', 'main~1']);
  return { dir, baseSha, headSha, files: changed, bytes };
}
