import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TagListFilter, type TagMatches } from './tag-list-filter.js';

const all = (matches: TagMatches) => matches.slice(0, matches.length);

const counts = [
  { tag: 'long_hair', count: 90 },
  { tag: 'Blue Eyes', count: 50 },
  { tag: 'hair ribbon', count: 20 },
  { tag: 'smile', count: 10 },
];

describe('TagListFilter', () => {
  it('finds the tags that contain the search, most used first, whatever the case or underscores', () => {
    const filter = new TagListFilter();
    expect(all(filter.filter(counts, 'HAIR')).map((entry) => entry.tag)).toEqual([
      'long_hair',
      'hair ribbon',
    ]);
    expect(all(filter.filter(counts, 'long h')).map((entry) => entry.tag)).toEqual(['long_hair']);
    expect(all(filter.filter(counts, 'blue_e')).map((entry) => entry.tag)).toEqual(['Blue Eyes']);
    expect(filter.filter(counts, 'hair').slice(1, 5)).toEqual([counts[2]]);
  });

  it('gives every tag for a blank search and none for a search nothing holds', () => {
    const filter = new TagListFilter();
    expect(all(filter.filter(counts, '  '))).toEqual(counts);
    expect(filter.filter(counts, 'zzz').length).toBe(0);
  });

  it('finds exactly the tags whose search form contains the search', () => {
    const tag = fc.stringMatching(/^[ab_ ]{1,5}$/);
    fc.assert(
      fc.property(
        fc.array(fc.record({ tag, count: fc.nat(9) }), { maxLength: 25 }),
        fc.array(fc.stringMatching(/^[ab_ ]{0,3}$/), { maxLength: 6 }),
        (list, searches) => {
          const filter = new TagListFilter();
          for (const search of searches) {
            const needle = search.trim().toLowerCase().replaceAll('_', ' ');
            const expected =
              needle === ''
                ? list
                : list.filter((entry) =>
                    entry.tag.toLowerCase().replaceAll('_', ' ').includes(needle),
                  );
            expect(all(filter.filter(list, search))).toEqual(expected);
          }
        },
      ),
    );
  });
});
