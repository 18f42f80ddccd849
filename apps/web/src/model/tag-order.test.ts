import { describe, expect, it } from 'vitest';
import { orderTags } from './tag-order.js';

const counts = [
  { tag: 'solo', count: 90 },
  { tag: 'smile', count: 40 },
  { tag: 'Blue eyes', count: 40 },
  { tag: 'hat', count: 3 },
  { tag: 'tag 10', count: 1 },
  { tag: 'tag 9', count: 1 },
];
const tags = (list: readonly { tag: string }[]) => list.map((entry) => entry.tag);

describe('the order of the tag list', () => {
  it('keeps the server’s most-used-first order as it is, and reverses it with ties by name', () => {
    expect(orderTags(counts, null, 'most')).toBe(counts);
    expect(tags(orderTags(counts, null, 'least'))).toEqual([
      'tag 9',
      'tag 10',
      'hat',
      'Blue eyes',
      'smile',
      'solo',
    ]);
  });

  it('orders by name whatever the case, numbers as numbers', () => {
    expect(tags(orderTags(counts, null, 'name'))).toEqual([
      'Blue eyes',
      'hat',
      'smile',
      'solo',
      'tag 9',
      'tag 10',
    ]);
  });

  it('puts the tags of the filtered images first, by their count there, the rest after', () => {
    const matching = new Map([
      ['hat', 3],
      ['solo', 2],
      ['smile', 2],
    ]);
    expect(tags(orderTags(counts, matching, 'most'))).toEqual([
      'hat',
      'solo',
      'smile',
      'Blue eyes',
      'tag 9',
      'tag 10',
    ]);
    expect(tags(orderTags(counts, matching, 'least'))).toEqual([
      'smile',
      'solo',
      'hat',
      'tag 9',
      'tag 10',
      'Blue eyes',
    ]);
    expect(tags(orderTags(counts, matching, 'name'))).toEqual([
      'hat',
      'smile',
      'solo',
      'Blue eyes',
      'tag 9',
      'tag 10',
    ]);
  });
});
