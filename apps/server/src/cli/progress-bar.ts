import type { Writable } from 'node:stream';

/** A one-line progress bar redrawn in place; silent unless the stream is a terminal. */
export interface ProgressBar {
  update(done: number, total: number, detail?: string): void;
  /** Clears the line, so what is printed next starts clean. */
  finish(): void;
}

/** The bar's width when the terminal has room; it narrows down to the minimum on a narrow one. */
const BAR_WIDTH = 30;
const MIN_BAR_WIDTH = 10;
const REDRAW_MS = 100;
/** What a terminal that reports no usable width (0 under some emulators and CI) is taken to have. */
const DEFAULT_COLUMNS = 80;
/** Narrower than this, a reported width is not believed: no progress line fits it anyway. */
const MIN_COLUMNS = 20;

/** The width of the terminal to draw on: `columns` when it is believable, else 80. */
export function terminalColumns(columns: number | undefined): number {
  return columns !== undefined && Number.isInteger(columns) && columns >= MIN_COLUMNS
    ? columns
    : DEFAULT_COLUMNS;
}

/**
 * One progress line for a terminal `columns` wide: at most `columns - 1` characters, because a
 * line that reaches the last column wraps on many terminals and each redraw would then add a
 * line. The bar narrows before the counts are cut; the detail is cut first.
 */
export function progressLine(
  columns: number,
  progress: { label: string; done: number; total: number; detail?: string | undefined },
): string {
  const room = columns - 1;
  const counts = ` ${progress.done}/${progress.total}`;
  const fixed = [...progress.label].length + 1 + counts.length;
  const width = Math.max(MIN_BAR_WIDTH, Math.min(BAR_WIDTH, room - fixed));
  const ratio = progress.total === 0 ? 0 : Math.min(1, progress.done / progress.total);
  const filled = Math.round(ratio * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const detail = progress.detail === undefined ? '' : ` ${progress.detail}`;
  // Cut by code points, so that a name with emoji is never split into half a character.
  return [...`${progress.label} ${bar}${counts}${detail}`].slice(0, room).join('');
}

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
      const line = progressLine(terminalColumns(stream.columns), { label, done, total, detail });
      stream.write(`\r\x1b[2K${line}`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
