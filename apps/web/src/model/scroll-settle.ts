/** A scroll position at a time (ms, as `performance.now()`). */
interface ScrollSample {
  time: number;
  top: number;
}

export interface ScrollSettleOptions {
  /** How long a fast scroll must rest before its rows are loaded. Default 90 ms. */
  restMs?: number;
  /** A scroll with no other in this long before it is a jump (a key, a click). Default 150 ms. */
  loneMs?: number;
  /**
   * How long a jump waits for a next scroll: one that comes within a frame or so makes it the
   * start of a fling, not a place to stop. Default 24 ms.
   */
  jumpMs?: number;
  /** The window over which the speed is judged. Default 100 ms. */
  windowMs?: number;
}

/**
 * Decides when the rows in view have stayed on screen long enough to be worth loading (records,
 * thumbnails): a frame or so after a lone jump (End, a click on the scrollbar), at once while
 * scrolling slowly (less than half a viewport in the last 100 ms, as when reading), and after a
 * short rest when flying through (a fling, a scrollbar drag), so that rows flown past cost
 * nothing.
 */
export class ScrollSettle {
  private samples: ScrollSample[] = [];
  private readonly restMs: number;
  private readonly loneMs: number;
  private readonly jumpMs: number;
  private readonly windowMs: number;

  constructor(options: ScrollSettleOptions = {}) {
    this.restMs = options.restMs ?? 90;
    this.loneMs = options.loneMs ?? 150;
    this.jumpMs = options.jumpMs ?? 24;
    this.windowMs = options.windowMs ?? 100;
  }

  /**
   * Records a scroll to `top` at `time`; returns how long to wait before loading the rows in
   * view (0: now). A later scroll within that wait asks again (cancel the earlier wait).
   */
  scrolled(time: number, top: number, viewportHeight: number): number {
    const previous = this.samples.at(-1);
    this.samples = this.samples.filter((sample) => time - sample.time <= this.loneMs);
    this.samples.push({ time, top });
    if (previous === undefined || time - previous.time > this.loneMs) return this.jumpMs;
    const reference =
      this.samples.find((sample) => time - sample.time <= this.windowMs) ?? this.samples[0]!;
    return Math.abs(top - reference.top) < viewportHeight / 2 ? 0 : this.restMs;
  }
}
