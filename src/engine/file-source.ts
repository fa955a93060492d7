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
  /** The last file read (see exact). */
  private last: { key: string; file: SourceFile | null } | null = null;
  private warned = false;

  /** `clean`: content hashes submit sent unredacted (RunState.cleanHashes); those files are not scanned again. */
  constructor(
    private readonly cwd: string,
    private readonly log: Logger,
    private readonly clean: ReadonlySet<string> = new Set(),
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
    if (this.last?.key === key) return this.last.file;
    const raw = await this.readRaw(sha, path);
    let file: SourceFile | null = null;
    if (raw !== null && createHash('sha256').update(raw).digest('hex') === expectedHash) {
      const redacted = this.clean.has(expectedHash) ? { content: raw, redactions: 0 } : await redactSecrets(raw, path);
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
    // The last file only (the parts of a split file often arrive together). Results come in any order
    // and files rarely repeat, and a file held here for a while outlives V8's young generation and
    // becomes old-generation garbage: a cache of 256, and even of 16, files was most of a
    // 100,000-result collect's heap growth (bench: 683 MB peak RSS with 256, 350 MB with 1).
    this.last = { key, file };
    return file;
  }

  /** Whether every file of a request can be read back exactly (to rebuild it for a resubmission). */
  async canReadAll(sha: string, record: RequestRecord): Promise<boolean> {
    for (const path of record.paths) {
      if (!(await this.exact(sha, path, record.contentHashes[path] ?? ''))) return false;
    }
    return true;
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
