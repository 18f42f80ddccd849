import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imagesArbitrary, opArbitrary } from '../test/arbitraries.js';
import { applyTagOp } from './apply-tag-op.js';
import { TagStats } from './tag-stats.js';
import type { TaggableImage } from './taggable-image.js';

describe('TagStats', () => {
  const images: TaggableImage[] = [
    { id: 'a', tags: ['1girl', 'solo', 'smile'], excluded: false },
    { id: 'b', tags: ['1girl', 'long hair'], excluded: false },
    { id: 'c', tags: ['1girl', 'solo'], excluded: true },
  ];

  it('counts the tags of non-excluded images, most used first', () => {
    const stats = TagStats.fromImages(images);
    expect(stats.sorted()).toEqual([
      { tag: '1girl', count: 2 },
      { tag: 'long hair', count: 1 },
      { tag: 'smile', count: 1 },
      { tag: 'solo', count: 1 },
    ]);
    expect(stats.count('1girl')).toBe(2);
    expect(stats.count('absent')).toBe(0);
    expect(stats.size).toBe(4);
  });

  it('follows changes without a recount, dropping tags no image has any more', () => {
    const stats = TagStats.fromImages(images);
    const map = new Map(images.map((image) => [image.id, image]));
    stats.applyChanges(
      applyTagOp(map, { type: 'replace', target: { all: true }, from: 'smile', to: 'grin' })
        .changes,
    );
    stats.applyChanges(applyTagOp(map, { type: 'restore', target: { ids: ['c'] } }).changes);
    expect(stats.count('smile')).toBe(0);
    expect(stats.count('grin')).toBe(1);
    expect(stats.count('1girl')).toBe(3);
    expect(stats.sorted().map((entry) => entry.tag)).not.toContain('smile');
  });

  it('refuses changes that do not fit its counts, and keeps them as they were', () => {
    const stats = TagStats.fromImages(images);
    const change = {
      imageId: 'x',
      before: { tags: ['never seen'], excluded: false },
      after: { tags: [], excluded: false },
    };
    expect(() => stats.applyChanges([change])).toThrow(
      expect.objectContaining({ code: 'INTERNAL' }),
    );
    expect(stats.size).toBe(4);
  });

  it('always equals a full recount after any op', () => {
    fc.assert(
      fc.property(
        imagesArbitrary.chain((map) => opArbitrary(map).map((op) => ({ map, op }))),
        ({ map, op }) => {
          const stats = TagStats.fromImages(map.values());
          const { changes } = applyTagOp(map, op);
          stats.applyChanges(changes);
          const next = new Map(map);
          for (const change of changes)
            next.set(change.imageId, { id: change.imageId, ...change.after });
          expect(stats.sorted()).toEqual(TagStats.fromImages(next.values()).sorted());
        },
      ),
      { numRuns: 300 },
    );
  });
});
