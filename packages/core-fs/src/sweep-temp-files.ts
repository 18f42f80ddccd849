import { lstat, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { describeError, FileError, systemErrorCode } from './errors.js';
import { isTemporaryFileName, isTemporaryFileNameMadeSince } from './temporary-file-name.js';

/**
 * Removes the temporary files that an interrupted {@link writeFileAtomic} or
 * {@link copyIntoDataset} left in `dir` (not in its subfolders). Run it when a dataset is
 * opened, while holding its lock: either before this process writes there, or beside its
 * writes with `spareMadeSince` (a {@link temporaryNameMark} taken before the first of them),
 * which leaves the temporary files this process made since then alone. Where other processes
 * write into `dir` too (several servers sharing a dataset folder), `olderThanMs` removes only
 * the temporary files not modified for that long: no write in progress leaves one that old.
 *
 * @returns how many files were removed; `0` when `dir` does not exist.
 * @throws {FileError} `IO_ERROR` when the folder cannot be read or a file cannot be removed.
 */
export async function sweepTempFiles(
  dir: string,
  options: { spareMadeSince?: number; olderThanMs?: number } = {},
): Promise<number> {
  const { spareMadeSince, olderThanMs } = options;
  const notAfter = olderThanMs === undefined ? undefined : Date.now() - olderThanMs;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return 0;
    throw new FileError(
      'IO_ERROR',
      `Could not list ${dir} to remove temporary files: ${describeError(error)}.`,
      {
        cause: error,
        details: { path: dir },
      },
    );
  }
  let removed = 0;
  const leftOver = (name: string) =>
    isTemporaryFileName(name) &&
    (spareMadeSince === undefined || !isTemporaryFileNameMadeSince(name, spareMadeSince));
  for (const name of names.filter(leftOver)) {
    const file = path.join(dir, name);
    try {
      if (notAfter !== undefined && (await lstat(file)).mtimeMs > notAfter) continue;
      await unlink(file);
      removed += 1;
    } catch (error) {
      if (systemErrorCode(error) === 'ENOENT') continue;
      throw new FileError(
        'IO_ERROR',
        `Could not remove the temporary file ${file}: ${describeError(error)}.`,
        {
          cause: error,
          details: { path: file },
        },
      );
    }
  }
  return removed;
}
