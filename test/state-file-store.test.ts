// The CLI's state file: one JSON document written a request per line (a night of 100,000 requests is
// never built, nor read back, as one string), read back exactly; states written indented or on one
// line by earlier versions still read; a cut-short file is refused with one line; a collect can list
// collected states without their requests, and such a state cannot be saved back.
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStateStore } from '../src/state/file-store.js';
import { STATE_VERSION, type RunState } from '../src/state/state.js';
import type { RequestRecord } from '../src/types.js';

function stateWith(requestCount: number): RunState {
  const requests: Record<string, RequestRecord> = {};
  for (let i = 0; i < requestCount; i++) {
    const path = `src/dir "${i % 7}"/file-${i}.ts`;
    requests[`cr-${i.toString(16).padStart(40, '0')}`] = {
      paths: [path],
      contentHashes: { [path]: `hash-${i}` },
      lineRanges: { [path]: [{ start: 1, end: i + 1 }] },
      part: i % 3 === 0 ? '1/2' : null,
      estimatedInputTokens: i,
      estimatedOutputTokens: 2 * i,
      attempt: i % 2,
      batchId: 'msgbatch_01',
    };
  }
  return {
    version: STATE_VERSION,
    tool: 'overnight',
    task: 'code-review',
    model: 'claude-sonnet-4-6',
    maxOutputTokens: 4096,
    repository: 'acme/shop',
    serverUrl: 'https://github.com',
    headSha: '0123456789abcdef0123456789abcdef01234567',
    baseSha: null,
    ref: 'refs/heads/main',
    pullRequest: null,
    event: 'schedule',
    window: 'since 2026-11-21',
    createdAt: '2026-11-22T01:00:00.000Z',
    submittedBy: 'run 7',
    batches: [
      {
        id: 'msgbatch_01',
        requestCount,
        attempt: 0,
        submittedAt: '2026-11-22T01:00:00.000Z',
        status: 'in_progress',
        endedAt: null,
        resultsSaved: false,
      },
    ],
    requests,
    estimate: null as unknown as RunState['estimate'],
    collectedAt: null,
    published: { 'abc:issue': 'https://github.com/acme/shop/issues/1' },
    systemPrefix: [{ type: 'text', text: 'You review code.\n"quoted"' }],
    redactions: 2,
    skipped: [{ path: 'big.bin', reason: 'binary' }],
  };
}

async function storeIn(): Promise<{ store: FileStateStore; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'overnight-file-store-'));
  return { store: new FileStateStore({ dir: join(dir, 'states'), resultsDir: join(dir, 'saved') }), dir };
}

describe('FileStateStore', () => {
  it('writes a state of thousands of requests as compact JSON and reads every request back', async () => {
    const { store, dir } = await storeIn();
    const state = stateWith(2_345);
    const id = await store.create(state);
    const text = await readFile(join(dir, 'states', `${id}.json`), 'utf8');
    expect(text).not.toContain('\n  ');
    // One request per line, between the head line and the closing line.
    expect(text.trimEnd().split('\n')).toHaveLength(2_345 + 2);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(state)));
    const [listed] = await store.list('code-review');
    expect(listed?.id).toBe(id);
    expect(listed?.state).toEqual(JSON.parse(JSON.stringify(state)));

    state.collectedAt = '2026-11-23T01:00:00.000Z';
    state.requests[Object.keys(state.requests)[1_500]!]!.batchId = 'msgbatch_02';
    await store.update(id, state);
    const [updated] = await store.list();
    expect(updated?.state.collectedAt).toBe('2026-11-23T01:00:00.000Z');
    expect(Object.values(updated!.state.requests).filter((r) => r.batchId === 'msgbatch_02')).toHaveLength(1);
  });

  it('writes a state without requests as a valid document', async () => {
    const { store } = await storeIn();
    await store.create(stateWith(0));
    const [listed] = await store.list();
    expect(listed?.state.requests).toEqual({});
  });

  it('reads a state an earlier version wrote indented', async () => {
    const { store, dir } = await storeIn();
    const state = stateWith(3);
    await store.create(stateWith(0)); // makes the directory
    await writeFile(
      join(dir, 'states', 'code-review-older.json'),
      JSON.stringify({ ...state, createdAt: '2026-11-20T01:00:00.000Z' }, null, 2),
    );
    const [older] = await store.list();
    expect(older?.id).toBe('code-review-older');
    expect(Object.keys(older!.state.requests)).toHaveLength(3);
  });

  it('reads a state an earlier version wrote compact on one line', async () => {
    const { store, dir } = await storeIn();
    const state = stateWith(1_000);
    await store.create(stateWith(0));
    await writeFile(
      join(dir, 'states', 'code-review-older.json'),
      JSON.stringify({ ...state, createdAt: '2026-11-20T01:00:00.000Z' }),
    );
    const [older] = await store.list();
    expect(older?.state).toEqual(JSON.parse(JSON.stringify({ ...state, createdAt: '2026-11-20T01:00:00.000Z' })));
  });

  it('refuses a state file cut short, in one line naming the file and what to do', async () => {
    const { store, dir } = await storeIn();
    const id = await store.create(stateWith(50));
    const path = join(dir, 'states', `${id}.json`);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, text.indexOf('\n', text.length / 2)));
    await expect(store.list()).rejects.toThrow(/ends before its last request; was it cut short\? Collect with batch-id/);
    await writeFile(path, text.slice(0, Math.floor(text.length / 2)));
    await expect(store.list()).rejects.toThrow(/has a damaged request line/);
  });

  it('lists a collected state without its requests when asked, and will not save such a state', async () => {
    const { store } = await storeIn();
    const open = stateWith(5);
    const done = { ...stateWith(7), createdAt: '2026-11-21T01:00:00.000Z', collectedAt: '2026-11-21T09:00:00.000Z' };
    const doneId = await store.create(done);
    await store.create(open);
    const listed = await store.list(undefined, { withRequests: (head) => !head.collectedAt });
    expect(listed.map((s) => Object.keys(s.state.requests).length)).toEqual([0, 5]);
    expect(listed[0]!.state.collectedAt).toBe('2026-11-21T09:00:00.000Z');
    await expect(store.update(doneId, listed[0]!.state)).rejects.toThrow(/without its requests cannot be saved/);
    // The file is untouched: read in full, it still has all seven.
    const [full] = await store.list();
    expect(Object.keys(full!.state.requests)).toHaveLength(7);
  });

  it('refuses to overwrite an uncollected submission in an explicit state file', async () => {
    const { dir } = await storeIn();
    const file = join(dir, 'night.json');
    const store = new FileStateStore({ dir: join(dir, 'states'), file, resultsDir: join(dir, 'saved') });
    await store.create(stateWith(2));
    await expect(store.create(stateWith(2))).rejects.toThrow(/not collected yet/);
  });
});
