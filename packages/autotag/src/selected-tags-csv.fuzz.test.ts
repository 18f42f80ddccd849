import { CivtagError, ErrorCode } from '@civtag/api-models';
import { findTagProblem } from '@civtag/tags';
import { checkFuzzTarget, fuzzTimeout } from '@civtag/test-fuzz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSelectedTagsCsv } from './selected-tags-csv.js';

const HEADER = 'tag_id,name,category,count';

/** Any text as a `selected_tags.csv`: its header or not, rows built from CSV's own pieces. */
const csvPiece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(',', '"', '""', '\n', '\r\n', '\r', ' ', '\uFEFF') },
  {
    weight: 4,
    arbitrary: fc.constantFrom('long_hair', '1girl', 'general', '^_^', 'tag_id', 'name'),
  },
  {
    weight: 4,
    arbitrary: fc.oneof(fc.nat().map(String), fc.constantFrom('-1', '9', '4', '0', '1e3', '')),
  },
  { weight: 2, arbitrary: fc.constantFrom('\u0000', '\t', '\u2028', '\uD800', '\\') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) },
);
const rows = fc.array(csvPiece, { maxLength: 40 }).map((pieces) => pieces.join(''));
const csvText = fc.oneof(
  rows.map((text) => `${HEADER}\n${text}`),
  rows,
  fc
    .array(
      fc.tuple(
        fc.nat(9999).map(String),
        fc.constantFrom('1girl', 'long_hair', '', '"a,b"', 'x'.repeat(300)),
        fc.constantFrom('0', '4', '9', '3', 'x', ''),
        fc.constantFrom('12', ''),
      ),
      { maxLength: 6 },
    )
    .map((table) => [HEADER, ...table.map((row) => row.join(','))].join('\n')),
);

describe('parseSelectedTagsCsv on any text', () => {
  it(
    'reads usable tag names in a known category, or refuses with VALIDATION naming the file and a line',
    async () => {
      const property = fc.property(csvText, (text) => {
        let labels: ReturnType<typeof parseSelectedTagsCsv>;
        try {
          labels = parseSelectedTagsCsv(text, 'model/selected_tags.csv');
        } catch (error) {
          expect(CivtagError.hasCode(error, ErrorCode.VALIDATION), String(error)).toBe(true);
          const { details, message } = error as CivtagError;
          expect(message).toContain('model/selected_tags.csv');
          expect(details?.path).toBe('model/selected_tags.csv');
          expect(Number.isInteger(details?.line) && (details?.line as number) >= 1).toBe(true);
          return;
        }
        for (const label of labels) {
          expect(findTagProblem(label.name), JSON.stringify(label)).toBeUndefined();
          expect([undefined, 'rating', 'general', 'character']).toContain(label.category);
        }
      });
      await checkFuzzTarget('autotag-selected-tags-csv', property, 3000);
    },
    fuzzTimeout(60_000),
  );
});
