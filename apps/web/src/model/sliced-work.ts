/** Hands the main thread back to the browser for a moment, so that frames and input run. */
export type YieldToMain = () => Promise<void>;

export interface SliceOptions {
  /** Items mapped between two yields. */
  sliceSize: number;
  /** How to wait between slices; default {@link yieldToMain}. */
  yieldToMain?: YieldToMain;
  /** Once aborted, the next slice is not started: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * The browser's own yield where it has one (`scheduler.yield`, whose continuation runs before
 * other queued tasks), else a zero-delay timer.
 */
export function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Maps `items` in slices of `sliceSize`, yielding the main thread between slices: work that
 * took one long task (checking the 500 records of a page) takes several short ones, and a frame
 * can be drawn between them. A `map` that throws rejects the promise; no later item is mapped.
 */
export async function mapInSlices<T>(
  items: readonly unknown[],
  map: (item: unknown, index: number) => T,
  options: SliceOptions,
): Promise<T[]> {
  const { sliceSize, signal } = options;
  const pause = options.yieldToMain ?? yieldToMain;
  const mapped: T[] = [];
  for (let start = 0; start < items.length; start += sliceSize) {
    if (start > 0) await pause();
    signal?.throwIfAborted();
    const end = Math.min(items.length, start + sliceSize);
    for (let index = start; index < end; index += 1) mapped.push(map(items[index], index));
  }
  return mapped;
}
