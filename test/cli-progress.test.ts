// Long planning shows progress on a terminal and stays quiet in logs (issue 15, item 1): a status line
// on stderr, rewritten in place once a step has taken a few seconds, cleared before any other line;
// nothing of it when stderr is not a TTY.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { processLines, runCli } from '../src/cli/index.js';
import { terminalProgress, type TerminalProgress } from '../src/cli/terminal.js';
import { sampleCli } from './helpers/cli.js';
import { recordingIO } from './helpers/engine.js';

/** A terminal whose clock moves only when told, with the interval's tick in the test's hand. */
function fakeTerminal() {
  const written: string[] = [];
  let time = 0;
  let tick: (() => void) | null = null;
  const progress = terminalProgress(
    (raw) => written.push(raw),
    () => time,
    (_ms, t) => {
      tick = t;
      return () => (tick = null);
    },
  );
  return {
    written,
    progress,
    advance: (ms: number) => {
      time += ms;
      tick?.();
    },
    ticking: () => tick !== null,
  };
}

describe('the status line', () => {
  it('appears only after a step has taken 2 s, is rewritten in place, and cleared before a normal line', () => {
    const t = fakeTerminal();
    t.progress.stage('gathering the changed files');
    t.advance(1_000);
    expect(t.written).toEqual([]); // a quick step stays quiet
    t.advance(1_500);
    expect(t.written).toEqual(['\r\x1b[Kgathering the changed files… 2s']);
    t.progress.stage('planning requests for 300 files');
    expect(t.written.at(-1)).toBe('\r\x1b[Kplanning requests for 300 files… 2s');
    t.progress.clear();
    expect(t.written.at(-1)).toBe('\r\x1b[K');
    t.progress.stop();
    expect(t.ticking()).toBe(false);
  });

  it('a stage text cannot drive the terminal', () => {
    const t = fakeTerminal();
    t.progress.stage('planning \x1b]0;owned\x07 src');
    t.advance(3_000);
    expect(t.written.join('')).not.toContain('\x1b]');
  });

  it('stderr not a TTY (a pipe, a CI log): no status line at all', () => {
    const stderr = Object.assign(new PassThrough(), { isTTY: false });
    expect(processLines({ stdout: new PassThrough(), stderr }).progress).toBeUndefined();
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    const lines = processLines({ stdout: new PassThrough(), stderr: tty });
    expect(lines.progress).toBeDefined();
    lines.progress!.stop();
  });
});

describe('the stages planning goes through', () => {
  it('estimate reports gathering, then planning with the file count, and the status line is stopped at the end', async () => {
    const cleanups: (() => Promise<void>)[] = [];
    try {
      const { repo } = await sampleCli('sk-ant-test-progress-0123', cleanups);
      const stages: string[] = [];
      let stopped = false;
      const progress: TerminalProgress = { stage: (s) => stages.push(s), clear: () => undefined, stop: () => (stopped = true) };
      const io = { ...recordingIO(repo, {}), progress };
      expect(await runCli(['estimate', '--task', 'code-review', '--since', '24h'], io)).toBe(0);
      expect(stages).toEqual(['gathering the changed files', expect.stringMatching(/^planning requests for [1-9]\d* files?$/)]);
      expect(stopped).toBe(true);
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup();
    }
  });
});
