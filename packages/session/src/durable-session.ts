import { type CivtagError, parseOrThrow } from '@civtag/api-models';
import { AsyncMutex } from './async-mutex.js';
import type { ChangesSince } from './change-feed.js';
import { CompactionSchedule } from './compaction-schedule.js';
import {
  encodeJournalLine,
  type IdempotencyKey,
  IdempotencyKeySchema,
  type JournalRecord,
} from './journal-line.js';
import type { RecoveredSession } from './recovered-session.js';
import { replayJournal } from './replay-journal.js';
import type { ScannedRecord } from './scan-journal.js';
import { schemaFingerprint } from './schema-fingerprint.js';
import type { ApplyOutcome, BatchOutcome, Session, SessionEvents } from './session.js';
import { commitFailedError, SessionError } from './session-error.js';
import { SessionListeners } from './session-listeners.js';
import type { StoreWrite } from './session-store.js';
import type { SessionWarning } from './session-warning.js';

/** The session {@link openSession} returns. */
export class DurableSession<S, E, R> implements Session<S, E, R> {
  private readonly mutex = new AsyncMutex();
  private readonly listeners = new SessionListeners();
  private current: S;
  private currentRevision: number;
  private readonly schedule: CompactionSchedule;
  private failure: CivtagError | undefined;
  /** Set when the store lost this writer's place (the folder's lock was removed or taken). */
  private lost: CivtagError | undefined;
  private closing: Promise<void> | undefined;
  private catchUpQueued = false;
  private readonly stopListening: (() => void)[] = [];

  constructor(private readonly recovered: RecoveredSession<S, E, R>) {
    this.current = recovered.state;
    this.currentRevision = recovered.revision;
    const { journalBound, journalByteBound } = recovered.options;
    this.schedule = new CompactionSchedule(
      recovered.journalEntries,
      journalBound,
      journalByteBound,
    );
    const { store } = recovered;
    this.stopListening.push(
      store.onLost((error) => {
        this.lost ??= error;
        this.listeners.emit('lock-lost', error);
      }),
    );
    const appended = store.onAppended?.(() => this.queueCatchUp());
    if (appended !== undefined) this.stopListening.push(appended);
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
    const { options, store, keys, feed } = this.recovered;
    const checkedKey =
      key === undefined ? undefined : parseOrThrow(IdempotencyKeySchema, key, 'idempotency key');
    if (checkedKey !== undefined) {
      const first = keys.get(checkedKey);
      if (first !== undefined) return { ...first, duplicate: true };
    }
    const checked = parseOrThrow(options.entrySchema, entry, 'session entry');
    const write = await store.beginWrite();
    let reduction: ReturnType<typeof options.reduce>;
    let revision: number;
    try {
      // Other writers first: the entry is reduced on the state they all share, and a key one of
      // them already applied is answered as theirs.
      if (write.others.length > 0) this.replayOthers(write.others);
      if (checkedKey !== undefined) {
        const first = await this.findKey(write, checkedKey);
        if (first !== undefined) {
          await write.abort();
          return { ...first, duplicate: true };
        }
      }
      reduction = options.reduce(this.current, checked);
      revision = this.currentRevision + 1;
      const record: JournalRecord = { rev: revision, entry: checked, key: checkedKey };
      await write.append({
        record,
        line: encodeJournalLine(record),
        // Only a store that looks keys up (shared by several writers) keeps their answers.
        ...(checkedKey === undefined || write.findKey === undefined
          ? {}
          : { answer: this.answer(revision, reduction.result) }),
      });
      await write.commit();
    } catch (error) {
      await write.abort();
      throw error;
    }
    this.commitAt(revision, reduction);
    this.schedule.appended();
    const keyPart = checkedKey === undefined ? {} : { key: checkedKey };
    feed.push({ revision, entry: checked, result: reduction.result, ...keyPart });
    if (checkedKey !== undefined) keys.remember(checkedKey, { revision, result: reduction.result });
    this.compactIfDue();
    return { revision, result: reduction.result, duplicate: false };
  }

  /** The first answer `key` got: remembered here, or (a shared store) stored by any writer. */
  private async findKey(
    write: StoreWrite,
    key: IdempotencyKey,
  ): Promise<{ revision: number; result: R } | undefined> {
    if (write.others.length > 0) {
      const first = this.recovered.keys.get(key);
      if (first !== undefined) return first;
    }
    if (write.findKey === undefined) return undefined;
    const found = await write.findKey(key);
    return found === undefined
      ? undefined
      : { revision: found.revision, result: found.result as R };
  }

  /** What a key remembers of an entry's answer, as the store keeps it for other writers. */
  private answer(revision: number, result: R): { revision: number; result: unknown } {
    const { rememberedResult } = this.recovered.options;
    return { revision, result: rememberedResult === undefined ? result : rememberedResult(result) };
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
    const { options, store, feed } = this.recovered;
    const checked = entries.map((entry, index) =>
      parseOrThrow(options.entrySchema, entry, `session entry ${index + 1} of the batch`),
    );
    if (checked.length === 0) return [];
    const write = await store.beginWrite();
    try {
      if (write.others.length > 0) this.replayOthers(write.others);
      // Durable first; the reducer runs on each entry only once the whole batch is stored, so the
      // state never holds an entry a crash could still take away.
      const record = { rev: this.currentRevision + 1, entries: checked };
      await write.append({ record, line: encodeJournalLine(record) });
      await write.commit();
    } catch (error) {
      await write.abort();
      throw error;
    }
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

  /**
   * Replays records other writers stored, as a restart would: reduce and commit each, feed it,
   * remember its key. An entry that does not replay stops the session (its state can no longer
   * be the one the others share).
   */
  private replayOthers(records: readonly ScannedRecord[]): void {
    const { options, store, keys, feed } = this.recovered;
    const target = { state: this.current, revision: this.currentRevision, keys, feed };
    let applied = 0;
    try {
      applied = replayJournal({ records }, store.location, target, options);
    } catch (error) {
      this.failure = error as CivtagError;
      throw error;
    } finally {
      this.currentRevision = target.revision;
    }
    this.schedule.appended(applied);
    this.listeners.emit('caught-up', this.currentRevision);
  }

  catchUp(): Promise<number> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.mutex.run(() => this.catchUpNow());
  }

  private async catchUpNow(): Promise<number> {
    this.assertWritable();
    const { store } = this.recovered;
    if (store.readNew !== undefined) {
      const records = await store.readNew();
      if (records.length > 0) this.replayOthers(records);
    }
    return this.currentRevision;
  }

  /** Queues one catch-up behind the work in flight, when the store says others appended. */
  private queueCatchUp(): void {
    if (this.catchUpQueued || this.closing !== undefined) return;
    this.catchUpQueued = true;
    this.mutex
      .run(async () => {
        this.catchUpQueued = false;
        if (this.closing !== undefined || this.failure !== undefined || this.lost !== undefined)
          return;
        await this.catchUpNow();
      })
      // A store that cannot be read now is read again on its next notification or poll, and
      // before the next apply.
      .catch(() => undefined);
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
    if (!this.schedule.takeDue(this.recovered.store.appendedBytes)) return;
    this.mutex
      .run(async () => {
        if (this.closing === undefined && this.failure === undefined) await this.compactNow();
      })
      .catch((error: CivtagError) => this.listeners.emit('compaction-failed', error));
  }

  private async compactNow(): Promise<void> {
    const { options, store, keys } = this.recovered;
    const write = await store.beginWrite();
    try {
      if (write.others.length > 0) this.replayOthers(write.others);
      await write.compact({
        version: options.version,
        revision: this.currentRevision,
        state:
          options.stateCodec === undefined ? this.current : options.stateCodec.encode(this.current),
        keys: keys.list(),
        savedAt: new Date().toISOString(),
        schemaSha256: schemaFingerprint(options.schema),
      });
      await write.commit();
    } catch (error) {
      await write.abort();
      throw error;
    }
    this.schedule.compacted();
  }

  close(): Promise<void> {
    this.closing ??= this.mutex.run(async () => {
      const { store } = this.recovered;
      let failure: unknown;
      if (this.lost === undefined && this.failure === undefined) {
        await this.compactNow().catch((error: unknown) => {
          failure = error;
        });
      }
      for (const stop of this.stopListening) stop();
      await store.close().catch((error: unknown) => {
        failure ??= error;
      });
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
        `The session in ${this.recovered.store.location} is closed.`,
      );
    }
    this.assertWritable();
  }

  /** Throws when the lock was lost or a commit failed. */
  private assertWritable(): void {
    if (this.lost !== undefined) throw this.lost;
    if (this.failure !== undefined) throw this.failure;
  }
}
