// The checks a release must pass, run by .github/workflows/release.yml before it creates anything and
// by CI (.ci/run) on every change, so a release never finds out late:
//   the tag is vMAJOR.MINOR.PATCH and names package.json's version; CHANGELOG.md has a non-empty
//   section for that version; dist/ is what the sources build; `npm publish --dry-run` accepts the
//   package. --notes-out FILE writes the version's CHANGELOG section (the GitHub release's notes).
// Usage: node scripts/release-check.mjs [--tag vX.Y.Z] [--notes-out FILE]
//   The tag defaults to GITHUB_REF_NAME when that is a tag, else to v<package.json version>.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function fail(message) {
  console.error(`release-check: ${message}`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({ options: { tag: { type: 'string' }, 'notes-out': { type: 'string' } } }));
} catch (error) {
  console.error(`release-check: ${error.message.split('\n')[0]}; usage: release-check.mjs [--tag vX.Y.Z] [--notes-out FILE]`);
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const refTag = process.env.GITHUB_REF_TYPE === 'tag' ? process.env.GITHUB_REF_NAME : undefined;
const tag = values.tag ?? refTag ?? `v${pkg.version}`;

const match = /^v(\d+)\.(\d+)\.(\d+)$/.exec(tag);
if (!match) fail(`tag '${tag}' is not a release tag: use vMAJOR.MINOR.PATCH, e.g. v1.2.0`);
const version = tag.slice(1);
if (pkg.version !== version) {
  fail(
    `package.json has version ${pkg.version} but the tag is ${tag}: run npm version ${version} --no-git-tag-version, commit, tag again`,
  );
}

/** The body of the `## [version]` (or `## version`) section of CHANGELOG.md, up to the next `## `. */
function changelogSection(text, wanted) {
  const lines = text.split('\n');
  const escaped = wanted.replace(/\./g, '\\.');
  const start = lines.findIndex((l) => new RegExp(`^## \\[?${escaped}\\]?(\\s|$)`).test(l));
  if (start < 0) return null;
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .filter((l) => !/^\[[^\]]+\]: /.test(l))
    .join('\n')
    .trim();
}

const notes = changelogSection(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), version);
if (notes === null) fail(`CHANGELOG.md has no section for ${version}: add '## [${version}] - YYYY-MM-DD' with what changed`);
if (notes === '') fail(`CHANGELOG.md's section for ${version} is empty: say what changed`);

const dist = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--check'], { cwd: root, encoding: 'utf8' });
if (dist.status !== 0) fail((dist.stderr || dist.stdout).trim().split('\n').at(-1));

// No login needed: the dry run packs and validates the package, then stops before uploading.
const publish = spawnSync(npm, ['publish', '--dry-run', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
if (publish.status !== 0) fail(`npm publish --dry-run failed:\n${publish.stderr}`);

if (values['notes-out']) writeFileSync(values['notes-out'], `${notes}\n`);
const major = `v${match[1]}`;
console.log(
  `release-check: ${tag} is ready: package.json ${pkg.version}, CHANGELOG section (${notes.split('\n').length} lines), dist/ fresh, npm publish --dry-run of ${pkg.name}@${version} ok; the release moves ${major}`,
);
