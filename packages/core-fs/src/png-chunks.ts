import { crc32 } from 'node:zlib';

/** One chunk of a PNG file. */
export interface PngChunk {
  /** The four-letter chunk type, like `IHDR`, `tEXt`. */
  type: string;
  data: Uint8Array;
  /** Byte offset of the chunk (its length field) in the file. */
  offset: number;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function hasPngSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((byte, index) => bytes[index] === byte);
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset]! << 24) |
      (bytes[offset + 1]! << 16) |
      (bytes[offset + 2]! << 8) |
      bytes[offset + 3]!) >>>
    0
  );
}

function typeAt(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + 4));
}

/**
 * The chunks of a PNG file in order, up to `IEND` or to the first chunk that runs past the
 * end of the file. Checksums are not verified here (see {@link findPngDamage}).
 */
export function* readPngChunks(bytes: Uint8Array): Generator<PngChunk> {
  if (!hasPngSignature(bytes)) return;
  for (let offset = 8; offset + 12 <= bytes.length; ) {
    const length = readUint32(bytes, offset);
    if (offset + 12 + length > bytes.length) return;
    const type = typeAt(bytes, offset + 4);
    yield { type, data: bytes.subarray(offset + 8, offset + 8 + length), offset };
    if (type === 'IEND') return;
    offset += 12 + length;
  }
}

/**
 * What is wrong with the structure of a PNG file, in words, or `undefined` when every chunk is
 * whole, every checksum matches and the file ends with `IEND`. Decoders skip the checksum of
 * image data, so a file damaged on disk or in transit can otherwise decode into wrong pixels.
 */
export function findPngDamage(bytes: Uint8Array): string | undefined {
  if (!hasPngSignature(bytes)) return 'it does not start with the PNG signature';
  let offset = 8;
  while (offset + 12 <= bytes.length) {
    const length = readUint32(bytes, offset);
    const type = typeAt(bytes, offset + 4);
    if (offset + 12 + length > bytes.length) {
      return `it is truncated: the ${JSON.stringify(type)} chunk at byte ${offset} runs past the end of the file`;
    }
    const expected = readUint32(bytes, offset + 8 + length);
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== expected) {
      return `the checksum of the ${JSON.stringify(type)} chunk at byte ${offset} does not match: the file is damaged`;
    }
    if (type === 'IEND') return undefined;
    offset += 12 + length;
  }
  return 'it is truncated: it ends before its IEND chunk';
}
