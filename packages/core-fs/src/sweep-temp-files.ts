import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { describeError, FileError, systemErrorCode } from './errors.js';
import { isTemporaryFileName, isTemporaryFileNameMadeSince } from './temporary-file-name.js';

/**
 * Removes the temporary files that an interrupted {@link writeFileAtomic} or
 * {@link copyIntoDataset} left in `dir` (not in its subfolders). Run it when a dataset is
 * opened, while holding its lock: either before this process writes there, or beside its
 * writes with `spareMadeSince` (a {@link temporaryNameMark} taken before the first of them),
 * which leaves the temporary files this process made since then alone.
 *
 * @returns how many files were removed; `0` when `dir` does not exist.
 * @throws {FileError} `IO_ERROR` when the folder cannot be read or a file cannot be removed.
 */
export async function sweepTempFiles(
  dir: string,
  options: { spareMadeSince?: number } = {},
): Promise<number> {
  const { spareMadeSince } = options;
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
