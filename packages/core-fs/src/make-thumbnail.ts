import { readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { OutputInfo, Sharp } from 'sharp';
import {
  assertPngIntact,
  DEFAULT_PIXEL_LIMIT,
  type ImageLimitOptions,
  loadSharp,
  openImage,
  toImageError,
} from './image-pipeline.js';
import { perceptualHashOfPixels } from './perceptual-hash.js';
import { type ImageFile, isImageFile, wasChecked } from './read-image-file.js';
import { temporaryFileName } from './temporary-file-name.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Options of {@link makeThumbnail}. */
export interface ThumbnailOptions extends ImageLimitOptions {
  /** The longest side of the thumbnail, in pixels; smaller images are not enlarged. Default `256`. */
  size?: number;
  /** WebP quality, 1–100. Default `80`. */
  quality?: number;
}

/**
 * Makes a WebP thumbnail of an image (a file path, the file's bytes, or an {@link ImageFile}
 * read by `readImageFile`, whose checks are not repeated): upright as its EXIF
 * orientation says, fitted inside `size` × `size`, the first frame of an animation. JPEG and
 * WebP sources are shrunk while they are decoded, which is faster and uses less memory.
 *
 * @throws {ImageError} `IMAGE_TOO_LARGE` over the pixel limit (default 100 megapixels, refused
 *   before decoding); `IMAGE_UNREADABLE` with the decoder's reason for a missing, truncated or
 *   corrupt file.
 * @example
 * const webp = await makeThumbnail('/data/sakura/sakura_0001.png', { size: 256 });
 */
export async function makeThumbnail(
  input: string | Uint8Array | ImageFile,
  options: ThumbnailOptions = {},
): Promise<Uint8Array> {
  return withFittedImage(input, options, async (fitted) => {
    // One pipeline from the file to the WebP: the callers that want no hash pay for none.
    const thumbnail = await fitted.webp({ quality: options.quality ?? 80 }).toBuffer();
    return new Uint8Array(thumbnail.buffer, thumbnail.byteOffset, thumbnail.byteLength);
  });
}

/**
 * {@link makeThumbnail}, and the perceptual hash of the thumbnail's pixels
 * (`perceptualHashOfPixels`), from one decode of the image: the thumbnail is made as pixels,
 * hashed, then encoded. What an import makes of each new image.
 *
 * @throws {ImageError} as {@link makeThumbnail}.
 */
export async function makeThumbnailWithHash(
  input: string | Uint8Array | ImageFile,
  options: ThumbnailOptions = {},
): Promise<{ thumbnail: Uint8Array; phash: string }> {
  const fitted = await fittedPixels(input, options);
  const thumbnail = await webpBytes(fitted, options);
  return {
    thumbnail: new Uint8Array(thumbnail.buffer, thumbnail.byteOffset, thumbnail.byteLength),
    phash: perceptualHashOfPixels(fitted.data, fitted.info),
  };
}

/**
 * {@link makeThumbnailWithHash}, written to the file `target` instead of returned: sharp encodes
 * it straight into a temporary file beside `target` (no copy of it passes through JavaScript,
 * no extra trips to the file system), which then takes `target`'s name, so a reader finds the
 * old file or the whole new one. Not flushed: what an import makes of each new image, where
 * the thumbnail is a cache that can be made again.
 *
 * @throws {ImageError} as {@link makeThumbnail}.
 * @throws {FileError} `DISK_FULL`, `NOT_WRITABLE` or `IO_ERROR` when the file cannot be
 *   written (nothing is left behind).
 */
export async function writeThumbnailWithHash(
  input: string | Uint8Array | ImageFile,
  target: string,
  options: ThumbnailOptions = {},
): Promise<{ phash: string }> {
  const fitted = await fittedPixels(input, options);
  const phash = perceptualHashOfPixels(fitted.data, fitted.info);
  const temporary = path.join(
    path.dirname(target),
    temporaryFileName(path.basename(target), 'tmp'),
  );
  try {
    await (await encodeWebp(fitted, options)).toFile(temporary);
    await rename(temporary, target);
    return { phash };
  } catch {
    await unlink(temporary).catch(() => undefined);
  }
  // sharp words a failed write without its cause (a full disk, a read-only folder): written
  // again from memory, the failure says which, and an unlucky moment gets a second chance.
  await writeFileAtomic(target, await webpBytes(fitted, options), { fsync: false });
  return { phash };
}

/** The pixels of the thumbnail of `input`, upright and fitted, decoded once. */
async function fittedPixels(
  input: string | Uint8Array | ImageFile,
  options: ThumbnailOptions,
): Promise<{ name: string; data: Buffer; info: OutputInfo }> {
  return withFittedImage(input, options, async (fitted, name) => {
    const { data, info } = await fitted
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { name, data, info };
  });
}

/** The WebP thumbnail of pixels from {@link fittedPixels}, in memory; a failure is an {@link ImageError}. */
async function webpBytes(
  fitted: { name: string; data: Buffer; info: OutputInfo },
  options: ThumbnailOptions,
): Promise<Buffer> {
  try {
    return await (await encodeWebp(fitted, options)).toBuffer();
  } catch (error) {
    throw toImageError(error, fitted.name, options.limitInputPixels ?? DEFAULT_PIXEL_LIMIT);
  }
}

/** A pipeline that encodes pixels from {@link fittedPixels} as the WebP thumbnail. */
async function encodeWebp(
  pixels: { data: Buffer; info: OutputInfo },
  options: ThumbnailOptions,
): Promise<Sharp> {
  const { width, height, channels } = pixels.info;
  const sharp = await loadSharp();
  return sharp(pixels.data, { raw: { width, height, channels } }).webp({
    quality: options.quality ?? 80,
  });
}

/**
 * Reads `input` (unless it is an {@link ImageFile} already read and checked), opens it and
 * hands `output` the image upright and fitted inside the thumbnail's size; a failure anywhere
 * becomes the {@link ImageError} naming the input.
 */
async function withFittedImage<Result>(
  input: string | Uint8Array | ImageFile,
  options: ThumbnailOptions,
  output: (fitted: Sharp, name: string) => Promise<Result>,
): Promise<Result> {
  const read = isImageFile(input);
  let name: string;
  if (read) name = input.path;
  else name = typeof input === 'string' ? input : `(${input.byteLength} bytes in memory)`;
  const size = options.size ?? 256;
  try {
    let bytes: Buffer;
    if (read) bytes = input.bytes;
    else if (typeof input === 'string') bytes = await readFile(input);
    else bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    // The chunks of an ImageFile were checked when it was read.
    if (!(read && wasChecked(input))) assertPngIntact(bytes, name);
    const image = await openImage(bytes, options);
    return await output(
      image.rotate().resize(size, size, { fit: 'inside', withoutEnlargement: true }),
      name,
    );
  } catch (error) {
    throw toImageError(error, name, options.limitInputPixels ?? DEFAULT_PIXEL_LIMIT);
  }
}
