// Minimal valid PNG files written without an image library: thousands of distinct images in
// milliseconds, for benchmarks that measure state rather than pixels.
import { crc32, deflateSync } from 'node:zlib';

const SIDE = 16;

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, checksum]);
}

/** A 16×16 RGB PNG whose pixels encode `index`, so that no two files share a hash. */
export function tinyPng(index) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIDE, 0);
  header.writeUInt32BE(SIDE, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc(SIDE * (1 + SIDE * 3));
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const offset = y * (1 + SIDE * 3) + 1 + x * 3;
      rows[offset] = (index >>> 16) & 255;
      rows[offset + 1] = (index >>> 8) & 255;
      rows[offset + 2] = (index + x * 16 + y) & 255;
    }
  }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
