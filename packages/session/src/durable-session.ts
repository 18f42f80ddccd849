import { type CivtagError, parseOrThrow } from '@civtag/api-models';
import { AsyncMutex } from './async-mutex.js';
import type { ChangesSince } from './change-feed.js';
import { CompactionSchedule } from './compaction-schedule.js';
import { releaseLock } from './directory-lock.js';
import { encodeJournalLine, type IdempotencyKey, IdempotencyKeySchema } from './journal-line.js';
import { LockWatch } from './lock-watch.js';
import type { RecoveredSession } from './recovered-session.js';
import { schemaFingerprint } from './schema-fingerprint.js';
import type { ApplyOutcome, BatchOutcome, Session, SessionEvents } from './session.js';
import { commitFailedError, SessionError } from './session-error.js';
import { SessionListeners } from './session-listeners.js';
import type { SessionWarning } from './session-warning.js';
import { writeSnapshotFile } from './snapshot-file.js';

/** The session {@link openSession} returns. */
export class DurableSession<S, E, R> implements Session<S, E, R> {
  private readonly mutex = new AsyncMutex();
  private readonly lockWatch: LockWatch;
  private readonly listeners = new SessionListeners();
  private current: S;
  private currentRevision: number;
  private readonly schedule: CompactionSchedule;
  private failure: CivtagError | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly recovered: RecoveredSession<S, E, R>) {
    this.current = recovered.state;
    this.currentRevision = recovered.revision;
    const { journalBound, journalByteBound } = recovered.options;
    this.schedule = new CompactionSchedule(
      recovered.journalEntries,
      journalBound,
      journalByteBound,
    );
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

  get warnings(): readonly SessionWarning[] {
    return this.recovered.warnings;
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
    this.commitAt(revision, reduction);
    this.schedule.appended();
    const keyPart = checkedKey === undefined ? {} : { key: checkedKey };
    feed.push({ revision, entry: checked, result: reduction.result, ...keyPart });
    if (checkedKey !== undefined) keys.remember(checkedKey, { revision, result: reduction.result });
    this.compactIfDue();
    return { revision, result: reduction.result, duplicate: false };
  }

  applyMany(entries: readonly E[]): Promise<BatchOutcome<R>[]> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.mutex.run(() => this.applyManyNow(entries));
  }

  private async applyManyNow(entries: readonly E[]): Promise<BatchOutcome<R>[]> {
    this.assertWritable();
    const { options, journal, feed } = this.recovered;
    const checked = entries.map((entry, index) =>
      parseOrThrow(options.entrySchema, entry, `session entry ${index + 1} of the batch`),
    );
    if (checked.length === 0) return [];
    await this.lockWatch.verify();
    // Durable first; the reducer runs on each entry only once the whole batch is on disk, so the
    // state never holds an entry a crash could still take away.
    await journal.append(encodeJournalLine({ rev: this.currentRevision + 1, entries: checked }));
    const outcomes: BatchOutcome<R>[] = [];
    for (const entry of checked) {
      let reduction: ReturnType<typeof options.reduce>;
      try {
        reduction = options.reduce(this.current, entry);
      } catch (error) {
        outcomes.push({ applied: false, error });
        continue;
      }
      const revision = this.currentRevision + 1;
      this.commitAt(revision, reduction);
      feed.push({ revision, entry, result: reduction.result });
      outcomes.push({ applied: true, revision, result: reduction.result });
    }
    this.schedule.appended(checked.length);
    this.compactIfDue();
    return outcomes;
  }

  /** Commits a reduction whose entry is durable, as `revision`. */
  private commitAt(revision: number, reduction: { commit: () => void }): void {
    try {
      reduction.commit();
    } catch (error) {
      // The entry is durable but the state may be half-changed: only a replay can tell.
      this.failure = commitFailedError(revision, error);
      throw this.failure;
    }
    this.currentRevision = revision;
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
    if (!this.schedule.takeDue(this.recovered.journal.size)) return;
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
      state:
        options.stateCodec === undefined ? this.current : options.stateCodec.encode(this.current),
      keys: keys.list(),
      savedAt: new Date().toISOString(),
      schemaSha256: schemaFingerprint(options.schema),
    });
    await journal.rotate(files.previousJournal);
    this.schedule.compacted();
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
