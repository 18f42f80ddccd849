import type { ImageFormat } from '@civtag/api-models';
import type { Metadata, Sharp } from 'sharp';
import { describeError, ImageError } from './errors.js';
import { findPngDamage, hasPngSignature } from './png-chunks.js';

/**
 * The default pixel limit (width × height of one frame): 100 megapixels. Larger images are
 * refused before they are decoded, which guards against decompression bombs.
 */
export const DEFAULT_PIXEL_LIMIT = 100_000_000;

/** Options shared by the functions that decode images. */
export interface ImageLimitOptions {
  /** Refuse images with more pixels than this (one frame). Default {@link DEFAULT_PIXEL_LIMIT}. */
  limitInputPixels?: number;
}

/**
 * Loads sharp on first use, so that the path and file functions of this package (what the
 * session and the server need first) do not pay for loading the native image library.
 */
export async function loadSharp(): Promise<typeof import('sharp')> {
  return (await import('sharp')).default;
}

/**
 * A sharp pipeline for `input` that refuses images over the pixel limit and fails on decoding
 * errors (not on mere warnings, which many camera JPEGs carry), and reads the first frame of an
 * animation.
 */
export async function openImage(
  input: string | Buffer,
  options: ImageLimitOptions = {},
): Promise<Sharp> {
  const sharp = await loadSharp();
  return sharp(input, {
    limitInputPixels: options.limitInputPixels ?? DEFAULT_PIXEL_LIMIT,
    failOn: 'error',
    pages: 1,
  });
}

/** Throws `IMAGE_UNREADABLE` when `bytes` are a PNG file whose chunks are damaged or cut short. */
export function assertPngIntact(bytes: Uint8Array, name: string): void {
  if (!hasPngSignature(bytes)) return;
  const damage = findPngDamage(bytes);
  if (damage !== undefined) {
    throw new ImageError('IMAGE_UNREADABLE', `Cannot read the image ${name}: ${damage}.`, {
      details: { path: name, reason: damage },
    });
  }
}

/** The civtag format of what sharp read, or `undefined` for a format civtag does not take. */
export function formatOf(metadata: Metadata): ImageFormat | undefined {
  switch (metadata.format) {
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'gif':
    case 'tiff':
      return metadata.format;
    case 'heif':
      return metadata.compression === 'av1' ? 'avif' : undefined;
    default:
      return undefined;
  }
}

/**
 * Turns what sharp (or reading the file) threw into `IMAGE_TOO_LARGE` or `IMAGE_UNREADABLE`;
 * `purpose` ends the advice to scale a large image down ("before importing it").
 */
export function toImageError(
  error: unknown,
  name: string,
  limit: number,
  purpose = 'before importing it',
): ImageError {
  if (error instanceof ImageError) return error;
  const reason = describeError(error).split('\n')[0] ?? 'unknown error';
  if (/pixel limit/i.test(reason)) {
    return new ImageError(
      'IMAGE_TOO_LARGE',
      `The image ${name} has more than ${limit} pixels, civtag's limit; scale it down ${purpose}.`,
      { cause: error, details: { path: name, limitInputPixels: limit } },
    );
  }
  return new ImageError('IMAGE_UNREADABLE', `Cannot read the image ${name}: ${reason}.`, {
    cause: error,
    details: { path: name, reason },
  });
}
