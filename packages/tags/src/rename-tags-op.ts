import type { RenameTagsOp, TagOp } from '@civtag/api-models';
import { foldTag } from './fold-tag.js';
import { tagChange } from './image-change.js';
import { normalizeTag } from './normalize-tag.js';
import { resolveTarget } from './resolve-target.js';
import { incomingTag, type TagContext } from './tag-context.js';
import { restoreTagsOps, sameTags, withTriggerFirst } from './tag-list.js';
import type { ImageTagChange, TaggableImage, TagOpResult } from './taggable-image.js';

/**
 * Applies the renames of a `rename-tags` op all at once, as a regex replace means them: each tag
 * of a target image whose fold a `from` names becomes its `to` (in the tag style) in its place,
 * or goes when `to` is empty; `a → b` and `b → c` together turn `a` into `b`, not `c`. A tag
 * that becomes one the image holds already is kept once, at the first place. The trigger word
 * is never renamed (the settings do that) and stays first. The inverse restores each changed
 * image exactly, so the op is one undo step.
 */
export function applyRenameTags(
  images: ReadonlyMap<string, TaggableImage>,
  op: RenameTagsOp,
  context: TagContext,
): TagOpResult {
  const { triggerWord } = context;
  const triggerFold = triggerWord === undefined ? undefined : foldTag(triggerWord);
  const renames = new Map<string, string>();
  for (const { from, to } of op.renames) {
    const fold = foldTag(normalizeTag(from));
    if (fold === triggerFold || renames.has(fold)) continue;
    renames.set(fold, to === '' ? '' : incomingTag(to, context));
  }
  const changes: ImageTagChange[] = [];
  const inverse: TagOp[] = [];
  for (const image of resolveTarget(images, op.target)) {
    let renamed = false;
    const seen = new Set<string>();
    const after: string[] = [];
    for (const tag of image.tags) {
      const fold = foldTag(tag);
      const to = renames.get(fold);
      if (to !== undefined) renamed = true;
      const next = to ?? tag;
      if (next === '') continue;
      const nextFold = to === undefined ? fold : foldTag(next);
      if (seen.has(nextFold)) continue;
      seen.add(nextFold);
      after.push(next);
    }
    if (!renamed) continue;
    const ordered = withTriggerFirst(after, triggerWord);
    if (sameTags(image.tags, ordered)) continue;
    changes.push(tagChange(image, ordered));
    inverse.push(...restoreTagsOps(image.id, image.tags, triggerWord));
  }
  return { changes, inverse };
}
