import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** One PNG chunk with its length and checksum. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, checksum]);
}

export const textChunk = (keyword: string, text: string) =>
  pngChunk('tEXt', Buffer.from(`${keyword}\0${text}`, 'latin1'));

export const compressedTextChunk = (keyword: string, text: string) =>
  pngChunk(
    'zTXt',
    Buffer.concat([
      Buffer.from(`${keyword}\0\0`, 'latin1'),
      deflateSync(Buffer.from(text, 'latin1')),
    ]),
  );

export function internationalTextChunk(keyword: string, text: string, compressed: boolean): Buffer {
  const body = compressed ? deflateSync(Buffer.from(text, 'utf8')) : Buffer.from(text, 'utf8');
  const header = Buffer.concat([
    Buffer.from(`${keyword}\0`, 'latin1'),
    Buffer.from([compressed ? 1 : 0, 0]),
    Buffer.from('en\0\0'),
  ]);
  return pngChunk('iTXt', Buffer.concat([header, body]));
}

/** A real 2×2 PNG with `chunks` inserted right after its IHDR chunk. */
export async function pngWith(...chunks: Buffer[]): Promise<Buffer> {
  const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();
  const afterHeader = 8 + 12 + 13;
  return Buffer.concat([png.subarray(0, afterHeader), ...chunks, png.subarray(afterHeader)]);
}
