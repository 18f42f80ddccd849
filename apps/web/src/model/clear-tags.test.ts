import { applyTagOp } from '@civtag/tags';
import { describe, expect, it } from 'vitest';
import { planClearTags } from './clear-tags.js';

const images = [
  { id: 'a', tags: ['sks', 'blue eyes', 'smile'], excluded: false },
  { id: 'b', tags: ['sks', 'Blue_Eyes', 'hat'], excluded: false },
];

describe('planClearTags', () => {
  it('removes every tag but the trigger word, as one op that undo reverses', () => {
    const plan = planClearTags({ ids: ['a', 'b'] }, images, 'sks');
    expect(plan.op).toEqual({
      type: 'remove',
      target: { ids: ['a', 'b'] },
      tags: ['blue eyes', 'smile', 'hat'],
    });
    const byId = new Map(images.map((image) => [image.id, image]));
    const { changes, inverse } = applyTagOp(byId, plan.op!, { triggerWord: 'sks' });
    expect(changes.map((change) => change.after.tags)).toEqual([['sks'], ['sks']]);
    const after = new Map(
      images.map((image) => [image.id, { ...image, tags: image.tags.slice(0, 1) }]),
    );
    let restored = after;
    for (const op of inverse) {
      const options = { triggerWord: 'sks', restoring: true };
      for (const change of applyTagOp(restored, op, options).changes) {
        restored = new Map(restored).set(change.imageId, {
          ...restored.get(change.imageId)!,
          tags: change.after.tags,
        });
      }
    }
    expect([...restored.values()].map((image) => image.tags)).toEqual(
      images.map((image) => image.tags),
    );
  });

  it('has nothing to do on images holding only the trigger word', () => {
    expect(planClearTags({ ids: ['a'] }, [{ tags: ['sks'] }], 'sks')).toEqual({ op: null });
  });

  it('says so when the images hold more different tags than one op may name', () => {
    const many = [{ tags: Array.from({ length: 1001 }, (_, index) => `tag ${index}`) }];
    const plan = planClearTags({ all: true }, many, undefined);
    expect(plan.op).toBeNull();
    expect('problem' in plan && plan.problem).toContain('1,001 different tags');
  });
});
