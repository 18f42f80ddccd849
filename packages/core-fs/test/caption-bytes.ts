import fc from 'fast-check';

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
export const captionBytes = fc.oneof(
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
