// A small Git object database: blobs, trees and commits addressed by real Git SHA-1s, plus refs.
import { createHash } from 'node:crypto';

export interface GitTreeEntry {
  path: string; // one path component
  mode: string; // '100644' | '100755' | '120000' | '040000' | '160000'
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

export interface GitSignature {
  name: string;
  email: string;
  date: string;
}

export type GitObject =
  | { type: 'blob'; content: Buffer }
  | { type: 'tree'; entries: GitTreeEntry[] }
  | { type: 'commit'; tree: string; parents: string[]; message: string; author: GitSignature; committer: GitSignature };

/** A flattened tree: full path -> leaf entry (blobs, symlinks, submodules). */
export type FlatTree = Map<string, Omit<GitTreeEntry, 'path'>>;

export const SHA_PATTERN = /^[0-9a-f]{40}$/;

function hashObject(type: string, body: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]))
    .digest('hex');
}

function treeSortKey(entry: GitTreeEntry): string {
  return entry.type === 'tree' ? `${entry.path}/` : entry.path;
}

export class GitDatabase {
  readonly objects = new Map<string, GitObject>();
  /** Full ref name ('refs/heads/main') -> commit SHA. */
  readonly refs = new Map<string, string>();

  writeBlob(content: Buffer): string {
    const sha = hashObject('blob', content);
    this.objects.set(sha, { type: 'blob', content });
    return sha;
  }

  writeTree(entries: GitTreeEntry[]): string {
    const sorted = [...entries].sort((a, b) => (treeSortKey(a) < treeSortKey(b) ? -1 : 1));
    const body = Buffer.concat(
      sorted.flatMap((e) => [Buffer.from(`${e.mode.replace(/^0+/, '')} ${e.path}\0`), Buffer.from(e.sha, 'hex')]),
    );
    const sha = hashObject('tree', body);
    this.objects.set(sha, { type: 'tree', entries: sorted });
    return sha;
  }

  writeCommit(commit: Omit<Extract<GitObject, { type: 'commit' }>, 'type'>, forcedSha?: string): string {
    const signature = (s: GitSignature) => `${s.name} <${s.email}> ${Math.floor(Date.parse(s.date) / 1000)} +0000`;
    const text =
      `tree ${commit.tree}\n` +
      commit.parents.map((p) => `parent ${p}\n`).join('') +
      `author ${signature(commit.author)}\ncommitter ${signature(commit.committer)}\n\n${commit.message}`;
    // A test may name a commit by a SHA it chose (a seeded pull request's head); such a commit keeps it.
    const sha = forcedSha ?? hashObject('commit', Buffer.from(text));
    this.objects.set(sha, { type: 'commit', ...commit });
    return sha;
  }

  get<T extends GitObject['type']>(sha: string, type: T): Extract<GitObject, { type: T }> | undefined {
    const object = this.objects.get(sha);
    return object?.type === type ? (object as Extract<GitObject, { type: T }>) : undefined;
  }

  flatten(treeSha: string, prefix = '', into: FlatTree = new Map()): FlatTree {
    const tree = this.get(treeSha, 'tree');
    if (!tree) throw new Error(`no tree ${treeSha}`);
    for (const entry of tree.entries) {
      const path = prefix + entry.path;
      if (entry.type === 'tree') this.flatten(entry.sha, `${path}/`, into);
      else into.set(path, { mode: entry.mode, type: entry.type, sha: entry.sha });
    }
    return into;
  }

  /** Writes the nested trees for a flattened tree and returns the root tree's SHA. */
  buildTree(flat: FlatTree): string {
    const children = new Map<string, FlatTree>();
    const entries: GitTreeEntry[] = [];
    for (const [path, entry] of flat) {
      const slash = path.indexOf('/');
      if (slash < 0) {
        entries.push({ path, ...entry });
        continue;
      }
      const dir = path.slice(0, slash);
      const sub = children.get(dir) ?? new Map();
      sub.set(path.slice(slash + 1), entry);
      children.set(dir, sub);
    }
    for (const [dir, sub] of children) {
      entries.push({ path: dir, mode: '040000', type: 'tree', sha: this.buildTree(sub) });
    }
    return this.writeTree(entries);
  }

  /** Resolves a branch, tag, full ref or commit SHA to a commit SHA. */
  resolveCommit(refOrSha: string): string | undefined {
    if (SHA_PATTERN.test(refOrSha) && this.get(refOrSha, 'commit')) return refOrSha;
    const name = refOrSha.replace(/^refs\//, '');
    for (const candidate of [`refs/${name}`, `refs/heads/${name}`, `refs/tags/${name}`]) {
      const sha = this.refs.get(candidate);
      if (sha) return sha;
    }
    return undefined;
  }

  /** Finds the entry at `path` in a commit's tree ('' is the root tree). */
  lookup(commitSha: string, path: string): GitTreeEntry | undefined {
    const commit = this.get(commitSha, 'commit');
    if (!commit) return undefined;
    let entry: GitTreeEntry = { path: '', mode: '040000', type: 'tree', sha: commit.tree };
    for (const part of path.split('/').filter(Boolean)) {
      const tree = entry.type === 'tree' ? this.get(entry.sha, 'tree') : undefined;
      const next = tree?.entries.find((e) => e.path === part);
      if (!next) return undefined;
      entry = next;
    }
    return entry;
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    const seen = new Set<string>();
    const queue = [descendant];
    while (queue.length > 0) {
      const sha = queue.shift() as string;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(this.get(sha, 'commit')?.parents ?? []));
    }
    return false;
  }

  readFile(commitSha: string, path: string): string | undefined {
    const entry = this.lookup(commitSha, path);
    return entry?.type === 'blob' ? this.get(entry.sha, 'blob')?.content.toString('utf8') : undefined;
  }
}
