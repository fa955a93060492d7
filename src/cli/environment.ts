// What the CLI reads about its surroundings: its own version, and the GitHub repository a checkout's
// `origin` names (so findings link to their lines without GITHUB_REPOSITORY).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The version in overnight's package.json: two folders up from src/cli/, one up from the bundle in dist/. */
export async function packageVersion(): Promise<string> {
  for (const relativePath of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(await readFile(fileURLToPath(new URL(relativePath, import.meta.url)), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'overnight-review' && pkg.version) return pkg.version;
    } catch {
      // not here: try the next place
    }
  }
  return 'unknown';
}

/**
 * owner/name of the repository's `origin` when it is on GitHub (https or ssh URL), so that findings
 * link to their lines without GITHUB_REPOSITORY; null for any other remote, or none.
 */
export async function githubOrigin(cwd: string, serverUrl: string): Promise<string | null> {
  const url = await new Promise<string>((done) => {
    execFile('git', ['-C', cwd, 'remote', 'get-url', 'origin'], { timeout: 10_000 }, (error, stdout) =>
      done(error ? '' : stdout.trim()),
    );
  });
  let host: string;
  try {
    host = new URL(serverUrl).host.replace(/[.]/g, '\\.');
  } catch {
    return null; // a malformed GITHUB_SERVER_URL: no links from origin, and no reason to fail a files-only run
  }
  const match = new RegExp(
    `^(?:https://(?:[^@/]+@)?${host}/|ssh://git@${host}/|git@${host}:)([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+?)(?:\\.git)?/?$`,
  ).exec(url);
  return match ? `${match[1]}/${match[2]}` : null;
}
