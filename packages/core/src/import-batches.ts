/** How {@link prepareAndPlace} runs. */
export interface PrepareAndPlaceOptions<T, R> {
  /** Calls of `prepare` in flight at once. */
  concurrency: number;
  /** Results prepared but not yet placed, at most (bounds memory and temporary files). */
  window: number;
  /** The most items one batch holds. */
  batchLimit: number;
  /** How long a batch waits for more results once its first is ready, in milliseconds. */
  batchDelayMs: number;
  prepare: (item: T) => Promise<R>;
  /** Places one batch, in the order of the items; never called twice at once. */
  place: (batch: { item: T; result: R }[]) => Promise<void>;
  /** Checked before each batch and each new item: once true, nothing more is started or placed. */
  shouldStop: () => boolean;
  /** Told of each result that was prepared but not placed, because the run stopped first. */
  discard: (result: R) => Promise<void>;
}

interface Slot<R> {
  settled: boolean;
  result?: R;
  failure?: { error: unknown };
}

/**
 * Prepares `items` a few at a time and places the results in the order of `items`, in batches:
 * a batch takes the results ready in order, waiting up to `batchDelayMs` for more, up to a
 * limit that starts at one and doubles with each batch up to `batchLimit` (the first image is
 * placed at once; later ones share a journal flush). Preparation runs ahead of placement, up to
 * `window` results. Work already started finishes before this resolves, and the results that
 * were not placed go to `discard`. A `prepare` or `place` that throws stops the run; the error is
 * rethrown then.
 */
export async function prepareAndPlace<T, R>(
  items: readonly T[],
  options: PrepareAndPlaceOptions<T, R>,
): Promise<void> {
  const slots: Slot<R>[] = [];
  let launched = 0;
  let placed = 0;
  let running = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  const inFlight = new Set<Promise<void>>();
  const launch = (): void => {
    while (
      !stopped &&
      !options.shouldStop() &&
      launched < items.length &&
      running < options.concurrency &&
      launched < placed + options.window
    ) {
      const slot: Slot<R> = { settled: false };
      slots[launched] = slot;
      const item = items[launched] as T;
      launched += 1;
      running += 1;
      const preparing: Promise<void> = options
        .prepare(item)
        .then(
          (result) => {
            slot.result = result;
          },
          (error: unknown) => {
            slot.failure = { error };
          },
        )
        .finally(() => {
          inFlight.delete(preparing);
          slot.settled = true;
          running -= 1;
          launch();
          wake?.();
        });
      inFlight.add(preparing);
    }
  };
  /** Resolves at the next settled preparation, or at `deadline` (ms since the epoch). */
  const nextSettled = (deadline?: number): Promise<void> =>
    new Promise((resolve) => {
      const timer =
        deadline === undefined
          ? undefined
          : setTimeout(resolve, Math.max(0, deadline - Date.now()));
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });
  /** No more items will be prepared after those launched. */
  const exhausted = (): boolean => launched >= items.length || stopped || options.shouldStop();
  let limit = 1;
  try {
    launch();
    while (placed < items.length) {
      while (slots[placed]?.settled !== true) {
        if (placed >= launched && exhausted()) return;
        await nextSettled();
      }
      if (options.shouldStop()) return;
      const deadline = Date.now() + options.batchDelayMs;
      let end = placed + 1;
      while (end - placed < limit && end < items.length) {
        if (slots[end]?.settled === true) {
          end += 1;
          continue;
        }
        if ((end >= launched && exhausted()) || Date.now() >= deadline) break;
        await nextSettled(deadline);
      }
      const batch: { item: T; result: R }[] = [];
      for (let index = placed; index < end; index += 1) {
        const slot = slots[index] as Slot<R>;
        if (slot.failure !== undefined) {
          // The results before it are placed first; the failure stops the run at its turn.
          if (batch.length === 0) throw slot.failure.error;
          end = index;
          break;
        }
        batch.push({ item: items[index] as T, result: slot.result as R });
      }
      await options.place(batch);
      for (let index = placed; index < end; index += 1) delete slots[index];
      placed = end;
      limit = Math.min(limit * 2, options.batchLimit);
      launch();
    }
  } finally {
    stopped = true;
    // No preparation outlives the run, and none of its copies stays unplaced.
    while (inFlight.size > 0) await Promise.all(inFlight);
    for (let index = placed; index < launched; index += 1) {
      const slot = slots[index];
      if (slot?.result !== undefined) await options.discard(slot.result);
    }
  }
}
