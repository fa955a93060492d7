// Reading and writing files of lines in pieces (src/io/lines.ts): the results stream and the state
// are read through readLines, so every line must come back exactly, whatever falls on a chunk boundary.
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChunkedFileWriter, readLines } from '../src/io/lines.js';

async function temp(name: string): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'overnight-lines-')), name);
}

async function linesOf(text: string): Promise<string[]> {
  const path = await temp('in.txt');
  await writeFile(path, text);
  const lines: string[] = [];
  for await (const line of readLines(path)) lines.push(line);
  return lines;
}

describe('readLines', () => {
  it('gives every line without its break, for \\n and \\r\\n, with or without a last break', async () => {
    expect(await linesOf('a\nb\r\nc')).toEqual(['a', 'b', 'c']);
    expect(await linesOf('a\n\nb\n')).toEqual(['a', '', 'b']);
    expect(await linesOf('')).toEqual([]);
  });

  it('keeps lines longer than a chunk and characters split across chunks whole', async () => {
    // 64 KB chunks: a 200 KB line, and 3-byte characters placed so that one straddles every boundary.
    const long = 'x'.repeat(200_000);
    const wide = '€'.repeat(70_000);
    const text = `${long}\n${wide}\r\nend`;
    expect(await linesOf(text)).toEqual([long, wide, 'end']);
  });
});

describe('ChunkedFileWriter', () => {
  it('writes everything it was given, in order, once closed', async () => {
    const path = await temp('deep/out.jsonl');
    const writer = await ChunkedFileWriter.create(path);
    const lines = Array.from({ length: 5_000 }, (_, i) => `${JSON.stringify({ i, text: '€'.repeat(i % 50) })}\n`);
    for (const line of lines) writer.write(line);
    writer.close();
    expect(await readFile(path, 'utf8')).toBe(lines.join(''));
    expect(() => writer.write('late')).toThrow(/closed/);
  });
});
