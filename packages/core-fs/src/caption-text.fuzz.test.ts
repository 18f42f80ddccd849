import { parseCaption } from '@civtag/tags';
import { checkFuzzTarget, fuzzTimeout } from '@civtag/test-fuzz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captionBytes } from '../test/caption-bytes.js';
import { decodeCaptionText } from './caption-text.js';

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
