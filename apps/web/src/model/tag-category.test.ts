import { describe, expect, it } from 'vitest';
import { categoryClass, categoryOf } from './tag-category.js';

describe('categoryClass', () => {
  it('names the class of a vocabulary category, and none without one', () => {
    expect(categoryClass(4)).toBe('category-character');
    expect(categoryClass(1)).toBe('category-artist');
    expect(categoryClass(undefined)).toBe('');
    expect(categoryClass(9)).toBe('');
  });
});

describe('categoryOf', () => {
  it("finds a dataset tag's category in any form of the tag", () => {
    const counts = [
      { tag: 'hatsune miku', count: 3, category: 4 },
      { tag: 'smile', count: 2 },
    ];
    expect(categoryOf(counts, 'Hatsune_Miku')).toBe(4);
    expect(categoryOf(counts, 'smile')).toBeUndefined();
    expect(categoryOf([], 'smile')).toBeUndefined();
  });
});
