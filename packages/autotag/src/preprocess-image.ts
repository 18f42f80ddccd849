import {
  DEFAULT_PIXEL_LIMIT,
  FileError,
  type ImageError,
  toImageError as imageErrorOf,
} from '@civtag/core-fs';
import { describeError } from './errors.js';

/** An image to tag: a file path, or the bytes of an image file. */
export type ImageSource = string | Uint8Array;

const WHITE = { r: 255, g: 255, b: 255 };

let sharpModule: Promise<typeof import('sharp')> | undefined;
function loadSharp(): Promise<typeof import('sharp')> {
  sharpModule ??= import('sharp').then((module) => module.default);
  return sharpModule;
}

/**
 * Decodes `source` and writes it into `target` at `offset` as a WD14 tagger reads an image:
 * upright (EXIF orientation applied), transparency composited on white, padded to a white
 * square, resized to `size` × `size`, then BGR float32 0–255 in HWC order (`size·size·3`
 * values).
 *
 * @param name Names the image in errors.
 * @throws {FileError} `NOT_FOUND` when the file does not exist.
 * @throws {ImageError} `IMAGE_UNREADABLE` when it cannot be decoded, `IMAGE_TOO_LARGE` over
 *   core-fs's pixel limit.
 */
export async function preprocessImage(
  source: ImageSource,
  size: number,
  target: { data: Float32Array; offset: number; name: string },
): Promise<void> {
  const sharp = await loadSharp();
  let pixels: Buffer;
  try {
    const { data, info } = await sharp(source, {
      limitInputPixels: DEFAULT_PIXEL_LIMIT,
      failOn: 'error',
      pages: 1,
    })
      .rotate()
      .flatten({ background: WHITE })
      // `contain` pads the shorter side with white around the centred image: the square the
      // taggers were trained on, without resizing a padded copy at full size first.
      .resize(size, size, { fit: 'contain', background: WHITE, kernel: 'cubic' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || data.length !== size * size * 3) {
      throw new Error(
        `decoded to ${info.width}×${info.height}×${info.channels}, not ${size}×${size}×3`,
      );
    }
    pixels = data;
  } catch (error) {
    throw toImageError(error, target.name);
  }
  const { data, offset } = target;
  for (let read = 0, write = offset; read < pixels.length; read += 3, write += 3) {
    data[write] = pixels[read + 2] as number;
    data[write + 1] = pixels[read + 1] as number;
    data[write + 2] = pixels[read] as number;
  }
}

function toImageError(error: unknown, name: string): FileError | ImageError {
  if (/^Input file is missing/i.test(describeError(error))) {
    return new FileError('NOT_FOUND', `The image ${name} does not exist.`, {
      cause: error,
      details: { path: name },
    });
  }
  return imageErrorOf(error, name, DEFAULT_PIXEL_LIMIT, 'to tag it');
}
