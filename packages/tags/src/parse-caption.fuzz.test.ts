import { checkFuzzTarget, fuzzTimeout } from '@civtag/test-fuzz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldTag } from './fold-tag.js';
import { formatCaption } from './format-caption.js';
import { findTagProblem } from './normalize-tag.js';
import { parseCaption } from './parse-caption.js';

/**
 * Any text as a caption file's content: what separates and escapes tags, what a broken
 * encoding leaves (lone surrogates, U+FFFD, NUL), and any other character.
 */
const captionCharacter = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(',', ', ', ' ', '\n', '\r\n', '\r', '\\', '(', ')') },
  { weight: 4, arbitrary: fc.constantFrom('_', 'a', 'B', '1', '^', ':', '\uFEFF', '\t', '\u00A0') },
  { weight: 2, arbitrary: fc.constantFrom('\u0000', '\u200B', '\uFFFD', '\u2028', '\u0085', 'ß') },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
/** A caption entry: a tag, often another form of one already there, or any short text. */
const entry = fc.oneof(
  fc.constantFrom(
    'solo',
    'Solo',
    'blue_eyes',
    'blue eyes',
    'photo \\(medium\\)',
    'photo (medium)',
    '^_^',
  ),
  fc.string({ unit: captionCharacter, maxLength: 12 }),
);
const structuredCaption = fc
  .record({
    mark: fc.constantFrom('', '\uFEFF'),
    entries: fc.array(fc.tuple(entry, fc.constantFrom(',', ', ', ' , ', ',,', ',\t', ', \\')), {
      maxLength: 12,
    }),
    extraLines: fc.array(fc.string({ unit: captionCharacter, maxLength: 20 }), { maxLength: 3 }),
    lineEnd: fc.constantFrom('\n', '\r\n', '\r'),
  })
  .map(
    ({ mark, entries, extraLines, lineEnd }) =>
      mark +
      [entries.map(([text, separator]) => text + separator).join(''), ...extraLines].join(lineEnd),
  );
const captionText = fc.oneof(
  structuredCaption,
  fc.string({ unit: captionCharacter, maxLength: 120 }),
  fc.integer({ min: 250, max: 600 }).map((length) => `${'x'.repeat(length)}, solo`),
);

describe('parseCaption on any text', () => {
  it(
    'never throws, keeps only valid tags once per fold, and reads its own writing back the same',
    async () => {
      const property = fc.property(captionText, (text) => {
        const parsed = parseCaption(text);
        for (const tag of parsed.tags)
          expect(findTagProblem(tag), JSON.stringify(tag)).toBeUndefined();
        expect(new Set(parsed.tags.map(foldTag)).size).toBe(parsed.tags.length);
        const written = formatCaption({ tags: parsed.tags, extraLines: parsed.extraLines });
        const again = parseCaption(written);
        expect(again.tags).toEqual(parsed.tags);
        expect(again.extraLines).toEqual(parsed.extraLines);
        expect(again.warnings).toEqual([]);
      });
      await checkFuzzTarget('tags-parse-caption', property, 3000);
    },
    fuzzTimeout(60_000),
  );
});
