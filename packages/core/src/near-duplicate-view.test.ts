import { describe, expect, it } from 'vitest';
import { nearDuplicatesOf, queryContextOf } from './near-duplicate-view.js';
import type { DatasetState, ImageState } from './state-schema.js';

function image(id: string, phash: string | undefined): ImageState {
  return {
    id,
    file: `set_${id}.png`,
    hash: `hash-${id}`,
    size: 10,
    width: 64,
    height: 64,
    format: 'png',
    tags: [],
    rev: 0,
    excluded: false,
    written: '',
    ...(phash === undefined ? {} : { phash }),
  };
}

function state(): DatasetState {
  const images = [
    image('a', '0123456789abcdef'),
    image('b', '0123456789abcdee'),
    image('c', 'fedcba9876543210'),
    image('d', undefined),
  ];
  return {
    id: 'dataset',
    settings: {
      prefix: 'set',
      tagStyle: { separator: 'space', escapeParentheses: false },
      kohyaRepeats: 10,
    },
    revision: 1,
    images: Object.fromEntries(images.map((each) => [each.id, each])),
    imports: [],
    undo: [],
    redo: [],
  };
}

describe('the near-duplicates of a dataset state', () => {
  it('groups the images not excluded and counts those still without a hash', () => {
    const current = state();
    expect(nearDuplicatesOf(current)).toMatchObject({ groups: [['a', 'b']], pending: 1 });
    const matches = queryContextOf(current).hasNearDuplicates;
    expect(['a', 'b', 'c', 'd'].map((id) => matches?.(current.images[id] as ImageState))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('is found again after a change of hash or exclusion, not after a tag edit', () => {
    const current = state();
    const first = nearDuplicatesOf(current);
    // A tag edit moves the revision only.
    (current.images.a as ImageState).tags = ['solo'];
    current.revision += 1;
    expect(nearDuplicatesOf(current)).toBe(first);
    (current.images.b as ImageState).excluded = true;
    current.revision += 1;
    expect(nearDuplicatesOf(current).groups).toEqual([]);
    (current.images.b as ImageState).excluded = false;
    (current.images.d as ImageState).phash = 'fedcba9876543211';
    current.revision += 1;
    expect(nearDuplicatesOf(current)).toMatchObject({
      groups: [
        ['a', 'b'],
        ['c', 'd'],
      ],
      pending: 0,
    });
  });
});
