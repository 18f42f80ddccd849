import type { TagOp, TagStyle } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { applyTagOp } from './apply-tag-op.js';
import { parseCaption } from './parse-caption.js';
import { TagStats } from './tag-stats.js';
import type { ApplyTagOpOptions, TaggableImage } from './taggable-image.js';

const SPACE: TagStyle = { separator: 'space', escapeParentheses: false };
const UNDERSCORE: TagStyle = { separator: 'underscore', escapeParentheses: true };

function dataset(...records: [string, string[], boolean?][]): Map<string, TaggableImage> {
  return new Map(records.map(([id, tags, excluded = false]) => [id, { id, tags, excluded }]));
}

function after(images: Map<string, TaggableImage>, op: TagOp, options: ApplyTagOpOptions = {}) {
  const { changes } = applyTagOp(images, op, options);
  return Object.fromEntries(changes.map((change) => [change.imageId, change.after.tags]));
}

describe('one tag, one form', () => {
  const images = dataset(
    ['a', ['1girl', 'blue_eyes', 'smile']],
    ['b', ['blue eyes', 'solo']],
    ['c', ['Blue_Eyes']],
    ['d', ['solo']],
  );

  it('removes every form of a tag', () => {
    expect(after(images, { type: 'remove', target: { all: true }, tags: ['blue_eyes'] })).toEqual({
      a: ['1girl', 'smile'],
      b: ['solo'],
      c: [],
    });
  });

  it('skips an added tag whose other form the image already has', () => {
    expect(
      after(
        images,
        { type: 'add', target: { all: true }, tags: ['Blue_Eyes'] },
        { tagStyle: SPACE },
      ),
    ).toEqual({ d: ['solo', 'Blue Eyes'] });
  });

  it('stores added and set tags in the tag style, leaving kaomoji alone', () => {
    const op: TagOp = { type: 'set', imageId: 'd', tags: ['long hair', '^_^', 'photo (medium)'] };
    expect(after(images, op, { tagStyle: UNDERSCORE })).toEqual({
      d: ['long_hair', '^_^', 'photo_(medium)'],
    });
    expect(
      after(images, { ...op, tags: ['long_hair', 'o_o', '>_<'] }, { tagStyle: SPACE }),
    ).toEqual({ d: ['long hair', 'o_o', '>_<'] });
    // Kaomoji longer than kohya's 3 characters keep their underscores in either style.
    expect(
      after(images, { ...op, tags: ['(o)_(o)', '<|>_<|>', 'blue_eyes'] }, { tagStyle: SPACE }),
    ).toEqual({ d: ['(o)_(o)', '<|>_<|>', 'blue eyes'] });
  });

  it('keeps the first of the forms a set names', () => {
    const op: TagOp = { type: 'set', imageId: 'd', tags: ['blue_eyes', 'solo', 'blue eyes'] };
    expect(after(images, op)).toEqual({ d: ['blue_eyes', 'solo'] });
  });

  it('restyles a tag when from and to fold alike, and undoes it form by form', () => {
    const op: TagOp = {
      type: 'replace',
      target: { all: true },
      from: 'blue eyes',
      to: 'blue_eyes',
    };
    const { changes, inverse } = applyTagOp(images, op, { tagStyle: SPACE });
    // In a space-style dataset `blue_eyes` is stored as `blue eyes`: b already holds it.
    expect(
      Object.fromEntries(changes.map((change) => [change.imageId, change.after.tags])),
    ).toEqual({ a: ['1girl', 'blue eyes', 'smile'], c: ['blue eyes'] });
    expect(inverse).toEqual([
      { type: 'replace', target: { ids: ['a'] }, from: 'blue eyes', to: 'blue_eyes' },
      { type: 'replace', target: { ids: ['c'] }, from: 'blue eyes', to: 'Blue_Eyes' },
    ]);
  });

  it('rewrites case and separator by a replace between two forms of a tag', () => {
    const held = dataset(['x', ['Long_Hair', 'solo']]);
    const op: TagOp = {
      type: 'replace',
      target: { all: true },
      from: 'long hair',
      to: 'long hair',
    };
    expect(after(held, op)).toEqual({ x: ['long hair', 'solo'] });
  });

  it('renames a tag named in another form', () => {
    const op: TagOp = {
      type: 'replace',
      target: { ids: ['c'] },
      from: 'blue eyes',
      to: 'aqua eyes',
    };
    expect(after(images, op)).toEqual({ c: ['aqua eyes'] });
  });

  it('moves a tag named in another form, and moves it back in its own form', () => {
    const { changes, inverse } = applyTagOp(images, {
      type: 'move',
      imageId: 'a',
      tag: 'Blue Eyes',
      index: 0,
    });
    expect(changes[0]?.after.tags).toEqual(['blue_eyes', '1girl', 'smile']);
    expect(inverse).toEqual([{ type: 'move', imageId: 'a', tag: 'blue_eyes', index: 1 }]);
  });

  it('takes a tag that folds to the trigger word as the trigger word, first', () => {
    const op: TagOp = { type: 'add', target: { ids: ['d'] }, tags: ['Sakura'] };
    expect(after(images, op, { triggerWord: 'sakura', tagStyle: SPACE })).toEqual({
      d: ['sakura', 'solo'],
    });
  });

  it('keeps the trigger word exactly as set, whatever the tag style', () => {
    const op: TagOp = { type: 'set', imageId: 'd', tags: ['miku_style', 'long_hair'] };
    expect(after(images, op, { triggerWord: 'miku_style', tagStyle: SPACE })).toEqual({
      d: ['miku_style', 'long hair'],
    });
  });

  it('reads a caption holding two forms of a tag as the first one', () => {
    const parsed = parseCaption('blue_eyes, solo, Blue Eyes, photo \\(medium\\), photo_(medium)');
    expect(parsed.tags).toEqual(['blue_eyes', 'solo', 'photo (medium)']);
    expect(parsed.warnings[0]).toContain('"Blue Eyes": it is the tag "blue_eyes" in another form');
  });

  it('counts one entry per tag, in the tag style, over the images holding any form', () => {
    const stats = TagStats.fromImages(images.values(), { tagStyle: UNDERSCORE });
    expect(stats.sorted()).toEqual([
      { tag: 'blue_eyes', count: 3 },
      { tag: 'solo', count: 2 },
      { tag: '1girl', count: 1 },
      { tag: 'smile', count: 1 },
    ]);
    expect(stats.count('BLUE EYES')).toBe(3);
    stats.setOptions({ tagStyle: SPACE });
    expect(stats.sorted()[0]).toEqual({ tag: 'blue eyes', count: 3 });
  });
});

describe('normalize', () => {
  const images = dataset(
    ['a', ['sakura', 'long_hair', 'Blue_Eyes']],
    ['b', ['long hair', 'blue eyes', 'photo_(medium)']],
    ['c', ['long hair', 'blue eyes']],
    ['d', ['solo']],
    ['e', ['long_hair'], true],
  );
  const op: TagOp = { type: 'normalize', target: { all: true } };

  it('rewrites tags to the style, every form of a tag to its most used one', () => {
    expect(after(images, op, { tagStyle: SPACE, triggerWord: 'sakura' })).toEqual({
      a: ['sakura', 'long hair', 'blue eyes'],
      b: ['long hair', 'blue eyes', 'photo (medium)'],
    });
  });

  it('previews as the images it changes, and undoes exactly', () => {
    const options = { tagStyle: UNDERSCORE, triggerWord: 'sakura' };
    const { changes, inverse } = applyTagOp(images, op, options);
    expect(changes.map((change) => change.imageId)).toEqual(['a', 'b', 'c']);
    const state = new Map(images);
    for (const change of changes)
      state.set(change.imageId, { id: change.imageId, ...change.after });
    for (const undo of inverse) {
      for (const change of applyTagOp(state, undo, { ...options, restoring: true }).changes)
        state.set(change.imageId, { id: change.imageId, ...change.after });
    }
    expect(state).toEqual(images);
  });
});

describe('a settings op', () => {
  const images = dataset(
    ['a', ['sakura', 'solo']],
    ['b', ['solo', 'Sakura_Style']],
    ['c', ['smile']],
    ['d', ['smile'], true],
  );

  it('renames the trigger word first everywhere and adds it where missing, not to excluded images', () => {
    const op: TagOp = { type: 'settings', changes: { triggerWord: 'sakura_style' } };
    expect(after(images, op, { triggerWord: 'sakura' })).toEqual({
      a: ['sakura_style', 'solo'],
      b: ['sakura_style', 'solo'],
      c: ['sakura_style', 'smile'],
    });
  });

  it('changes no tags when it clears the trigger word or changes another setting', () => {
    for (const changes of [{ triggerWord: null }, { prefix: 'miku', kohyaRepeats: 3 }]) {
      expect(applyTagOp(images, { type: 'settings', changes }, { triggerWord: 'sakura' })).toEqual({
        changes: [],
        inverse: [],
      });
    }
  });

  it('changes no tags while restoring: the step after it restores them', () => {
    const op: TagOp = { type: 'settings', changes: { triggerWord: 'sakura_style' } };
    expect(applyTagOp(images, op, { triggerWord: 'sakura', restoring: true }).changes).toEqual([]);
  });
});
