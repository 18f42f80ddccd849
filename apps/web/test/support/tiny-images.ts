import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

const SIDE = 8;
const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, checksum]);
}

/** An 8×8 RGB PNG whose pixels encode `seed`, so that every seed gives a distinct file. */
function distinctPng(seed: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIDE, 0);
  header.writeUInt32BE(SIDE, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc(SIDE * (1 + SIDE * 3));
  for (let y = 0; y < SIDE; y += 1) {
    for (let x = 0; x < SIDE * 3; x += 1) {
      rows[y * (1 + SIDE * 3) + 1 + x] = ((seed >> ((x + y) % 24)) & 0xff) ^ (x * 29 + y * 7);
    }
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Writes `count` distinct small PNGs (`image-00000.png` …) into `folder`, each with the caption
 * `captionFor(index)` beside it.
 */
export async function writeTinyImages(
  folder: string,
  count: number,
  captionFor: (index: number) => string,
): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (let index = 0; index < count; index += 1) {
    const stem = `image-${String(index).padStart(5, '0')}`;
    await writeFile(path.join(folder, `${stem}.png`), distinctPng(index + 1));
    await writeFile(path.join(folder, `${stem}.txt`), captionFor(index));
  }
}
