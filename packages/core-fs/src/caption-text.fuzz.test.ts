import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCaption } from '@civtag/tags';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFuzzTarget, fuzzTimeout } from '../test/fuzz-settings.js';
import { decodeCaptionText } from './caption-text.js';
import { readSidecar, writeSidecar } from './sidecar.js';

/**
 * Any bytes as a caption file: UTF-8 text with byte-order marks and line ends, the UTF-16 and
 * Windows-1252 files other taggers write, bytes that are no encoding at all, and truncations of
 * each (a multi-byte character cut in half).
 */
const encodedText = fc
  .tuple(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('utf8', 'utf16le', 'latin1') as fc.Arbitrary<BufferEncoding>,
    fc.constantFrom([], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]),
  )
  .map(([text, encoding, mark]) => Buffer.concat([Buffer.from(mark), Buffer.from(text, encoding)]));
const captionBytes = fc.oneof(
  encodedText,
  fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes)),
  fc.tuple(encodedText, fc.nat()).map(([bytes, at]) => bytes.subarray(0, at % (bytes.length + 1))),
  fc
    .tuple(encodedText, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 3 }))
    .map(([bytes, at, bad]) => {
      const offset = at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, offset), bad, bytes.subarray(offset)]);
    }),
);

describe('decoding a caption file of any bytes', () => {
  it(
    'never throws, says which encoding it read, and warns when the bytes were not UTF-8',
    async () => {
      const property = fc.property(captionBytes, (bytes) => {
        const decoded = decodeCaptionText(bytes, 'image.txt');
        if (decoded.encoding === 'utf-8') {
          const body = decoded.hadBom ? bytes.subarray(3) : bytes;
          expect(Buffer.from(decoded.text, 'utf8').equals(body)).toBe(true);
          expect(decoded.warnings).toEqual([]);
        } else if (decoded.encoding === 'windows-1252') {
          expect(decoded.text.length).toBe(bytes.length);
          expect(decoded.warnings.join(' ')).toContain('image.txt');
        }
        parseCaption(decoded.text);
      });
      await checkFuzzTarget('core-fs-decode-caption', property, 3000);
    },
    fuzzTimeout(60_000),
  );
});

describe('a caption file of any bytes, read, written back and read again', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'civtag-caption-fuzz-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it(
    'keeps its tags and extra lines, and is UTF-8 without warnings the second time',
    async () => {
      const file = () => path.join(folder, 'image.txt');
      const property = fc.asyncProperty(captionBytes, async (bytes) => {
        await writeFile(file(), bytes);
        const first = await readSidecar(file());
        if (first === null) throw new Error(`${file()} vanished`);
        await writeSidecar(file(), { tags: first.tags, extraLines: first.extraLines });
        const second = await readSidecar(file());
        expect(second?.tags ?? [], JSON.stringify([...bytes])).toEqual(first.tags);
        expect(second?.extraLines ?? []).toEqual(first.extraLines);
        if (second !== null) {
          expect(second.encoding).toBe('utf-8');
          expect(second.hadBom).toBe(false);
          expect(second.warnings).toEqual([]);
        }
      });
      await checkFuzzTarget('core-fs-caption-file', property, 300);
    },
    fuzzTimeout(60_000),
  );
});
