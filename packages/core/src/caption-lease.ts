import type { CivtagError } from '@civtag/api-models';
import type { SessionStore, StoreLease } from '@civtag/session/store';

/** How often a server without the caption lease tries to take it, by default. */
export const LEASE_RETRY_MS = 2_000;

/**
 * The right to write a dataset's files when several servers share its store: one of them at a
 * time holds the store's lease (`store.tryLease()`), writes the captions and watches them for
 * edits; the others try to take it every `retryMs`, so that when the holder dies (its database
 * connection closes, and the lock with it) another takes over and catches the files up.
 */
export class CaptionLease {
  readonly #store: SessionStore;
  readonly #retryMs: number;
  readonly #taken: () => void;
  readonly #lost: (error: CivtagError) => void;
  #lease: StoreLease | undefined;
  #timer: NodeJS.Timeout | undefined;
  #trying: Promise<void> | undefined;
  #closed = false;

  constructor(
    store: SessionStore,
    handlers: { taken: () => void; lost: (error: CivtagError) => void; retryMs?: number },
  ) {
    this.#store = store;
    this.#retryMs = handlers.retryMs ?? LEASE_RETRY_MS;
    this.#taken = handlers.taken;
    this.#lost = handlers.lost;
  }

  /** True while this server holds the lease. */
  get held(): boolean {
    return this.#lease?.held === true;
  }

  /** Tries to take the lease now, and again every `retryMs` until it is held. */
  start(): Promise<void> {
    this.#trying ??= this.#try().finally(() => {
      this.#trying = undefined;
    });
    return this.#trying;
  }

  async #try(): Promise<void> {
    if (this.#closed || this.held) return;
    let lease: StoreLease | undefined;
    try {
      lease = await this.#store.tryLease();
    } catch {
      // The database is away: the next try asks again.
      lease = undefined;
    }
    if (this.#closed) {
      await lease?.release();
      return;
    }
    if (lease === undefined || !lease.held) {
      this.#schedule();
      return;
    }
    this.#lease = lease;
    lease.onLost((error) => {
      if (this.#lease !== lease) return;
      this.#lease = undefined;
      if (this.#closed) return;
      this.#lost(error);
      this.#schedule();
    });
    this.#taken();
  }

  #schedule(): void {
    if (this.#closed || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.start();
    }, this.#retryMs);
    this.#timer.unref?.();
  }

  /**
   * Records in the store that every caption file shows `revision` or a later one (a store
   * without the record ignores it). Fails when the lease is not held.
   */
  async recordWritten(revision: number): Promise<void> {
    const lease = this.#lease;
    if (lease === undefined || !lease.held) throw new Error('the caption lease is not held');
    await lease.recordWritten?.(revision);
  }

  /** Stops trying and gives the lease up (closing the store gives it up as well). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#trying;
    const lease = this.#lease;
    this.#lease = undefined;
    await lease?.release();
  }
}
