import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldsTo, foldTag, mayFoldTo } from './fold-tag.js';

/** Tags as users write them, with the characters that make folding tricky. */
const tagText = fc
  .array(
    fc.oneof(
      fc.constantFrom('a', 'B', 'z', 'Z', '0', '9', '_', ' ', '\\', '(', ')', '^', 'É', 'ß'),
      fc.constantFrom('\u0301', '\u0308', '\u20d7', '\ufe20'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 2 }),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('ruling a tag out by its first character', () => {
  it('never rules out a tag that folds to the fold looked for', () => {
    fc.assert(
      fc.property(tagText, (tag) => {
        expect(mayFoldTo(tag, foldTag(tag))).toBe(true);
        expect(foldsTo(tag, foldTag(tag))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with folding both: foldsTo(tag, fold(other)) exactly when the folds are equal', () => {
    fc.assert(
      fc.property(tagText, tagText, (tag, other) => {
        expect(foldsTo(tag, foldTag(other))).toBe(foldTag(tag) === foldTag(other));
      }),
      { numRuns: 2000 },
    );
  });

  it('rules out an ASCII tag that starts with another letter, and keeps a combining mark in mind', () => {
    expect(mayFoldTo('Long_Hair', 'long hair')).toBe(true);
    expect(mayFoldTo('short hair', 'long hair')).toBe(false);
    // "e" + a combining acute accent is "é" once composed: its first character is not "e".
    expect(mayFoldTo('e\u0301clair', 'éclair')).toBe(true);
  });
});
