// Collect runs in another workflow run than submit, so it reads the reviewed files again from git at
// the reviewed commit (the collect workflow checks out with fetch-depth: 0). It needs them to anchor
// and fingerprint findings and to rebuild requests it resubmits. When the commit is not available,
// it falls back to blank lines of the right count: findings still publish, with weaker fingerprints.
import { createHash } from 'node:crypto';
import { GitObjectReader } from '../gather/git.js';
import { languageFor } from '../gather/language.js';
import { redactSecrets } from '../gather/redact.js';
import type { Logger, RequestRecord, SourceFile } from '../types.js';

export class FileSource {
  private reader: GitObjectReader | null = null;
  private readonly cache = new Map<string, SourceFile | null>();
  private warned = false;

  constructor(
    private readonly cwd: string,
    private readonly log: Logger,
  ) {}

  private async readRaw(sha: string, path: string): Promise<string | null> {
    try {
      this.reader ??= new GitObjectReader(this.cwd);
      const object = await this.reader.read(`${sha}:${path}`);
      return object && object.type === 'blob' ? object.data.toString('utf8') : null;
    } catch {
      return null;
    }
  }

  /** The file as it was sent (redacted), or null when the reviewed commit is not in this checkout. */
  async exact(sha: string, path: string, expectedHash: string): Promise<SourceFile | null> {
    const key = `${sha}:${path}`;
    if (this.cache.has(key)) return this.cache.get(key)!;
    const raw = await this.readRaw(sha, path);
    let file: SourceFile | null = null;
    if (raw !== null && createHash('sha256').update(raw).digest('hex') === expectedHash) {
      const redacted = await redactSecrets(raw, path);
      file = {
        path,
        content: redacted.content,
        contentHash: expectedHash,
        diff: '',
        changedRanges: [],
        status: 'modified',
        language: languageFor(path),
        redactions: redacted.redactions,
        bytes: Buffer.byteLength(raw),
      };
    }
    // Keep the cache small: collect walks results in any order, files rarely repeat.
    if (this.cache.size > 256) this.cache.clear();
    this.cache.set(key, file);
    return file;
  }

  /** The unit's files for normalising an answer: exact when possible, placeholders otherwise. */
  async forRecord(sha: string, record: RequestRecord): Promise<SourceFile[]> {
    const files: SourceFile[] = [];
    for (const path of record.paths) {
      const hash = record.contentHashes[path] ?? '';
      const exact = await this.exact(sha, path, hash);
      if (exact) {
        files.push(exact);
        continue;
      }
      if (!this.warned) {
        this.log.warning(
          `commit ${sha.slice(0, 7)} is not in this checkout: findings keep their lines but their fingerprints are weaker; check out with fetch-depth: 0`,
        );
        this.warned = true;
      }
      const lines = Math.max(1, ...(record.lineRanges[path] ?? []).map((r) => r.end));
      files.push({
        path,
        content: '\n'.repeat(lines),
        contentHash: hash,
        diff: '',
        changedRanges: [],
        status: 'modified',
        language: languageFor(path),
        redactions: 0,
        bytes: 0,
      });
    }
    return files;
  }

  close(): void {
    this.reader?.close();
    this.reader = null;
  }
}
