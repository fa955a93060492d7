// Reading what steers overnight from git objects at a trusted commit: the tree, its .gitignore files,
// and single files (instructions, the decisions file) that must be regular files, never links.
import { posix } from 'node:path';
import ignore from 'ignore';
import { GitObjectReader, runGit } from './git.js';

export const SUBMODULE_MODE = '160000';
export const SYMLINK_MODE = '120000';

export interface TreeEntry {
  mode: string;
  sha: string;
  path: string;
}

/** Every blob (files and symlinks) of a commit's tree. */
export async function listTree(cwd: string, commit: string): Promise<TreeEntry[]> {
  const out = await runGit(cwd, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, sha] = record.slice(0, tab).split(' ');
    if (type === 'blob') entries.push({ mode: mode!, sha: sha!, path: record.slice(tab + 1) });
  }
  return entries;
}

/** A rules file nested in the tree (.gitignore, .gitattributes): its path, its directory ('' at the root) and its text. */
export interface RulesFile {
  path: string;
  dir: string;
  text: string;
}

/**
 * Every regular file named `name` in `tree` (the trusted commit's; a link is never followed), the
 * shallowest first: git applies nested rules files that way, a deeper one overriding its parents.
 */
export async function nestedRulesFiles(tree: readonly TreeEntry[], name: string, reader: GitObjectReader): Promise<RulesFile[]> {
  const depth = (path: string): number => path.split('/').length;
  const entries = tree
    .filter((entry) => posix.basename(entry.path) === name && entry.mode !== SYMLINK_MODE)
    .sort((a, b) => depth(a.path) - depth(b.path));
  const files: RulesFile[] = [];
  for (const entry of entries) {
    const object = await reader.read(entry.sha);
    if (!object) continue;
    const dir = posix.dirname(entry.path);
    files.push({ path: entry.path, dir: dir === '.' ? '' : dir, text: object.data.toString('utf8') });
  }
  return files;
}

/** `path` relative to a rules file's directory, or null when the file's rules do not reach it. */
export function pathUnder(dir: string, path: string): string | null {
  if (dir === '') return path;
  return path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : null;
}

/** The .gitignore files of `tree` (the trusted commit's), applied the way git nests them. */
export async function gitignoreMatcher(tree: TreeEntry[], reader: GitObjectReader): Promise<(path: string) => boolean> {
  const levels = (await nestedRulesFiles(tree, '.gitignore', reader)).map((file) => ({
    dir: file.dir,
    rules: ignore().add(file.text),
  }));
  return (path) => {
    let ignored = false;
    for (const level of levels) {
      const relative = pathUnder(level.dir, path);
      if (relative === null) continue;
      const result = level.rules.test(relative);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  };
}

/** What a path names at a commit. Only `file` has content; a link is never followed. */
export type EntryAt =
  | { kind: 'file'; data: Buffer }
  | { kind: 'missing' }
  | { kind: 'symlink' }
  | { kind: 'submodule' }
  | { kind: 'directory' }
  /** Absolute, `..`, empty segments, backslashes: not a path inside the repository. */
  | { kind: 'outside' };

/** A repository-relative POSIX path without `.`, `..`, empty segments or a drive; null otherwise. */
export function normaliseRelativePath(path: string): string | null {
  if (path === '' || path.startsWith('/') || path.includes('\\') || /^[a-zA-Z]:/.test(path) || path.includes('\0')) return null;
  const segments = path.split('/').filter((segment) => segment !== '.');
  if (segments.length === 0 || segments.some((segment) => segment === '' || segment === '..')) return null;
  return segments.join('/');
}

/**
 * The entry `path` names in `commit`'s tree, read from git objects: the parent directory is
 * resolved inside the tree (a symlinked directory does not resolve), then the entry's mode decides.
 */
export async function entryAt(cwd: string, commit: string, path: string): Promise<EntryAt> {
  const normal = normaliseRelativePath(path);
  if (normal === null) return { kind: 'outside' };
  const slash = normal.lastIndexOf('/');
  const dir = slash < 0 ? '' : normal.slice(0, slash);
  const name = normal.slice(slash + 1);
  const parent = await runGit(cwd, ['rev-parse', '--verify', '--quiet', `${commit}:${dir}`], { okExitCodes: [1, 128] });
  if (!/^[0-9a-f]{40,64}$/.test(parent)) return { kind: 'missing' };
  const listing = await runGit(cwd, ['ls-tree', '-z', parent], { okExitCodes: [128] });
  for (const record of listing.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0 || record.slice(tab + 1) !== name) continue;
    const [mode, type, sha] = record.slice(0, tab).split(' ');
    if (mode === SYMLINK_MODE) return { kind: 'symlink' };
    if (mode === SUBMODULE_MODE || type === 'commit') return { kind: 'submodule' };
    if (type === 'tree') return { kind: 'directory' };
    const reader = new GitObjectReader(cwd);
    try {
      const object = await reader.read(sha!);
      return object ? { kind: 'file', data: object.data } : { kind: 'missing' };
    } finally {
      reader.close();
    }
  }
  return { kind: 'missing' };
}
