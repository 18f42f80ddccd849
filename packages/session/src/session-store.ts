import type { CivtagError } from '@civtag/api-models';
import type { IdempotencyKey, JournalBatchRecord, JournalRecord } from './journal-line.js';
import type { FirstAnswer } from './remembered-keys.js';
import type { ScannedRecord } from './scan-journal.js';
import type { SessionWarning } from './session-warning.js';
import type { Snapshot } from './snapshot-file.js';

/** One journal record as a store keeps it: a single entry, or a batch (`applyMany`). */
export type StoredRecord = JournalRecord | JournalBatchRecord;

/** A snapshot as a store read it back, and the sha256 of its state's text as read, when known. */
export interface SnapshotRead {
  snapshot: Snapshot;
  /**
   * The hash of the state's own text as stored: when it equals `snapshot.stateSha256` the state
   * is exactly what a validated session wrote, and opening trusts it without validating it again.
   */
  stateHash: string | undefined;
}

/** What a session starts from: the latest snapshot and the records stored after it. */
export interface StoreContents {
  /** `undefined` for a new session (the initial state at revision 0). */
  snapshot: SnapshotRead | undefined;
  /** Records after the snapshot, oldest first; `line` places each in `journalSource`. */
  records: ScannedRecord[];
  /** Where the snapshot is, for messages (a file, or a table and dataset). */
  snapshotSource: string;
  /** Where the records are, for messages. */
  journalSource: string;
}

/** A snapshot to store: the state as written, and the keys remembered with it. */
export type SnapshotToWrite = Omit<Snapshot, 'stateSha256' | 'stateLength'>;

/** What a session appends through {@link StoreWrite.append}. */
export interface StoredAppend {
  record: StoredRecord;
  /** The record as one checksummed journal line (`encodeJournalLine`), newline included. */
  line: string;
  /**
   * For a keyed record, given only to a store that has {@link StoreWrite.findKey}: the answer to
   * keep with the key (the result as `rememberedResult` keeps it), so that a store shared by
   * several writers can answer a resend another writer got.
   */
  answer?: FirstAnswer<unknown>;
}

/**
 * One write to a store, between {@link SessionStore.beginWrite} and `commit` or `abort`. While it
 * is open this writer is the only one: the store's write lock is held.
 */
export interface StoreWrite {
  /**
   * Records other writers stored since this store last handed records to its session, oldest
   * first. The session replays them before it reduces anything, so that it reduces on the state
   * every writer shares. Always empty for a store with one writer.
   */
  readonly others: readonly ScannedRecord[];
  /**
   * The answer a key already got in the store, for a key the session no longer remembers (or
   * never saw): a resend to any writer is then applied once. Absent where the session's own
   * memory is the only record of keys (one writer).
   */
  findKey?(key: IdempotencyKey): Promise<FirstAnswer<unknown> | undefined>;
  /**
   * Stores `append`. For the file store it is durable (flushed) once this resolves; for a store
   * with transactions, once `commit` resolves.
   *
   * @throws {CivtagError} `DISK_FULL`, `NOT_WRITABLE` or `IO_ERROR`: nothing was stored.
   */
  append(append: StoredAppend): Promise<void>;
  /**
   * Stores `snapshot` as the latest and lets go of the records it holds (compaction). The
   * session has replayed `others` first: the snapshot is of the newest state.
   *
   * @throws {CivtagError} `DISK_FULL`, `NOT_WRITABLE` or `IO_ERROR`: the previous snapshot and
   *   the records are kept and still in use.
   */
  compact(snapshot: SnapshotToWrite): Promise<void>;
  /**
   * Makes what was appended durable and visible to the other writers (told through
   * {@link SessionStore.onAppended}), and releases the write lock.
   *
   * @throws {CivtagError} when the outcome is not known (a connection lost during the commit):
   *   the session does not commit in memory, and the record, if it was stored after all, reaches
   *   it as one of `others` on the next write or catch-up.
   */
  commit(): Promise<void>;
  /** Drops what was appended and not committed, and releases the write lock. Never throws. */
  abort(): Promise<void>;
}

/**
 * A lease a store grants one process at a time among all that share it (for civtag: the right to
 * write caption files). Lost when the store can no longer vouch for it (a connection dropped).
 */
export interface StoreLease {
  /** True while this process holds the lease. */
  readonly held: boolean;
  /** Called once when the lease is lost; returns a function that stops listening. */
  onLost(listener: (error: CivtagError) => void): () => void;
  /** Gives the lease up. */
  release(): Promise<void>;
  /**
   * Records, for every process sharing the store, that what the lease guards is done up to
   * `revision` (for civtag: every caption file shows the state at that revision or later; see
   * {@link SessionStore.readWritten}). Fails once the lease is lost.
   */
  recordWritten?(revision: number): Promise<void>;
}

/**
 * Where a session keeps its snapshot and journal, and how its writers take turns. The session
 * goes through a store for every read and write: `FileSessionStore` (a folder, one writer, the
 * default) or a store shared by several processes (`@civtag/session-postgres`).
 *
 * The write path is the same for all: `beginWrite` (take the write lock) → replay `others` →
 * check the key (`findKey`) → reduce → `append` → `commit` (release) → commit in memory.
 * A store with one writer holds its lock for its whole life and has no others, so a write costs
 * what the append costs.
 */
export interface SessionStore {
  /** What the store is, for messages: the session's folder, or the database and dataset. */
  readonly location: string;
  /**
   * Reads a consistent snapshot and the records after it without taking anything and without
   * writing (what `readSessionState` replays).
   *
   * @throws {SessionError} `SESSION_CORRUPT`, `IO_ERROR`.
   */
  read(): Promise<StoreContents>;
  /**
   * Takes the writer's place (the folder lock; for a shared store, the connection) and reads
   * what the session replays. Until {@link SessionStore.start} nothing is written.
   *
   * @throws {SessionError} `SESSION_LOCKED`, `SESSION_CORRUPT`, `NOT_WRITABLE`, `DISK_FULL`,
   *   `IO_ERROR`.
   */
  open(): Promise<StoreContents>;
  /**
   * Called once the session replayed what `open` read without fault: repairs what a crash left
   * (a torn last line) and gets ready to append.
   */
  start(): Promise<SessionWarning[]>;
  /** Takes the write lock; see {@link StoreWrite}. */
  beginWrite(): Promise<StoreWrite>;
  /**
   * Records other writers stored since this store last handed records to its session; the
   * session replays them when {@link SessionStore.onAppended} fires. Absent for one writer.
   */
  readNew?(): Promise<ScannedRecord[]>;
  /**
   * Listens for records stored by other writers (a notification, or polling when one is
   * missed); returns a function that stops listening. Absent for one writer.
   */
  onAppended?(listener: () => void): () => void;
  /**
   * Listens for the loss of this writer's place (the folder's lock removed or taken): every
   * later write fails with that error. Returns a function that stops listening.
   */
  onLost(listener: (error: CivtagError) => void): () => void;
  /** Bytes stored since the last snapshot by this store, to compact past a bound. */
  readonly appendedBytes: number;
  /** Takes a lease shared by all the writers of this store; `undefined` when another holds it. */
  tryLease(): Promise<StoreLease | undefined>;
  /**
   * The revision the holder of the lease last recorded with `recordWritten` (`undefined`: none
   * yet, or a store of one writer, which has no lease).
   */
  readWritten?(): Promise<number | undefined>;
  /**
   * Closes the store and gives up the writer's place and its leases. A place that was lost
   * (see {@link SessionStore.onLost}) is left alone: it is someone else's now.
   */
  close(): Promise<void>;
}
