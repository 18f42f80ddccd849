/**
 * Calls `worker` for every item with at most `limit` calls in flight, and resolves once all
 * have settled. The first rejection is rethrown after the calls in flight have finished.
 */
export async function runBounded<T>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (next < items.length && failure === undefined) {
      const index = next;
      next += 1;
      try {
        await worker(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure.error;
}

/**
 * Maps `items` with at most `limit` calls of `worker` in flight, and hands each result to
 * `consume` in the order of `items` (never two at once). Workers run at most `limit` items
 * ahead of the consumer, so memory stays bounded. Stops starting work once `shouldStop()`.
 */
export async function mapInOrder<T, R>(
  items: readonly T[],
  options: {
    limit: number;
    worker: (item: T, index: number) => Promise<R>;
    consume: (result: R, item: T, index: number) => Promise<void>;
    shouldStop?: () => boolean;
  },
): Promise<void> {
  const started: Promise<R>[] = [];
  const start = (index: number): void => {
    const promise = options.worker(items[index] as T, index);
    promise.catch(() => undefined);
    started[index] = promise;
  };
  let launched = 0;
  try {
    for (let index = 0; index < items.length; index += 1) {
      while (launched < items.length && launched < index + options.limit) {
        if (options.shouldStop?.()) break;
        start(launched);
        launched += 1;
      }
      if (index >= launched) return;
      const result = await (started[index] as Promise<R>);
      delete started[index];
      if (options.shouldStop?.()) return;
      await options.consume(result, items[index] as T, index);
    }
  } finally {
    // Work already started finishes before the caller goes on (no write outlives the job).
    await Promise.allSettled(started.filter((promise) => promise !== undefined));
  }
}
