import type { Writable } from 'node:stream';

/** A one-line progress bar redrawn in place; silent unless the stream is a terminal. */
export interface ProgressBar {
  update(done: number, total: number, detail?: string): void;
  /** Clears the line, so what is printed next starts clean. */
  finish(): void;
}

const WIDTH = 30;
const REDRAW_MS = 100;

/** Makes a progress bar on `stream` (standard error) when it is a terminal. */
export function createProgressBar(
  stream: Writable & { isTTY?: boolean; columns?: number },
  label: string,
): ProgressBar {
  if (stream.isTTY !== true) return { update() {}, finish() {} };
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done, total, detail) {
      const now = Date.now();
      if (now - lastDraw < REDRAW_MS && done < total) return;
      lastDraw = now;
      const ratio = total === 0 ? 0 : Math.min(1, done / total);
      const filled = Math.round(ratio * WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
      let line = `${label} ${bar} ${done}/${total}${detail === undefined ? '' : ` ${detail}`}`;
      const columns = stream.columns ?? 80;
      if (line.length > columns - 1) line = line.slice(0, columns - 1);
      stream.write(`\r\x1b[2K${line}`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
