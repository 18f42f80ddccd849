import { nodeAtomicFileSystem } from './atomic-file-system.js';
import { describeError, FileError } from './errors.js';

/**
 * Makes the names made or changed in `folder` durable (`fsync` of the folder; a no-op where the
 * platform cannot flush folders). One call covers every name made there before it, so many
 * claimed copies need one flush.
 *
 * @throws {FileError} `IO_ERROR` when the folder cannot be flushed.
 */
export async function syncFolder(folder: string): Promise<void> {
  try {
    await nodeAtomicFileSystem.syncDirectory(folder);
  } catch (error) {
    throw new FileError(
      'IO_ERROR',
      `Could not flush the folder ${folder}: ${describeError(error)}.`,
      {
        cause: error,
        details: { path: folder },
      },
    );
  }
}
