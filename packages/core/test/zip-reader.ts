import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** Reads a whole zip stream into memory and returns each entry's name and bytes, in order. */
export async function readZip(stream: Readable): Promise<{ name: string; data: Buffer }[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const buffer = Buffer.concat(chunks);
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || zip === undefined) return reject(error);
      const entries: { name: string; data: Buffer }[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, entryStream) => {
          if (streamError || entryStream === undefined) return reject(streamError);
          const parts: Buffer[] = [];
          entryStream.on('data', (part: Buffer) => parts.push(part));
          entryStream.on('error', reject);
          entryStream.on('end', () => {
            entries.push({ name: entry.fileName, data: Buffer.concat(parts) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
