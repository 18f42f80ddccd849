import { statfs } from 'node:fs/promises';
import { describeError, FileError } from './errors.js';

/**
 * The bytes a writer without special rights can still write on the disk that holds `folder`
 * (`statfs`: available blocks × block size). What an import checks before it copies anything,
 * and reports when it runs out.
 *
 * @throws {FileError} `IO_ERROR` when the disk cannot be asked (the folder is missing, say).
 */
export async function freeSpace(folder: string): Promise<number> {
  try {
    const stats = await statfs(folder);
    return stats.bavail * stats.bsize;
  } catch (error) {
    throw new FileError(
      'IO_ERROR',
      `Could not tell the free space of the disk holding ${folder}: ${describeError(error)}.`,
      { cause: error, details: { path: folder } },
    );
  }
}
