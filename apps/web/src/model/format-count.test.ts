import { describe, expect, it } from 'vitest';
import { formatCount, formatNumber } from './format-count.js';

describe('formatCount', () => {
  it('says one thing in the singular and any other count in the plural', () => {
    expect(formatCount(1, 'tag')).toBe('1 tag');
    expect(formatCount(0, 'tag')).toBe('0 tags');
    expect(formatCount(3, 'tag')).toBe('3 tags');
  });

  it('takes the plural of a noun that does not just add an s', () => {
    expect(formatCount(1, 'match', 'matches')).toBe('1 match');
    expect(formatCount(3, 'match', 'matches')).toBe('3 matches');
  });

  it('writes the count the way the rest of the page does, with digit grouping', () => {
    expect(formatCount(12_345, 'image')).toBe(`${(12_345).toLocaleString()} images`);
    expect(formatNumber(9_876_543)).toBe((9_876_543).toLocaleString());
  });
});
