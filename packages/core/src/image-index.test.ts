import { describe, expect, it } from 'vitest';
import { ImageIndex } from './image-index.js';
import type { DatasetState, ImageState } from './state-schema.js';

function image(id: string, file: string, tags: string[]): ImageState {
  const base = { size: 1, width: 1, height: 1, format: 'png' as const, rev: 1, excluded: false };
  return { id, file, hash: `hash-${id}`, tags, written: '', ...base };
}

function state(prefix: string, images: ImageState[]): DatasetState {
  return {
    id: 'dataset',
    settings: {
      prefix,
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

describe('ImageIndex', () => {
  it('numbers on from the highest number in use, whatever the case of the prefix', () => {
    const index = ImageIndex.for(
      state('Sakura', [
        image('a', 'Sakura_0001.png', []),
        image('b', 'Sakura_0007.jpg', []),
        image('c', 'other.png', []),
      ]),
    );
    expect(index.nextNumber).toBe(8);
    expect(index.stems.has('sakura_0007')).toBe(true);
    expect(index.byStem.get('other')?.id).toBe('c');
  });

  it('is built once per state and keeps tag counts as images are added', () => {
    const value = state('p', [image('a', 'p_0001.png', ['cat'])]);
    const index = ImageIndex.for(value);
    expect(ImageIndex.for(value)).toBe(index);
    expect(index.stats.count('cat')).toBe(1);
    index.add(image('b', 'p_0002.png', ['cat', 'dog']));
    expect(index.stats.sorted()).toEqual([
      { tag: 'cat', count: 2 },
      { tag: 'dog', count: 1 },
    ]);
    expect(index.nextNumber).toBe(3);
    expect(index.byHash.get('hash-b')?.file).toBe('p_0002.png');
  });
});
