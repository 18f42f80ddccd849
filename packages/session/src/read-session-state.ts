import { ChangeFeed } from './change-feed.js';
import { FileSessionStore } from './file-session-store.js';
import { loadSnapshot } from './load-snapshot.js';
import { RememberedKeys } from './remembered-keys.js';
import { replayJournal } from './replay-journal.js';
import { resolveSessionOptions, type SessionOptions } from './session-options.js';

/**
 * The options of {@link readSessionState}: those of `openSession` that say how to read the state
 * (the same object can be passed to both).
 */
export type SessionReadOptions<S, E, R> = Pick<
  SessionOptions<S, E, R>,
  'dir' | 'store' | 'schema' | 'entrySchema' | 'version' | 'migrations' | 'initial' | 'reduce'
> & {
  /**
   * How many times to read again when a compaction by the process holding the session replaced
   * the snapshot and the journal while they were being read (the file store). Default 10.
   */
  attempts?: number;
};

/** A state as {@link readSessionState} read it, and the revision it is at. */
export interface SessionStateRead<S> {
  state: S;
  revision: number;
}

/**
 * Reads the state of the session in `options.dir` (or `options.store`) without taking its lock and without writing
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
  const store =
    options.store ??
    new FileSessionStore(resolved.dir as string, { readAttempts: options.attempts });
  const contents = await store.read();
  const loaded = loadSnapshot(contents.snapshot, contents.snapshotSource, resolved);
  // Keys and the change feed are a writer's concern: a reader keeps none.
  const target = {
    state: loaded.state,
    revision: loaded.revision,
    keys: new RememberedKeys<R>(0),
    feed: new ChangeFeed<E, R>(0),
  };
  replayJournal(contents, contents.journalSource, target, resolved);
  return { state: target.state, revision: target.revision };
}
