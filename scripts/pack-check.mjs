// What a user outside this checkout gets: packs the package (`npm pack`, from the built dist/),
// installs the tarball into an empty folder with --engine-strict and no registry (the package has no
// dependencies), and runs the README's commands from there: `npx <name> --help` and the demo.
// Fails when the install warns, takes 15 s or more, leaves 20 MB or more of node_modules, or a
// command fails. Run it under the lowest Node version package.json's engines claim (CI: Node 20).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const MAX_SECONDS = 15;
const MAX_BYTES = 20 * 1024 * 1024;
const problems = [];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function sizeOf(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, e) => sum + sizeOf(join(path, e)), 0);
}

const work = mkdtempSync(join(tmpdir(), 'overnight-pack-'));
try {
  const [packed] = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }));
  const tarball = join(work, packed.filename);
  const shipped = new Set(packed.files.map((f) => f.path));
  for (const need of ['LICENSE', 'README.md', 'action.yml', 'dist/cli.js', 'dist/index.js', 'package.json']) {
    if (!shipped.has(need)) problems.push(`the tarball lacks ${need}`);
  }
  for (const f of shipped) if (/^(src|test|bench|scripts)\//.test(f)) problems.push(`the tarball ships ${f}`);

  const project = join(work, 'empty-project');
  execFileSync('mkdir', [project]);
  const started = process.hrtime.bigint();
  const install = spawnSync(
    npm,
    ['install', '--engine-strict', '--offline', '--no-audit', '--no-fund', '--cache', join(work, 'cache'), tarball],
    { cwd: project, encoding: 'utf8' },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const installLog = `${install.stdout}${install.stderr}`;
  if (install.status !== 0) problems.push(`npm install of the tarball failed:\n${installLog}`);
  const warnings = installLog.split('\n').filter((l) => /\bwarn/i.test(l));
  if (warnings.length > 0) problems.push(`npm install warned ${warnings.length} time(s):\n${warnings.join('\n')}`);
  if (seconds >= MAX_SECONDS) problems.push(`npm install took ${seconds.toFixed(1)} s (limit ${MAX_SECONDS} s)`);
  const modules = join(project, 'node_modules');
  const bytes = install.status === 0 ? sizeOf(modules) : 0;
  if (bytes >= MAX_BYTES) problems.push(`node_modules is ${(bytes / 1048576).toFixed(1)} MB (limit 20 MB)`);
  const packages = install.status === 0 ? readdirSync(modules).filter((e) => !e.startsWith('.')).length : 0;
  console.log(
    `pack-check: ${packed.filename} (${(packed.size / 1048576).toFixed(1)} MB packed), installed on Node ${process.versions.node} ` +
      `in ${seconds.toFixed(1)} s, ${packages} package(s), node_modules ${(bytes / 1048576).toFixed(1)} MB, ${warnings.length} warnings`,
  );

  // The README's commands, from the empty project: npx finds the installed package by its name.
  const env = { ...process.env, npm_config_cache: join(work, 'cache'), npm_config_offline: 'true' };
  delete env.ANTHROPIC_API_KEY;
  const help = spawnSync(npx, [pkg.name, '--help'], { cwd: project, encoding: 'utf8', env });
  if (help.status !== 0 || !help.stdout.startsWith('overnight:')) {
    problems.push(`npx ${pkg.name} --help failed (exit ${help.status}):\n${help.stdout}${help.stderr}`);
  }
  const demo = spawnSync(npx, [pkg.name, 'demo'], { cwd: project, encoding: 'utf8', env });
  const findings = /^\d+ findings in \d+ files, 0 failed/m.exec(demo.stdout ?? '');
  if (demo.status !== 0 || !findings) {
    problems.push(`npx ${pkg.name} demo failed (exit ${demo.status}):\n${demo.stdout}${demo.stderr}`);
  } else console.log(`pack-check: npx ${pkg.name} --help ok; npx ${pkg.name} demo: ${findings[0]}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (problems.length > 0) {
  for (const p of problems) console.error(`pack-check: ${p}`);
  process.exit(1);
}
