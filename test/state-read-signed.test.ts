// A signed state is checked in the same pass that reads it (src/state/document.ts readStateFile with a
// seal): what it returns is only ever what verified, and a state that fails its signature is said to
// fail it even when it is also damaged (a hostile file must not choose which message the user gets).
import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStateFile, serialiseState } from '../src/state/document.js';
import { FileStateStore } from '../src/state/file-store.js';
import { StateSigner, StateUntrustedError, UnsignedStateError } from '../src/state/signing.js';
import { StateFormatError } from '../src/state/store.js';
import type { RunState } from '../src/state/state.js';
import type { RequestRecord } from '../src/types.js';
import { forgedState } from './helpers/forged-state.js';
import { recordingLogger } from './helpers/engine.js';

const signer = StateSigner.fromApiKey('sk-ant-test-read-once')!;
const seal = { signer, label: 'file' };

function stateOf(requests: number, fields: Partial<RunState> = {}): RunState {
  const records: Record<string, RequestRecord> = {};
  for (let i = 0; i < requests; i++) {
    const path = `src/file-${i}.ts`;
    records[`cr-${i}`] = {
      paths: [path],
      contentHashes: { [path]: `hash-${i}` },
      lineRanges: { [path]: [{ start: 1, end: 10 }] },
      part: null,
      estimatedInputTokens: 1,
      estimatedOutputTokens: 1,
      attempt: 0,
      batchId: 'msgbatch_01',
    };
  }
  return { ...forgedState('code-review'), requests: records, ...fields };
}

/** The document's lines, with `edit` applied before it is signed (a damaged file its signer wrote). */
function signedLines(state: RunState, edit: (lines: string[]) => string[] = (l) => l): string {
  const unsigned = [...serialiseState(state)].join('').trimEnd().split('\n');
  const body = edit(unsigned.slice(0, -1));
  const mac = signer.documentMac(seal.label);
  for (const line of body) mac.update(`${line}\n`);
  return `${body.join('\n')}\n},"signature":"hmac-sha256:${mac.digest('hex')}"}\n`;
}

async function fileWith(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'overnight-read-signed-'));
  const path = join(dir, 'state.json');
  await writeFile(path, text);
  return path;
}

const damage = (lines: string[]): string[] => lines.map((line, i) => (i === 2 ? line.slice(0, 20) : line));

describe('readStateFile with a seal', () => {
  it('returns the state and every request when the signature holds', async () => {
    const path = await fileWith([...serialiseState(stateOf(50), seal)].join(''));
    const state = await readStateFile(path, 'the state', {}, seal);
    expect(Object.keys(state.requests)).toHaveLength(50);
    expect(state.requests['cr-49']!.contentHashes['src/file-49.ts']).toBe('hash-49');
  });

  it('a damaged line under a signature that does not hold: the signature is what is reported', async () => {
    const good = signedLines(stateOf(5));
    const tampered = good.replace(/"src\/file-3\.ts":"hash-3"/, '"src/file-3.ts":"hash-X"').split('\n');
    tampered[2] = tampered[2]!.slice(0, 20);
    const path = await fileWith(tampered.join('\n'));
    await expect(readStateFile(path, 'the state', {}, seal)).rejects.toThrow(StateUntrustedError);
    // Unsealed, the same file is simply damaged.
    await expect(readStateFile(path, 'the state')).rejects.toThrow(/has a damaged request line/);
  });

  it('a damaged line its signer wrote (signature holds) is a format error, said once the signature is known', async () => {
    const path = await fileWith(signedLines(stateOf(5), damage));
    const error = await readStateFile(path, 'the state', {}, seal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateFormatError);
    expect((error as Error).message).toMatch(/^the state has a damaged request line/);
  });

  it('a state read without its requests is still checked to its last line', async () => {
    const altered = [...serialiseState(stateOf(5), seal)].join('').replace('hash-4', 'hash-Y');
    const path = await fileWith(altered);
    await expect(readStateFile(path, 'the state', { withRequests: () => false }, seal)).rejects.toThrow(
      /signature that does not match/,
    );
    const unsigned = await fileWith([...serialiseState(stateOf(5))].join(''));
    await expect(readStateFile(unsigned, 'the state', { withRequests: () => false }, seal)).rejects.toThrow(UnsignedStateError);
    await expect(readStateFile(unsigned, 'the state', { withRequests: () => false })).resolves.toMatchObject({
      task: 'code-review',
    });
  });

  it('text after the signature line is refused, as before', async () => {
    const path = await fileWith(`${[...serialiseState(stateOf(2), seal)].join('')}{"more":1}\n`);
    await expect(readStateFile(path, 'the state', {}, seal)).rejects.toThrow(/has text after its end/);
  });
});

describe('FileStateStore lists signed states in one read', () => {
  it('a damaged file whose signature fails is ignored with the signature warning; one of another task too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'overnight-read-signed-store-'));
    const states = join(dir, 'states');
    await mkdir(states, { recursive: true });
    const { log, lines } = recordingLogger();
    const store = new FileStateStore({ dir: states, resultsDir: join(dir, 'saved'), signer, log });
    const id = await store.create(stateOf(3));
    const broken = signedLines(stateOf(4), damage).replace('hash-0', 'hash-Z');
    await writeFile(join(states, 'broken.json'), broken);
    const other = [...serialiseState(stateOf(2, { task: 'security-scan' }), seal)].join('').replace('hash-1', 'hash-W');
    await writeFile(join(states, 'other-task.json'), other);
    expect((await store.list('code-review')).map((s) => s.id)).toEqual([id]);
    expect(lines.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual([
      expect.stringMatching(/^state file .*broken\.json ignored: it has a signature that does not match/),
      expect.stringMatching(/^state file .*other-task\.json ignored: it has a signature that does not match/),
    ]);
  });
});

describe("the run's signer (StateSigner.forRun)", () => {
  it('an explicit state-signing-key wins: a job with an API key and one without sign alike', async () => {
    const withKey = StateSigner.forRun({ apiKey: 'sk-ant-test-only-in-one-job', stateSigningKey: 'long-random-state-key' })!;
    const withoutKey = StateSigner.forRun({ apiKey: '', stateSigningKey: 'long-random-state-key' })!;
    const path = await fileWith([...serialiseState(stateOf(3), { signer: withKey, label: 'file' })].join(''));
    const state = await readStateFile(path, 'the state', {}, { signer: withoutKey, label: 'file' });
    expect(Object.keys(state.requests)).toHaveLength(3);
    // Without a signing key the API key's own signer is used, as before.
    expect(StateSigner.forRun({ apiKey: 'sk-ant-test-read-once', stateSigningKey: '' })!.documentMac('x').digest('hex')).toBe(
      signer.documentMac('x').digest('hex'),
    );
    expect(StateSigner.forRun({ apiKey: '', stateSigningKey: '' })).toBeNull();
  });
});
