import path from 'node:path';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import { isSessionHeld, readSessionState } from '@civtag/session';
import type { SessionStore } from '@civtag/session/store';
import { datasetSessionOptions } from './dataset-session.js';
import { DatasetView } from './dataset-view.js';
import { CIVTAG_FOLDER } from './open-dataset.js';
import { pathExists } from './path-exists.js';
import { createReducer } from './reduce-entry.js';
import { livesInStoreError, readStoreNote } from './store-note.js';

/**
 * Reads the dataset in `dir` without taking its lock and without writing anything in its folder
 * (no caption rewrites, no compaction, no thumbnails, no lock file): its saved state plus the
 * complete entries of its journal, replayed in memory. Works while another process (`civtag
 * serve`) has the dataset open and goes on changing it: the view is a state that process had,
 * never a mix of two. For `check()`, `export()`, counts and listings; changes need
 * `openDataset`.
 *
 * @example
 * const view = await openDatasetReadOnly('./sakura');
 * console.log(view.tagStats().slice(0, 10), (await view.check()).ok);
 * With `options.store`, the state is read from that store (a dataset moved into a database);
 * without it, such a dataset is refused with `CONFLICT`, naming the database.
 *
 * @throws CivtagError `NOT_FOUND` when `dir` holds no dataset; `SESSION_CORRUPT` when its state
 *   cannot be read; `IO_ERROR` (also when the holder compacted during every attempt to read).
 */
export async function openDatasetReadOnly(
  dir: string,
  options: { store?: SessionStore } = {},
): Promise<DatasetView> {
  const root = path.resolve(dir);
  const sessionDir = path.join(root, CIVTAG_FOLDER);
  if (!(await pathExists(sessionDir))) {
    throw new CivtagError(
      ErrorCode.NOT_FOUND,
      `${root} holds no civtag dataset; create one with createDataset.`,
      { details: { path: root } },
    );
  }
  if (options.store === undefined) {
    const note = await readStoreNote(root);
    if (note !== undefined) throw livesInStoreError(root, note);
  }
  const { state } = await readSessionState({
    ...datasetSessionOptions(sessionDir, {
      initial: () => {
        throw new CivtagError(
          ErrorCode.SESSION_CORRUPT,
          `The dataset ${root} has no saved state in ${CIVTAG_FOLDER}/.`,
          { details: { path: root } },
        );
      },
      reduce: createReducer(),
    }),
    ...(options.store === undefined ? {} : { store: options.store }),
  });
  return new DatasetView(root, state);
}

/**
 * Whether a process (such as `civtag serve`) has the dataset in `dir` open now. Reads its lock and
 * writes nothing, so a command that only reads can choose `openDatasetReadOnly` rather than try
 * `openDataset`; a lock left by a process that is gone does not count.
 *
 * @throws CivtagError `IO_ERROR` when the lock cannot be read.
 */
export function isDatasetOpenElsewhere(dir: string): Promise<boolean> {
  return isSessionHeld(path.join(path.resolve(dir), CIVTAG_FOLDER));
}
