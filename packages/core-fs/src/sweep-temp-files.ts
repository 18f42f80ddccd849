import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { describeError, FileError, systemErrorCode } from './errors.js';
import { isTemporaryFileName } from './temporary-file-name.js';

/**
 * Removes the temporary files that an interrupted {@link writeFileAtomic} or
 * {@link copyIntoDataset} left in `dir` (not in its subfolders). Run it when a dataset is
 * opened, while holding its lock, so that no write of this process is in flight there.
 *
 * @returns how many files were removed; `0` when `dir` does not exist.
 * @throws {FileError} `IO_ERROR` when the folder cannot be read or a file cannot be removed.
 */
export async function sweepTempFiles(dir: string): Promise<number> {
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
  for (const name of names.filter(isTemporaryFileName)) {
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
