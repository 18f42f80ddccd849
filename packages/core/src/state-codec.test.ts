import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from './state-codec.js';
import { type DatasetState, DatasetStateSchema, type ImageState } from './state-schema.js';

function image(id: string, overrides: Partial<ImageState> = {}): ImageState {
  return {
    id,
    file: `set_${id}.png`,
    hash: `hash-${id}`,
    size: 10,
    width: 64,
    height: 32,
    format: 'png',
    tags: [],
    rev: 1,
    excluded: false,
    written: '',
    ...overrides,
  };
}

function state(images: ImageState[]): DatasetState {
  return {
    id: 'dataset',
    settings: {
      prefix: 'set',
      tagStyle: { separator: 'space', escapeParentheses: false },
      kohyaRepeats: 10,
    },
    revision: 7,
    images: Object.fromEntries(images.map((each) => [each.id, each])),
    imports: [],
    undo: [{ ops: [{ type: 'add', target: { all: true }, tags: ['x'] }], label: 'add x' }],
    redo: [],
  };
}

/** What the snapshot holds and reads back: the encoded state through JSON. */
function throughJson(value: DatasetState): unknown {
  return decodeState(JSON.parse(JSON.stringify(encodeState(value))));
}

describe('the stored form of a dataset state', () => {
  it('gives back every image with its fields in their order, optional ones where they were', () => {
    const original = state([
      image('a', { tags: ['long hair', 'smile', 'ナース'], seen: '5:100' }),
      image('b', { tags: [], extraLines: ['alt one', ''], excluded: true }),
      image('c', { tags: ['smile', 'long hair'], written: 'abc', rev: 0 }),
      // Scored by an auto-tagger: proposals, rating, rejected folds and the model.
      image('d', {
        tags: ['smile'],
        proposals: [
          { tag: 'long_hair', score: 0.93, category: 'general' },
          { tag: 'civtag_(mascot)', score: 0.88, category: 'character' },
        ],
        rating: { label: 'general', score: 0.91 },
        rejected: ['solo'],
        scored: 'sha256:0123abcd',
      }),
    ]);
    const decoded = throughJson(original) as DatasetState;
    expect(decoded).toEqual(original);
    for (const id of ['a', 'b', 'c', 'd']) {
      expect(Object.keys(decoded.images[id] as ImageState)).toEqual(
        Object.keys(original.images[id] as ImageState),
      );
    }
    expect(Object.keys(decoded.images)).toEqual(['a', 'b', 'c', 'd']);
    expect(DatasetStateSchema.safeParse(decoded).success).toBe(true);
  });

  it('keeps a field only some images have (one a later civtag may add) on those images only', () => {
    const proposals = [{ tag: 'y', score: 0.5, category: 'general' as const }];
    const withMore = { ...image('b', { tags: ['x'], seen: '1:1' }), proposals };
    const original = state([image('a', { tags: ['x'], seen: '1:1' }), withMore]);
    const decoded = throughJson(original) as DatasetState;
    expect(decoded).toEqual(original);
    expect(decoded.images.a).not.toHaveProperty('proposals');
  });

  it('keeps the source and perceptual hash of imported images beside older images without them', () => {
    const source = { name: 'IMG_01.png', path: 'trip/IMG_01.png' };
    const imported = (id: string, phash: string): ImageState => {
      const { rev, excluded, written, ...first } = image(id, { tags: ['x'] });
      // The order of the fields as an import's record and the reducer give them.
      return { ...first, source, phash, rev, excluded, written, seen: '1:1' };
    };
    const original = state([
      imported('a', 'c3d1a0f0e1e2e3e4'),
      image('b', { tags: ['x'], seen: '1:1' }),
      imported('c', ''),
      // Hashed in the background, imported before sources were kept.
      image('d', { tags: ['y'], seen: '1:1', phash: '0123456789abcdef' }),
    ]);
    const decoded = throughJson(original) as DatasetState;
    expect(decoded).toEqual(original);
    // The usual shapes keep their order (the fourth is built field by field, in column order).
    for (const id of ['a', 'b', 'c']) {
      expect(Object.keys(decoded.images[id] as ImageState)).toEqual(
        Object.keys(original.images[id] as ImageState),
      );
    }
    expect(decoded.images.b).not.toHaveProperty('phash');
    expect(decoded.images.d).not.toHaveProperty('source');
    expect(DatasetStateSchema.safeParse(decoded).success).toBe(true);
  });

  it('stores each distinct tag once and the images as columns', () => {
    const encoded = encodeState(
      state([image('a', { tags: ['x', 'y'] }), image('b', { tags: ['y', 'x', 'z'] })]),
    );
    expect(encoded).not.toHaveProperty('images');
    expect(encoded.imageTable).toMatchObject({ count: 2, tagTable: ['x', 'y', 'z'] });
    const bytes = (packed: { base64: string }) => [...Buffer.from(packed.base64, 'base64')];
    expect(encoded.imageTable.tagCounts).toMatchObject({ width: 1 });
    expect(bytes(encoded.imageTable.tagCounts)).toEqual([2, 3]);
    expect(encoded.imageTable.tags).toMatchObject({ width: 1 });
    expect(bytes(encoded.imageTable.tags)).toEqual([0, 1, 1, 0, 2]);
    expect(encoded.imageTable.columns.id).toEqual(['a', 'b']);
    expect(encoded.imageTable.columns.seen).toBeUndefined();
  });

  it('round-trips an empty dataset and any mix of images', () => {
    expect(throughJson(state([]))).toEqual(state([]));
    const arbitraryImage = fc.record(
      {
        tags: fc.uniqueArray(fc.string({ maxLength: 12 }), { maxLength: 8 }),
        extraLines: fc.array(fc.string(), { maxLength: 2 }),
        seen: fc.string({ maxLength: 20 }),
        rev: fc.nat(),
        excluded: fc.boolean(),
        source: fc.record({
          name: fc.string({ maxLength: 8 }),
          path: fc.string({ maxLength: 12 }),
        }),
        phash: fc.constantFrom('', '0123456789abcdef', 'ffffffffffffffff'),
      },
      { requiredKeys: ['tags', 'rev', 'excluded'] },
    );
    fc.assert(
      fc.property(fc.array(arbitraryImage, { maxLength: 30 }), (records) => {
        const original = state(records.map((fields, index) => image(`i${index}`, fields)));
        expect(throughJson(original)).toEqual(original);
      }),
      { seed: 20261130, numRuns: 200 },
    );
  });

  it('packs indices in two or four bytes when one does not hold them, in either byte order', () => {
    const many = Array.from({ length: 70_000 }, (_, index) => `tag ${index}`);
    const original = state([image('a', { tags: many.slice(0, 300) }), image('b', { tags: many })]);
    const encoded = encodeState(original);
    expect(encoded.imageTable.tags.width).toBe(4);
    expect(encoded.imageTable.tagCounts.width).toBe(4);
    expect(throughJson(original)).toEqual(original);
    const fewer = encodeState(state([image('a', { tags: many.slice(0, 300) })]));
    expect(fewer.imageTable.tags.width).toBe(2);
    // The same numbers written on a machine of the other byte order read back the same.
    const swapped = JSON.parse(JSON.stringify(fewer));
    const bytes = Buffer.from(swapped.imageTable.tags.base64, 'base64');
    bytes.swap16();
    swapped.imageTable.tags = {
      width: 2,
      order: swapped.imageTable.tags.order === 'LE' ? 'BE' : 'LE',
      base64: bytes.toString('base64'),
    };
    expect(decodeState(swapped)).toEqual(decodeState(JSON.parse(JSON.stringify(fewer))));
  });

  it('gives the images in the order of the state, ids that look like numbers too', async () => {
    const { ImageIndex } = await import('./image-index.js');
    for (const ids of [
      ['b', 'a', 'c'],
      ['b', '7', 'a', '3'],
    ]) {
      const original = state(ids.map((id) => image(id, { tags: [id], seen: '1:1' })));
      const decoded = throughJson(original) as DatasetState;
      expect(ImageIndex.for(decoded).order.map((each) => each.id)).toEqual(
        Object.values(original.images).map((each) => each.id),
      );
    }
  });

  it('passes a state in the plain form (versions 1 and 2) through as it is', () => {
    const plain = state([image('a', { tags: ['x'] })]);
    expect(decodeState(plain)).toBe(plain);
  });

  it('names what does not add up in a malformed table', () => {
    const encoded = () =>
      JSON.parse(
        JSON.stringify(
          encodeState(state([image('a', { tags: ['x', 'y'] }), image('b', { tags: ['y'] })])),
        ),
      );
    const shortColumn = encoded();
    shortColumn.imageTable.columns.file.pop();
    expect(() => decodeState(shortColumn)).toThrow(
      'imageTable.columns.file does not hold 2 values',
    );
    const repack = (values: number[]) => ({
      width: 1,
      order: 'LE',
      base64: Buffer.from(values).toString('base64'),
    });
    const lostTag = encoded();
    lostTag.imageTable.tags = repack([0, 1]);
    expect(() => decodeState(lostTag)).toThrow(
      'imageTable.tags holds 2 indices where the counts say 3',
    );
    const pastTable = encoded();
    pastTable.imageTable.tags = repack([0, 1, 9]);
    expect(() => decodeState(pastTable)).toThrow('image 2 has tag index 9, past the tag table');
    const notPacked = encoded();
    notPacked.imageTable.tags = [0, 1, 1];
    expect(() => decodeState(notPacked)).toThrow(
      'imageTable.tags is not a packed list of whole numbers',
    );
    const torn = encoded();
    torn.imageTable.tags = {
      width: 2,
      order: 'LE',
      base64: Buffer.from([1, 0, 2]).toString('base64'),
    };
    expect(() => decodeState(torn)).toThrow(
      'imageTable.tags holds 3 bytes, not a whole number of 2',
    );
    const noCount = encoded();
    noCount.imageTable.count = -1;
    expect(() => decodeState(noCount)).toThrow('imageTable.count is not a count');
  });
});
