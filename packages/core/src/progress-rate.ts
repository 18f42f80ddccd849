/** How fast a long job goes, and how long it has left at that pace. */
export interface ProgressPace {
  /** Since the job began. */
  elapsedMs: number;
  /** Items a second over the last few seconds; absent until there is anything to measure. */
  perSecond?: number;
  /** At that pace; absent until there is a pace, 0 once every item is done. */
  remainingMs?: number;
}

/** The last seconds of progress that the pace is taken over. */
const WINDOW_MS = 10_000;
/** Less than this of progress gives no pace yet: one fast item would promise too much. */
const MIN_SPAN_MS = 500;

/**
 * Measures a job's pace from its counts as they are announced: over a window of the last ten
 * seconds, so that a job whose first items were skipped (already imported) or that slows down
 * (larger files) says a remaining time that follows what it does now, not its average.
 */
export class ProgressRate {
  readonly #started: number;
  #samples: { at: number; done: number }[] = [];

  constructor(now: number = Date.now()) {
    this.#started = now;
  }

  /**
   * Records that `done` of `total` items are done at `now` (items done before the first call,
   * such as those a resumed job skips, are not counted in the pace) and answers the pace.
   */
  sample(done: number, total: number, now: number = Date.now()): ProgressPace {
    const samples = this.#samples;
    samples.push({ at: now, done });
    while (samples.length > 2 && (samples[1] as { at: number }).at <= now - WINDOW_MS) {
      samples.shift();
    }
    const pace: ProgressPace = { elapsedMs: Math.max(0, now - this.#started) };
    const first = samples[0] as { at: number; done: number };
    const span = now - first.at;
    const progressed = done - first.done;
    if (done >= total && total > 0) pace.remainingMs = 0;
    if (span < MIN_SPAN_MS || progressed <= 0) return pace;
    const perSecond = (progressed / span) * 1000;
    pace.perSecond = Math.round(perSecond * 10) / 10;
    pace.remainingMs = Math.round((Math.max(0, total - done) / perSecond) * 1000);
    return pace;
  }

  /** {@link sample}s `progress` and writes the pace into it (a field with no value is removed). */
  stamp(
    progress: {
      done: number;
      total: number;
      elapsedMs?: number | undefined;
      perSecond?: number | undefined;
      remainingMs?: number | undefined;
    },
    now: number = Date.now(),
  ): void {
    const pace = this.sample(progress.done, progress.total, now);
    progress.elapsedMs = pace.elapsedMs;
    if (pace.perSecond === undefined) delete progress.perSecond;
    else progress.perSecond = pace.perSecond;
    if (pace.remainingMs === undefined) delete progress.remainingMs;
    else progress.remainingMs = pace.remainingMs;
  }
}
