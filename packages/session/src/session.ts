import type { CivtagError } from '@civtag/api-models';
import type { ChangesSince } from './change-feed.js';
import type { IdempotencyKey } from './journal-line.js';
import type { SessionWarning } from './session-warning.js';

/** The answer to {@link Session.apply}. */
export interface ApplyOutcome<R> {
  /** The revision the entry made (for a duplicate: the revision it made the first time). */
  revision: number;
  /** What the reducer returned (for a duplicate: what it returned the first time). */
  result: R;
  /** True when the key was seen before and nothing was applied this time. */
  duplicate: boolean;
}

/**
 * What became of one entry of {@link Session.applyMany}: applied, with the revision it made and
 * the reducer's result, or refused by the reducer (it changed nothing and took no revision).
 */
export type BatchOutcome<R> =
  | { applied: true; revision: number; result: R }
  | { applied: false; error: unknown };

/** Events of a session. */
export interface SessionEvents {
  /**
   * The lock was removed or replaced while this session held it. Every later `apply` and
   * `compact` fails with the same `SESSION_LOCKED` error; `close()` then writes nothing.
   */
  'lock-lost': (error: CivtagError) => void;
  /**
   * A compaction the session started by itself (the journal passed its bound) failed. Nothing
   * is lost: the journal still holds every entry, and compaction is tried again later.
   */
  'compaction-failed': (error: CivtagError) => void;
  /**
   * Entries other writers of a shared store (`SessionOptions.store`) applied were replayed: the
   * state is now at `revision`, and `changesSince` returns them. Never for the file store, which
   * has one writer.
   */
  'caught-up': (revision: number) => void;
}

/**
 * A durable, validated state: every entry applied is in the journal on disk before `apply`
 * resolves. One process holds a session's folder at a time.
 */
export interface Session<S, E, R> {
  /** The current state. Read it; change it only through {@link Session.apply}. */
  readonly state: S;
  /** How many entries have been applied since the session was created. */
  readonly revision: number;
  /**
   * What the open noticed that lost nothing but needs a person's eye (a complete but damaged
   * last journal line, kept aside in a file beside the journal). Show them to the user.
   */
  readonly warnings: readonly SessionWarning[];
  /**
   * Validates `entry`, reduces it, appends it to the journal, flushes it to disk, and only then
   * commits it to the state. Applies run one at a time in call order. With a `key` seen among the
   * last `keyMemory` keys (also before a restart), nothing is applied and the first answer is
   * returned with `duplicate: true`.
   *
   * @throws {CivtagError} `VALIDATION` for an entry or key that fails its schema; whatever the
   *   reducer throws; `DISK_FULL` (disk full), `NOT_WRITABLE` (read-only disk, permissions) or
   *   `IO_ERROR` when the journal cannot be written: the entry was refused, nothing of it is on
   *   disk or in the state, and the next apply takes the revision it would have had;
   *   `SESSION_LOCKED` after the lock was lost; `SESSION_CLOSED` once `close()` was called.
   */
  apply(entry: E, key?: IdempotencyKey): Promise<ApplyOutcome<R>>;
  /**
   * Applies `entries` in order as one batch: validates each, appends them to the journal as one
   * line, flushes it to disk once, and only then reduces and commits them one after the other,
   * each on the state the ones before it left. The line is checked as a whole, so a crash keeps
   * the whole batch or none of it; once this resolves, all of it is durable. An entry the reducer
   * refuses is left out (it changes nothing and takes no revision) and its error is returned in
   * its place; replay leaves out exactly the same ones, because the reducer is deterministic.
   * Each applied entry takes its own revision and feed entry, as if applied alone: a state
   * replayed from a batch equals one replayed from the same entries applied one by one.
   * Batches take no idempotency keys. Runs in call order with {@link Session.apply}.
   *
   * @throws {CivtagError} `VALIDATION` when an entry fails its schema (nothing was applied);
   *   `DISK_FULL`, `NOT_WRITABLE` or `IO_ERROR` when the journal cannot be written (the batch was
   *   refused: nothing was applied); `SESSION_LOCKED`; `SESSION_CLOSED`.
   * @example
   * const outcomes = await session.applyMany([{ by: 1 }, { by: 2 }]); // one write, one fsync
   * outcomes.map((outcome) => outcome.applied && outcome.revision); // [4, 5]
   */
  applyMany(entries: readonly E[]): Promise<BatchOutcome<R>[]>;
  /**
   * The entries applied after `revision`, oldest first, while the change feed still holds them
   * (`feedSize`); otherwise `{ reload: true }`: the caller must read the whole state again.
   */
  changesSince(revision: number): ChangesSince<E, R>;
  /**
   * Replays what other writers of a shared store applied and this session has not seen yet
   * (the session does so by itself when the store tells it, and before every apply). Runs after
   * the applies queued before it; resolves with the revision reached. With the file store (one
   * writer) there is nothing to replay.
   *
   * @throws {CivtagError} what the store throws when it cannot be read (nothing changed);
   *   `SESSION_CORRUPT` when an entry another writer stored does not replay; `SESSION_CLOSED`.
   */
  catchUp(): Promise<number>;
  /**
   * Writes the state to a new snapshot and starts an empty journal. Runs after the applies
   * queued before it.
   *
   * @throws {CivtagError} `DISK_FULL`, `NOT_WRITABLE`, `IO_ERROR` (nothing is lost: the previous
   *   snapshot and the journal are kept and still in use), `SESSION_LOCKED`, `SESSION_CLOSED`.
   */
  compact(): Promise<void>;
  /**
   * Finishes the applies queued before it, compacts, and releases the lock. Later calls return
   * the same promise. When compaction fails the session still closes and releases the lock, the
   * journal keeps every entry, and the error is thrown.
   */
  close(): Promise<void>;
  /** Listens to an event; returns a function that stops listening. */
  on<K extends keyof SessionEvents>(event: K, listener: SessionEvents[K]): () => void;
}
