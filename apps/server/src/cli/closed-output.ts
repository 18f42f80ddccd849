import type { Writable } from 'node:stream';

/** The errors a write gets once the reading end of its pipe or socket is gone. */
const CLOSED_READER_CODES = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

/** True when `error` says that nobody reads the stream any more (not a fault of civtag). */
export function isClosedReaderError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && CLOSED_READER_CODES.has(code);
}

/**
 * Lets the reader of `streams` (standard output and error) go away without crashing civtag:
 * `civtag stats ds | head -5` closes the pipe after five lines, and the next write fails with
 * EPIPE, which Node reports as an unhandled `error` event with a stack trace. With this, what
 * is written after that is dropped and the command finishes quietly with its own exit code (0
 * for `stats`, `export` and `--help`). A server keeps serving its clients when its output is
 * closed. Any other stream error is thrown as before: it is a fault to report.
 */
export function dropOutputOnceReaderCloses(streams: readonly Writable[]): void {
  for (const stream of streams) {
    stream.on('error', (error: unknown) => {
      if (!isClosedReaderError(error)) throw error;
    });
  }
}
