const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `work` after every earlier write to the same absolute path has settled: the queue that
 * keeps writes (and removals) of one file in call order.
 */
export async function serialised<T>(target: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(target) ?? Promise.resolve();
  const current = previous.then(work, work);
  const tail = current.catch(() => undefined);
  queues.set(target, tail);
  try {
    return await current;
  } finally {
    if (queues.get(target) === tail) queues.delete(target);
  }
}
