import type { ImageRecord } from '@civtag/api-models';
import { tagOpOptions } from '@civtag/tags';
import { describe, expect, it } from 'vitest';
import { PageCache } from '../model/page-cache.js';
import { pendingOf } from '../model/proposal-view.js';
import { revertOptimisticEdit, showOptimisticEdit } from './optimistic-edit.js';

function record(id: string, tags: string[]): ImageRecord {
  return {
    id,
    file: `${id}.png`,
    hash: id,
    width: 512,
    height: 512,
    format: 'png',
    tags,
    rev: 3,
    excluded: false,
  };
}

async function loadedCache(records: ImageRecord[]): Promise<PageCache> {
  const cache = new PageCache({
    source: async () => ({ revision: 3, images: records, nextCursor: null }),
  });
  await cache.loadAll();
  return cache;
}

describe('optimistic edits', () => {
  it('shows an accepted proposal as a tag in the tag style, and hides a rejected one, at once', async () => {
    const proposals = [
      { tag: 'long_hair', score: 0.9, category: 'general' as const },
      { tag: 'solo', score: 0.8, category: 'general' as const },
    ];
    const cache = await loadedCache([{ ...record('a', ['sakura']), proposals }]);
    const options = tagOpOptions({
      triggerWord: 'sakura',
      tagStyle: { separator: 'space', escapeParentheses: false },
    });
    const target = { ids: ['a'] };
    showOptimisticEdit(cache, { type: 'accept-proposals', target, tags: ['long_hair'] }, options);
    expect(cache.get('a')?.tags).toEqual(['sakura', 'long hair']);
    expect(pendingOf(cache.get('a')!).map((proposal) => proposal.tag)).toEqual(['solo']);
    showOptimisticEdit(cache, { type: 'reject-proposals', target, tags: ['solo'] }, options);
    expect(pendingOf(cache.get('a')!)).toEqual([]);
    expect(cache.get('a')?.tags).toEqual(['sakura', 'long hair']);
  });

  it('shows nothing at once for a settings op: its effect comes with the server change', async () => {
    const cache = await loadedCache([record('a', ['sakura', 'solo'])]);
    expect(
      showOptimisticEdit(
        cache,
        { type: 'settings', changes: { triggerWord: 'sakura_style' } },
        { triggerWord: 'sakura' },
      ),
    ).toEqual([]);
    expect(cache.get('a')?.tags).toEqual(['sakura', 'solo']);
  });

  it('shows an edit at once, keeping the trigger word first, without claiming a revision', async () => {
    const cache = await loadedCache([record('a', ['sakura', 'solo']), record('b', ['duo'])]);
    const changes = showOptimisticEdit(
      cache,
      { type: 'add', target: { ids: ['a'] }, tags: ['smile'], position: 'start' },
      { triggerWord: 'sakura' },
    );
    expect(changes).toHaveLength(1);
    expect(cache.get('a')?.tags).toEqual(['sakura', 'smile', 'solo']);
    expect(cache.get('a')?.rev).toBe(3);
    expect(cache.applyChange({ imageId: 'a', tags: ['sakura', 'smile', 'solo'], rev: 4 })).toBe(
      true,
    );
  });

  it("shows an added tag in the dataset's tag style, and a second form of a tag as no change", async () => {
    const cache = await loadedCache([record('a', ['sakura', 'blue eyes']), record('b', ['solo'])]);
    const options = tagOpOptions({
      triggerWord: 'sakura',
      tagStyle: { separator: 'space', escapeParentheses: false },
    });
    const changes = showOptimisticEdit(
      cache,
      { type: 'add', target: { all: true }, tags: ['Blue_Eyes', 'long_hair'] },
      options,
    );
    expect(changes.map((change) => change.imageId)).toEqual(['a', 'b']);
    expect(cache.get('a')?.tags).toEqual(['sakura', 'blue eyes', 'long hair']);
    expect(cache.get('b')?.tags).toEqual(['solo', 'Blue Eyes', 'long hair']);
    expect(
      showOptimisticEdit(
        cache,
        { type: 'add', target: { ids: ['a'] }, tags: ['BLUE_EYES'] },
        options,
      ),
    ).toEqual([]);
  });

  it('undoes the display of a rejected op, but not where a newer change replaced it', async () => {
    const cache = await loadedCache([record('a', ['solo']), record('b', ['solo'])]);
    const changes = showOptimisticEdit(
      cache,
      { type: 'replace', target: { all: true }, from: 'solo', to: 'alone' },
      {},
    );
    expect(changes).toHaveLength(2);
    cache.applyChange({ imageId: 'b', tags: ['someone else'], rev: 9 });
    revertOptimisticEdit(cache, changes);
    expect(cache.get('a')?.tags).toEqual(['solo']);
    expect(cache.get('b')?.tags).toEqual(['someone else']);
  });

  it('refuses a tag the rules refuse, and shows nothing', async () => {
    const cache = await loadedCache([record('a', ['solo'])]);
    expect(() =>
      showOptimisticEdit(cache, { type: 'add', target: { ids: ['a'] }, tags: ['a, b'] }, {}),
    ).toThrow();
    expect(cache.get('a')?.tags).toEqual(['solo']);
  });

  it('shows nothing for an image that is not loaded', async () => {
    const cache = await loadedCache([record('a', ['solo'])]);
    expect(
      showOptimisticEdit(cache, { type: 'move', imageId: 'zz', tag: 'x', index: 0 }, {}),
    ).toEqual([]);
  });
});
