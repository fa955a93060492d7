import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);

// src/io/lines.ts
import { closeSync, openSync, writeSync } from "node:fs";
import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import { StringDecoder } from "node:string_decoder";
var READ_CHUNK_BYTES = 64 * 1024;
async function* readLines(path) {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(READ_CHUNK_BYTES);
    const decoder = new StringDecoder("utf8");
    let pieces = [];
    const take = (last) => {
      const line = pieces.length > 0 ? pieces.join("") + last : last;
      pieces = [];
      return line.endsWith("\r") ? line.slice(0, -1) : line;
    };
    for (; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      const chunk = bytesRead > 0 ? decoder.write(buffer.subarray(0, bytesRead)) : decoder.end();
      let start = 0;
      for (let newline = chunk.indexOf("\n"); newline !== -1; newline = chunk.indexOf("\n", start)) {
        yield take(chunk.slice(start, newline));
        start = newline + 1;
      }
      if (start < chunk.length) pieces.push(chunk.slice(start));
      if (bytesRead === 0) break;
    }
    if (pieces.length > 0) yield take("");
  } finally {
    await handle.close();
  }
}
var WRITE_CHUNK_CHARS = 64 * 1024;
var ChunkedFileWriter = class _ChunkedFileWriter {
  constructor(path) {
    this.path = path;
  }
  path;
  fd = null;
  /** Text not yet written (V8 concatenates as a rope: no copy until the write). */
  pending = "";
  /** Creates (or truncates) `path`, making its directory. */
  static async create(path) {
    await mkdir(dirname(path), { recursive: true });
    const writer = new _ChunkedFileWriter(path);
    writer.fd = openSync(path, "w");
    return writer;
  }
  write(text) {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    this.pending += text;
    if (this.pending.length >= WRITE_CHUNK_CHARS) this.flush();
  }
  flush() {
    if (this.fd !== null && this.pending.length > 0) writeSync(this.fd, this.pending);
    this.pending = "";
  }
  close() {
    if (this.fd === null) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }
};

export {
  readLines,
  ChunkedFileWriter
};
