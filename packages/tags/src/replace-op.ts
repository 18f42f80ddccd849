import type { ReplaceOp, TagOp } from '@civtag/api-models';
import { foldTag } from './fold-tag.js';
import { tagChange } from './image-change.js';
import { normalizeTag } from './normalize-tag.js';
import { resolveTarget } from './resolve-target.js';
import { incomingTag, indexOfFold, type TagContext } from './tag-context.js';
import { hasTriggerElsewhere, IdGroups, restoreTagsOps, sameTags } from './tag-list.js';
import type { ImageTagChange, TaggableImage, TagOpResult } from './taggable-image.js';

const KEY_SEPARATOR = '\u0000';

/**
 * Renames the tag that folds to `from` to `to` (in the tag style) on every target image that
 * has it.
 *
 * - `from` and `to` that fold alike restyle the tag: `blue_eyes → Blue Eyes` rewrites every
 *   form of it to `Blue Eyes`; an image already holding exactly `to` is unchanged.
 * - An image that lacks `to` gets it in `from`'s place (or first, when `to` is the trigger word).
 * - An image that already has `to` (by fold) keeps it where it is and loses `from`: a tag is
 *   never doubled.
 */
export function applyReplace(
  images: ReadonlyMap<string, TaggableImage>,
  op: ReplaceOp,
  context: TagContext,
): TagOpResult {
  const { triggerWord } = context;
  const fromFold = foldTag(normalizeTag(op.from));
  const to = incomingTag(op.to, context);
  const toFold = foldTag(to);
  const restyle = fromFold === toFold;
  const targets = resolveTarget(images, op.target);

  const changes: ImageTagChange[] = [];
  const renamed = new IdGroups<string>();
  const moves: TagOp[] = [];
  const readds = new IdGroups<{ index: number; tag: string }>();
  const restores: TagOp[] = [];
  for (const image of targets) {
    const index = indexOfFold(image.tags, fromFold);
    if (index < 0) continue;
    const old = image.tags[index] as string;
    const hasTo = !restyle && indexOfFold(image.tags, toFold) >= 0;
    const after = image.tags.filter((_, position) => position !== index);
    if (!hasTo && to === triggerWord) after.unshift(to);
    else if (!hasTo) after.splice(index, 0, to);
    if (sameTags(after, image.tags)) continue;
    changes.push(tagChange(image, after));

    if (hasTriggerElsewhere(image.tags, triggerWord)) {
      restores.push(...restoreTagsOps(image.id, image.tags, triggerWord));
    } else if (hasTo) {
      readds.add(`${index}${KEY_SEPARATOR}${old}`, { index, tag: old }, image.id);
    } else {
      renamed.add(old, old, image.id);
      // Renamed to the trigger word, the tag went first: renaming back leaves `old` first too.
      if (to === triggerWord && index > 0)
        moves.push({ type: 'move', imageId: image.id, tag: old, index });
    }
  }

  const inverse: TagOp[] = renamed
    .entries()
    .map(({ value, ids }) => ({ type: 'replace', target: { ids }, from: to, to: value }));
  inverse.push(...moves);
  const sortedReadds = readds.entries().sort((left, right) => left.value.index - right.value.index);
  for (const { value, ids } of sortedReadds) {
    inverse.push({ type: 'add', target: { ids }, tags: [value.tag], position: value.index });
  }
  inverse.push(...restores);
  return { changes, inverse };
}
