import { describe, expect, it } from 'vitest';
import { dropIndex, isPinned } from './chip-order.js';
import { describeStatus } from './connection-status.js';
import { tileFlags } from './tile-flags.js';

describe('tile flags', () => {
  const image = { tags: ['a'], width: 512, height: 512, excluded: false };
  it('flags nothing on a tagged, large, included image', () => {
    expect(tileFlags(image)).toEqual([]);
  });
  it('flags no tags, too small (under 64 px on a side) and excluded', () => {
    const kinds = tileFlags({ tags: [], width: 63, height: 900, excluded: true }).map(
      (flag) => flag.kind,
    );
    expect(kinds).toEqual(['excluded', 'no-tags', 'too-small']);
    expect(tileFlags({ ...image, width: 64, height: 64 })).toEqual([]);
  });
});

describe('status indicator', () => {
  it('shows online, reconnecting with the queued edits, and offline', () => {
    expect(describeStatus('open', 0)).toMatchObject({ tone: 'online', label: 'Online' });
    expect(describeStatus('reconnecting', 3)).toMatchObject({
      tone: 'reconnecting',
      label: 'Reconnecting (3 queued edits)',
    });
    expect(describeStatus('connecting', 1).label).toBe('Reconnecting (1 queued edit)');
    expect(describeStatus('closed', 0)).toMatchObject({ tone: 'offline', label: 'Offline' });
  });
});

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
