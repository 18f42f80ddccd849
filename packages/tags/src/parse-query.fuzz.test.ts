import { CivtagError, ErrorCode } from '@civtag/api-models';
import { checkFuzzTarget, fuzzTimeout } from '@civtag/test-fuzz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatQuery } from './format-query.js';
import { parseQuery } from './parse-query.js';

/**
 * Any text as a filter query: the query language's own pieces (operators, parentheses, quotes,
 * escapes, wildcards, terms with numbers), put together at random, and arbitrary characters.
 */
const queryPiece = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(' ', 'AND', 'OR', 'NOT', 'and', '(', ')', '"', '\\', '*', '-'),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'solo',
      'long_hair',
      'photo (medium)',
      '^_^',
      'untagged',
      '1girl',
      ':',
    ),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'tags',
      'width',
      'height',
      'id:',
      'has:',
      'is:',
      'format:',
      'name:',
      'source:',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom('<', '>', '<=', '>=', '=', '!=', 'png', 'proposals', 'excluded'),
  },
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.nat().map(String),
      fc.constantFrom('1e999', '-1', '0x10', '9007199254740993', '1.5', 'NaN', ''),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('\t', '\n', '\u00A0', '\u3000', '\uFEFF', '\u0000', '\uD800'),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) },
);
const queryText = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.array(queryPiece, { maxLength: 24 }).map((pieces) => pieces.join('')),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('(', 'NOT ', '-', '"', '\\'), fc.integer({ min: 50, max: 1500 }))
      .map(([piece, count]) => `${piece.repeat(count)}solo`),
  },
);

describe('parseQuery on any text', () => {
  it(
    'parses or refuses with VALIDATION at a position inside the text, and formats what it parsed back to the same query',
    async () => {
      const property = fc.property(queryText, (text) => {
        let node: ReturnType<typeof parseQuery>;
        try {
          node = parseQuery(text);
        } catch (error) {
          expect(CivtagError.hasCode(error, ErrorCode.VALIDATION), String(error)).toBe(true);
          const position = (error as CivtagError).details?.position;
          expect(Number.isInteger(position), JSON.stringify(text)).toBe(true);
          expect(position).toBeGreaterThanOrEqual(0);
          expect(position).toBeLessThanOrEqual(text.length);
          return;
        }
        expect(parseQuery(formatQuery(node))).toEqual(node);
      });
      await checkFuzzTarget('tags-parse-query', property, 3000);
    },
    fuzzTimeout(60_000),
  );
});
