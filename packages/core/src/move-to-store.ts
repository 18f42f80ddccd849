import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import { writeFileAtomic } from '@civtag/core-fs';
import { FileSessionStore, type SessionStore } from '@civtag/session/store';
import { CIVTAG_FOLDER } from './caption-files.js';
import { openDataset } from './open-dataset.js';
import { pathExists } from './path-exists.js';
import { MOVED_ASIDE_FOLDER, STORE_NOTE_FILE, type StoreNote } from './store-note.js';

/** The session files of `.civtag/` a move puts aside (the lock stays until the end). */
const SESSION_FILES = ['session.json', 'session.json.prev', 'journal.jsonl', 'journal.jsonl.prev'];

/**
 * Moves the state of the dataset in `dir` out of its `.civtag/` folder into `store` (a database
 * several servers share), history and undo included: the dataset is opened once as usual (its
 * captions put right) and closed, which compacts its journal into one snapshot; that snapshot
 * becomes the store's first, in one write. Then `.civtag/database.json` says where the dataset
 * lives, and the session files are put aside in `.civtag/moved-to-database/` (kept for a
 * person; civtag no longer reads them). The folder's lock is held from the compaction to the
 * end, so no process of the folder changes it meanwhile. `store` is closed before this resolves.
 *
 * @throws CivtagError `CONFLICT` when the store already holds this dataset (or the dataset was
 *   changed during the move: try again); those of `openDataset` (`SESSION_LOCKED` while a
 *   server of the folder has it open) and of the store (`IO_ERROR` when it cannot be reached).
 */
export async function moveDatasetToStore(
  dir: string,
  store: SessionStore,
  note: Omit<StoreNote, 'movedAt' | 'note'>,
): Promise<void> {
  const root = path.resolve(dir);
  const sessionDir = path.join(root, CIVTAG_FOLDER);
  try {
    const dataset = await openDataset(root);
    await dataset.reconciled();
    await dataset.close();
    const files = new FileSessionStore(sessionDir);
    const contents = await files.open();
    try {
      if (contents.snapshot === undefined || contents.records.length > 0) {
        throw new CivtagError(
          ErrorCode.CONFLICT,
          `The dataset ${root} changed while it was being moved into ${store.location}: nothing was moved; start again.`,
          { details: { path: root } },
        );
      }
      const into = await store.open();
      if (into.snapshot !== undefined || into.records.length > 0) {
        throw new CivtagError(
          ErrorCode.CONFLICT,
          `${store.location} already holds the dataset ${note.dataset}, and ${root} was not moved into it (it has no ${CIVTAG_FOLDER}/${STORE_NOTE_FILE}): nothing was moved. Serve the folder without --database, or remove the dataset's rows from the database first.`,
          { details: { path: root, dataset: note.dataset } },
        );
      }
      const { stateSha256: _hash, stateLength: _length, ...snapshot } = contents.snapshot.snapshot;
      const write = await store.beginWrite();
      try {
        await write.compact(snapshot);
        await write.commit();
      } catch (error) {
        await write.abort();
        throw error;
      }
      const moved: StoreNote = {
        ...note,
        movedAt: new Date().toISOString(),
        note: `The state and history of this dataset live in a ${note.store} database (${note.location}, dataset ${note.dataset}); the files in ${MOVED_ASIDE_FOLDER}/ are what this folder held before and are no longer read. Open the dataset with --database (or CIVTAG_DATABASE_URL).`,
      };
      await writeFileAtomic(
        path.join(sessionDir, STORE_NOTE_FILE),
        `${JSON.stringify(moved, null, 2)}\n`,
      );
      const aside = path.join(sessionDir, MOVED_ASIDE_FOLDER);
      await mkdir(aside, { recursive: true });
      for (const name of SESSION_FILES) {
        const from = path.join(sessionDir, name);
        if (await pathExists(from)) await rename(from, path.join(aside, name));
      }
    } finally {
      await files.close();
    }
  } finally {
    await store.close();
  }
}
