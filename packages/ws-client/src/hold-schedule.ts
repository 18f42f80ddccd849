import { backoffDelay } from './backoff.js';
import type { BackoffOptions } from './client-options.js';

/**
 * When ops the server refused for now (`DISK_FULL`) are sent again: after `initialMs` plus a
 * back-off share that grows with each refusal in a row, never more than `maxMs`. A full disk
 * is freed by a person, in minutes: the wait stays bounded so that the op goes out soon after.
 */
export class HoldSchedule {
  readonly #backoff: Required<BackoffOptions>;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(backoff: Required<BackoffOptions>) {
    this.#backoff = backoff;
  }

  /** True while the ops wait: they went out and were refused, and the next send is scheduled. */
  get holding(): boolean {
    return this.#timer !== undefined;
  }

  /**
   * Runs `release` after the next wait and returns the wait in ms; `undefined` (nothing new is
   * scheduled) when a release is already waiting: several ops refused at once wait together.
   */
  schedule(release: () => void): number | undefined {
    if (this.#timer !== undefined) return undefined;
    const { initialMs, maxMs } = this.#backoff;
    const delay = Math.min(maxMs, initialMs + backoffDelay(this.#attempt, this.#backoff));
    this.#attempt++;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      release();
    }, delay);
    return delay;
  }

  /** An op went through: the next refusal starts from the shortest wait. */
  succeeded(): void {
    this.#attempt = 0;
  }

  /** Cancels a scheduled release (the connection is gone: a new one sends everything anyway). */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
