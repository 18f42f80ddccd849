import type { TagOp } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { applyTagOp } from './apply-tag-op.js';
import type { TaggableImage } from './taggable-image.js';

function dataset(...records: [string, string[], boolean?][]): Map<string, TaggableImage> {
  return new Map(records.map(([id, tags, excluded = false]) => [id, { id, tags, excluded }]));
}

function after(images: Map<string, TaggableImage>, op: TagOp, triggerWord?: string) {
  const { changes } = applyTagOp(images, op, triggerWord === undefined ? {} : { triggerWord });
  return Object.fromEntries(changes.map((change) => [change.imageId, change.after.tags]));
}

describe('applyTagOp', () => {
  const images = dataset(
    ['a', ['sakura', '1girl', 'solo', 'long hair']],
    ['b', ['sakura', '2girls', 'long_hair']],
    ['c', ['1girl', 'solo'], true],
  );

  it('adds a tag at the end of every non-excluded image that lacks it', () => {
    expect(after(images, { type: 'add', target: { all: true }, tags: ['smile', 'solo'] })).toEqual({
      a: ['sakura', '1girl', 'solo', 'long hair', 'smile'],
      b: ['sakura', '2girls', 'long_hair', 'smile', 'solo'],
    });
  });

  it('adds at the start, or at an index, behind the trigger word', () => {
    const op: TagOp = { type: 'add', target: { ids: ['a'] }, tags: ['smile'], position: 'start' };
    expect(after(images, op, 'sakura')).toEqual({
      a: ['sakura', 'smile', '1girl', 'solo', 'long hair'],
    });
    expect(after(images, { ...op, position: 0 }, 'sakura').a?.[1]).toBe('smile');
    expect(after(images, { ...op, position: 2 }, 'sakura').a?.[2]).toBe('smile');
    expect(after(images, { ...op, position: 99 }, 'sakura').a?.at(-1)).toBe('smile');
    expect(after(images, op).a?.[0]).toBe('smile');
  });

  it('puts an added trigger word first', () => {
    const images = dataset(['x', ['1girl', 'solo']]);
    expect(
      after(images, { type: 'add', target: { all: true }, tags: ['solo', 'sakura'] }, 'sakura'),
    ).toEqual({
      x: ['sakura', '1girl', 'solo'],
    });
  });

  it('removes tags wherever they are, and undoes it in place', () => {
    const { changes, inverse } = applyTagOp(images, {
      type: 'remove',
      target: { query: 'solo' },
      tags: ['1girl', 'long hair'],
    });
    expect(changes.map((change) => change.after.tags)).toEqual([['sakura', 'solo']]);
    expect(inverse).toEqual([
      { type: 'add', target: { ids: ['a'] }, tags: ['1girl'], position: 1 },
      { type: 'add', target: { ids: ['a'] }, tags: ['long hair'], position: 3 },
    ]);
  });

  // Since "one tag, one form", `from` matches every form of the tag (here `long hair` on a
  // and `long_hair` on b), and the undo gives each image its own form back.
  it('renames a tag in place in every form, and undoes it by renaming each form back', () => {
    const { changes, inverse } = applyTagOp(images, {
      type: 'replace',
      target: { all: true },
      from: 'long_hair',
      to: 'very long hair',
    });
    expect(changes.map((change) => change.after.tags)).toEqual([
      ['sakura', '1girl', 'solo', 'very long hair'],
      ['sakura', '2girls', 'very long hair'],
    ]);
    expect(inverse).toEqual([
      { type: 'replace', target: { ids: ['a'] }, from: 'very long hair', to: 'long hair' },
      { type: 'replace', target: { ids: ['b'] }, from: 'very long hair', to: 'long_hair' },
    ]);
  });

  it('changes nothing when a tag is replaced by itself (it is not deleted everywhere)', () => {
    expect(
      applyTagOp(images, { type: 'replace', target: { all: true }, from: 'solo', to: 'solo' }),
    ).toEqual({
      changes: [],
      inverse: [],
    });
    expect(
      applyTagOp(images, { type: 'replace', target: { all: true }, from: 'solo', to: ' solo ' })
        .changes,
    ).toEqual([]);
  });

  // The image used to hold `long_hair` and `long hair` side by side; an image never holds two
  // forms of a tag now, so the case is another tag's form already present.
  it('does not double a tag when the image already has the new name in another form', () => {
    const images = dataset(['x', ['blonde hair', 'solo', 'long hair']]);
    const { changes, inverse } = applyTagOp(images, {
      type: 'replace',
      target: { all: true },
      from: 'blonde_hair',
      to: 'Long_Hair',
    });
    expect(changes[0]?.after.tags).toEqual(['solo', 'long hair']);
    expect(inverse).toEqual([
      { type: 'add', target: { ids: ['x'] }, tags: ['blonde hair'], position: 0 },
    ]);
  });

  it('sets the tags of one image, normalised, without repeats, trigger word first', () => {
    expect(
      after(
        images,
        { type: 'set', imageId: 'a', tags: [' smile ', 'sakura', 'smile', 'photo \\(medium\\)'] },
        'sakura',
      ),
    ).toEqual({
      a: ['sakura', 'smile', 'photo (medium)'],
    });
  });

  it('moves a tag, but never in front of a leading trigger word unless it is the trigger word', () => {
    expect(
      after(images, { type: 'move', imageId: 'a', tag: 'solo', index: 0 }, 'sakura').a,
    ).toEqual(['sakura', 'solo', '1girl', 'long hair']);
    expect(
      after(images, { type: 'move', imageId: 'a', tag: 'sakura', index: 9 }, 'sakura').a,
    ).toEqual(['1girl', 'solo', 'long hair', 'sakura']);
  });

  it('excludes and restores images, picking excluded ones for restore', () => {
    const excluded = applyTagOp(images, { type: 'exclude', target: { query: 'solo' } });
    expect(excluded.changes.map((change) => [change.imageId, change.after.excluded])).toEqual([
      ['a', true],
    ]);
    expect(excluded.inverse).toEqual([{ type: 'restore', target: { ids: ['a'] } }]);
    const restored = applyTagOp(images, { type: 'restore', target: { all: true } });
    expect(restored.changes.map((change) => change.imageId)).toEqual(['c']);
  });

  it('applies to listed ids whether or not they are excluded', () => {
    expect(after(images, { type: 'add', target: { ids: ['c', 'c'] }, tags: ['smile'] })).toEqual({
      c: ['1girl', 'solo', 'smile'],
    });
  });

  it('refuses the whole op for an unknown id, an unknown tag to move, or a bad tag', () => {
    expect(() =>
      applyTagOp(images, { type: 'add', target: { ids: ['a', 'zz'] }, tags: ['x'] }),
    ).toThrow(/No image with id "zz"/);
    expect(() =>
      applyTagOp(images, { type: 'move', imageId: 'a', tag: 'smile', index: 0 }),
    ).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => applyTagOp(images, { type: 'add', target: { all: true }, tags: ['a,b'] })).toThrow(
      expect.objectContaining({ code: 'VALIDATION' }),
    );
    expect(() =>
      applyTagOp(images, { type: 'add', target: { query: 'solo AND' }, tags: ['x'] }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() =>
      applyTagOp(images, { type: 'add', target: { all: true }, tags: [] } as TagOp),
    ).toThrow(/Invalid tag op/);
  });

  it('refuses an op that would give an image more tags than the limit', () => {
    const many = Array.from({ length: 1000 }, (_, index) => `tag ${index}`);
    const full = dataset(['x', many]);
    expect(() =>
      applyTagOp(full, { type: 'add', target: { all: true }, tags: ['one more'] }),
    ).toThrow(/limit of 1000/);
  });

  it('reports nothing for an op that changes nothing', () => {
    expect(applyTagOp(images, { type: 'add', target: { ids: ['a'] }, tags: ['solo'] })).toEqual({
      changes: [],
      inverse: [],
    });
    expect(applyTagOp(images, { type: 'remove', target: { all: true }, tags: ['absent'] })).toEqual(
      { changes: [], inverse: [] },
    );
    expect(applyTagOp(images, { type: 'exclude', target: { ids: ['c'] } })).toEqual({
      changes: [],
      inverse: [],
    });
  });

  it('does not change the images it is given', () => {
    const before = JSON.stringify([...images.values()]);
    applyTagOp(images, { type: 'replace', target: { all: true }, from: 'solo', to: 'alone' });
    expect(JSON.stringify([...images.values()])).toBe(before);
  });
});

describe('applyTagOp and a trigger word that is not first', () => {
  // Images tagged before the trigger word was chosen may hold it anywhere.
  const images = dataset(['x', ['1girl', 'sakura', 'solo', 'smile']]);
  const options = { triggerWord: 'sakura' };

  it('leaves its place alone when other tags are added or removed', () => {
    expect(
      after(
        images,
        { type: 'add', target: { all: true }, tags: ['new'], position: 'start' },
        'sakura',
      ).x,
    ).toEqual(['new', '1girl', 'sakura', 'solo', 'smile']);
    expect(
      after(images, { type: 'remove', target: { all: true }, tags: ['1girl'] }, 'sakura').x,
    ).toEqual(['sakura', 'solo', 'smile']);
  });

  it('undoes a removal exactly even though the trigger word became first', () => {
    const { inverse } = applyTagOp(
      images,
      { type: 'remove', target: { all: true }, tags: ['1girl'] },
      options,
    );
    expect(inverse).toEqual([
      { type: 'set', imageId: 'x', tags: ['1girl', 'sakura', 'solo', 'smile'] },
      { type: 'move', imageId: 'x', tag: 'sakura', index: 1 },
    ]);
  });

  it('puts the trigger word first when a tag is renamed to it, and undoes that in place', () => {
    const images = dataset(['y', ['1girl', 'solo', 'sakura_(artist)']]);
    const { changes, inverse } = applyTagOp(
      images,
      { type: 'replace', target: { all: true }, from: 'sakura_(artist)', to: 'sakura' },
      options,
    );
    expect(changes[0]?.after.tags).toEqual(['sakura', '1girl', 'solo']);
    expect(inverse).toEqual([
      { type: 'replace', target: { ids: ['y'] }, from: 'sakura', to: 'sakura_(artist)' },
      { type: 'move', imageId: 'y', tag: 'sakura_(artist)', index: 2 },
    ]);
  });
});
