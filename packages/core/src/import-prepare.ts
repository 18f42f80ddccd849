import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError, ErrorCode, type ImageFormat, type ImportFailure } from '@civtag/api-models';
import {
  type DirectWriteBuffers,
  type ImageFile,
  perceptualHash,
  type ReadBuffers,
  readImageFile,
  type ScannedImage,
  type StagedCopy,
  stageCopy,
  writeThumbnailWithHash,
} from '@civtag/core-fs';
import { isNoRoom } from './no-room.js';
import { pathExists } from './path-exists.js';
import type { Slots } from './slots.js';
import { readSourceCaption, type SourceCaption } from './source-caption.js';
import { thumbnailPath } from './thumbnail.js';

/** An image ready to be placed in the dataset. */
export interface ReadyImage {
  kind: 'ready';
  hash: string;
  size: number;
  width: number;
  height: number;
  format: ImageFormat;
  /** The perceptual hash of its thumbnail; absent for content the dataset holds already. */
  phash?: string;
  caption: SourceCaption;
  /**
   * The image's bytes, written into the dataset folder under a temporary name, waiting for the
   * name placement gives it; none when its content was already in the dataset (a duplicate).
   */
  copy?: StagedCopy;
}

/** An image ready to be placed in the dataset, or why it cannot be. */
export type PreparedImage = ReadyImage | { kind: 'failed'; failure: ImportFailure };

/**
 * The work on one source image that can run beside other images, from one read of the file:
 * hash, PNG check and probe (`readImageFile`), thumbnail (into `.civtag/thumbs/`, once per
 * content), caption, and the copy into the dataset folder under a temporary name. Never throws:
 * a failure is returned with the file's path and the reason, and leaves no copy behind.
 */
export async function prepareImage(
  image: ScannedImage,
  options: {
    dir: string;
    tagsFromMetadata: boolean;
    /** Whether the dataset holds an image with this content already (it is not copied again). */
    isKnown: (hash: string) => boolean;
    /** Where the file is read into; its buffer is given back once the image is prepared. */
    buffers: ReadBuffers;
    /** The slots for the work that keeps the cores busy: reading, hashing and thumbnailing. */
    decoding: Slots;
    /** Aligned memory the copy is written past the page cache with, where the disk takes that. */
    copyBuffers?: DirectWriteBuffers | undefined;
  },
): Promise<PreparedImage> {
  const buffer = options.buffers.take(image.size);
  try {
    const { file, known, phash } = await options.decoding.run(async () => {
      const file = await readImageFile(image.path, buffer === undefined ? {} : { buffer });
      const known = options.isKnown(file.hash);
      return { file, known, phash: await ensureThumbnail(options.dir, file, !known) };
    });
    const caption = await readSourceCaption(image.path, {
      tagsFromMetadata: options.tagsFromMetadata,
      bytes: file.bytes,
    });
    const ready: ReadyImage = {
      kind: 'ready',
      hash: file.hash,
      size: file.bytes.length,
      width: file.probe.width,
      height: file.probe.height,
      format: file.probe.format,
      caption,
    };
    if (phash !== undefined) ready.phash = phash;
    // Last, so that nothing above can fail with a copy made. Flushed here, beside other
    // images' decoding, rather than while the batch holds the dataset.
    if (!known) {
      ready.copy = await stageCopy(file.bytes, options.dir, {
        name: path.basename(image.path),
        buffers: options.copyBuffers,
      });
    }
    return ready;
  } catch (error) {
    const code = CivtagError.isInstance(error) ? error.code : ErrorCode.IO_ERROR;
    return { kind: 'failed', failure: { path: image.path, code, message: describeError(error) } };
  } finally {
    // Every use of the bytes (decoding, the copy, the metadata) has finished by now.
    options.buffers.give(buffer);
  }
}

/**
 * Makes the image's thumbnail in `.civtag/thumbs/` unless it is there, and gives the perceptual
 * hash of its pixels when `wanted`: hashed as the thumbnail is made, before it is encoded, so the
 * image is decoded once. A thumbnail left by an interrupted import is hashed from its file.
 */
async function ensureThumbnail(
  dir: string,
  file: ImageFile,
  wanted: boolean,
): Promise<string | undefined> {
  const target = thumbnailPath(dir, file.hash);
  if (await pathExists(target)) {
    if (!wanted) return undefined;
    const existing = await readFile(target).catch(() => undefined);
    if (existing !== undefined && existing.length > 0) return perceptualHash(existing);
  }
  try {
    return (await writeThumbnailWithHash(file, target)).phash;
  } catch (error) {
    if (!isNoRoom(error)) throw error;
    // Said of the thumbnail: the image itself was not written yet.
    throw new CivtagError(
      (error as CivtagError).code,
      `Its thumbnail ${target} could not be written: ${describeError(error)}`,
      { cause: error, details: { path: target } },
    );
  }
}

/** The message of any thrown value. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
