/**
 * Runs async tasks one at a time, in the order they were queued. Every change to a dataset
 * goes through one, so that caption files are written in journal order and a check of an
 * edited caption never races a write of civtag's own.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  /** Queues `task`; resolves or rejects with its outcome. A failed task does not stop the queue. */
  run<T>(task: () => Promise<T>): Promise<T> {
    this.#pending += 1;
    const result = this.#tail.then(task, task);
    this.#tail = result.then(
      () => {
        this.#pending -= 1;
      },
      () => {
        this.#pending -= 1;
      },
    );
    return result;
  }

  /** How many tasks are queued or running. */
  get pending(): number {
    return this.#pending;
  }

  /** Resolves once every task queued so far has settled. */
  async idle(): Promise<void> {
    await this.#tail;
  }
}
