import type { ReplaceOp, TagOp } from '@civtag/api-models';
import { tagChange } from './image-change.js';
import { normalizeTag } from './normalize-tag.js';
import { resolveTarget } from './resolve-target.js';
import { hasTriggerElsewhere, IdGroups, restoreTagsOps } from './tag-list.js';
import type { ImageTagChange, TaggableImage, TagOpResult } from './taggable-image.js';

/**
 * Renames `from` to `to` on every target image that has `from`.
 *
 * - `from` equal to `to` changes nothing, anywhere.
 * - An image that lacks `to` gets it in `from`'s place (or first, when `to` is the trigger word).
 * - An image that already has `to` keeps it where it is and loses `from`: a tag is never doubled.
 */
export function applyReplace(
  images: ReadonlyMap<string, TaggableImage>,
  op: ReplaceOp,
  triggerWord: string | undefined,
): TagOpResult {
  const from = normalizeTag(op.from);
  const to = normalizeTag(op.to);
  const targets = resolveTarget(images, op.target);
  if (from === to) return { changes: [], inverse: [] };

  const changes: ImageTagChange[] = [];
  const renamedIds: string[] = [];
  const moves: TagOp[] = [];
  const readds = new IdGroups<number>();
  const restores: TagOp[] = [];
  for (const image of targets) {
    const index = image.tags.indexOf(from);
    if (index < 0) continue;
    const hasTo = image.tags.includes(to);
    const after = image.tags.filter((_, position) => position !== index);
    if (!hasTo && to === triggerWord) after.unshift(to);
    else if (!hasTo) after.splice(index, 0, to);
    changes.push(tagChange(image, after));

    if (hasTriggerElsewhere(image.tags, triggerWord)) {
      restores.push(...restoreTagsOps(image.id, image.tags, triggerWord));
    } else if (hasTo) {
      readds.add(String(index), index, image.id);
    } else {
      renamedIds.push(image.id);
      // Renamed to the trigger word, the tag went first: renaming back leaves `from` first too.
      if (to === triggerWord && index > 0)
        moves.push({ type: 'move', imageId: image.id, tag: from, index });
    }
  }

  const inverse: TagOp[] = [];
  if (renamedIds.length > 0) {
    inverse.push({ type: 'replace', target: { ids: renamedIds }, from: to, to: from });
  }
  inverse.push(...moves);
  for (const { value, ids } of readds.entries().sort((left, right) => left.value - right.value)) {
    inverse.push({ type: 'add', target: { ids }, tags: [from], position: value });
  }
  inverse.push(...restores);
  return { changes, inverse };
}
