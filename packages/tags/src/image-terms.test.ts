import { CivtagError } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { applyTagOp } from './apply-tag-op.js';
import { compileQuery, type QueryContext } from './compile-query.js';
import { formatQuery, formatTagTerm } from './format-query.js';
import { parseQuery } from './parse-query.js';
import type { TaggableImage } from './taggable-image.js';

const images: TaggableImage[] = [
  {
    id: 'small',
    tags: ['solo'],
    excluded: false,
    file: 'sakura_0001.png',
    width: 512,
    height: 768,
    format: 'png',
    source: { name: 'IMG_0001.PNG', path: 'trip/day one/IMG_0001.PNG' },
  },
  {
    id: 'large',
    tags: [],
    excluded: true,
    file: 'sakura_0002.jpg',
    width: 1024,
    height: 1024,
    format: 'jpeg',
    source: { name: 'beach.jpg', path: 'beach.jpg' },
  },
  // Imported before sources were kept; its tag only looks like a term.
  {
    id: 'old',
    tags: ['format:png'],
    excluded: false,
    file: 'sakura 0003.webp',
    width: 768,
    height: 512,
    format: 'webp',
  },
];

function matching(query: string, context?: QueryContext): string[] {
  return images.filter(compileQuery(query, context)).map((image) => image.id);
}

function syntaxError(query: string): CivtagError {
  try {
    parseQuery(query);
  } catch (error) {
    if (CivtagError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`expected "${query}" to be refused`);
}

describe('filter terms on the image rather than its tags', () => {
  it('is:excluded finds excluded images, and NOT is:excluded the others', () => {
    expect(matching('is:excluded')).toEqual(['large']);
    expect(matching('NOT is:excluded')).toEqual(['small', 'old']);
    expect(matching('IS:Excluded')).toEqual(['large']);
  });

  it('width and height compare with <, <=, >, >=, = and !=', () => {
    expect(matching('width<768')).toEqual(['small']);
    expect(matching('width<=768')).toEqual(['small', 'old']);
    expect(matching('width>768')).toEqual(['large']);
    expect(matching('height>=768')).toEqual(['small', 'large']);
    expect(matching('height=512')).toEqual(['old']);
    expect(matching('height!=512')).toEqual(['small', 'large']);
    expect(matching('width<1024 height<1024')).toEqual(['small', 'old']);
  });

  it('format: takes the format, jpg as jpeg, in any case', () => {
    expect(matching('format:png')).toEqual(['small']);
    expect(matching('format:jpg')).toEqual(matching('format:JPEG'));
    expect(matching('format:jpeg')).toEqual(['large']);
    expect(matching('format:webp OR format:png')).toEqual(['small', 'old']);
    // A tag that looks like the term, in quotes.
    expect(matching('"format:png"')).toEqual(['old']);
  });

  it('name: finds a text in the dataset file name, or the whole name with *', () => {
    expect(matching('name:0002')).toEqual(['large']);
    expect(matching('name:SAKURA_')).toEqual(['small', 'large']);
    expect(matching('name:*.webp')).toEqual(['old']);
    expect(matching('name:sakura_*')).toEqual(['small', 'large']);
    expect(matching('name:"sakura 0003"')).toEqual(['old']);
  });

  it('source: finds a text in the source path or name; images without a source never match', () => {
    expect(matching('source:img_0001')).toEqual(['small']);
    expect(matching('source:"day one/"')).toEqual(['small']);
    expect(matching('source:*.jpg')).toEqual(['large']);
    expect(matching('source:trip/*')).toEqual(['small']);
    expect(matching('NOT source:beach')).toEqual(['small', 'old']);
  });

  it('has:near-duplicates asks the dataset, and is refused where no dataset can answer', () => {
    const context = { hasNearDuplicates: (image: TaggableImage) => image.id !== 'old' };
    expect(matching('has:near-duplicates', context)).toEqual(['small', 'large']);
    expect(matching('has:near-duplicates NOT is:excluded', context)).toEqual(['small']);
    let refused: unknown;
    try {
      compileQuery('solo OR has:near-duplicates');
    } catch (error) {
      refused = error;
    }
    expect(CivtagError.hasCode(refused, 'VALIDATION')).toBe(true);
    expect((refused as Error).message).toMatch(/select the images/);
  });

  it('lets an op target has:near-duplicates when the caller can tell them', () => {
    const byId = new Map(images.map((image) => [image.id, image]));
    const queryContext = { hasNearDuplicates: (image: TaggableImage) => image.id !== 'old' };
    const added = applyTagOp(
      byId,
      { type: 'add', target: { query: 'has:near-duplicates' }, tags: ['copy'] },
      { queryContext },
    );
    // Excluded images are left out of a query target, as always.
    expect(added.changes.map((change) => change.imageId)).toEqual(['small']);
    expect(added.inverse).toEqual([{ type: 'remove', target: { ids: ['small'] }, tags: ['copy'] }]);
    const restored = applyTagOp(
      byId,
      { type: 'restore', target: { query: 'has:near-duplicates' } },
      { queryContext },
    );
    expect(restored.changes.map((change) => change.imageId)).toEqual(['large']);
    expect(() =>
      applyTagOp(byId, { type: 'add', target: { query: 'has:near-duplicates' }, tags: ['x'] }),
    ).toThrow(/select the images/);
  });

  it('says what a malformed term lacks, with its column', () => {
    const cases: [string, RegExp, number][] = [
      ['width<abc', /whole number of pixels after "width<", as in width<768/, 6],
      ['solo height>=', /after "height>="/, 13],
      ['format:bitmap', /expected an image format after "format:": png, jpeg, jpg/, 7],
      ['is:included', /expected "excluded" after "is:"/, 3],
      ['has:duplicates', /"proposals" or "near-duplicates"/, 4],
      ['name:', /text to look for after "name:"/, 5],
      ['source:""', /text to look for after "source:"/, 7],
    ];
    for (const [query, message, position] of cases) {
      const error = syntaxError(query);
      expect(error.code).toBe('VALIDATION');
      expect(error.message).toMatch(message);
      expect(error.details).toMatchObject({ position });
    }
  });

  it('writes the terms back as the same query, and quotes tags that look like them', () => {
    for (const query of [
      'is:excluded',
      'width<768',
      'height>=1024',
      'format:webp',
      'name:sakura_*',
      'name:"my file (1)"',
      'source:"a \\"b\\" c"',
      'has:near-duplicates',
    ]) {
      expect(parseQuery(formatQuery(parseQuery(query)))).toEqual(parseQuery(query));
    }
    for (const tag of ['width<5', 'is:cute', 'format:png', 'name:x', 'source:pixiv']) {
      expect(parseQuery(formatTagTerm(tag))).toEqual({ type: 'tag', tag });
    }
  });
});
