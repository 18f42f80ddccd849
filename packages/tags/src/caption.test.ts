import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tagArbitrary } from '../test/arbitraries.js';
import { foldTag } from './fold-tag.js';
import { formatCaption } from './format-caption.js';
import { parseCaption } from './parse-caption.js';

describe('parseCaption', () => {
  it('reads a kohya caption', () => {
    expect(parseCaption('1girl, solo, long hair, looking at viewer')).toEqual({
      tags: ['1girl', 'solo', 'long hair', 'looking at viewer'],
      extraLines: [],
      warnings: [],
    });
  });

  it('accepts a BOM, CRLF, stray spaces, empty entries and trailing commas', () => {
    expect(parseCaption('\uFEFF 1girl ,solo,, ,  smile  ,\r\n').tags).toEqual([
      '1girl',
      'solo',
      'smile',
    ]);
  });

  it('keeps lines after the first verbatim and drops trailing blank lines', () => {
    const caption = parseCaption(
      'sakura, 1girl\r\n{red|blue} hair,  \r\n\r\nsecond alternative\r\n\r\n',
    );
    expect(caption.extraLines).toEqual(['{red|blue} hair,  ', '', 'second alternative']);
  });

  it('unescapes parentheses and keeps emoticon tags', () => {
    expect(
      parseCaption('photo \\(medium\\), ^_^, >_<, :d, hatsune miku \\(cosplay\\)').tags,
    ).toEqual(['photo (medium)', '^_^', '>_<', ':d', 'hatsune miku (cosplay)']);
  });

  it('keeps the first of duplicate tags and says so', () => {
    const caption = parseCaption('solo, 1girl, solo, 1girl  ');
    expect(caption.tags).toEqual(['solo', '1girl']);
    expect(caption.warnings).toHaveLength(2);
    expect(caption.warnings[0]).toContain('"solo"');
  });

  it('leaves out an entry that cannot be a tag, with a warning', () => {
    const caption = parseCaption(`solo, bad\u0000tag, ${'x'.repeat(300)}, smile`);
    expect(caption.tags).toEqual(['solo', 'smile']);
    expect(caption.warnings).toHaveLength(2);
    expect(caption.warnings[0]).toMatch(/control characters/);
  });

  it('reads an empty file as no tags', () => {
    expect(parseCaption('')).toEqual({ tags: [], extraLines: [], warnings: [] });
    expect(parseCaption('\uFEFF\r\n')).toEqual({ tags: [], extraLines: [], warnings: [] });
  });
});

describe('formatCaption', () => {
  it('joins tags with ", " on one line', () => {
    expect(formatCaption({ tags: ['1girl', 'solo', 'photo (medium)'] })).toBe(
      '1girl, solo, photo (medium)',
    );
  });

  it('writes nothing for an image without tags', () => {
    expect(formatCaption({ tags: [] })).toBe('');
    expect(formatCaption({ tags: [], extraLines: [] })).toBe('');
  });

  it('writes extra lines after the tag line', () => {
    expect(formatCaption({ tags: ['a', 'b'], extraLines: ['{x|y}', ''] })).toBe('a, b\n{x|y}\n');
    expect(formatCaption({ tags: [], extraLines: ['alt'] })).toBe('\nalt');
  });

  it('escapes parentheses when asked', () => {
    expect(formatCaption({ tags: ['photo (medium)', '^_^'] }, { escapeParentheses: true })).toBe(
      'photo \\(medium\\), ^_^',
    );
  });

  it('turns underscores into spaces only in tags longer than 3 characters', () => {
    expect(
      formatCaption(
        { tags: ['long_hair', '^_^', '>_<', 'o_o', 'x_x_', 'ミ_ク', '(o)_(o)', '||_||'] },
        { underscoresToSpaces: true },
      ),
    ).toBe('long hair, ^_^, >_<, o_o, x x , ミ_ク, (o)_(o), ||_||');
  });

  it('lower-cases when asked, writing a tag that becomes a duplicate once', () => {
    expect(formatCaption({ tags: ['Sakura', 'Hatsune Miku', 'sakura'] }, { lowercase: true })).toBe(
      'sakura, hatsune miku',
    );
  });

  it('writes the trigger word exactly as given, whatever the options', () => {
    const options = { escapeParentheses: true, underscoresToSpaces: true, lowercase: true };
    expect(
      formatCaption(
        { tags: ['Miku_(style)', 'long_hair', 'Smile (happy)'], triggerWord: 'Miku_(style)' },
        options,
      ),
    ).toBe('Miku_(style), long hair, smile \\(happy\\)');
    // Another tag that the options would write like the trigger word is no longer its duplicate.
    expect(
      formatCaption({ tags: ['miku_style', 'miku style'], triggerWord: 'miku_style' }, options),
    ).toBe('miku_style, miku style');
  });

  it('refuses a tag that would turn into other tags', () => {
    expect(() => formatCaption({ tags: ['red, blue'] })).toThrow(
      expect.objectContaining({ code: 'VALIDATION' }),
    );
    expect(() => formatCaption({ tags: ['two\nlines'] })).toThrow(/comma or a line break/);
  });
});

const extraLinesArbitrary = fc
  .array(
    fc.string({ unit: 'grapheme', maxLength: 20 }).map((line) => line.replace(/[\r\n]/g, ' ')),
    {
      maxLength: 3,
    },
  )
  .filter((lines) => lines.length === 0 || (lines[lines.length - 1] ?? '').trim() !== '');

describe('caption round trip, property', () => {
  // One tag, one form: the lists hold no two forms of a tag, which a caption would keep once.
  it('parseCaption(formatCaption(t)) gives back every valid tag list and its extra lines', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(tagArbitrary, { selector: foldTag, maxLength: 30 }),
        extraLinesArbitrary,
        (tags, extraLines) => {
          const parsed = parseCaption(formatCaption({ tags, extraLines }));
          expect(parsed).toEqual({ tags, extraLines, warnings: [] });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('round-trips with escaped parentheses', () => {
    fc.assert(
      fc.property(fc.uniqueArray(tagArbitrary, { selector: foldTag, maxLength: 30 }), (tags) => {
        expect(parseCaption(formatCaption({ tags }, { escapeParentheses: true })).tags).toEqual(
          tags,
        );
      }),
      { numRuns: 300 },
    );
  });
});
