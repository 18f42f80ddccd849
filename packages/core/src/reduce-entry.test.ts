import { CivtagError, type TagOp } from '@civtag/api-models';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DatasetEntry } from './entry-schema.js';
import { createReducer, rememberedResult, resultWeight } from './reduce-entry.js';
import { type DatasetState, HISTORY_LIMIT } from './state-schema.js';

function makeState(imageCount: number, triggerWord?: string): DatasetState {
  const state: DatasetState = {
    id: 'dataset',
    settings: {
      prefix: 'img',
      tagStyle: { separator: 'space', escapeParentheses: false },
      kohyaRepeats: 10,
      ...(triggerWord === undefined ? {} : { triggerWord }),
    },
    revision: 0,
    images: {},
    imports: [],
    undo: [],
    redo: [],
  };
  for (let number = 1; number <= imageCount; number += 1) {
    const id = `image${number}`;
    state.images[id] = {
      id,
      file: `img_${String(number).padStart(4, '0')}.png`,
      hash: `hash${number}`,
      size: 10,
      width: 512,
      height: 512,
      format: 'png',
      tags:
        triggerWord === undefined ? ['cat', `tag${number}`] : [triggerWord, 'cat', `tag${number}`],
      rev: 0,
      excluded: false,
      written: '',
    };
  }
  return state;
}

function run(state: DatasetState, entry: DatasetEntry) {
  const reduction = createReducer()(state, entry);
  reduction.commit();
  return reduction.result;
}

function tagsOf(state: DatasetState) {
  return Object.values(state.images).map((image) => ({
    id: image.id,
    tags: image.tags,
    excluded: image.excluded,
  }));
}

describe('the dataset reducer', () => {
  it('applies an op, then undo restores the images and redo applies it again', () => {
    const state = makeState(3);
    const before = structuredClone(tagsOf(state));
    const result = run(state, {
      kind: 'op',
      op: { type: 'add', target: { all: true }, tags: ['dog'] },
      origin: 'op',
    });
    expect(result.changes).toHaveLength(3);
    expect(state.images.image1?.tags).toEqual(['cat', 'tag1', 'dog']);
    expect(state.images.image1?.rev).toBe(1);
    const after = structuredClone(tagsOf(state));
    const undone = run(state, { kind: 'undo' });
    expect(undone.origin).toBe('undo');
    expect(tagsOf(state)).toEqual(before);
    expect(state.redo).toHaveLength(1);
    run(state, { kind: 'redo' });
    expect(tagsOf(state)).toEqual(after);
    expect(state.revision).toBe(3);
  });

  it('clears the redo history when a new op is applied', () => {
    const state = makeState(1);
    run(state, { kind: 'op', op: { type: 'set', imageId: 'image1', tags: ['a'] }, origin: 'op' });
    run(state, { kind: 'undo' });
    expect(state.redo).toHaveLength(1);
    run(state, { kind: 'op', op: { type: 'set', imageId: 'image1', tags: ['b'] }, origin: 'op' });
    expect(state.redo).toHaveLength(0);
    expect(() => createReducer()(state, { kind: 'redo' })).toThrow(CivtagError);
  });

  it('refuses undo with nothing to undo, and leaves the state untouched', () => {
    const state = makeState(1);
    const copy = structuredClone(state);
    try {
      createReducer()(state, { kind: 'undo' });
      expect.unreachable('undo of nothing must throw');
    } catch (error) {
      expect(CivtagError.hasCode(error, 'CONFLICT')).toBe(true);
    }
    expect(state).toEqual(copy);
  });

  it('keeps at most the history limit of undo steps', () => {
    const state = makeState(1);
    for (let step = 0; step < HISTORY_LIMIT + 20; step += 1) {
      run(state, {
        kind: 'op',
        op: { type: 'set', imageId: 'image1', tags: [`t${step}`] },
        origin: 'op',
      });
    }
    expect(state.undo).toHaveLength(HISTORY_LIMIT);
  });

  it('does not record an op that changes nothing in the history', () => {
    const state = makeState(1);
    const result = run(state, {
      kind: 'op',
      op: { type: 'replace', target: { all: true }, from: 'x', to: 'y' },
      origin: 'op',
    });
    expect(result.changes).toEqual([]);
    expect(state.undo).toHaveLength(0);
  });

  it('refuses an op on an unknown image without changing anything', () => {
    const state = makeState(1);
    const copy = structuredClone(state);
    expect(() =>
      createReducer()(state, {
        kind: 'op',
        op: { type: 'set', imageId: 'nope', tags: ['a'] },
        origin: 'op',
      }),
    ).toThrow(CivtagError);
    expect(state).toEqual(copy);
  });

  it('adds imported images and records their source as done', () => {
    const state = makeState(0);
    run(state, {
      kind: 'import-start',
      job: { id: 'job', source: '/src', recursive: false, tagsFromMetadata: false },
    });
    const result = run(state, {
      kind: 'import-add',
      jobId: 'job',
      source: 'a.png',
      record: {
        id: 'new',
        file: 'img_0001.png',
        hash: 'h',
        size: 1,
        width: 1,
        height: 1,
        format: 'png',
        tags: ['x'],
      },
    });
    expect(result.added?.[0]).toMatchObject({ id: 'new', rev: 2, excluded: false });
    expect(state.images.new?.rev).toBe(2);
    expect(state.imports[0]?.done).toEqual(['a.png']);
    expect(() =>
      createReducer()(state, {
        kind: 'import-add',
        jobId: 'job',
        source: 'b.png',
        record: {
          id: 'new',
          file: 'img_0002.png',
          hash: 'h2',
          size: 1,
          width: 1,
          height: 1,
          format: 'png',
          tags: [],
        },
      }),
    ).toThrow(CivtagError);
  });

  it('gives an image imported by an older journal line its source from the line', () => {
    const state = makeState(0);
    run(state, {
      kind: 'import-start',
      job: { id: 'job', source: '/src', recursive: true, tagsFromMetadata: false },
    });
    const record = {
      file: 'img_0001.png',
      hash: 'h',
      size: 1,
      width: 1,
      height: 1,
      format: 'png' as const,
      tags: [],
    };
    const result = run(state, {
      kind: 'import-add',
      jobId: 'job',
      source: 'trip/a.png',
      record: { ...record, id: 'old' },
    });
    expect(result.added?.[0]?.source).toEqual({ name: 'a.png', path: 'trip/a.png' });
    run(state, {
      kind: 'import-add',
      jobId: 'job',
      source: 'b.png',
      record: { ...record, id: 'new', hash: 'h2', source: { name: 'b.png', path: 'b.png' } },
    });
    expect(state.images.old?.source).toEqual({ name: 'a.png', path: 'trip/a.png' });
    expect(state.images.new?.source).toEqual({ name: 'b.png', path: 'b.png' });
  });

  it('stores perceptual hashes worked out later without a change a client would see', () => {
    const state = makeState(2);
    const result = run(state, {
      kind: 'perceptual-hashes',
      hashes: { image1: '0123456789abcdef', image2: '', gone: 'ffffffffffffffff' },
    });
    expect(result.changes).toEqual([]);
    expect(state.revision).toBe(1);
    expect(state.images.image1?.phash).toBe('0123456789abcdef');
    expect(state.images.image2?.phash).toBe('');
    expect(state.images.image1?.rev).toBe(0);
    expect(state.images).not.toHaveProperty('gone');
  });

  it('undoes any sequence of ops back to where it started (property)', () => {
    const tag = fc.constantFrom('a', 'b', 'c', 'cat', 'sakura');
    const target = fc.oneof(
      fc.constant({ all: true as const }),
      fc.subarray(['image1', 'image2', 'image3'], { minLength: 1 }).map((ids) => ({ ids })),
    );
    const op: fc.Arbitrary<TagOp> = fc.oneof(
      fc.record({
        type: fc.constant('add' as const),
        target,
        tags: fc.uniqueArray(tag, { minLength: 1, maxLength: 3 }),
      }),
      fc.record({
        type: fc.constant('remove' as const),
        target,
        tags: fc.uniqueArray(tag, { minLength: 1, maxLength: 3 }),
      }),
      fc.record({ type: fc.constant('replace' as const), target, from: tag, to: tag }),
      fc.record({
        type: fc.constant('set' as const),
        imageId: fc.constantFrom('image1', 'image2'),
        tags: fc.uniqueArray(tag, { maxLength: 3 }),
      }),
      fc.record({ type: fc.constant('exclude' as const), target }),
      fc.record({ type: fc.constant('restore' as const), target }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.boolean(), (ops, withTrigger) => {
        const state = makeState(3, withTrigger ? 'sakura' : undefined);
        const start = structuredClone(tagsOf(state));
        for (const each of ops) run(state, { kind: 'op', op: each, origin: 'op' });
        const end = structuredClone(tagsOf(state));
        while (state.undo.length > 0) run(state, { kind: 'undo' });
        expect(tagsOf(state)).toEqual(start);
        while (state.redo.length > 0) run(state, { kind: 'redo' });
        expect(tagsOf(state)).toEqual(end);
      }),
      { numRuns: 150 },
    );
  });
});

describe('the answer an idempotency key remembers', () => {
  it('is the whole result for a few images, and a count with the settings for a bulk op', () => {
    const reduce = createReducer();
    const small = makeState(3);
    const few = reduce(small, {
      kind: 'op',
      op: { type: 'add', target: { all: true }, tags: ['sky'] },
      origin: 'op',
    }).result;
    expect(rememberedResult(few)).toBe(few);

    const large = makeState(1200);
    const bulk = reduce(large, {
      kind: 'op',
      op: { type: 'add', target: { all: true }, tags: ['sky'] },
      origin: 'op',
    }).result;
    expect(resultWeight(bulk)).toBe(1200);
    const remembered = rememberedResult(bulk);
    expect(remembered).toEqual({ origin: 'op', changes: [], omitted: 1200 });
    expect(resultWeight(remembered)).toBe(1200);
    expect(JSON.stringify(remembered).length).toBeLessThan(100);
  });
});
