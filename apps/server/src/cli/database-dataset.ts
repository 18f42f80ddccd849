import path from 'node:path';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import type { Dataset, DatasetView } from '@civtag/core';
import {
  isDatasetOpenElsewhere,
  moveDatasetToStore,
  openDataset,
  openDatasetReadOnly,
  readStoreNote,
  type StoreNote,
} from '@civtag/core';
import type { PostgresSessionStore } from '@civtag/session-postgres';
import { type CommandContext, say, warn } from './command-context.js';

/** The environment variable `--database` falls back on. */
export const DATABASE_URL_VARIABLE = 'CIVTAG_DATABASE_URL';

/** How long a server waits for another that is moving the same dataset into the database. */
const MOVE_WAIT_MS = 120_000;
const MOVE_POLL_MS = 250;

/** The database a command was given: `--database`, else `CIVTAG_DATABASE_URL`; none when empty. */
export function databaseUrl(
  option: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const url = option ?? env[DATABASE_URL_VARIABLE];
  return url === undefined || url === '' ? undefined : url;
}

/** `host:port/database` of a database URL: where it is, without its credentials. */
export function databaseLocation(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw badUrl(url, cause);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw badUrl(url);
  return `${parsed.hostname}:${parsed.port === '' ? '5432' : parsed.port}${parsed.pathname}`;
}

function badUrl(url: string, cause?: unknown): CivtagError {
  const shown = url.replace(/\/\/[^@/]*@/, '//…@');
  return new CivtagError(
    ErrorCode.VALIDATION,
    `--database ${shown} is not a PostgreSQL URL: give postgres://user:password@host:port/database.`,
    { ...(cause === undefined ? {} : { cause }), details: { field: 'database' } },
  );
}

/**
 * What a command says while the database is down: one line when it is first found away (where,
 * why, and that civtag keeps trying), not one per try, and one line when it answers again.
 */
class UnavailableNotice {
  #away = false;

  constructor(private readonly context: CommandContext) {}

  unavailable(error: CivtagError): void {
    if (this.#away) return;
    this.#away = true;
    const { host, port } = (error.details ?? {}) as { host?: string; port?: number };
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    warn(
      this.context,
      `civtag: the PostgreSQL database at ${host}:${port} cannot be reached${cause}; trying again every few seconds until it answers. Start the database, or check the address given to --database.`,
    );
  }

  reached(): void {
    if (!this.#away) return;
    this.#away = false;
    warn(this.context, 'civtag: the database answers again.');
  }
}

/**
 * A store of the dataset `id` in the database at `url`. `@civtag/session-postgres` (and `pg`)
 * is loaded here, with a dynamic import, so that civtag without `--database` never loads it:
 * the bundle keeps it in a chunk of its own.
 */
async function storeOf(
  url: string,
  id: string,
  notice: UnavailableNotice,
): Promise<PostgresSessionStore> {
  const { PostgresSessionStore } = await import('@civtag/session-postgres');
  return new PostgresSessionStore({
    connectionString: url,
    dataset: id,
    onUnavailable: (error) => notice.unavailable(error),
  });
}

/**
 * The note of a dataset in the database: read from the folder, or written by moving the
 * folder's dataset into the database first. Several servers started at once on one folder move
 * it once: the first holds the folder's lock while it moves, the others wait for its note.
 */
async function noteOf(
  context: CommandContext,
  dir: string,
  url: string,
  notice: UnavailableNotice,
): Promise<StoreNote> {
  const started = Date.now();
  for (;;) {
    const note = await readStoreNote(dir);
    if (note !== undefined) return note;
    try {
      if (!(await isDatasetOpenElsewhere(dir))) {
        const id = (await openDatasetReadOnly(dir)).id;
        say(context, `Moving ${dir} into the database ${databaseLocation(url)}…`);
        await moveDatasetToStore(dir, await storeOf(url, id, notice), {
          store: 'postgres',
          dataset: id,
          location: databaseLocation(url),
        });
        say(context, `${dir} now lives in the database (dataset ${id}).`);
        continue;
      }
    } catch (error) {
      // Another server took the folder's lock to move it, or moved it since the look above.
      const racing =
        CivtagError.hasCode(error, ErrorCode.SESSION_LOCKED) ||
        (CivtagError.hasCode(error, ErrorCode.CONFLICT) && error.details?.store !== undefined);
      if (!racing) throw error;
    }
    if (Date.now() - started > MOVE_WAIT_MS) {
      throw new CivtagError(
        ErrorCode.SESSION_LOCKED,
        `${dir} is held by another process that has not moved it into the database: stop the civtag that serves it without --database, then start again.`,
        { details: { path: dir } },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, MOVE_POLL_MS));
  }
}

/**
 * Opens the dataset in `dir` with its state in the PostgreSQL database at `url`, beside the other
 * servers of that dataset. The first server moves a dataset of the folder into the database.
 *
 * @throws CivtagError `NOT_FOUND` when `dir` holds no dataset; `VALIDATION` for a bad URL;
 *   `IO_ERROR` naming the database when it cannot be read.
 */
export async function openDatasetInDatabase(
  context: CommandContext,
  dir: string,
  url: string,
): Promise<Dataset> {
  databaseLocation(url);
  const root = path.resolve(dir);
  const notice = new UnavailableNotice(context);
  const note = await noteOf(context, root, url, notice);
  const dataset = await openDataset(root, { store: await storeOf(url, note.dataset, notice) });
  notice.reached();
  return dataset;
}

/**
 * Reads a dataset moved into the database at `url` without changing it (`stats`, `check`,
 * `export`), and runs `work` on it.
 */
export async function readDatasetInDatabase<T>(
  context: CommandContext,
  dir: string,
  url: string,
  work: (dataset: DatasetView) => Promise<T>,
): Promise<T> {
  databaseLocation(url);
  const root = path.resolve(dir);
  const note = await readStoreNote(root);
  if (note === undefined) {
    throw new CivtagError(
      ErrorCode.NOT_FOUND,
      `${root} has not been moved into a database (it has no .civtag/database.json): run the command without --database, or serve it once with "civtag serve ${dir} --database URL" to move it.`,
      { details: { path: root } },
    );
  }
  const notice = new UnavailableNotice(context);
  const store = await storeOf(url, note.dataset, notice);
  try {
    const dataset = await openDatasetReadOnly(root, { store });
    notice.reached();
    return await work(dataset);
  } finally {
    await store.close();
  }
}
