import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  CivtagError,
  ErrorCode,
  PrefixSchema,
  type Settings,
  type SettingsChanges,
} from '@civtag/api-models';
import type { CreateDatasetOptions, Dataset, DatasetView } from '@civtag/core';
import {
  createDataset,
  isDatasetOpenElsewhere,
  openDataset,
  openDatasetReadOnly,
  readStoreNote,
} from '@civtag/core';
import { IMAGE_EXTENSIONS } from '@civtag/core-fs';
import { type CommandContext, warn } from './command-context.js';
import { databaseUrl, readDatasetInDatabase } from './database-dataset.js';
import { notWritableDataset } from './not-writable.js';
import { applySettings } from './settings-options.js';

/** True when `dir` already holds a civtag dataset. */
export function isDataset(dir: string): boolean {
  return existsSync(path.join(dir, '.civtag'));
}

/** A file-name prefix from a folder's name: `My Photos!` gives `My_Photos`; `image` when nothing is left. */
export function prefixFromFolder(dir: string): string {
  const cleaned = path
    .basename(path.resolve(dir))
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return PrefixSchema.safeParse(cleaned).success ? cleaned : 'image';
}

/** Throws `NOT_FOUND` with what to run to make a dataset, when `dir` holds none. */
function requireDataset(dir: string): void {
  if (!isDataset(dir)) {
    throw new CivtagError(
      ErrorCode.NOT_FOUND,
      `${dir} is not a civtag dataset (it has no .civtag folder). Make one with: civtag import <images> --out ${dir}`,
      { details: { dir } },
    );
  }
}

/**
 * Opens a dataset and waits until its files are in line with its state (a command works on
 * the whole dataset at once; a server serves before that).
 */
async function openReconciled(dir: string): Promise<Dataset> {
  const dataset = await openDataset(dir);
  await dataset.reconciled();
  return dataset;
}

/** How a command opens a dataset. */
export interface OpenOptions {
  /**
   * Resolve before the files are brought in line with the state (a server serves at once and
   * reconciles in the background; changes wait for it). Default: wait, as a command that works
   * on the whole dataset must.
   */
  serving?: boolean;
  /**
   * Where to say what the open noticed and kept for a person (a damaged journal line kept
   * aside): said once, on the open that found it.
   */
  context?: CommandContext;
}

/**
 * Opens the dataset in `dir` to change it, taking its lock. `what` names the command for the
 * message when another process (`civtag serve`) holds the dataset.
 *
 * @throws CivtagError `NOT_FOUND` with what to run to make one; `SESSION_LOCKED` naming the
 *   process that holds it and what to do instead; `NOT_WRITABLE` naming the folder, with what
 *   to do (make it writable, or read it with a command that writes nothing there).
 */
export async function openExistingDataset(
  dir: string,
  what = 'This command',
  options: OpenOptions = {},
): Promise<Dataset> {
  requireDataset(dir);
  try {
    const dataset = options.serving === true ? await openDataset(dir) : await openReconciled(dir);
    if (options.context !== undefined) {
      for (const warning of dataset.warnings) warn(options.context, `civtag: ${warning.message}`);
    }
    return dataset;
  } catch (error) {
    if (!CivtagError.hasCode(error, ErrorCode.SESSION_LOCKED) || error.details?.pid == null)
      throw notWritableDataset(dir, error);
    const { pid, host, startedAt } = error.details;
    throw new CivtagError(
      ErrorCode.SESSION_LOCKED,
      `${what} changes ${dir}, which is in use by process ${String(pid)} on ${String(host)} since ` +
        `${String(startedAt)} (civtag serve?): stop the server first or use the web app.`,
      { cause: error, details: error.details },
    );
  }
}

/** What the commands that only read (`check`, `stats`, `export`, `settings`) need of a dataset. */
export type ReadableDataset = Pick<
  DatasetView,
  'dir' | 'settings' | 'images' | 'tagStats' | 'check' | 'export'
>;

/**
 * Opens the dataset in `dir` for a command that only reads, and runs `work` on it. When no other
 * process holds the dataset it is opened as usual, so captions edited in other programs since
 * the last run are taken in first (as undoable edits) and the command sees them. When another
 * process (`civtag serve`, which takes such edits in itself) holds it, it is read without the
 * lock and nothing in the folder is written; so it is when the folder may not be written (a
 * read-only disk, missing permissions) or its disk is full.
 *
 * A dataset moved into a database is read from it, with `options.database` (or
 * `CIVTAG_DATABASE_URL`); without either, the error names the database to give.
 *
 * @throws CivtagError `NOT_FOUND` with what to run to make one; `SESSION_CORRUPT`; `IO_ERROR`;
 *   `CONFLICT` for a dataset moved into a database, read without its URL.
 */
export async function readDataset<T>(
  dir: string,
  work: (dataset: ReadableDataset) => Promise<T>,
  options: { context?: CommandContext; database?: string | undefined } = {},
): Promise<T> {
  requireDataset(dir);
  if (options.context !== undefined) {
    // A dataset moved into a database is read from it; without a URL, opening it below says
    // where it lives.
    const url = databaseUrl(options.database, options.context.env);
    if (
      url !== undefined &&
      (options.database !== undefined || (await readStoreNote(dir)) !== undefined)
    ) {
      return readDatasetInDatabase(options.context, dir, url, work);
    }
  }
  if (await isDatasetOpenElsewhere(dir)) return work(await openDatasetReadOnly(dir));
  let dataset: Dataset;
  try {
    dataset = await openReconciled(dir);
  } catch (error) {
    // Another process opened it since the look at its lock, or the folder takes no writes.
    if (!READ_WITHOUT_LOCK.some((code) => CivtagError.hasCode(error, code))) throw error;
    return work(await openDatasetReadOnly(dir));
  }
  return withDataset(dataset, work);
}

/** The errors of opening a dataset after which a command that only reads goes on without its lock. */
const READ_WITHOUT_LOCK: readonly ErrorCode[] = [
  ErrorCode.SESSION_LOCKED,
  ErrorCode.NOT_WRITABLE,
  ErrorCode.DISK_FULL,
];

/**
 * Opens the dataset in `dir` and applies the settings asked for as one undoable op, or creates
 * the dataset with them when there is none. `settingsFor` turns the command's options into
 * settings, given the dataset's current ones (none for a new dataset).
 */
export async function openOrCreateDataset(
  context: CommandContext,
  dir: string,
  settingsFor: (current: Settings | undefined) => SettingsChanges,
  opening: OpenOptions = {},
): Promise<{ dataset: Dataset; created: boolean }> {
  if (isDataset(dir)) {
    const dataset = await openExistingDataset(dir, 'This command', { ...opening, context });
    try {
      await applySettings(context, dataset, settingsFor(dataset.settings));
    } catch (error) {
      await dataset.close();
      throw error;
    }
    return { dataset, created: false };
  }
  const { prefix, triggerWord, tagStyle, kohyaRepeats } = settingsFor(undefined);
  const options: CreateDatasetOptions = { prefix: prefix ?? prefixFromFolder(dir) };
  if (triggerWord != null) options.triggerWord = triggerWord;
  // Without a style asked for, the first import picks one from the captions it reads.
  if (tagStyle !== undefined) options.tagStyle = tagStyle;
  if (kohyaRepeats !== undefined) options.kohyaRepeats = kohyaRepeats;
  return { dataset: await createDataset(dir, options), created: true };
}

/** Runs `work` on the open dataset and closes it (compacting, releasing the lock) whatever happens. */
export async function withDataset<T>(
  dataset: Dataset,
  work: (dataset: Dataset) => Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await work(dataset);
  } catch (error) {
    // The work's error says what went wrong (a full disk, say); a close that then fails for the
    // same reason must not replace it. Every acknowledged edit is in the journal either way.
    await dataset.close().catch(() => undefined);
    throw error;
  }
  await dataset.close();
  return result;
}

/** Checks that an import source is a folder, before anything is created for it. */
export async function requireSourceFolder(source: string): Promise<void> {
  const status = await stat(source).catch(() => undefined);
  if (status?.isDirectory() !== true) {
    throw new CivtagError(
      ErrorCode.NOT_FOUND,
      `${source} is not a folder of images: check the path.`,
      {
        details: { source },
      },
    );
  }
}

/** True when `dir` is a folder holding at least one image file at its top level. */
export async function holdsImages(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.some(
    (entry) => entry.isFile() && IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase()),
  );
}
