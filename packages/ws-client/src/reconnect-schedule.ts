import { backoffDelay, shutdownDelay } from './backoff.js';
import type { BackoffOptions } from './client-options.js';

/** When to try again: back-off that grows with failed attempts, or the wait a `shutdown` asked for. */
export class ReconnectSchedule {
  readonly #backoff: Required<BackoffOptions>;
  #attempt = 0;
  #shutdownWaitMs: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(backoff: Required<BackoffOptions>) {
    this.#backoff = backoff;
  }

  /** Failed attempts since the last success. */
  get attempt(): number {
    return this.#attempt;
  }

  /** A connection succeeded: the next loss starts from the first, shortest wait. */
  succeeded(): void {
    this.#attempt = 0;
  }

  /** The server is shutting down: the next wait is at least `retryAfterMs`. */
  serverShuttingDown(retryAfterMs: number): void {
    this.#shutdownWaitMs = shutdownDelay(retryAfterMs, this.#backoff);
  }

  /** Runs `attempt` after the next wait, and returns the wait in ms. */
  schedule(attempt: () => void): number {
    const delay = this.#shutdownWaitMs ?? backoffDelay(this.#attempt, this.#backoff);
    this.#shutdownWaitMs = undefined;
    this.#attempt++;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      attempt();
    }, delay);
    return delay;
  }

  /** Cancels a scheduled attempt. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
