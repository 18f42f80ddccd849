import type { ImageFormat } from '@civtag/api-models';

/** File extensions civtag treats as images (lower case, with the dot), and the format each names. */
export const IMAGE_EXTENSIONS: ReadonlyMap<string, ImageFormat> = new Map([
  ['.png', 'png'],
  ['.jpg', 'jpeg'],
  ['.jpeg', 'jpeg'],
  ['.jpe', 'jpeg'],
  ['.jfif', 'jpeg'],
  ['.webp', 'webp'],
  ['.gif', 'gif'],
  ['.avif', 'avif'],
  ['.tif', 'tiff'],
  ['.tiff', 'tiff'],
  ['.bmp', 'bmp'],
]);

/** How many leading bytes {@link detectImageFormat} needs to see. */
export const MAGIC_BYTES_LENGTH = 32;

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, index) => bytes[offset + index] === byte);
}

function ascii(text: string): number[] {
  return Array.from(text, (character) => character.charCodeAt(0));
}

/** True for an ISO-BMFF file (`ftyp` box) whose major or compatible brands say AVIF. */
function isAvif(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, ascii('ftyp'), 4)) return false;
  const boxSize = Math.min(
    bytes.length,
    ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0,
  );
  for (let offset = 8; offset + 4 <= boxSize; offset += 4) {
    if (offset === 12) continue; // the minor version, not a brand
    if (startsWith(bytes, ascii('avif'), offset) || startsWith(bytes, ascii('avis'), offset))
      return true;
  }
  return false;
}

/**
 * The image format that a file's first bytes announce, whatever its extension says, or
 * `undefined` when they announce none civtag takes.
 */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (isAvif(bytes)) return 'avif';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return 'tiff';
  }
  if (startsWith(bytes, ascii('BM'))) return 'bmp';
  return undefined;
}
