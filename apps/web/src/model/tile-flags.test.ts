import { describe, expect, it } from 'vitest';
import { tileFlags } from './tile-flags.js';

describe('tile flags', () => {
  const image = { tags: ['a'], width: 512, height: 512, excluded: false };
  it('flags nothing on a tagged, large, included image', () => {
    expect(tileFlags(image)).toEqual([]);
  });
  it('flags no tags, too small (under 64 px on a side) and excluded', () => {
    const kinds = tileFlags({ tags: [], width: 63, height: 900, excluded: true }).map(
      (flag) => flag.kind,
    );
    expect(kinds).toEqual(['excluded', 'no-tags', 'too-small']);
    expect(tileFlags({ ...image, width: 64, height: 64 })).toEqual([]);
  });
  it('marks an image with proposals still to decide, counting only those whose tag it lacks', () => {
    const proposals = [
      { tag: 'a', score: 0.9, category: 'general' as const },
      { tag: 'red', score: 0.8, category: 'general' as const },
    ];
    const [flag] = tileFlags({ ...image, proposals });
    expect(flag).toMatchObject({ kind: 'proposals', label: '1 proposed' });
    expect(flag?.description).toBe('1 proposed tag to review');
    expect(tileFlags({ ...image, tags: ['a', 'Red'], proposals })).toEqual([]);
  });
});
