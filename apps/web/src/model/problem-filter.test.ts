import { Limits } from '@civtag/api-models';
import { compileQuery } from '@civtag/tags';
import { describe, expect, it } from 'vitest';
import { problemFilter } from './problem-filter.js';

function image(id: string) {
  return { id, tags: ['solo'], excluded: false };
}

describe('problemFilter', () => {
  it('shows exactly the images a problem names, and no other', () => {
    const filter = problemFilter(['Qm9vX2Jhcl9i', 'a-b_c', 'Qm9vX2Jhcl9i']);
    expect(filter).toEqual({ query: 'id:Qm9vX2Jhcl9i OR id:a-b_c', shown: 2, total: 2 });
    const matches = compileQuery(filter!.query);
    expect(
      ['Qm9vX2Jhcl9i', 'a-b_c', 'qm9vx2jhcl9i', 'other'].map((id) => matches(image(id))),
    ).toEqual([true, true, false, false]);
  });

  it('has nothing to show for a problem that names no image', () => {
    expect(problemFilter([])).toBeNull();
  });

  it('stays within the longest filter query, showing as many images as fit', () => {
    const ids = Array.from(
      { length: 800 },
      (_, index) => `image${String(index).padStart(11, '0')}`,
    );
    const filter = problemFilter(ids)!;
    expect(filter.query.length).toBeLessThanOrEqual(Limits.queryLength);
    expect(filter.total).toBe(800);
    expect(filter.shown).toBe(Math.floor((Limits.queryLength + 4) / (3 + 16 + 4)));
    const matches = compileQuery(filter.query);
    expect(ids.filter((id) => matches(image(id)))).toEqual(ids.slice(0, filter.shown));
  });
});
