import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { describeError, FileError, systemErrorCode } from './errors.js';

/**
 * Above this size a file is hashed as a stream, so that memory stays bounded; below it, one
 * read and one hash call are faster (see the package README for the measurement).
 */
export const WHOLE_FILE_HASH_LIMIT = 256 * 1024 * 1024;

/**
 * The content hash of a file, as lowercase hex SHA-256: what civtag uses to find duplicates
 * and to key thumbnails.
 *
 * @throws {FileError} `NOT_FOUND` when the file does not exist, `IO_ERROR` when it cannot be read.
 */
export function hashFile(path: string): Promise<string> {
  return hashFileWithLimit(path, WHOLE_FILE_HASH_LIMIT);
}

/** {@link hashFile} with the size above which the file is streamed rather than read whole. */
export async function hashFileWithLimit(path: string, wholeFileLimit: number): Promise<string> {
  try {
    const { size } = await stat(path);
    if (size <= wholeFileLimit) {
      return createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    }
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
      hash.update(chunk as Buffer);
    }
    return hash.digest('hex');
  } catch (error) {
    const missing = systemErrorCode(error) === 'ENOENT';
    throw new FileError(
      missing ? 'NOT_FOUND' : 'IO_ERROR',
      `Could not hash ${path}: ${describeError(error)}.`,
      { cause: error, details: { path } },
    );
  }
}
