import { describe, expect, it } from 'vitest';
import { parseSelectedTagsCsv } from './selected-tags-csv.js';

const HEADER = 'tag_id,name,category,count';

describe('parseSelectedTagsCsv', () => {
  it('reads the rows of a WD v3 selected_tags.csv in output order', () => {
    const text = `${HEADER}\r\n9999999,general,9,807366\r\n470575,1girl,0,4225150\r\n1,hatsune_miku,4,198563\r\n2,^_^,0,3000\r\n`;
    expect(parseSelectedTagsCsv(text, 'tags.csv')).toEqual([
      { name: 'general', category: 'rating' },
      { name: '1girl', category: 'general' },
      { name: 'hatsune_miku', category: 'character' },
      { name: '^_^', category: 'general' },
    ]);
  });

  it('keeps rows of other categories as outputs that are never proposed', () => {
    expect(parseSelectedTagsCsv(`${HEADER}\n1,some_artist,1,10\n2,copyright,3,10\n`, 'x')).toEqual([
      { name: 'some_artist', category: undefined },
      { name: 'copyright', category: undefined },
    ]);
  });

  it('reads quoted fields, a byte-order mark and blank lines', () => {
    const text = `\uFEFF${HEADER}\n\n1,"name, with comma",0,5\n2,"say ""hi""",0,5\n`;
    expect(() => parseSelectedTagsCsv(text, 'x')).toThrow(/line 3.*not a usable tag/);
    expect(parseSelectedTagsCsv(`${HEADER}\n2,"say ""hi""",0,5\n`, 'x')).toEqual([
      { name: 'say "hi"', category: 'general' },
    ]);
  });

  it.each([
    ['a row with three fields', '1,red,0', '3 fields instead of 4'],
    ['an unclosed quote', '1,"red,0,5', 'a quoted field is not closed'],
    ['a category that is not a number', '1,red,x,5', 'the category "x" is not a number'],
    ['an empty name', '1,,0,5', 'the name "" is not a usable tag'],
  ])('refuses %s, naming the file and line', (_, row, problem) => {
    expect(() =>
      parseSelectedTagsCsv(`${HEADER}\n1,ok,0,1\n${row}\n`, '/m/selected_tags.csv'),
    ).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        message: expect.stringContaining(`/m/selected_tags.csv, line 3: ${problem}`),
      }),
    );
  });
});
