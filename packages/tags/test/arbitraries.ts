// fast-check generators shared by the property tests: tags drawn from the alphabets real
// booru captions use, and small datasets of images.
import type { TagOp, TagStyle, Target } from '@civtag/api-models';
import fc from 'fast-check';
import { foldTag } from '../src/fold-tag.js';
import { tryNormalizeTag } from '../src/normalize-tag.js';
import type { TaggableImage } from '../src/taggable-image.js';

/** Real tags from Danbooru, e621 and WD14 captions, including the awkward ones. */
export const REAL_TAGS = [
  '1girl',
  '2boys',
  'solo',
  'long hair',
  'long_hair',
  'looking at viewer',
  '^_^',
  '>_<',
  ':d',
  ':3',
  'o_o',
  '@_@',
  '\\m/',
  '!?',
  're:zero kara hajimeru isekai seikatsu',
  'photo (medium)',
  'hatsune miku (cosplay)',
  'fate/grand order',
  'pokémon',
  '初音ミク',
  'ゆるキャン△',
  'k-on!',
  'x-ray',
  "jack-o'-lantern",
  'rating:safe',
  'score_9',
] as const;

const BOORU_CHARACTERS = [
  ...'abcdefghijklmnopqrstuvwxyzABC0123456789',
  ...'_-()[]{}:;^<>!?@#$%&*+=/\\\'".~`|',
  ' ',
  '\t',
  'é',
  'ß',
  'İ',
  'ミ',
  'ク',
  '△',
  '♥',
  '🎨',
  'e\u0301',
];

/** Any valid, normalised tag: real ones, booru-alphabet strings and arbitrary unicode. */
export const tagArbitrary: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 2, arbitrary: fc.constantFrom(...REAL_TAGS) },
    {
      weight: 5,
      arbitrary: fc
        .array(fc.constantFrom(...BOORU_CHARACTERS), { minLength: 1, maxLength: 24 })
        .map((characters) => characters.join('')),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }) },
  )
  .map((text) => tryNormalizeTag(text))
  .filter((tag): tag is string => tag !== undefined);

/**
 * A small pool so that ops and images share tags often, with several forms of some tags
 * (`long hair`, `long_hair`, `Long_Hair`) that are one tag by fold.
 */
export const TAG_POOL = [
  '1girl',
  'solo',
  'long hair',
  'long_hair',
  'Long_Hair',
  'smile',
  'Smile',
  '^_^',
  '^ ^',
  'photo (medium)',
  'photo_(medium)',
  'sakura',
  'Sakura',
  'blue eyes',
];
export const TRIGGER_WORD = 'sakura';

/** No style, or one of the two separators, with or without escaped parentheses. */
export const tagStyleArbitrary: fc.Arbitrary<TagStyle | undefined> = fc.option(
  fc.record({
    separator: fc.constantFrom('space' as const, 'underscore' as const),
    escapeParentheses: fc.boolean(),
  }),
  { nil: undefined },
);

/**
 * One to six images with tags from {@link TAG_POOL} (the trigger word anywhere, or first),
 * never two forms of one tag on an image: the invariant every op keeps.
 */
export const imagesArbitrary: fc.Arbitrary<Map<string, TaggableImage>> = fc
  .array(
    fc.record({
      tags: fc.uniqueArray(
        fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...TAG_POOL) },
          { weight: 1, arbitrary: tagArbitrary },
        ),
        { maxLength: TAG_POOL.length + 2, selector: foldTag },
      ),
      excluded: fc.boolean(),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map(
    (records) =>
      new Map(records.map((record, index) => [`img${index}`, { id: `img${index}`, ...record }])),
  );

function targetArbitrary(ids: string[]): fc.Arbitrary<Target> {
  return fc.oneof(
    fc.constant({ all: true as const }),
    fc.subarray(ids, { minLength: 1 }).map((picked) => ({ ids: picked })),
    fc
      .constantFrom(
        'solo',
        'NOT solo',
        'smile OR ^_^',
        'tags<3',
        'untagged',
        '"photo (medium)"',
        'long_*',
      )
      .map((query) => ({ query })),
  );
}

/** Any op that applies to `images` (a `move` names a tag the image has). */
export function opArbitrary(images: Map<string, TaggableImage>): fc.Arbitrary<TagOp> {
  const ids = [...images.keys()];
  // Ops name tags in any form, escaped parentheses included, as a user types them.
  const tag = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...TAG_POOL) },
    { weight: 1, arbitrary: fc.constantFrom('SOLO', 'photo \\(medium\\)', 'blue_eyes', ' smile ') },
  );
  const tags = fc.uniqueArray(tag, { minLength: 1, maxLength: 3 });
  const target = targetArbitrary(ids);
  const withTags = [...images.values()].filter((image) => image.tags.length > 0);
  const ops: fc.Arbitrary<TagOp>[] = [
    fc.record({
      type: fc.constant('set' as const),
      imageId: fc.constantFrom(...ids),
      tags: fc.uniqueArray(tag),
    }),
    fc.record({
      type: fc.constant('add' as const),
      target,
      tags,
      position: fc.oneof(fc.constant('start' as const), fc.constant('end' as const), fc.nat(8)),
    }),
    fc.record({ type: fc.constant('remove' as const), target, tags }),
    fc.record({ type: fc.constant('replace' as const), target, from: tag, to: tag }),
    fc.record({
      type: fc.constant('rename-tags' as const),
      target,
      renames: fc.array(fc.record({ from: tag, to: fc.oneof(tag, fc.constant('')) }), {
        minLength: 1,
        maxLength: 4,
      }),
    }),
    fc.record({ type: fc.constantFrom('exclude' as const, 'restore' as const), target }),
    fc.record({ type: fc.constant('normalize' as const), target }),
    fc.record({
      type: fc.constant('settings' as const),
      changes: fc.record({
        triggerWord: fc.constantFrom(TRIGGER_WORD, 'Sakura_Style', 'smile', null),
      }),
    }),
  ];
  if (withTags.length > 0) {
    ops.push(
      fc.constantFrom(...withTags).chain((image) =>
        fc.record({
          type: fc.constant('move' as const),
          imageId: fc.constant(image.id),
          tag: fc.constantFrom(...image.tags),
          index: fc.nat(8),
        }),
      ),
    );
  }
  return fc.oneof(...ops);
}
