import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { describeError, FileError, systemErrorCode } from './errors.js';
import {
  assertPngIntact,
  DEFAULT_PIXEL_LIMIT,
  type ImageLimitOptions,
  toImageError,
} from './image-pipeline.js';
import { type ImageProbe, probeDecoded } from './probe-image.js';

/**
 * An image file read once: its bytes, their content hash and what its header says. Everything an
 * import does with a file (hash, PNG check, probe, thumbnail, copy) works from these bytes, so
 * the file is read from disk once and each step sees the same content.
 */
export interface ImageFile {
  /** The path it was read from (named in errors). */
  readonly path: string;
  /** The whole file. */
  readonly bytes: Buffer;
  /** The SHA-256 of the bytes, lowercase hex: what {@link hashFile} gives for the file. */
  readonly hash: string;
  readonly probe: ImageProbe;
}

/** Options of {@link readImageFile}. */
export interface ReadImageFileOptions extends ImageLimitOptions {
  /**
   * Memory to read the file into when it is large enough; `bytes` is then a view of it. A caller
   * that reads many files can reuse a few buffers instead of allocating (and collecting) one per
   * file. It must not be written to while the result is in use. Default: a new buffer.
   */
  buffer?: Buffer;
}

/** The {@link ImageFile}s {@link readImageFile} made: their checks need no repeat. */
const checkedImageFiles = new WeakSet<object>();

/** True for an {@link ImageFile} rather than a path or bytes. */
export function isImageFile(value: string | Uint8Array | ImageFile): value is ImageFile {
  return typeof value === 'object' && !(value instanceof Uint8Array);
}

/** True when `image` was made by {@link readImageFile}, so its PNG chunks are known whole. */
export function wasChecked(image: ImageFile): boolean {
  return checkedImageFiles.has(image);
}

/**
 * Reads an image file whole, once, and hashes, checks and probes those bytes: the hash of
 * {@link hashFile}, every PNG chunk checksum (decoders skip them) and the probe of
 * {@link probeImage}. Pass the result to {@link makeThumbnail} and write its `bytes` as the copy.
 *
 * @throws {FileError} `NOT_FOUND` when the file does not exist, `IO_ERROR` when it cannot be read.
 * @throws {ImageError} `IMAGE_TOO_LARGE` over `limitInputPixels` (default 100 megapixels);
 *   `IMAGE_UNREADABLE` when it is damaged or in a format civtag does not take.
 * @example
 * const image = await readImageFile('/photos/sakura.png');
 * const thumbnail = await makeThumbnail(image); // no second read, no second PNG check
 */
export async function readImageFile(
  path: string,
  options: ReadImageFileOptions = {},
): Promise<ImageFile> {
  let bytes: Buffer;
  try {
    bytes = await readWhole(path, options.buffer);
  } catch (error) {
    const missing = systemErrorCode(error) === 'ENOENT';
    throw new FileError(
      missing ? 'NOT_FOUND' : 'IO_ERROR',
      `Could not read ${path}: ${describeError(error)}.`,
      { cause: error, details: { path } },
    );
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  let probe: ImageProbe;
  try {
    assertPngIntact(bytes, path);
    probe = await probeDecoded(bytes, path, options);
  } catch (error) {
    throw toImageError(error, path, options.limitInputPixels ?? DEFAULT_PIXEL_LIMIT);
  }
  const image: ImageFile = { path, bytes, hash, probe };
  checkedImageFiles.add(image);
  return image;
}

/** The whole file, read into `buffer` when it fits (one read of the whole size), else a new one. */
async function readWhole(path: string, buffer: Buffer | undefined): Promise<Buffer> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    // One byte more than the size: a file that grew since it was measured is read to its end.
    let target =
      buffer !== undefined && buffer.length > size ? buffer : Buffer.allocUnsafeSlow(size + 1);
    let length = 0;
    for (;;) {
      if (length === target.length) {
        const larger = Buffer.allocUnsafeSlow(target.length * 2);
        target.copy(larger, 0, 0, length);
        target = larger;
      }
      const { bytesRead } = await handle.read(target, length, target.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return target.subarray(0, length);
  } finally {
    await handle?.close();
  }
}
