import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError, ErrorCode } from '@civtag/api-models';
import { makeThumbnail, writeFileAtomic } from '@civtag/core-fs';

/** The folder of cached thumbnails, relative to the dataset folder. */
export const THUMBS_FOLDER = path.join('.civtag', 'thumbs');

/** The cached thumbnail of an image, keyed by its content hash. */
export function thumbnailPath(dir: string, hash: string): string {
  return path.join(dir, THUMBS_FOLDER, `${hash}.webp`);
}

/**
 * Reads an image's thumbnail from the cache, making and caching it when it is missing.
 * @throws CivtagError `IMAGE_UNREADABLE` when the image cannot be decoded.
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
  await writeFileAtomic(cached, bytes, { fsync: false });
  return bytes;
}
