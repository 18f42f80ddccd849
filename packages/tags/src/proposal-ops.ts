import type {
  AcceptProposalsOp,
  RejectProposalsOp,
  RestoreProposalsOp,
  TagOp,
} from '@civtag/api-models';
import { insertTags } from './add-remove-ops.js';
import { foldTag } from './fold-tag.js';
import { checkTagCount, tagChange } from './image-change.js';
import { normalizeTag } from './normalize-tag.js';
import { pendingProposals } from './pending-proposals.js';
import { resolveTarget } from './resolve-target.js';
import { incomingTagList, type TagContext } from './tag-context.js';
import { IdGroups } from './tag-list.js';
import type { ImageTagChange, TaggableImage, TagOpResult } from './taggable-image.js';

const KEY_SEPARATOR = '\u0000';

/** True when an image holds no tag but the trigger word. */
export function isUntagged(image: TaggableImage, triggerWord: string | undefined): boolean {
  if (image.tags.length === 0) return true;
  if (triggerWord === undefined) return false;
  const trigger = foldTag(triggerWord);
  return image.tags.every((tag) => foldTag(tag) === trigger);
}

function foldsOf(tags: readonly string[]): Set<string> {
  return new Set(tags.map((tag) => foldTag(normalizeTag(tag))));
}

/**
 * Adds the chosen pending proposals of each target image after its tags, in the tag style; the
 * inverse removes exactly those, per group of images.
 */
export function applyAcceptProposals(
  images: ReadonlyMap<string, TaggableImage>,
  op: AcceptProposalsOp,
  context: TagContext,
): TagOpResult {
  const named = op.tags === undefined ? undefined : foldsOf(op.tags);
  const minScore = op.minScore ?? 0;
  const changes: ImageTagChange[] = [];
  const groups = new IdGroups<string[]>();
  for (const image of resolveTarget(images, op.target)) {
    if (op.onlyUntagged === true && !isUntagged(image, context.triggerWord)) continue;
    const chosen = pendingProposals(image).filter(
      (proposal) =>
        proposal.score >= minScore && (named === undefined || named.has(foldTag(proposal.tag))),
    );
    if (chosen.length === 0) continue;
    const added = incomingTagList(
      chosen.map((proposal) => proposal.tag),
      context,
    ).filter((tag) => !image.tags.includes(tag));
    if (added.length === 0) continue;
    const after = insertTags(image.tags, added, 'end', context.triggerWord);
    checkTagCount(image.id, after.length);
    changes.push(tagChange(image, after));
    groups.add(added.join(KEY_SEPARATOR), added, image.id);
  }
  const inverse: TagOp[] = groups
    .entries()
    .map(({ value, ids }) => ({ type: 'remove', target: { ids }, tags: value }));
  return { changes, inverse };
}

/**
 * Rejects proposals of the target images (the named tags, or every pending one), storing their
 * folds in the image's `rejected`; the inverse is a `restore-proposals` of exactly those.
 */
export function applyRejectProposals(
  images: ReadonlyMap<string, TaggableImage>,
  op: RejectProposalsOp,
): TagOpResult {
  const named = op.tags === undefined ? undefined : [...foldsOf(op.tags)];
  const changes: ImageTagChange[] = [];
  const groups = new IdGroups<string[]>();
  for (const image of resolveTarget(images, op.target)) {
    const before = image.rejected ?? [];
    const already = new Set(before);
    const wanted = named ?? pendingProposals(image).map((proposal) => foldTag(proposal.tag));
    const added = [...new Set(wanted)].filter((folded) => !already.has(folded));
    if (added.length === 0) continue;
    changes.push(rejectedChange(image, [...before, ...added]));
    groups.add(added.join(KEY_SEPARATOR), added, image.id);
  }
  const inverse: TagOp[] = groups
    .entries()
    .map(({ value, ids }) => ({ type: 'restore-proposals', target: { ids }, tags: value }));
  return { changes, inverse };
}

/** Takes back rejections of the target images; the inverse rejects them again. */
export function applyRestoreProposals(
  images: ReadonlyMap<string, TaggableImage>,
  op: RestoreProposalsOp,
): TagOpResult {
  const named = op.tags === undefined ? undefined : foldsOf(op.tags);
  const changes: ImageTagChange[] = [];
  const groups = new IdGroups<string[]>();
  for (const image of resolveTarget(images, op.target)) {
    const before = image.rejected ?? [];
    const restored = before.filter((folded) => named === undefined || named.has(folded));
    if (restored.length === 0) continue;
    const kept = before.filter((folded) => !restored.includes(folded));
    changes.push(rejectedChange(image, kept));
    groups.add(restored.join(KEY_SEPARATOR), restored, image.id);
  }
  const inverse: TagOp[] = groups
    .entries()
    .map(({ value, ids }) => ({ type: 'reject-proposals', target: { ids }, tags: value }));
  return { changes, inverse };
}

/** A change of an image's rejected proposals only: its tags and exclusion stay. */
function rejectedChange(image: TaggableImage, rejected: string[]): ImageTagChange {
  const change = tagChange(image, image.tags as string[]);
  change.before.rejected = [...(image.rejected ?? [])];
  change.after.rejected = rejected;
  return change;
}
