// Bundles the action (dist/index.js) and the CLI (dist/cli.js) with esbuild: ESM output, because
// @actions/* 3+/6+ are ESM-only, with a createRequire banner for the CommonJS dependencies that call
// require(), and the licence inventory dist/THIRD-PARTY-LICENSES.txt. `--check` builds into a temporary folder and fails when the committed dist/ differs.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { thirdPartyLicenses } from './licenses.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const outdir = check ? mkdtempSync(join(tmpdir(), 'overnight-dist-')) : join(root, 'dist');

const banner = [
  "import { createRequire as __overnightCreateRequire } from 'node:module';",
  'const require = __overnightCreateRequire(import.meta.url);',
].join('\n');

if (!check) rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { index: join(root, 'src/index.ts'), cli: join(root, 'src/cli.ts') },
  outdir,
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: banner },
  legalComments: 'linked',
  sourcemap: false,
  logLevel: 'warning',
  metafile: true,
});
chmodSync(join(outdir, 'cli.js'), 0o755);
// What the bundle contains from other projects, and under which licences (the tarball ships it).
const inventory = thirdPartyLicenses(result.metafile, root);
writeFileSync(join(outdir, 'THIRD-PARTY-LICENSES.txt'), inventory.text);
for (const name of inventory.unlicensed) console.warn(`licences: ${name} is bundled but its package.json names no licence`);

function files(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  );
}

if (check) {
  const committed = join(root, 'dist');
  const want = files(outdir).sort();
  const have = existsSync(committed) ? files(committed).sort() : [];
  const stale = [];
  for (const f of new Set([...want, ...have])) {
    const a = existsSync(join(outdir, f)) ? readFileSync(join(outdir, f)) : null;
    const b = existsSync(join(committed, f)) ? readFileSync(join(committed, f)) : null;
    if (!a || !b || !a.equals(b)) stale.push(f);
  }
  rmSync(outdir, { recursive: true, force: true });
  if (stale.length) {
    console.error(
      `dist/ is stale (${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', …' : ''}): run npm run build and commit dist/`,
    );
    process.exit(1);
  }
  console.log('dist/ is up to date');
}
