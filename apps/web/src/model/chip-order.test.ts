import { describe, expect, it } from 'vitest';
import { dropIndex, isPinned } from './chip-order.js';

describe('chip drag and drop', () => {
  const tags = ['sakura', 'solo', 'smile', 'outdoors'];
  it('turns a drop into the index of a move op', () => {
    expect(dropIndex(tags, { tag: 'outdoors', overIndex: 1 })).toBe(1);
    expect(dropIndex(tags, { tag: 'solo', overIndex: 9 })).toBe(3);
    expect(dropIndex(tags, { tag: 'solo', overIndex: 1 })).toBeNull();
    expect(dropIndex(tags, { tag: 'missing', overIndex: 1 })).toBeNull();
  });
  it('keeps the trigger word first: it cannot move and nothing lands before it', () => {
    expect(isPinned(tags, 'sakura', 'sakura')).toBe(true);
    expect(isPinned(tags, 'solo', 'sakura')).toBe(false);
    expect(dropIndex(tags, { tag: 'sakura', overIndex: 2 }, 'sakura')).toBeNull();
    expect(dropIndex(tags, { tag: 'smile', overIndex: 0 }, 'sakura')).toBe(1);
    expect(dropIndex(tags, { tag: 'smile', overIndex: 0 })).toBe(0);
  });
});
