import { describe, expect, it } from 'vitest';
import { describeOp } from './describe-op.js';

describe('describeOp', () => {
  it('names the tags and how many images an op changed', () => {
    expect(
      describeOp({ type: 'remove', target: { all: true }, tags: ['blue eyes'] }, 'op', 37),
    ).toBe("removed 'blue eyes' from 37 images");
    expect(
      describeOp({ type: 'add', target: { ids: ['a'] }, tags: ['red', 'blue'] }, 'op', 1),
    ).toBe("added 'red' and 'blue' to 1 image");
    expect(
      describeOp(
        { type: 'replace', target: { query: 'x' }, from: 'boobs', to: 'breasts' },
        'op',
        2,
      ),
    ).toBe("renamed 'boobs' to 'breasts' on 2 images");
  });

  it('says what a pattern rename did: the one rename, or how many tags it renamed', () => {
    const target = { all: true as const };
    expect(
      describeOp({ type: 'rename-tags', target, renames: [{ from: 'a_b', to: 'a b' }] }, 'op', 3),
    ).toBe("renamed 'a_b' to 'a b' on 3 images");
    expect(
      describeOp({ type: 'rename-tags', target, renames: [{ from: 'lowres', to: '' }] }, 'op', 1),
    ).toBe("removed 'lowres' from 1 image");
    const renames = [
      { from: 'a', to: 'b' },
      { from: 'c', to: '' },
    ];
    expect(describeOp({ type: 'rename-tags', target, renames }, 'op', 40)).toBe(
      'renamed 2 tags on 40 images',
    );
  });

  it('names at most three tags of a long list', () => {
    const tags = ['a', 'b', 'c', 'd', 'e'];
    expect(describeOp({ type: 'remove', target: { all: true }, tags }, 'op', 1200)).toBe(
      "removed 'a', 'b', 'c' and 2 more from 1,200 images",
    );
  });

  it('says which settings changed, and that an outside edit came from outside', () => {
    expect(
      describeOp({ type: 'settings', changes: { triggerWord: 'sks', kohyaRepeats: 3 } }, 'op', 4),
    ).toBe('changed the trigger word and the kohya repeats');
    expect(describeOp({ type: 'set', imageId: 'a', tags: [] }, 'external', 1)).toBe(
      'an edit made outside civtag to 1 image',
    );
  });
});
