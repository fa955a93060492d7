// Reading and writing files of lines (results JSONL, states) in small pieces. Both exist for memory:
// a collect of 100,000 results reads and writes hundreds of MB, and anything that waits in a queue
// while the event loop turns (readline's async iterator buffers up to 1,024 lines; an fs write
// stream holds every string until its write completes) outlives V8's young generation, is promoted,
// and piles up as old-generation garbage until a full GC: the heap, and the RSS, grow with the night.
// Here a line lives only while its consumer works on it.
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

const READ_CHUNK_BYTES = 64 * 1024;

/**
 * The lines of a UTF-8 file, one at a time, without their line breaks (`\n` or `\r\n`). A line longer
 * than a chunk (a state written on one line by an earlier version) is gathered in pieces and joined
 * once, not searched again with every chunk.
 */
export async function* readLines(path: string): AsyncGenerator<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(READ_CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let pieces: string[] = [];
    const take = (last: string): string => {
      const line = pieces.length > 0 ? pieces.join('') + last : last;
      pieces = [];
      return line.endsWith('\r') ? line.slice(0, -1) : line;
    };
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      const chunk = bytesRead > 0 ? decoder.write(buffer.subarray(0, bytesRead)) : decoder.end();
      let start = 0;
      for (let newline = chunk.indexOf('\n'); newline !== -1; newline = chunk.indexOf('\n', start)) {
        yield take(chunk.slice(start, newline));
        start = newline + 1;
      }
      if (start < chunk.length) pieces.push(chunk.slice(start));
      if (bytesRead === 0) break;
    }
    if (pieces.length > 0) yield take('');
  } finally {
    await handle.close();
  }
}

const WRITE_CHUNK_CHARS = 64 * 1024;

/**
 * Appends text to a new file in ~64 KB synchronous writes. Synchronous on purpose: a page-cache write
 * of 64 KB takes microseconds, and nothing is held while waiting for the thread pool.
 */
export class ChunkedFileWriter {
  private fd: number | null = null;
  /** Text not yet written (V8 concatenates as a rope: no copy until the write). */
  private pending = '';

  private constructor(readonly path: string) {}

  /** Creates (or truncates) `path`, making its directory. */
  static async create(path: string): Promise<ChunkedFileWriter> {
    await mkdir(dirname(path), { recursive: true });
    const writer = new ChunkedFileWriter(path);
    writer.fd = openSync(path, 'w');
    return writer;
  }

  write(text: string): void {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    this.pending += text;
    if (this.pending.length >= WRITE_CHUNK_CHARS) this.flush();
  }

  private flush(): void {
    if (this.fd !== null && this.pending.length > 0) writeSync(this.fd, this.pending);
    this.pending = '';
  }

  close(): void {
    if (this.fd === null) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}
