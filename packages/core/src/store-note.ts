import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import { CIVTAG_FOLDER } from './caption-files.js';

/** The note a dataset moved into a database keeps in its `.civtag/` folder. */
export const STORE_NOTE_FILE = 'database.json';

/** The folder of `.civtag/` the session files of a moved dataset were put aside in. */
export const MOVED_ASIDE_FOLDER = 'moved-to-database';

/**
 * Where the state of a dataset moved out of its folder lives now (`.civtag/database.json`):
 * written once, by the move; the folder keeps the images, captions and thumbnails.
 */
export interface StoreNote {
  /** The kind of store: `postgres`. */
  store: string;
  /** The dataset's id in the store (the dataset's own id). */
  dataset: string;
  /** Where the store is, without credentials: `host:port/database`. */
  location: string;
  /** When the dataset was moved (ISO 8601). */
  movedAt: string;
  /** For a person reading the folder. */
  note: string;
}

/** The note of a dataset moved into a database, or `undefined` for a dataset of its folder. */
export async function readStoreNote(dir: string): Promise<StoreNote | undefined> {
  const file = path.join(path.resolve(dir), CIVTAG_FOLDER, STORE_NOTE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new CivtagError(ErrorCode.IO_ERROR, `Cannot read ${file}: check its permissions.`, {
      cause: error,
      details: { path: file },
    });
  }
  try {
    const note = JSON.parse(text) as Partial<StoreNote>;
    if (typeof note.dataset !== 'string' || typeof note.store !== 'string') throw new Error();
    return {
      store: note.store,
      dataset: note.dataset,
      location: typeof note.location === 'string' ? note.location : '(unknown)',
      movedAt: typeof note.movedAt === 'string' ? note.movedAt : '(unknown)',
      note: typeof note.note === 'string' ? note.note : '',
    };
  } catch (error) {
    throw new CivtagError(
      ErrorCode.SESSION_CORRUPT,
      `${file} is damaged: it should say which database holds the dataset ({"store", "dataset", "location"}).`,
      { cause: error, details: { path: file } },
    );
  }
}

/**
 * The error of opening a moved dataset from its folder alone: its state is in the database the
 * note names, reached with `--database` (or `CIVTAG_DATABASE_URL`).
 */
export function livesInStoreError(dir: string, note: StoreNote): CivtagError {
  return new CivtagError(
    ErrorCode.CONFLICT,
    `The dataset ${path.resolve(dir)} lives in a ${note.store} database since ${note.movedAt} (${note.location}, dataset ${note.dataset}): serve it with "civtag serve ${path.resolve(dir)} --database postgres://user:password@${note.location}" (stats, check and export take --database too; or set CIVTAG_DATABASE_URL), and make changes through that server.`,
    {
      details: {
        path: path.resolve(dir),
        store: note.store,
        location: note.location,
        dataset: note.dataset,
      },
    },
  );
}
