import { describe, expect, it } from 'vitest';
import { KAOMOJI_TAGS, toCaptionTag } from './caption-tag.js';

describe('toCaptionTag', () => {
  it('turns underscores into spaces', () => {
    expect(toCaptionTag('long_hair')).toBe('long hair');
    expect(toCaptionTag('hatsune_miku_(cosplay)')).toBe('hatsune miku (cosplay)');
    expect(toCaptionTag('1girl')).toBe('1girl');
  });

  it('keeps kaomoji recognisable', () => {
    for (const kaomoji of ['^_^', '>_<', 'o_o', '(o)_(o)', '<o>_<o>', '||_||', '<|>_<|>']) {
      expect(toCaptionTag(kaomoji)).toBe(kaomoji);
    }
  });

  it('leaves every kaomoji of the list as it is', () => {
    for (const kaomoji of KAOMOJI_TAGS) expect(toCaptionTag(kaomoji)).toBe(kaomoji);
  });
});
