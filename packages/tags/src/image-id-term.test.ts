import { CivtagError } from '@civtag/api-models';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileQuery } from './compile-query.js';
import { formatQuery, formatTagTerm } from './format-query.js';
import { parseQuery } from './parse-query.js';
import type { TaggableImage } from './taggable-image.js';

const images: TaggableImage[] = [
  { id: 'Qm9vX2Jhcl9i', tags: ['1girl', 'id:invaded'], excluded: false },
  { id: 'a-b_c', tags: ['solo'], excluded: false },
  { id: 'qm9vx2jhcl9i', tags: [], excluded: true },
];

function matching(query: string): string[] {
  const matches = compileQuery(query);
  return images.filter(matches).map((image) => image.id);
}

const imageIdArbitrary = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);

describe('the id: term of filter queries', () => {
  it('finds exactly the image with that id, case and all', () => {
    expect(matching('id:Qm9vX2Jhcl9i')).toEqual(['Qm9vX2Jhcl9i']);
    expect(matching('id:qm9vx2jhcl9i')).toEqual(['qm9vx2jhcl9i']);
    expect(matching('id:a-b_c OR id:Qm9vX2Jhcl9i')).toEqual(['Qm9vX2Jhcl9i', 'a-b_c']);
    expect(matching('ID:a-b_c solo')).toEqual(['a-b_c']);
    expect(matching('NOT id:a-b_c')).toEqual(['Qm9vX2Jhcl9i', 'qm9vx2jhcl9i']);
  });

  it('keeps a tag that starts with "id:" reachable in quotes', () => {
    expect(parseQuery('"id:invaded"')).toEqual({ type: 'tag', tag: 'id:invaded' });
    expect(matching('"id:invaded"')).toEqual(['Qm9vX2Jhcl9i']);
    expect(formatTagTerm('id:invaded')).toBe('"id:invaded"');
    expect(formatTagTerm('ID:x')).toBe('"ID:x"');
  });

  it('refuses an id: term without a valid image id, and says where', () => {
    for (const [query, position] of [
      ['id:', 3],
      ['solo id:a.png', 8],
      [`id:${'x'.repeat(65)}`, 3],
    ] as const) {
      try {
        parseQuery(query);
        expect.unreachable(`${query} should be refused`);
      } catch (error) {
        expect(CivtagError.hasCode(error, 'VALIDATION')).toBe(true);
        expect((error as CivtagError).details).toMatchObject({ position });
        expect((error as CivtagError).message).toMatch(/image id after "id:"/);
      }
    }
  });

  it('writes an id term that parses back to the same id', () => {
    fc.assert(
      fc.property(imageIdArbitrary, (id) => {
        const node = { type: 'imageId' as const, id };
        expect(formatQuery(node)).toBe(`id:${id}`);
        expect(parseQuery(formatQuery(node))).toEqual(node);
        expect(compileQuery(formatQuery(node))({ id, tags: [], excluded: false })).toBe(true);
      }),
    );
  });

  it('matches an OR of ids exactly the images listed', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(imageIdArbitrary, { minLength: 1, maxLength: 12 }),
        fc.uniqueArray(imageIdArbitrary, { maxLength: 12 }),
        (listed, others) => {
          const query = formatQuery({
            type: 'or',
            operands: listed.map((id) => ({ type: 'imageId' as const, id })),
          });
          const matches = compileQuery(query);
          for (const id of [...listed, ...others])
            expect(matches({ id, tags: [], excluded: false })).toBe(listed.includes(id));
        },
      ),
    );
  });
});
