import type { TagOp } from '@civtag/api-models';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  imagesArbitrary,
  opArbitrary,
  TRIGGER_WORD,
  tagStyleArbitrary,
} from '../test/arbitraries.js';
import { applyTagOp } from './apply-tag-op.js';
import { foldTag } from './fold-tag.js';
import type { ImageTagChange, TaggableImage } from './taggable-image.js';

function applyChanges(
  images: ReadonlyMap<string, TaggableImage>,
  changes: readonly ImageTagChange[],
): Map<string, TaggableImage> {
  const next = new Map(images);
  for (const change of changes) {
    next.set(change.imageId, { id: change.imageId, ...change.after });
  }
  return next;
}

function snapshot(images: ReadonlyMap<string, TaggableImage>) {
  return [...images.values()].map((image) => ({ ...image, tags: [...image.tags] }));
}

const scenario = fc
  .record({ images: imagesArbitrary, trigger: fc.boolean(), tagStyle: tagStyleArbitrary })
  .chain(({ images, trigger, tagStyle }) =>
    opArbitrary(images).map((op) => ({
      images,
      op,
      options: {
        ...(trigger ? { triggerWord: TRIGGER_WORD } : {}),
        ...(tagStyle === undefined ? {} : { tagStyle }),
      },
    })),
  );

describe('applyTagOp, property', () => {
  // A `settings` op's inverse runs after the settings op with the old values (which the
  // dataset keeps), so under the same trigger word as the op; every inverse runs restoring.
  it('restores every image exactly when the inverse ops are applied in order', () => {
    fc.assert(
      fc.property(scenario, ({ images, op, options }) => {
        const result = applyTagOp(images, op, options);
        let state = applyChanges(images, result.changes);
        for (const inverse of result.inverse) {
          const restoring = { ...options, restoring: true };
          state = applyChanges(state, applyTagOp(state, inverse, restoring).changes);
        }
        expect(snapshot(state)).toEqual(snapshot(images));
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  it('reports only images that changed, and an inverse exactly when something changed', () => {
    fc.assert(
      fc.property(scenario, ({ images, op, options }) => {
        const { changes, inverse } = applyTagOp(images, op, options);
        for (const change of changes) {
          const image = images.get(change.imageId);
          expect(change.before).toEqual({ tags: image?.tags, excluded: image?.excluded });
          expect(change.after).not.toEqual(change.before);
        }
        expect(inverse.length > 0).toBe(changes.length > 0);
      }),
    );
  });

  it('never leaves two forms of one tag on an image and keeps a leading trigger word first', () => {
    fc.assert(
      fc.property(scenario, ({ images, op, options }) => {
        const movesTrigger = op.type === 'move' && foldTag(op.tag) === TRIGGER_WORD;
        const changesTrigger = op.type === 'settings';
        for (const change of applyTagOp(images, op, options).changes) {
          expect(new Set(change.after.tags.map(foldTag)).size).toBe(change.after.tags.length);
          const wasFirst = change.before.tags[0] === TRIGGER_WORD;
          if (
            options.triggerWord &&
            wasFirst &&
            !movesTrigger &&
            !changesTrigger &&
            change.after.tags.includes(TRIGGER_WORD)
          ) {
            expect(change.after.tags[0]).toBe(TRIGGER_WORD);
          }
        }
      }),
    );
  });

  it('changes nothing and throws NOT_FOUND when a target names an unknown image', () => {
    fc.assert(
      fc.property(imagesArbitrary, (images) => {
        const op: TagOp = {
          type: 'add',
          target: { ids: [...images.keys(), 'missing'] },
          tags: ['x'],
        };
        expect(() => applyTagOp(images, op)).toThrow(
          expect.objectContaining({ code: 'NOT_FOUND' }),
        );
      }),
    );
  });
});
