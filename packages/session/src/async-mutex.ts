/**
 * Runs async work one piece at a time, in the order it was queued. A piece that fails does not
 * stop the ones after it.
 */
export class AsyncMutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `work` behind everything queued before; resolves or rejects with its outcome. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
