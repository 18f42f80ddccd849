import { mkdir } from 'node:fs/promises';
import { sweepTempFiles } from '@civtag/core-fs';
import { ChangeFeed } from './change-feed.js';
import { acquireLock, releaseLock, removeDeadPendingFiles } from './directory-lock.js';
import { DurableSession } from './durable-session.js';
import { JournalFile } from './journal-file.js';
import { loadSnapshot } from './load-snapshot.js';
import { RememberedKeys } from './remembered-keys.js';
import { replayJournal } from './replay-journal.js';
import type { Session } from './session.js';
import { ioError } from './session-error.js';
import { sessionFiles } from './session-files.js';
import { resolveSessionOptions, type SessionOptions } from './session-options.js';
import type { SessionWarning } from './session-warning.js';
import { setAsideDamagedLine } from './set-aside-damaged-line.js';

/**
 * Opens (or creates) the session in `options.dir`: takes the folder's lock, loads the snapshot
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
  const files = sessionFiles(resolved.dir);
  try {
    await mkdir(files.dir, { recursive: true });
  } catch (error) {
    throw ioError(`Creating the session folder ${files.dir}`, error, '', files.dir);
  }
  const owner = await acquireLock(files.lock);
  let session: DurableSession<S, E, R>;
  try {
    await removeDeadPendingFiles(files.lock);
    await sweepTempFiles(files.dir);
    const loaded = await loadSnapshot(files.snapshot, resolved);
    const scan = await JournalFile.read(files.journal);
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
    replayJournal(scan, files.journal, target, resolved);
    const warnings: SessionWarning[] = [];
    if (scan.damaged !== undefined) {
      warnings.push(await setAsideDamagedLine(files.journal, scan.damaged));
    }
    const journal = await JournalFile.open(files.journal, scan);
    session = new DurableSession({
      options: resolved,
      files,
      owner,
      journal,
      ...target,
      journalEntries: scan.records.length,
      warnings,
    });
    if (loaded.migratedFrom === undefined && !loaded.revalidated) return session;
  } catch (error) {
    await releaseLock(files.lock, owner).catch(() => undefined);
    throw error;
  }
  // A migrated or revalidated state is written at once, so that it is migrated or validated once.
  try {
    await session.compact();
  } catch (error) {
    await session.close().catch(() => undefined);
    throw error;
  }
  return session;
}
