import { describe, expect, it } from 'vitest';
import { suggestTags } from './suggest-tags.js';
import { tagCategoryName } from './tag-category.js';
import { TagSearchIndex } from './tag-search-index.js';
import { TagStats } from './tag-stats.js';
import { parseVocabularyCsv } from './vocabulary-csv.js';

const DANBOORU_CSV = [
  '1girl,0,4114588,"1girls,sole_female"',
  'solo,0,3426446,"female_solo,solo_female"',
  'long_hair,0,2779455,"longhair,long_hairs,long_hair_female"',
  'highres,5,5256195,"high_res,high_resolution,hires"',
  'hatsune_miku,4,122373,"miku_hatsune,初音ミク,hatusne_miku"',
  'very_long_hair,0,537516,"very_long_hair_female"',
  'hair_ornament,0,891244,',
  '"quote""d",0,1,',
  'touhou,3,913424',
].join('\r\n');

describe('parseVocabularyCsv', () => {
  it('reads the a1111-sd-webui-tagcomplete format', () => {
    const entries = parseVocabularyCsv(`\uFEFF${DANBOORU_CSV}\r\n\r\n`);
    expect(entries).toHaveLength(9);
    expect(entries[0]).toEqual({
      tag: '1girl',
      category: 0,
      count: 4114588,
      aliases: ['1girls', 'sole_female'],
    });
    expect(entries[4]?.aliases).toContain('初音ミク');
    expect(entries[6]?.aliases).toEqual([]);
    expect(entries[7]?.tag).toBe('quote"d');
    expect(entries[8]).toEqual({ tag: 'touhou', category: 3, count: 913424, aliases: [] });
  });

  it('skips a header line and accepts lines without a count', () => {
    expect(parseVocabularyCsv('tag,category,count,aliases\nsmile,0\n')).toEqual([
      { tag: 'smile', category: 0, count: 0, aliases: [] },
    ]);
  });

  it('names the line of a malformed entry', () => {
    expect(() => parseVocabularyCsv('solo,0,12\nsmile,0,many')).toThrow(
      /line 2: the count "many" is not a whole number/,
    );
    expect(() => parseVocabularyCsv('solo,0,1,"a,b')).toThrow(
      /line 1: a quoted field is never closed/,
    );
    expect(() => parseVocabularyCsv('solo,0,1\n,0,5')).toThrow(
      expect.objectContaining({ code: 'VALIDATION', details: { line: 2 } }),
    );
  });
});

describe('tagCategoryName', () => {
  it("names Danbooru's category numbers", () => {
    expect([0, 1, 3, 4, 5].map(tagCategoryName)).toEqual([
      'general',
      'artist',
      'copyright',
      'character',
      'meta',
    ]);
    expect(tagCategoryName(2)).toBeUndefined();
  });
});

describe('suggestTags', () => {
  const vocabulary = parseVocabularyCsv(DANBOORU_CSV);
  const stats = TagStats.fromImages([
    { id: 'a', tags: ['long hair', 'hair ribbon'], excluded: false },
    { id: 'b', tags: ['long hair', 'sakura'], excluded: false },
  ]);

  it('puts prefix matches before substring matches, dataset tags first, then by count', () => {
    expect(suggestTags('hair', { stats, vocabulary }).map((suggestion) => suggestion.tag)).toEqual([
      'hair ribbon',
      'hair_ornament',
      'long hair',
      'very_long_hair',
    ]);
  });

  it('ignores case and underscores, and suggests a tag once', () => {
    const suggestions = suggestTags('LONG_H', { stats, vocabulary });
    expect(suggestions).toEqual([
      {
        tag: 'long hair',
        count: 2,
        source: 'dataset',
        vocabularyCount: 2779455,
        category: 0,
      },
      { tag: 'very_long_hair', count: 537516, source: 'vocabulary', category: 0 },
    ]);
  });

  it('finds a tag through its alias', () => {
    expect(suggestTags('miku_h', { vocabulary })).toEqual([
      {
        tag: 'hatsune_miku',
        count: 122373,
        source: 'vocabulary',
        alias: 'miku_hatsune',
        category: 4,
      },
    ]);
    expect(suggestTags('初音', { vocabulary })[0]?.tag).toBe('hatsune_miku');
  });

  it('puts tags that start with the input before tags found through an alias', () => {
    const booru = parseVocabularyCsv('breasts,0,500000,boobs\nboots,0,300000,\nbow,0,400000,');
    expect(suggestTags('bo', { vocabulary: booru })).toEqual([
      { tag: 'bow', count: 400000, source: 'vocabulary', category: 0 },
      { tag: 'boots', count: 300000, source: 'vocabulary', category: 0 },
      { tag: 'breasts', count: 500000, source: 'vocabulary', alias: 'boobs', category: 0 },
    ]);
  });

  it('gives a dataset tag the vocabulary holds its count and category there too', () => {
    const [miku] = suggestTags('hatsune', {
      tags: [{ tag: 'Hatsune Miku', count: 7 }],
      vocabulary,
    });
    expect(miku).toEqual({
      tag: 'Hatsune Miku',
      count: 7,
      source: 'dataset',
      vocabularyCount: 122373,
      category: 4,
    });
  });

  it('respects the limit and returns nothing for blank input', () => {
    expect(suggestTags('o', { stats, vocabulary }, 2)).toHaveLength(2);
    expect(suggestTags('  ', { stats, vocabulary })).toEqual([]);
    expect(suggestTags('solo', {})).toEqual([]);
  });
});

describe('suggestTags from tag counts and prepared indexes', () => {
  const vocabulary = parseVocabularyCsv(DANBOORU_CSV);
  const counts = [
    { tag: 'long hair', count: 2 },
    { tag: 'hair ribbon', count: 1 },
    { tag: 'sakura', count: 1 },
  ];

  it('suggests from GET /api/tags counts as from stats', () => {
    expect(suggestTags('hair', { tags: counts, vocabulary })).toEqual(
      suggestTags('hair', {
        stats: TagStats.fromImages([
          { id: 'a', tags: ['long hair', 'hair ribbon'], excluded: false },
          { id: 'b', tags: ['long hair', 'sakura'], excluded: false },
        ]),
        vocabulary,
      }),
    );
  });

  it('suggests the same from an index built in slices as from the array', async () => {
    const index = await TagSearchIndex.buildInSlices(vocabulary, { sliceSize: 1 });
    for (const input of ['hair', 'miku_h', 'o', 'LONG_H']) {
      expect(suggestTags(input, { tags: counts, vocabulary: index })).toEqual(
        suggestTags(input, { tags: counts, vocabulary }),
      );
    }
  });
});
