import { constants } from 'node:fs';
import { copyFile, link, lstat, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { nodeAtomicFileSystem } from './atomic-file-system.js';
import {
  describeError,
  FileError,
  systemErrorCode,
  writeErrorAdvice,
  writeErrorCode,
} from './errors.js';
import { temporaryFileName } from './temporary-file-name.js';

/** Codes with which a file system says it has no hard links (FAT, exFAT, some shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** The `CONFLICT` error of a copy whose name is taken. */
export function conflict(destination: string, cause?: unknown): FileError {
  return new FileError(
    'CONFLICT',
    `Cannot copy to ${destination}: a file of that name already exists, and civtag never overwrites it. Move it away or pick another name.`,
    { cause, details: { path: destination } },
  );
}

/** Gives the copy its final name, failing with `EEXIST` rather than replacing a file. */
export async function claimName(temporary: string, destination: string): Promise<void> {
  try {
    await link(temporary, destination);
  } catch (error) {
    if (!NO_HARD_LINKS.has(systemErrorCode(error) ?? '')) throw error;
    // No hard links here: check, then rename. civtag holds the dataset's lock, so no other
    // writer of civtag can slip in between.
    const existing = await lstat(destination).catch(() => undefined);
    if (existing !== undefined)
      throw Object.assign(new Error('destination exists'), { code: 'EEXIST' });
    await rename(temporary, destination);
  }
}

/** Options of {@link copyIntoDataset}. */
export interface CopyIntoDatasetOptions {
  /** Flush the copy and its folder to disk before resolving. Default `true`. */
  fsync?: boolean;
}

async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Copies an image into the dataset under its new name: atomically (a reader or a crash sees the
 * whole file or none), as a reflink where the file system can (Btrfs, XFS, APFS: instant, no
 * extra space), flushed to disk, and never over an existing file.
 *
 * The copy goes to a hidden temporary file in the destination folder first, then gets its name
 * with `link`, which fails rather than replace a file. The source is only read.
 *
 * @throws {FileError} `CONFLICT` when `destination` exists; `NOT_FOUND` when `source` does not;
 *   `DISK_FULL` or `NOT_WRITABLE` when the folder has no space or cannot be written;
 *   `IO_ERROR` for any other failure (nothing is left behind).
 */
export async function copyIntoDataset(
  source: string,
  destination: string,
  options: CopyIntoDatasetOptions = {},
): Promise<void> {
  const durable = options.fsync ?? true;
  const target = path.resolve(destination);
  const folder = path.dirname(target);
  const temporary = path.join(folder, temporaryFileName(path.basename(target), 'tmp'));
  let created = false;
  let claimed = false;
  try {
    await copyFile(source, temporary, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
    created = true;
    if (durable) await syncFile(temporary);
    await claimName(temporary, target);
    claimed = true;
    await unlink(temporary).catch(() => undefined);
    created = false;
    if (durable) await nodeAtomicFileSystem.syncDirectory(folder);
  } catch (error) {
    // Undo what this call made, so that a failed copy leaves nothing and can simply be retried.
    if (created) await unlink(temporary).catch(() => undefined);
    if (claimed) await unlink(target).catch(() => undefined);
    const code = systemErrorCode(error);
    if (code === 'EEXIST') throw conflict(target, error);
    const failure = code === 'ENOENT' && !created ? 'NOT_FOUND' : writeErrorCode(error);
    throw new FileError(
      failure,
      `Could not copy ${source} to ${target}: ${describeError(error)}.${writeErrorAdvice(failure, folder)}`,
      { cause: error, details: { source, path: target } },
    );
  }
}
