import { open, readFile } from 'node:fs/promises';
import type { ImageFormat } from '@civtag/api-models';
import { ImageError } from './errors.js';
import {
  assertPngIntact,
  DEFAULT_PIXEL_LIMIT,
  formatOf,
  type ImageLimitOptions,
  openImage,
  toImageError,
} from './image-pipeline.js';
import { hasPngSignature } from './png-chunks.js';

/** What {@link probeImage} finds out about an image. */
export interface ImageProbe {
  format: ImageFormat;
  /** Width as displayed, after the EXIF orientation is applied. */
  width: number;
  /** Height as displayed, after the EXIF orientation is applied. */
  height: number;
  /** The EXIF orientation, 1–8 (1 when the file has none). */
  orientation: number;
}

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const head = new Uint8Array(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Reads an image's format, displayed size and orientation from its header, without decoding
 * its pixels (so it is fast; damage inside the pixel data shows up in {@link makeThumbnail}).
 * A PNG file is read whole and every chunk checksum verified, because decoders skip them.
 *
 * @throws {ImageError} `IMAGE_TOO_LARGE` when one frame has more than `limitInputPixels` pixels
 *   (default 100 megapixels); `IMAGE_UNREADABLE` with the decoder's reason when the file is
 *   missing, damaged, or in a format civtag does not take (BMP, SVG, HEIC…).
 */
export async function probeImage(
  path: string,
  options: ImageLimitOptions = {},
): Promise<ImageProbe> {
  const limit = options.limitInputPixels ?? DEFAULT_PIXEL_LIMIT;
  try {
    let input: string | Buffer = path;
    if (hasPngSignature(await readHead(path))) {
      input = await readFile(path);
      assertPngIntact(input, path);
    }
    return await probeDecoded(input, path, options);
  } catch (error) {
    throw toImageError(error, path, limit);
  }
}

/**
 * {@link probeImage} of an image already in memory whose PNG chunks (if it is a PNG) were
 * checked: what `readImageFile` does with the bytes it read. Throws what sharp throws, and
 * `IMAGE_UNREADABLE` for a format civtag does not take; the caller words the rest.
 */
export async function probeDecoded(
  input: string | Buffer,
  name: string,
  options: ImageLimitOptions,
): Promise<ImageProbe> {
  const limit = options.limitInputPixels ?? DEFAULT_PIXEL_LIMIT;
  const image = await openImage(input, options);
  const metadata = await image.metadata();
  const format = formatOf(metadata);
  if (format === undefined) {
    throw new ImageError(
      'IMAGE_UNREADABLE',
      `Cannot use the image ${name}: its format (${metadata.format}) is not one civtag takes (PNG, JPEG, WebP, GIF, AVIF, TIFF).`,
      { details: { path: name, reason: `unsupported format ${metadata.format}` } },
    );
  }
  const width = metadata.width ?? 0;
  const height = metadata.pageHeight ?? metadata.height ?? 0;
  if (width * height > limit) throw new Error('Input image exceeds pixel limit');
  const orientation = metadata.orientation ?? 1;
  const turned = orientation >= 5 && orientation <= 8;
  return { format, width: turned ? height : width, height: turned ? width : height, orientation };
}
