import { describe, expect, it } from 'vitest';
import { applyTagOp } from './apply-tag-op.js';
import type { TaggableImage } from './taggable-image.js';

function images(...lists: string[][]): Map<string, TaggableImage> {
  return new Map(
    lists.map((tags, index) => [`i${index}`, { id: `i${index}`, tags, excluded: false }]),
  );
}

describe('rename-tags: several renames as one op', () => {
  it('renames in place, all at once: a → b and b → c turn a into b, not c', () => {
    const { changes } = applyTagOp(images(['x', 'a', 'b', 'y']), {
      type: 'rename-tags',
      target: { all: true },
      renames: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
      ],
    });
    expect(changes.map((change) => change.after.tags)).toEqual([['x', 'b', 'c', 'y']]);
  });

  it('removes a tag renamed to nothing, and keeps once a tag that becomes one already there', () => {
    const { changes } = applyTagOp(images(['blue_eyes', 'smile', 'blue eyes', 'lowres']), {
      type: 'rename-tags',
      target: { all: true },
      renames: [
        { from: 'blue_eyes', to: 'blue eyes' },
        { from: 'lowres', to: '' },
      ],
    });
    expect(changes[0]?.after.tags).toEqual(['blue eyes', 'smile']);
  });

  it('matches by fold, writes in the tag style, never renames the trigger word, and keeps it first', () => {
    const options = {
      triggerWord: 'civ_style',
      tagStyle: { separator: 'space' as const, escapeParentheses: false },
    };
    const { changes } = applyTagOp(
      images(['civ_style', 'Long_Hair', 'hat']),
      {
        type: 'rename-tags',
        target: { all: true },
        renames: [
          { from: 'long hair', to: 'very_long_hair' },
          { from: 'civ style', to: 'other' },
          { from: 'hat', to: 'civ_style' },
        ],
      },
      options,
    );
    expect(changes[0]?.after.tags).toEqual(['civ_style', 'very long hair']);
  });

  it('touches only the target, and undoes in one step', () => {
    const start = images(['a', 'b'], ['a'], ['c']);
    const op = {
      type: 'rename-tags' as const,
      target: { ids: ['i0', 'i2'] },
      renames: [{ from: 'a', to: 'z' }],
    };
    const { changes, inverse } = applyTagOp(start, op);
    expect(changes.map((change) => [change.imageId, change.after.tags])).toEqual([
      ['i0', ['z', 'b']],
    ]);
    const after = new Map(start);
    after.set('i0', { id: 'i0', tags: ['z', 'b'], excluded: false });
    const undone = inverse.flatMap(
      (inverseOp) => applyTagOp(after, inverseOp, { restoring: true }).changes,
    );
    expect(undone.map((change) => change.after.tags)).toEqual([['a', 'b']]);
  });

  it('refuses an op with no renames or a malformed tag, naming the field', () => {
    expect(() =>
      applyTagOp(images(['a']), { type: 'rename-tags', target: { all: true }, renames: [] }),
    ).toThrow(/renames/);
    expect(() =>
      applyTagOp(images(['a']), {
        type: 'rename-tags',
        target: { all: true },
        renames: [{ from: 'a', to: 'x'.repeat(300) }],
      }),
    ).toThrow(/renames/);
  });
});
