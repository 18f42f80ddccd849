import type { AddOp, RemoveOp, TagOp } from '@civtag/api-models';
import { foldsTo, foldTag, mayFoldTo } from './fold-tag.js';
import { checkTagCount, tagChange } from './image-change.js';
import { normalizeTag } from './normalize-tag.js';
import { resolveTarget } from './resolve-target.js';
import { incomingTagList, type TagContext } from './tag-context.js';
import { hasTriggerElsewhere, IdGroups, insertionIndex, restoreTagsOps } from './tag-list.js';
import type { ImageTagChange, TaggableImage, TagOpResult } from './taggable-image.js';

const KEY_SEPARATOR = '\u0000';

/**
 * Adds the op's tags (in the tag style) whose fold an image lacks; the inverse removes exactly
 * those, per group of images.
 */
export function applyAdd(
  images: ReadonlyMap<string, TaggableImage>,
  op: AddOp,
  context: TagContext,
): TagOpResult {
  const { triggerWord } = context;
  const tags = incomingTagList(op.tags, context);
  const position = op.position ?? 'end';
  const changes: ImageTagChange[] = [];
  const groups = new IdGroups<string[]>();
  for (const image of resolveTarget(images, op.target)) {
    const added = missingTags(image.tags, tags);
    if (added.length === 0) continue;
    const after = insertTags(image.tags, added, position, triggerWord);
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
 * Removes every tag whose fold is one of the op's (`blue_eyes` removes `Blue Eyes` too); the
 * inverse puts each back, in the form it had, at its old index, lowest index first.
 */
export function applyRemove(
  images: ReadonlyMap<string, TaggableImage>,
  op: RemoveOp,
  triggerWord: string | undefined,
): TagOpResult {
  const removedFolds = new Set(op.tags.map((tag) => foldTag(normalizeTag(tag))));
  const removed = {
    has(tag: string): boolean {
      // Folding only a tag that may be one of them: most are ruled out by their first character.
      for (const folded of removedFolds) {
        if (mayFoldTo(tag, folded)) return removedFolds.has(foldTag(tag));
      }
      return false;
    },
  };
  const changes: ImageTagChange[] = [];
  const runs = new IdGroups<{ index: number; tags: string[] }>();
  const restores: TagOp[] = [];
  for (const image of resolveTarget(images, op.target)) {
    const after = image.tags.filter((tag) => !removed.has(tag));
    if (after.length === image.tags.length) continue;
    changes.push(tagChange(image, after));
    if (hasTriggerElsewhere(image.tags, triggerWord)) {
      restores.push(...restoreTagsOps(image.id, image.tags, triggerWord));
      continue;
    }
    // Contiguous removed tags go back as one add at the index of the first of them.
    let run: { index: number; tags: string[] } | undefined;
    for (let index = 0; index < image.tags.length; index += 1) {
      const tag = image.tags[index] as string;
      if (!removed.has(tag)) {
        if (run !== undefined) runs.add(runKey(run), run, image.id);
        run = undefined;
      } else if (run === undefined) run = { index, tags: [tag] };
      else run.tags.push(tag);
    }
    if (run !== undefined) runs.add(runKey(run), run, image.id);
  }
  const adds: TagOp[] = runs
    .entries()
    .sort((left, right) => left.value.index - right.value.index)
    .map(({ value, ids }) => ({
      type: 'add',
      target: { ids },
      tags: value.tags,
      position: value.index,
    }));
  return { changes, inverse: [...adds, ...restores] };
}

function runKey(run: { index: number; tags: string[] }): string {
  return `${run.index}${KEY_SEPARATOR}${run.tags.join(KEY_SEPARATOR)}`;
}

/**
 * The tags of `wanted` whose fold `present` lacks, in `wanted`'s order. Called once per image of
 * a bulk op: no set per image, and a present tag is folded only when no wanted tag is it exactly.
 */
function missingTags(present: readonly string[], wanted: readonly string[]): string[] {
  let missing: string[] | undefined;
  for (let index = 0; index < wanted.length; index += 1) {
    const tag = wanted[index] as string;
    if (hasFold(present, tag, foldTag(tag))) continue;
    missing ??= [];
    missing.push(tag);
  }
  return missing ?? [];
}

/** Whether `tags` holds `tag` or a tag that folds to `folded`. */
function hasFold(tags: readonly string[], tag: string, folded: string): boolean {
  for (const present of tags) if (present === tag || foldsTo(present, folded)) return true;
  return false;
}

/** Inserts `added` (no fold of them present) at `position`; the trigger word, when added, goes first. */
export function insertTags(
  before: readonly string[],
  added: readonly string[],
  position: 'start' | 'end' | number,
  triggerWord: string | undefined,
): string[] {
  const others = triggerWord === undefined ? added : added.filter((tag) => tag !== triggerWord);
  const index = insertionIndex(before, position, triggerWord);
  const after = [...before.slice(0, index), ...others, ...before.slice(index)];
  if (others.length !== added.length && triggerWord !== undefined) after.unshift(triggerWord);
  return after;
}
