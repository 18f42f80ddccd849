import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import { makeThumbnail, writeFileAtomic } from '@civtag/core-fs';
import { isNoRoom } from './no-room.js';

/** The folder of cached thumbnails, relative to the dataset folder. */
export const THUMBS_FOLDER = path.join('.civtag', 'thumbs');

/** The cached thumbnail of an image, keyed by its content hash. */
export function thumbnailPath(dir: string, hash: string): string {
  return path.join(dir, THUMBS_FOLDER, `${hash}.webp`);
}

/**
 * Reads an image's thumbnail from the cache, making and caching it when it is missing. Where the
 * cache cannot be written (`DISK_FULL`, `NOT_WRITABLE`) the thumbnail is served all the same.
 * @throws CivtagError `IMAGE_UNREADABLE` when the image cannot be decoded; `IO_ERROR` when the
 *   cache cannot be read or written for another reason.
 */
export async function readThumbnail(
  dir: string,
  hash: string,
  imagePath: string,
): Promise<Uint8Array> {
  const cached = thumbnailPath(dir, hash);
  try {
    return new Uint8Array(await readFile(cached));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CivtagError(ErrorCode.IO_ERROR, `Could not read the thumbnail ${cached}.`, {
        cause: error,
        details: { path: cached },
      });
    }
  }
  const bytes = await makeThumbnail(imagePath);
  try {
    await writeFileAtomic(cached, bytes, { fsync: false });
  } catch (error) {
    // The cache is only a cache: a full or read-only disk still gets its thumbnail served,
    // made again next time. Any other failure is the answer.
    if (!isNoRoom(error)) throw error;
  }
  return bytes;
}
