import { ChangeFeed } from './change-feed.js';
import { DurableSession } from './durable-session.js';
import { FileSessionStore } from './file-session-store.js';
import { loadSnapshot } from './load-snapshot.js';
import { RememberedKeys } from './remembered-keys.js';
import { replayJournal } from './replay-journal.js';
import type { Session } from './session.js';
import {
  type ResolvedSessionOptions,
  resolveSessionOptions,
  type SessionOptions,
} from './session-options.js';
import type { SessionStore } from './session-store.js';

/**
 * Opens (or creates) the session in `options.dir` (or `options.store`): takes the folder's lock
 * (for a shared store: its place among the writers), loads the snapshot
 * (migrating an older version), replays the journal after it, drops a torn last journal line
 * (one a complete but damaged line is first kept aside: see {@link Session.warnings}), and
 * returns a session whose every acknowledged entry is on disk.
 *
 * @throws {SessionError} `SESSION_LOCKED` with `details: { pid, host, startedAt }` when a live
 *   process holds the folder (a lock left by a dead process on this host is taken over);
 *   `SESSION_CORRUPT` with `details: { file, line, field }` when the snapshot or a journal line
 *   other than the last cannot be read, fails its schema or has no migration (nothing is
 *   overwritten); `VALIDATION` for bad options; `NOT_WRITABLE` (with `details.path`) when the
 *   folder is on a read-only disk or may not be written, `DISK_FULL` when its disk is full;
 *   `IO_ERROR`.
 * @example
 * const session = await openSession({
 *   dir: '/data/sakura/.civtag',
 *   schema: CounterSchema,
 *   entrySchema: StepSchema,
 *   version: 1,
 *   initial: () => ({ total: 0 }),
 *   reduce: (state, step) => ({ result: state.total + step.by, commit: () => { state.total += step.by; } }),
 * });
 * await session.apply({ by: 2 }); // durable once it resolves
 * await session.close();
 */
export async function openSession<S, E, R>(
  options: SessionOptions<S, E, R>,
): Promise<Session<S, E, R>> {
  const resolved = resolveSessionOptions(options);
  const store = storeOf(resolved);
  const contents = await store.open();
  let session: DurableSession<S, E, R>;
  let loaded: ReturnType<typeof loadSnapshot<S, E, R>>;
  try {
    loaded = loadSnapshot(contents.snapshot, contents.snapshotSource, resolved);
    const keys = new RememberedKeys<R>(resolved.keyMemory, resolved.rememberedResult);
    for (const { clientId, opId, revision, result } of loaded.keys) {
      keys.remember({ clientId, opId }, { revision, result: result as R });
    }
    const feed = new ChangeFeed<E, R>(
      resolved.feedSize,
      resolved.resultWeight,
      resolved.feedWeightBound,
    );
    const target = { state: loaded.state, revision: loaded.revision, keys, feed };
    replayJournal(contents, contents.journalSource, target, resolved);
    const warnings = await store.start();
    session = new DurableSession({
      options: resolved,
      store,
      ...target,
      journalEntries: contents.records.length,
      warnings,
    });
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  if (loaded.migratedFrom === undefined && !loaded.revalidated) return session;
  // A migrated or revalidated state is written at once, so that it is migrated or validated once.
  try {
    await session.compact();
  } catch (error) {
    await session.close().catch(() => undefined);
    throw error;
  }
  return session;
}

/** The store the options name, or the folder's file store. */
function storeOf<S, E, R>(options: ResolvedSessionOptions<S, E, R>): SessionStore {
  if (options.store !== undefined) return options.store;
  return new FileSessionStore(options.dir as string, {
    lockCheckIntervalMs: options.lockCheckIntervalMs,
  });
}
