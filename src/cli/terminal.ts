// The CLI's terminal: its lines to stdout and stderr (a closed pipe is no crash), and the progress of
// a long step: one status line on stderr, rewritten in place, shown only
// once the step has taken a few seconds (a quick run stays as quiet as it was) and only on a TTY
// (piped into a file or a CI log, nothing of it is written).

import { escapeLogText } from '../io/safe-text.js';

/** After this long without a finished command, the status line appears. */
export const PROGRESS_AFTER_MS = 2_000;

export interface TerminalProgress {
  /** The stage the command is in now. */
  stage: (text: string) => void;
  /** Before any other line is written: clears the status line so that line starts clean. */
  clear: () => void;
  /** The command ended: clears the line and stops the timer. */
  stop: () => void;
}

/**
 * `write` writes raw text to the terminal; `now` and `every` are the clock (an interval timer that
 * must not keep the process alive).
 */
export function terminalProgress(
  write: (raw: string) => void,
  now: () => number = Date.now,
  every: (ms: number, tick: () => void) => () => void = (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
): TerminalProgress {
  const started = now();
  let stage: string | null = null;
  let shown = false;
  let cancel: (() => void) | null = null;
  const render = (): void => {
    const elapsed = now() - started;
    if (!stage || elapsed < PROGRESS_AFTER_MS) return;
    // \r and erase-line: the status line is rewritten, never scrolled.
    write(`\r\x1b[K${stage}… ${Math.floor(elapsed / 1000)}s`);
    shown = true;
  };
  const clear = (): void => {
    if (shown) write('\r\x1b[K');
    shown = false;
  };
  return {
    stage: (text) => {
      // Escaped like every log line: no control sequence reaches the terminal.
      stage = escapeLogText(text);
      cancel ??= every(500, render);
      render();
    },
    clear,
    stop: () => {
      cancel?.();
      cancel = null;
      stage = null;
      clear();
    },
  };
}

/**
 * Lines to the process's stdout and stderr. `overnight … | head -1`: once the reader has gone, the
 * rest of the output is dropped (EPIPE is no crash) and the command carries on to its own end, so a
 * collect is never cut off halfway through publishing because nobody reads its log.
 */
export function processLines(
  streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean } } = process,
): { out: (line: string) => void; err: (line: string) => void; progress?: TerminalProgress } {
  const gone = new Set<NodeJS.WritableStream>();
  for (const stream of [streams.stdout, streams.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      gone.add(stream);
    });
  }
  const write = (stream: NodeJS.WritableStream, raw: string): void => {
    if (!gone.has(stream)) stream.write(raw);
  };
  // A status line for long steps on a terminal only: in a pipe, a file or a CI log it would be noise.
  const progress = streams.stderr.isTTY ? terminalProgress((raw) => write(streams.stderr, raw)) : undefined;
  const line = (stream: NodeJS.WritableStream) => (text: string) => {
    progress?.clear();
    write(stream, `${text}\n`);
  };
  return { out: line(streams.stdout), err: line(streams.stderr), ...(progress ? { progress } : {}) };
}
