import type { TagOp } from '@civtag/api-models';
import fc from 'fast-check';

/**
 * Valid ops over a dataset whose image ids are known, drawn from a small pool of tags so that
 * ops meet (a remove finds what an add put there, a query matches). Every op type of
 * `TagOpSchema` is here; the fuzz tests break them one field at a time.
 */
export function validOp(imageIds: readonly string[]): fc.Arbitrary<TagOp> {
  const imageId = fc.constantFrom(...imageIds);
  const tag = fc.oneof(
    fc.constantFrom('1girl', 'solo', 'blue eyes', 'Blue_Eyes', 'photo (medium)', '^_^', 'trigger'),
    fc.stringMatching(/^[a-z][a-z ]{0,11}$/),
  );
  const tags = fc.uniqueArray(tag, { maxLength: 4 });
  const nonEmptyTags = fc.uniqueArray(tag, { minLength: 1, maxLength: 4 });
  const target = fc.oneof(
    fc.record({ ids: fc.uniqueArray(imageId, { minLength: 1, maxLength: imageIds.length }) }),
    fc.record({
      query: fc.oneof(
        tag,
        fc.constantFrom(
          '',
          'untagged',
          'NOT solo',
          'tags<2',
          'is:excluded',
          'width>90',
          '1girl OR solo',
        ),
      ),
    }),
    fc.constant({ all: true as const }),
  );
  return fc.oneof(
    fc.record({ type: fc.constant('set' as const), imageId, tags }),
    fc.record(
      {
        type: fc.constant('add' as const),
        target,
        tags: nonEmptyTags,
        position: fc.oneof(fc.constantFrom('start' as const, 'end' as const), fc.nat(6)),
      },
      { requiredKeys: ['type', 'target', 'tags'] },
    ),
    fc.record({ type: fc.constant('remove' as const), target, tags: nonEmptyTags }),
    fc.record({ type: fc.constant('replace' as const), target, from: tag, to: tag }),
    fc.record({
      type: fc.constant('rename-tags' as const),
      target,
      renames: fc.array(fc.record({ from: tag, to: fc.oneof(tag, fc.constant('')) }), {
        minLength: 1,
        maxLength: 3,
      }),
    }),
    fc.record({ type: fc.constant('move' as const), imageId, tag, index: fc.nat(6) }),
    fc.record({
      type: fc.constant('settings' as const),
      changes: fc.record(
        {
          triggerWord: fc.oneof(fc.constant(null), tag),
          prefix: fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/),
          kohyaRepeats: fc.integer({ min: 1, max: 40 }),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({ type: fc.constant('normalize' as const), target }),
    fc.record(
      {
        type: fc.constant('accept-proposals' as const),
        target,
        minScore: fc.double({ min: 0, max: 1, noNaN: true }),
        tags: nonEmptyTags,
        onlyUntagged: fc.boolean(),
      },
      { requiredKeys: ['type', 'target'] },
    ),
    fc.record(
      {
        type: fc.constantFrom('reject-proposals' as const, 'restore-proposals' as const),
        target,
        tags: nonEmptyTags,
      },
      { requiredKeys: ['type', 'target'] },
    ),
    fc.record({ type: fc.constantFrom('exclude' as const, 'restore' as const), target }),
  );
}
