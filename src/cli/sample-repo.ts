// The sample repository `overnight demo` reviews: a small TypeScript service whose last day of commits
// brings real, recognisable defects (SQL built from input, a shell command from input, weak tokens,
// an off-by-one, a swallowed error), next to older code that is fine and is not re-reviewed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const OLD_FILES: Record<string, string> = {
  'README.md': '# shop\n\nA tiny order service used by the overnight demo.\n',
  'package.json': '{\n  "name": "shop",\n  "type": "module",\n  "scripts": { "test": "vitest run" }\n}\n',
  'src/money.ts': [
    '/** Adds two amounts in cents. */',
    'export function addCents(a: number, b: number): number {',
    '  return a + b;',
    '}',
    '',
  ].join('\n'),
};

const NEW_FILES: Record<string, string> = {
  'src/orders.ts': [
    "import { db } from './db.js';",
    '',
    'export interface Order {',
    '  id: string;',
    '  customer: string;',
    '  total: number;',
    '}',
    '',
    '// Looks up the orders of one customer for the account page.',
    'export async function ordersFor(customer: string): Promise<Order[]> {',
    '  const rows = await db.query("SELECT * FROM orders WHERE customer = \'" + customer + "\'");',
    '  return rows as Order[];',
    '}',
    '',
    'export function totalOf(orders: Order[]): number {',
    '  let total = 0;',
    '  for (let i = 0; i <= orders.length; i++) {',
    '    total += orders[i].total;',
    '  }',
    '  return total;',
    '}',
    '',
  ].join('\n'),
  'src/session.ts': [
    "import { createHash } from 'node:crypto';",
    '',
    '// A session token for the login cookie.',
    'export function newSessionToken(): string {',
    '  const token = Math.random().toString(36).slice(2);',
    '  return token;',
    '}',
    '',
    'export function hashPassword(password: string): string {',
    "  return createHash('md5').update(password).digest('hex');",
    '}',
    '',
  ].join('\n'),
  'src/backup.ts': [
    "import { exec } from 'node:child_process';",
    '',
    '// Archives one customer folder; called from the admin page with the name typed there.',
    'export function backupCustomer(name: string): void {',
    '  exec(`tar czf /backups/${name}.tgz /data/${name}`);',
    '}',
    '',
    'export function readSettings(text: string): unknown {',
    '  try {',
    '    return JSON.parse(text);',
    '  } catch (error) {',
    '  }',
    '  return null;',
    '}',
    '',
  ].join('\n'),
  'src/db.ts': [
    '// Stand-in for the database driver.',
    'export const db = {',
    '  async query(sql: string): Promise<unknown[]> {',
    '    return sql.length > 0 ? [] : [];',
    '  },',
    '};',
    '',
  ].join('\n'),
  '.env': 'STRIPE_KEY=sk_live_demo_never_sent_0000000000\n',
};

function git(cwd: string, args: string[], date?: Date): void {
  const env = { ...process.env };
  if (date) {
    env.GIT_AUTHOR_DATE = date.toISOString();
    env.GIT_COMMITTER_DATE = date.toISOString();
  }
  execFileSync('git', args, { cwd, env, stdio: 'ignore' });
}

function write(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** Builds the sample repository in `dir` (which must be empty): one old commit, two from the last day. */
export function buildSampleRepository(dir: string, now: Date = new Date()): void {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'user.name', 'Demo Developer']);
  git(dir, ['config', 'user.email', 'dev@example.com']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  const hoursAgo = (h: number): Date => new Date(now.getTime() - h * 3_600_000);
  write(dir, OLD_FILES);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Initial service'], hoursAgo(72));
  const { ['src/backup.ts']: backup, ...first } = NEW_FILES;
  write(dir, first);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Orders page and sessions'], hoursAgo(20));
  write(dir, { 'src/backup.ts': backup! });
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Admin backups'], hoursAgo(3));
}
