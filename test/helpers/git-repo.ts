// Temporary git repositories with commits placed at chosen times, for tests that need real history.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

// Isolated from the machine's git configuration (hooks, signing, default branch, templates).
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
};

export interface CommitOptions {
  /** Author and committer date; default now. */
  date?: Date;
  message?: string;
}

export interface TestRepo {
  dir: string;
  /**
   * Writes the files (string or bytes; null deletes), stages everything and commits.
   * Returns the new commit's SHA.
   */
  commit(files: Record<string, string | Buffer | null>, options?: CommitOptions): Promise<string>;
  /** Runs git in the repository and returns trimmed stdout. */
  git(...args: string[]): Promise<string>;
  /** Removes the repository directory. */
  cleanup(): Promise<void>;
}

/** A fresh repository on branch `main` with a user configured and signing off. */
export async function makeRepo(): Promise<TestRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'overnight-repo-'));
  const git = async (...args: string[]): Promise<string> => {
    const { stdout } = await execFileAsync('git', args, { cwd: dir, env: GIT_ENV, maxBuffer: 256 * 1024 * 1024 });
    return stdout.trim();
  };
  const gitAt = async (date: Date, args: string[]): Promise<string> => {
    const iso = date.toISOString();
    const { stdout } = await execFileAsync('git', args, {
      cwd: dir,
      env: { ...GIT_ENV, GIT_AUTHOR_DATE: iso, GIT_COMMITTER_DATE: iso },
    });
    return stdout.trim();
  };
  await git('init', '-q', '-b', 'main');
  await git('config', 'user.name', 'Overnight Test');
  await git('config', 'user.email', 'test@example.com');
  await git('config', 'commit.gpgsign', 'false');

  const commit = async (files: Record<string, string | Buffer | null>, options: CommitOptions = {}): Promise<string> => {
    for (const [path, content] of Object.entries(files)) {
      const full = join(dir, path);
      if (content === null) {
        await git('rm', '-q', '--cached', '--ignore-unmatch', '--', path);
        await rm(full, { force: true });
      } else {
        await mkdir(dirname(full), { recursive: true });
        await writeFile(full, content);
      }
    }
    // -f: tests commit files a .gitignore would hide (tracked-but-ignored files exist in the wild).
    await git('add', '-A', '-f', '--', ...Object.keys(files).filter((path) => files[path] !== null));
    await gitAt(options.date ?? new Date(), ['commit', '-q', '--allow-empty', '--no-verify', '-m', options.message ?? 'change']);
    return git('rev-parse', 'HEAD');
  };

  return { dir, commit, git, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
