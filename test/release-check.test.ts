// The release workflow's gate (scripts/release-check.mjs): a wrong tag or a missing CHANGELOG section
// stops a release with one line saying what to do, before anything is built or published.
import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/runner.js';

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function releaseCheck(args: string[], root = ROOT) {
  const env = { ...process.env };
  delete env.GITHUB_REF_TYPE;
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'release-check.mjs'), ...args], { encoding: 'utf8', env });
  return { code: r.status, stderr: r.stderr.trim() };
}

it('refuses a tag that is not vMAJOR.MINOR.PATCH', () => {
  const r = releaseCheck(['--tag', 'v1']);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe("release-check: tag 'v1' is not a release tag: use vMAJOR.MINOR.PATCH, e.g. v1.2.0");
});

it("refuses a tag that does not name package.json's version", () => {
  const r = releaseCheck(['--tag', 'v99.0.0']);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(
    new RegExp(`^release-check: package.json has version ${version.replace(/\./g, '\\.')} but the tag is v99\\.0\\.0`),
  );
  expect(r.stderr.split('\n')).toHaveLength(1);
});

it('refuses a version without a CHANGELOG section', () => {
  // A copy of the parts the check reads before dist/: package.json, CHANGELOG.md and the script.
  const copy = mkdtempSync(join(tmpdir(), 'overnight-release-check-'));
  cpSync(join(ROOT, 'scripts'), join(copy, 'scripts'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
  writeFileSync(join(copy, 'CHANGELOG.md'), '# Changelog\n\n## [Unreleased]\n\n- something\n');
  const r = releaseCheck([], copy);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    `release-check: CHANGELOG.md has no section for ${version}: add '## [${version}] - YYYY-MM-DD' with what changed`,
  );
});
