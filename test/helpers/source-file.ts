// A gathered file as the task tests build it: the whole content changed, its language from the path.
import { createHash } from 'node:crypto';
import { splitLines } from '../../src/prompt/format.js';
import type { SourceFile } from '../../src/types.js';

const LANGUAGE_BY_EXTENSION: Record<string, string> = { json: 'json', py: 'python', go: 'go' };

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function makeFile(path: string, content: string, extra: Partial<SourceFile> = {}): SourceFile {
  const extension = path.slice(path.lastIndexOf('.') + 1);
  return {
    path,
    content,
    contentHash: sha256(content),
    diff: '',
    changedRanges: [{ start: 1, end: splitLines(content).length }],
    status: 'added',
    language: LANGUAGE_BY_EXTENSION[extension] ?? 'typescript',
    redactions: 0,
    bytes: Buffer.byteLength(content),
    ...extra,
  };
}
