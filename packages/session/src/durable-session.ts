import { type CivtagError, parseOrThrow } from '@civtag/api-models';
import { AsyncMutex } from './async-mutex.js';
import type { ChangeFeed, ChangesSince } from './change-feed.js';
import { type LockOwner, releaseLock } from './directory-lock.js';
import type { JournalFile } from './journal-file.js';
import { encodeJournalLine, type IdempotencyKey, IdempotencyKeySchema } from './journal-line.js';
import { LockWatch } from './lock-watch.js';
import type { RememberedKeys } from './remembered-keys.js';
import type { ApplyOutcome, Session, SessionEvents } from './session.js';
import { describeError, SessionError } from './session-error.js';
import type { SessionFiles } from './session-files.js';
import { SessionListeners } from './session-listeners.js';
import type { ResolvedSessionOptions } from './session-options.js';
import { writeSnapshotFile } from './snapshot-file.js';

/** What {@link openSession} recovered, handed to the session it opens. */
export interface RecoveredSession<S, E, R> {
  options: ResolvedSessionOptions<S, E, R>;
  files: SessionFiles;
  owner: LockOwner;
  journal: JournalFile;
  state: S;
  revision: number;
  keys: RememberedKeys<R>;
  feed: ChangeFeed<E, R>;
  /** Lines in the journal, including any the snapshot already holds. */
  journalEntries: number;
}

/** The session {@link openSession} returns. */
export class DurableSession<S, E, R> implements Session<S, E, R> {
  private readonly mutex = new AsyncMutex();
  private readonly lockWatch: LockWatch;
  private readonly listeners = new SessionListeners();
  private current: S;
  private currentRevision: number;
  private journalEntries: number;
  /** The journal size (in entries) at which the session compacts by itself next. */
  private nextCompaction: number;
  private failure: CivtagError | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly recovered: RecoveredSession<S, E, R>) {
    this.current = recovered.state;
    this.currentRevision = recovered.revision;
    this.journalEntries = recovered.journalEntries;
    this.nextCompaction = recovered.options.journalBound;
    this.lockWatch = new LockWatch(recovered.files.lock, recovered.owner, (error) =>
      this.listeners.emit('lock-lost', error),
    );
    this.lockWatch.start(recovered.options.lockCheckIntervalMs);
  }

  get state(): S {
    return this.current;
  }

  get revision(): number {
    return this.currentRevision;
  }

  apply(entry: E, key?: IdempotencyKey): Promise<ApplyOutcome<R>> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.mutex.run(() => this.applyNow(entry, key));
  }

  private async applyNow(entry: E, key: IdempotencyKey | undefined): Promise<ApplyOutcome<R>> {
    // Not `assertOpen`: an apply queued before `close()` still runs.
    this.assertWritable();
    const { options, journal, keys, feed } = this.recovered;
    const checkedKey =
      key === undefined ? undefined : parseOrThrow(IdempotencyKeySchema, key, 'idempotency key');
    if (checkedKey !== undefined) {
      const first = keys.get(checkedKey);
      if (first !== undefined) return { ...first, duplicate: true };
    }
    const checked = parseOrThrow(options.entrySchema, entry, 'session entry');
    const reduction = options.reduce(this.current, checked);
    await this.lockWatch.verify();
    const revision = this.currentRevision + 1;
    await journal.append(encodeJournalLine({ rev: revision, entry: checked, key: checkedKey }));
    try {
      reduction.commit();
    } catch (error) {
      // The entry is durable but the state may be half-changed: only a replay can tell.
      this.failure = new SessionError(
        'IO_ERROR',
        `The reducer's commit threw after revision ${revision} was journaled ` +
          `(${describeError(error)}). Close the session and open it again to replay the journal.`,
        { cause: error },
      );
      throw this.failure;
    }
    this.currentRevision = revision;
    this.journalEntries += 1;
    const keyPart = checkedKey === undefined ? {} : { key: checkedKey };
    feed.push({ revision, entry: checked, result: reduction.result, ...keyPart });
    if (checkedKey !== undefined) keys.remember(checkedKey, { revision, result: reduction.result });
    this.compactIfDue();
    return { revision, result: reduction.result, duplicate: false };
  }

  changesSince(revision: number): ChangesSince<E, R> {
    return this.recovered.feed.since(revision, this.currentRevision);
  }

  compact(): Promise<void> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.mutex.run(async () => {
      this.assertWritable();
      await this.compactNow();
    });
  }

  private compactIfDue(): void {
    const { options, journal } = this.recovered;
    const due =
      this.journalEntries >= this.nextCompaction || journal.size >= options.journalByteBound;
    if (!due) return;
    // Pushed back first, so that the applies queued meanwhile do not schedule it again.
    this.nextCompaction = this.journalEntries + options.journalBound;
    this.mutex
      .run(async () => {
        if (this.closing === undefined && this.failure === undefined) await this.compactNow();
      })
      .catch((error: CivtagError) => this.listeners.emit('compaction-failed', error));
  }

  private async compactNow(): Promise<void> {
    const { options, files, journal, keys } = this.recovered;
    await this.lockWatch.verify();
    await writeSnapshotFile(files.snapshot, files.previousSnapshot, {
      version: options.version,
      revision: this.currentRevision,
      state: this.current,
      keys: keys.list(),
      savedAt: new Date().toISOString(),
    });
    await journal.rotate(files.previousJournal);
    this.journalEntries = 0;
    this.nextCompaction = options.journalBound;
  }

  close(): Promise<void> {
    this.closing ??= this.mutex.run(async () => {
      const { files, journal, owner } = this.recovered;
      let failure: unknown;
      if (this.lockWatch.lostError === undefined && this.failure === undefined) {
        await this.compactNow().catch((error: unknown) => {
          failure = error;
        });
      }
      this.lockWatch.stop();
      await journal.close().catch((error: unknown) => {
        failure ??= error;
      });
      if (this.lockWatch.lostError === undefined) {
        await releaseLock(files.lock, owner).catch((error: unknown) => {
          failure ??= error;
        });
      }
      if (failure !== undefined) throw failure;
    });
    return this.closing;
  }

  on<K extends keyof SessionEvents>(event: K, listener: SessionEvents[K]): () => void {
    return this.listeners.on(event, listener);
  }

  /** Throws once `close()` was called, or when the session can no longer write. */
  private assertOpen(): void {
    if (this.closing !== undefined) {
      throw new SessionError(
        'SESSION_CLOSED',
        `The session in ${this.recovered.files.dir} is closed.`,
      );
    }
    this.assertWritable();
  }

  /** Throws when the lock was lost or a commit failed. */
  private assertWritable(): void {
    const lost = this.lockWatch.lostError;
    if (lost !== undefined) throw lost;
    if (this.failure !== undefined) throw this.failure;
  }
}
