import { CivtagError, ErrorCode } from '@civtag/api-models';
import { checkFuzzTarget, fuzzTimeout } from '@civtag/test-fuzz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findTagProblem } from './normalize-tag.js';
import { parseVocabularyCsv } from './vocabulary-csv.js';

/** Any text as a tag list: CSV's own pieces (separators, quotes, line ends), numbers, tags. */
const csvPiece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(',', '"', '""', '\n', '\r\n', '\r', ' ', '\uFEFF') },
  {
    weight: 4,
    arbitrary: fc.constantFrom('1girl', 'long_hair', 'tag', 'category', 'count', '^_^'),
  },
  {
    weight: 4,
    arbitrary: fc.oneof(
      fc.nat().map(String),
      fc.constantFrom('-1', '1e3', '9999999999999999', '0x1', '１', '1.5', ''),
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom('\u0000', '\t', '\u2028', '\uD800', '\\', '(', ')') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) },
);
const csvText = fc.oneof(
  fc.array(csvPiece, { maxLength: 40 }).map((pieces) => pieces.join('')),
  fc
    .array(
      fc.tuple(
        fc.constantFrom('1girl', 'solo', 'blue eyes', '', 'x'.repeat(300)),
        fc.constantFrom('0', '4', '', 'x'),
        fc.constantFrom('12', '', '-3'),
        fc.constantFrom('"a,b"', '""', '"', 'c'),
      ),
      { maxLength: 6 },
    )
    .map((rows) => rows.map((row) => row.join(',')).join('\n')),
);

describe('parseVocabularyCsv on any text', () => {
  it(
    'reads valid tags with whole counts, or refuses with VALIDATION naming a line of the text',
    async () => {
      const property = fc.property(csvText, (text) => {
        let entries: ReturnType<typeof parseVocabularyCsv>;
        try {
          entries = parseVocabularyCsv(text);
        } catch (error) {
          expect(CivtagError.hasCode(error, ErrorCode.VALIDATION), String(error)).toBe(true);
          const line = (error as CivtagError).details?.line as number;
          expect(Number.isInteger(line)).toBe(true);
          expect(line).toBeGreaterThanOrEqual(1);
          expect(line).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length);
          return;
        }
        for (const entry of entries) {
          expect(findTagProblem(entry.tag), JSON.stringify(entry)).toBeUndefined();
          for (const alias of entry.aliases) expect(findTagProblem(alias)).toBeUndefined();
          expect(Number.isSafeInteger(entry.category) && entry.category >= 0).toBe(true);
          expect(Number.isSafeInteger(entry.count) && entry.count >= 0).toBe(true);
        }
      });
      await checkFuzzTarget('tags-vocabulary-csv', property, 3000);
    },
    fuzzTimeout(60_000),
  );
});
