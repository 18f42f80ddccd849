import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChangeFeed } from './change-feed.js';
import { JournalFile } from './journal-file.js';
import { loadSnapshot } from './load-snapshot.js';
import { RememberedKeys } from './remembered-keys.js';
import { replayJournal } from './replay-journal.js';
import { ioError, SessionError, systemErrorCode } from './session-error.js';
import { sessionFiles } from './session-files.js';
import { resolveSessionOptions, type SessionOptions } from './session-options.js';

/**
 * The options of {@link readSessionState}: those of `openSession` that say how to read the state
 * (the same object can be passed to both).
 */
export type SessionReadOptions<S, E, R> = Pick<
  SessionOptions<S, E, R>,
  'dir' | 'schema' | 'entrySchema' | 'version' | 'migrations' | 'initial' | 'reduce'
> & {
  /**
   * How many times to read again when a compaction by the process holding the session replaced
   * the snapshot and the journal while they were being read. Default 10.
   */
  attempts?: number;
};

/** A state as {@link readSessionState} read it, and the revision it is at. */
export interface SessionStateRead<S> {
  state: S;
  revision: number;
}

const DEFAULT_ATTEMPTS = 10;
const RETRY_PAUSE_MS = 5;

/**
 * Reads the state of the session in `options.dir` without taking its lock and without writing
 * anything: the snapshot, then the complete lines of the journal replayed in memory (a torn
 * last line, an append in flight, is left out). Another process may hold the session and go on
 * writing meanwhile: the state returned is one that process had at some moment, never a mix,
 * and no older than the state it had when the read began. A compaction that replaces the
 * snapshot between the two reads is seen (the snapshot file changed and the journal does not go
 * on from the snapshot read) and the read starts again, after a short random pause.
 *
 * @throws {SessionError} `SESSION_CORRUPT` with `details: { file, line, field }` when the
 *   snapshot or a journal line other than the last cannot be read, or the journal misses
 *   entries; `IO_ERROR` when a compaction came between the reads `attempts` times in a row (try
 *   again), or a file cannot be read; `VALIDATION` for bad options.
 * @example
 * const { state, revision } = await readSessionState({ dir, schema, entrySchema, version: 1, initial, reduce });
 */
export async function readSessionState<S, E, R>(
  options: SessionReadOptions<S, E, R>,
): Promise<SessionStateRead<S>> {
  const resolved = resolveSessionOptions(options);
  const files = sessionFiles(resolved.dir);
  const attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
  for (let attempt = 1; ; attempt += 1) {
    const before = await snapshotIdentity(files.snapshot);
    const loaded = await loadSnapshot(files.snapshot, resolved);
    const scan = await JournalFile.read(files.journal);
    // A compaction puts its snapshot in place before it starts a new journal. So while the
    // snapshot stays the same file, the journal read after it goes on from it: together they
    // are one state of the writer. When the snapshot was replaced meanwhile, a journal with
    // entries going on from the snapshot read is still the one that followed it (a new journal
    // starts after the new snapshot, leaving a gap); an empty one may be the new journal, and
    // the snapshot read then lags behind what the writer had when the read began.
    const first = scan.records[0]?.record.rev;
    const followsSnapshot = first !== undefined && first <= loaded.revision + 1;
    if (followsSnapshot || (await snapshotIdentity(files.snapshot)) === before) {
      // Keys and the change feed are a writer's concern: a reader keeps none.
      const target = {
        state: loaded.state,
        revision: loaded.revision,
        keys: new RememberedKeys<R>(0),
        feed: new ChangeFeed<E, R>(0),
      };
      replayJournal(scan, files.journal, target, resolved);
      return { state: target.state, revision: target.revision };
    }
    if (attempt >= attempts) {
      throw new SessionError(
        'IO_ERROR',
        `The session in ${files.dir} was compacted during each of ${attempts} reads: the ` +
          'process holding it compacts faster than it can be read. Try again.',
        { details: { dir: files.dir, attempts } },
      );
    }
    // A random pause, growing with each attempt, so that a reader does not fall in step with
    // a writer that compacts at a steady pace.
    await sleep(Math.random() * RETRY_PAUSE_MS * attempt);
  }
}

/**
 * What tells one snapshot file from the next: a compaction writes a new file and renames it into
 * place, so its inode, size or modification time differ. `none` when there is none.
 */
async function snapshotIdentity(file: string): Promise<string> {
  try {
    const status = await stat(file, { bigint: true });
    return `${status.ino}:${status.size}:${status.mtimeNs}`;
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return 'none';
    throw ioError(`Reading ${file}`, error, 'Nothing was changed.', file);
  }
}
