import { gunzipSync } from 'node:zlib';
import { loadSharp } from './image-pipeline.js';

/**
 * Reads "stealth" generation parameters: text that the AUTOMATIC1111 stealth-pnginfo extension
 * hides in the lowest bit of each pixel's alpha (or red, green and blue) value, column by
 * column, so that it survives sites that strip PNG text chunks.
 */

const SIGNATURES = {
  alpha: { plain: 'stealth_pnginfo', compressed: 'stealth_pngcomp' },
  rgb: { plain: 'stealth_rgbinfo', compressed: 'stealth_rgbcomp' },
} as const;
const MAX_TEXT_BITS = 8 * 1024 * 1024 * 8;
/**
 * The pixels are decoded whole (4 bytes each), so only images of a generator's usual size are
 * searched: 16 megapixels is 64 MiB of pixels, and covers 4096 × 4096.
 */
const STEALTH_PIXEL_LIMIT = 16 * 1024 * 1024;

/** The hidden bits in reading order: down each column, left to right. */
function* hiddenBits(
  pixels: Buffer,
  width: number,
  height: number,
  channels: number,
  mode: 'alpha' | 'rgb',
) {
  for (let x = 0; x < width; x += 1) {
    for (let y = 0; y < height; y += 1) {
      const pixel = (y * width + x) * channels;
      if (mode === 'alpha') {
        yield pixels[pixel + channels - 1]! & 1;
      } else {
        yield pixels[pixel]! & 1;
        yield pixels[pixel + 1]! & 1;
        yield pixels[pixel + 2]! & 1;
      }
    }
  }
}

function takeBytes(bits: Iterator<number>, count: number): Uint8Array | undefined {
  const bytes = new Uint8Array(count);
  for (let index = 0; index < count * 8; index += 1) {
    const bit = bits.next();
    if (bit.done) return undefined;
    bytes[index >> 3] = (bytes[index >> 3]! << 1) | bit.value;
  }
  return bytes;
}

function readHidden(
  pixels: Buffer,
  width: number,
  height: number,
  channels: number,
  mode: 'alpha' | 'rgb',
) {
  const bits = hiddenBits(pixels, width, height, channels, mode);
  const signature = takeBytes(bits, SIGNATURES[mode].plain.length);
  const text = signature && String.fromCharCode(...signature);
  if (text !== SIGNATURES[mode].plain && text !== SIGNATURES[mode].compressed) return undefined;
  const lengthBytes = takeBytes(bits, 4);
  if (lengthBytes === undefined) return undefined;
  const bitLength = new DataView(lengthBytes.buffer).getUint32(0);
  if (bitLength === 0 || bitLength > MAX_TEXT_BITS || bitLength % 8 !== 0) return undefined;
  const payload = takeBytes(bits, bitLength / 8);
  if (payload === undefined) return undefined;
  const data =
    text === SIGNATURES[mode].compressed
      ? gunzipSync(payload, { maxOutputLength: MAX_TEXT_BITS / 8 })
      : payload;
  return new TextDecoder('utf-8').decode(data);
}

/** The hidden parameters text of an image, or `undefined` when it hides none. */
export async function readStealthPngInfo(bytes: Uint8Array): Promise<string | undefined> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(bytes, { limitInputPixels: STEALTH_PIXEL_LIMIT, pages: 1 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels < 3) return undefined;
  const modes: ('alpha' | 'rgb')[] = info.channels === 4 ? ['alpha', 'rgb'] : ['rgb'];
  for (const mode of modes) {
    const text = readHidden(data, info.width, info.height, info.channels, mode);
    if (text !== undefined) return text;
  }
  return undefined;
}
