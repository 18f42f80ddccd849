import { describe, expect, it } from 'vitest';
import { patternRenames } from './pattern-rename.js';

const tags = ['long_hair', 'short_hair', 'hat', 'Blue_Eyes', 'lowres', 'long_hair'];

describe('renaming tags by a pattern', () => {
  it('renames every tag the pattern matches, with groups, once per tag', () => {
    expect(patternRenames(tags, '^(\\w+)_hair$', '$1 hair', { ignoreCase: false })).toEqual({
      renames: [
        { from: 'long_hair', to: 'long hair' },
        { from: 'short_hair', to: 'short hair' },
      ],
    });
  });

  it('matches case-insensitively when asked, and removes a tag that becomes empty', () => {
    expect(patternRenames(tags, 'blue_eyes|lowres', '', { ignoreCase: true })).toEqual({
      renames: [
        { from: 'Blue_Eyes', to: '' },
        { from: 'lowres', to: '' },
      ],
    });
    expect(patternRenames(tags, 'blue_eyes', '', { ignoreCase: false })).toEqual({ renames: [] });
  });

  it('replaces every match in a tag, and leaves out a tag the replacement does not change', () => {
    expect(patternRenames(['a_b_c', 'abc'], '_', ' ', { ignoreCase: false })).toEqual({
      renames: [{ from: 'a_b_c', to: 'a b c' }],
    });
    expect(patternRenames(['hat'], 'hat', 'hat', { ignoreCase: false })).toEqual({ renames: [] });
  });

  it('says what is wrong with a pattern that does not compile, and nothing for an empty one', () => {
    const result = patternRenames(tags, 'smile (', 'x', { ignoreCase: false });
    expect(result).toEqual({ error: expect.stringContaining('not a regular expression') });
    expect(patternRenames(tags, '', 'x', { ignoreCase: false })).toBeNull();
  });

  it('refuses more renames than one op takes', () => {
    const many = Array.from({ length: 10_001 }, (_, index) => `tag_${index}`);
    expect(patternRenames(many, '_', ' ', { ignoreCase: false })).toEqual({
      error: expect.stringContaining('at most 10,000'),
    });
  });
});
