import {
  DEFAULT_PIXEL_LIMIT,
  type ImageLimitOptions,
  openImage,
  toImageError,
} from './image-pipeline.js';

/** The side of the grey square whose frequencies the hash reads. */
const SIDE = 32;
/** The lowest frequencies kept in each direction: 8 × 8 = 64 bits. */
const KEPT = 8;
/** The longest side an image is brought to before hashing: the size of civtag's thumbnails. */
const HASHED_SIDE = 256;
/** Images narrower than this on a side, in pixels, carry too little of a picture to compare. */
const MIN_SIDE = 8;
/** A grey square whose values spread less than this (standard deviation, 0–255) is plain. */
const MIN_SPREAD = 2;

/** `COSINES[u * SIDE + x]`: the DCT-II basis, frequency `u` at sample `x`. */
const COSINES = (() => {
  const table = new Float64Array(KEPT * SIDE);
  for (let u = 0; u < KEPT; u += 1) {
    for (let x = 0; x < SIDE; x += 1) {
      table[u * SIDE + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * SIDE));
    }
  }
  return table;
})();

/**
 * The perceptual hash of an image (pHash): 64 bits as 16 lowercase hex digits, or `''` for an
 * image too small (under 8 pixels on a side) or too plain (nearly one colour) for a hash to say
 * anything. The image is turned upright (EXIF), laid on white where it is transparent, made grey
 * and squeezed to 32 × 32; each bit tells whether one of the 8 × 8 lowest frequencies of its
 * discrete cosine transform is above their median. Re-encoded, resized and lightly cropped copies
 * of a picture differ from it in a few bits; different pictures in about half of them. Compare
 * two hashes by how many bits differ (`hammingDistance` of `@civtag/core`).
 *
 * A thumbnail is enough (the hash reads 32 × 32 pixels), and much cheaper to decode than the
 * image: civtag hashes the thumbnail it makes at import.
 *
 * @throws {ImageError} `IMAGE_TOO_LARGE` over the pixel limit; `IMAGE_UNREADABLE` for bytes
 *   that are no image civtag can decode.
 * @example
 * const hash = await perceptualHash(await readFile('.civtag/thumbs/ab12….webp')); // 'c3d1…'
 */
export async function perceptualHash(
  bytes: Uint8Array,
  options: ImageLimitOptions = {},
): Promise<string> {
  const name = `(${bytes.byteLength} bytes in memory)`;
  try {
    const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const image = await openImage(input, options);
    // Fitted as a thumbnail is (so an image and its thumbnail hash alike, and a large image
    // costs no more memory than its thumbnail), 8 bits a channel whatever the file holds.
    const { data, info } = await image
      .rotate()
      .resize(HASHED_SIDE, HASHED_SIDE, { fit: 'inside', withoutEnlargement: true })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return perceptualHashOfPixels(data, info);
  } catch (error) {
    throw toImageError(error, name, options.limitInputPixels ?? DEFAULT_PIXEL_LIMIT, 'first');
  }
}

/** Decoded pixels: rows of `width` pixels, `channels` bytes each (grey, grey + alpha, RGB, RGBA). */
export interface Pixels {
  width: number;
  height: number;
  channels: number;
}

/**
 * {@link perceptualHash} of pixels already decoded (upright): what the import hashes, from the
 * thumbnail it makes, before the thumbnail is encoded, so that no image is decoded twice. The
 * pixels are laid on white where transparent, made grey (Rec. 709 luma of the encoded values)
 * and averaged into 32 × 32 cells, each axis on its own.
 */
export function perceptualHashOfPixels(data: Uint8Array, pixels: Pixels): string {
  const { width, height, channels } = pixels;
  if (Math.min(width, height) < MIN_SIDE) return '';
  const colour = channels >= 3;
  const alpha = channels === 2 || channels === 4 ? channels - 1 : -1;
  const columns = cellSpans(width);
  const rows = cellSpans(height);
  const grey = new Float64Array(SIDE * SIDE);
  for (let cellY = 0; cellY < SIDE; cellY += 1) {
    const [top, bottom] = rows[cellY] as [number, number];
    for (let cellX = 0; cellX < SIDE; cellX += 1) {
      const [left, right] = columns[cellX] as [number, number];
      let total = 0;
      for (let y = top; y < bottom; y += 1) {
        let at = (y * width + left) * channels;
        for (let x = left; x < right; x += 1, at += channels) {
          const value = colour
            ? 0.2126 * (data[at] as number) +
              0.7152 * (data[at + 1] as number) +
              0.0722 * (data[at + 2] as number)
            : (data[at] as number);
          const opacity = alpha < 0 ? 1 : (data[at + alpha] as number) / 255;
          total += value * opacity + 255 * (1 - opacity);
        }
      }
      grey[cellY * SIDE + cellX] = total / ((bottom - top) * (right - left));
    }
  }
  return hashOfGreySquare(grey);
}

/** For each of the 32 cells along an axis of `length` pixels, the pixels it averages. */
function cellSpans(length: number): [number, number][] {
  return Array.from({ length: SIDE }, (_, cell) => {
    const start = Math.floor((cell * length) / SIDE);
    const end = Math.max(start + 1, Math.floor(((cell + 1) * length) / SIDE));
    return [start, Math.min(end, length)];
  });
}

/** The hash of a 32 × 32 grey image (0–255 a cell). */
function hashOfGreySquare(grey: Float64Array): string {
  let sum = 0;
  for (const value of grey) sum += value;
  const mean = sum / grey.length;
  let squares = 0;
  for (const value of grey) squares += (value - mean) ** 2;
  if (Math.sqrt(squares / grey.length) < MIN_SPREAD) return '';
  // The 2-D transform in two passes: rows first (every row, the kept frequencies), then columns.
  const rows = new Float64Array(SIDE * KEPT);
  for (let y = 0; y < SIDE; y += 1) {
    for (let v = 0; v < KEPT; v += 1) {
      let total = 0;
      for (let x = 0; x < SIDE; x += 1) {
        total += (grey[y * SIDE + x] as number) * (COSINES[v * SIDE + x] as number);
      }
      rows[y * KEPT + v] = total;
    }
  }
  const coefficients = new Float64Array(KEPT * KEPT);
  for (let u = 0; u < KEPT; u += 1) {
    for (let v = 0; v < KEPT; v += 1) {
      let total = 0;
      for (let y = 0; y < SIDE; y += 1) {
        total += (rows[y * KEPT + v] as number) * (COSINES[u * SIDE + y] as number);
      }
      coefficients[u * KEPT + v] = total;
    }
  }
  const sorted = Float64Array.from(coefficients).sort();
  const median = ((sorted[31] as number) + (sorted[32] as number)) / 2;
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble += 1) {
    let digit = 0;
    for (let bit = 0; bit < 4; bit += 1) {
      digit = (digit << 1) | ((coefficients[nibble * 4 + bit] as number) > median ? 1 : 0);
    }
    hex += digit.toString(16);
  }
  return hex;
}
