import type { SettingsOp, TagOp } from '@civtag/api-models';
import { foldTag } from './fold-tag.js';
import { checkTagCount, tagChange } from './image-change.js';
import { normalizeTag } from './normalize-tag.js';
import type { TagContext } from './tag-context.js';
import { restoreTagsOps, sameTags } from './tag-list.js';
import type { ImageTagChange, TaggableImage, TagOpResult } from './taggable-image.js';

/**
 * What a `settings` op does to tags: a new trigger word replaces the old one (and any tag
 * that folds to either) in every image, first, and goes first in every non-excluded image
 * that had neither. Clearing the trigger word (`null`) and every other setting change no
 * tags: the settings themselves are the dataset's to keep. When restoring, nothing changes
 * here: the ops after it in the same step restore the tags.
 *
 * The inverse restores each changed image exactly under the old trigger word; whoever keeps
 * the settings puts a `settings` op with the old values before it.
 */
export function applySettings(
  images: ReadonlyMap<string, TaggableImage>,
  op: SettingsOp,
  context: TagContext,
): TagOpResult {
  const wanted = op.changes.triggerWord;
  if (context.restoring || wanted === undefined || wanted === null) {
    return { changes: [], inverse: [] };
  }
  const next = normalizeTag(wanted);
  const old = context.triggerWord;
  if (next === old) return { changes: [], inverse: [] };
  const replaced = new Set([foldTag(next)]);
  if (old !== undefined) replaced.add(foldTag(old));
  const changes: ImageTagChange[] = [];
  const inverse: TagOp[] = [];
  for (const image of images.values()) {
    const rest = image.tags.filter((tag) => !replaced.has(foldTag(tag)));
    if (rest.length === image.tags.length && image.excluded) continue;
    const after = [next, ...rest];
    if (sameTags(after, image.tags)) continue;
    checkTagCount(image.id, after.length);
    changes.push(tagChange(image, after));
    inverse.push(...restoreTagsOps(image.id, image.tags, old));
  }
  return { changes, inverse };
}
