import { compileQuery } from '@civtag/tags';
import { describe, expect, it } from 'vitest';
import { tagFilter } from './tag-filter.js';

describe('filter by a tag', () => {
  it('writes a plain tag as it is', () => {
    expect(tagFilter('long_hair')).toBe('long_hair');
    expect(tagFilter('hatsune_miku_(cosplay)')).toBe('hatsune_miku_(cosplay)');
  });

  it('quotes a tag the query language would read otherwise, and finds exactly it', () => {
    for (const tag of [
      'long hair',
      'AND',
      'untagged',
      'tags<5',
      'say "hi"',
      'back\\slash',
      'a*b',
      ')',
    ]) {
      const query = tagFilter(tag);
      const matches = compileQuery(query);
      expect(matches({ id: 'x', tags: [tag], excluded: false })).toBe(true);
      expect(matches({ id: 'y', tags: ['other'], excluded: false })).toBe(false);
    }
  });
});
