// PNG files written without an image library (zlib and a CRC only): thousands of distinct images
// in milliseconds, for benchmarks that measure state rather than pixels.
import { crc32, deflateSync } from 'node:zlib';

const SIDE = 16;
const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, checksum]);
}

/**
 * An 8-bit RGB PNG of `width` × `height` from packed RGB bytes (`width * height * 3`). With
 * `subFilter`, each row stores its differences from the pixel to the left (PNG filter 1), which
 * deflates a smooth image several times smaller.
 */
export function encodePng(rgb, width, height, { subFilter = false } = {}) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const stride = width * 3;
  // Each row starts with its filter byte (0: none, 1: sub).
  const rows = Buffer.alloc(height * (1 + stride));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + stride);
    rgb.copy(rows, row + 1, y * stride, (y + 1) * stride);
    if (!subFilter) continue;
    rows[row] = 1;
    for (let x = stride - 1; x >= 3; x--)
      rows[row + 1 + x] = rgb[y * stride + x] - rgb[y * stride + x - 3];
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 16×16 RGB PNG whose pixels encode `index`, so that no two files share a hash. */
export function tinyPng(index) {
  const rgb = Buffer.alloc(SIDE * SIDE * 3);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const offset = (y * SIDE + x) * 3;
      rgb[offset] = (index >>> 16) & 255;
      rgb[offset + 1] = (index >>> 8) & 255;
      rgb[offset + 2] = (index + x * 16 + y) & 255;
    }
  }
  return encodePng(rgb, SIDE, SIDE);
}
