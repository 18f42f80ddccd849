import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tagArbitrary } from '../test/arbitraries.js';
import { foldTag } from './fold-tag.js';
import { detectTagStyle, styleTag } from './tag-style.js';

const SPACE = { separator: 'space', escapeParentheses: false } as const;
const UNDERSCORE = { separator: 'underscore', escapeParentheses: false } as const;

describe('styleTag', () => {
  it('joins words with the style separator, only in tags longer than 3 characters', () => {
    expect(styleTag('long_hair', SPACE)).toBe('long hair');
    expect(styleTag('long hair', UNDERSCORE)).toBe('long_hair');
    expect(styleTag('photo (medium)', UNDERSCORE)).toBe('photo_(medium)');
    for (const kaomoji of ['^_^', '>_<', 'o_o', 'a b']) {
      expect(styleTag(kaomoji, SPACE)).toBe(kaomoji);
      expect(styleTag(kaomoji, UNDERSCORE)).toBe(kaomoji);
    }
    expect(styleTag('Blue_Eyes', SPACE)).toBe('Blue Eyes');
  });

  it('keeps the fold of a tag, and styling twice changes nothing', () => {
    fc.assert(
      fc.property(tagArbitrary, fc.constantFrom(SPACE, UNDERSCORE), (tag, style) => {
        const styled = styleTag(tag, style);
        expect(foldTag(styled)).toBe(foldTag(tag));
        expect(styleTag(styled, style)).toBe(styled);
      }),
      { numRuns: 500 },
    );
  });
});

describe('detectTagStyle', () => {
  it('picks the separator most tags use and whether parentheses were escaped', () => {
    expect(
      detectTagStyle(['long hair, photo \\(medium\\), blue eyes', 'short_hair, 1girl']),
    ).toEqual({ separator: 'space', escapeParentheses: true });
    expect(detectTagStyle(['long_hair, blue_eyes, photo_(medium)', 'short hair'])).toEqual({
      separator: 'underscore',
      escapeParentheses: false,
    });
  });

  it('does not count kaomoji or later lines, and finds nothing in empty captions', () => {
    expect(detectTagStyle(['^_^, >_<, o_o, long hair\nlong_hair, blue_eyes'])).toEqual({
      separator: 'space',
      escapeParentheses: false,
    });
    expect(detectTagStyle(['', ' , '])).toBeUndefined();
  });
});
