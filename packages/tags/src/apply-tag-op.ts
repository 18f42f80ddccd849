import {
  type ExcludeOp,
  type MoveOp,
  parseOrThrow,
  type RestoreOp,
  type SetOp,
  type TagOp,
  TagOpSchema,
} from '@civtag/api-models';
import { applyAdd, applyRemove } from './add-remove-ops.js';
import type { QueryContext } from './compile-query.js';
import { checkTagCount, tagChange } from './image-change.js';
import { moveTag } from './move-tag.js';
import { applyNormalize } from './normalize-op.js';
import { normalizeTag } from './normalize-tag.js';
import {
  applyAcceptProposals,
  applyRejectProposals,
  applyRestoreProposals,
} from './proposal-ops.js';
import { applyRenameTags } from './rename-tags-op.js';
import { applyReplace } from './replace-op.js';
import { findImage, resolveTarget } from './resolve-target.js';
import { applySettings } from './settings-op.js';
import { incomingTagList, indexOfTag, type TagContext } from './tag-context.js';
import { restoreTagsOps, sameTags, withTriggerFirst } from './tag-list.js';
import type { ApplyTagOpOptions, TaggableImage, TagOpResult } from './taggable-image.js';

/**
 * Works out what a tag op does to a set of images, without changing them: the per-image
 * changes and the ops that undo it.
 *
 * All or nothing: the op is checked in full (its shape, its tags, every id it names) before
 * any change is computed, so a thrown error means nothing is to be applied. Only images whose
 * tags or exclusion actually change appear in `changes`.
 *
 * One tag, one form: tags are compared by their fold (`foldTag`: case, `_` or space, and
 * parenthesis escapes do not matter), and an image never ends up with two tags of one fold.
 * The tags an op brings are stored in the tag style ({@link ApplyTagOpOptions.tagStyle}).
 *
 * - `all` and `query` targets pick non-excluded images (`restore`: excluded ones); `ids` are
 *   taken as given.
 * - `add` skips tags whose fold an image already has; `position` is `end` by default.
 * - `remove` removes every tag whose fold it names.
 * - `replace` matches `from` by fold; `from` and `to` of one fold rewrite the tag's form
 *   (`blue_eyes → Blue Eyes`), and change nothing where the image has exactly `to`.
 * - `rename-tags` applies several renames (`replace`, or `remove` for an empty `to`) in order
 *   to the images its target names at the start, as one change per image and one inverse.
 * - `move` finds the tag by fold; `set` keeps the first of tags that fold alike.
 * - `normalize` rewrites the target images' tags to the tag style, one form per fold.
 * - `accept-proposals` adds an image's pending proposals (see `pendingProposals`) after its tags;
 *   `reject-proposals` and `restore-proposals` change only the image's `rejected` folds (their
 *   changes carry `rejected` before and after).
 * - `settings` changes tags only for a new trigger word (see `SettingsChangesSchema`); the
 *   caller keeps the settings and puts a `settings` op with the old values before `inverse`.
 * - The trigger word stays first (see {@link ApplyTagOpOptions.triggerWord}).
 * - Applying `inverse` in order (with the same options and `restoring: true`) restores the
 *   images exactly. Pure: previewing an op (how many images a `normalize` changes) is
 *   applying it and reading `changes`.
 *
 * @throws CivtagError `VALIDATION` for a malformed op, an invalid tag, a query syntax error or
 *   an image that would exceed the tag limit; `NOT_FOUND` for an unknown image id or a `move`
 *   of a tag the image does not have.
 * @example
 * const images = new Map([['a', { id: 'a', tags: ['1girl'], excluded: false }]]);
 * const { changes, inverse } = applyTagOp(images, { type: 'add', target: { all: true }, tags: ['solo'] });
 * // changes[0].after.tags: ['1girl', 'solo']; inverse: [{ type: 'remove', target: { ids: ['a'] }, tags: ['solo'] }]
 */
export function applyTagOp(
  images: ReadonlyMap<string, TaggableImage>,
  op: TagOp,
  options: ApplyTagOpOptions = {},
): TagOpResult {
  const checked = withQueryResolved(
    images,
    parseOrThrow(TagOpSchema, op, 'tag op'),
    options.queryContext,
  );
  const triggerWord =
    options.triggerWord === undefined ? undefined : normalizeTag(options.triggerWord);
  const context: TagContext = {
    triggerWord,
    tagStyle: options.tagStyle,
    restoring: options.restoring ?? false,
  };
  switch (checked.type) {
    case 'set':
      return applySet(images, checked, context);
    case 'add':
      return applyAdd(images, checked, context);
    case 'remove':
      return applyRemove(images, checked, triggerWord);
    case 'replace':
      return applyReplace(images, checked, context);
    case 'rename-tags':
      return applyRenameTags(images, checked, context);
    case 'move':
      return applyMove(images, checked, triggerWord);
    case 'exclude':
    case 'restore':
      return applyExclusion(images, checked);
    case 'normalize':
      return applyNormalize(images, checked, context);
    case 'settings':
      return applySettings(images, checked, context);
    case 'accept-proposals':
      return applyAcceptProposals(images, checked, context);
    case 'reject-proposals':
      return applyRejectProposals(images, checked);
    case 'restore-proposals':
      return applyRestoreProposals(images, checked);
  }
}

function applySet(
  images: ReadonlyMap<string, TaggableImage>,
  op: SetOp,
  context: TagContext,
): TagOpResult {
  const { triggerWord } = context;
  const image = findImage(images, op.imageId);
  const after = withTriggerFirst(incomingTagList(op.tags, context), triggerWord);
  checkTagCount(image.id, after.length);
  if (sameTags(image.tags, after)) return { changes: [], inverse: [] };
  return {
    changes: [tagChange(image, after)],
    inverse: restoreTagsOps(image.id, image.tags, triggerWord),
  };
}

function applyMove(
  images: ReadonlyMap<string, TaggableImage>,
  op: MoveOp,
  triggerWord: string | undefined,
): TagOpResult {
  const image = findImage(images, op.imageId);
  const after = moveTag(image, normalizeTag(op.tag), op.index, triggerWord);
  if (sameTags(image.tags, after)) return { changes: [], inverse: [] };
  // The tag in the form the image holds it (the op may name another form of it).
  const tag = image.tags[indexOfTag(image.tags, normalizeTag(op.tag))] as string;
  // Moving back to the old index is the natural undo; where the trigger word's pin would
  // bend it, a plain restore of the old list is used instead.
  const back: TagOp = { type: 'move', imageId: image.id, tag, index: image.tags.indexOf(tag) };
  const movedBack = moveTag(
    { id: image.id, tags: after, excluded: image.excluded },
    tag,
    back.index,
    triggerWord,
  );
  return {
    changes: [tagChange(image, after)],
    inverse: sameTags(movedBack, image.tags)
      ? [back]
      : restoreTagsOps(image.id, image.tags, triggerWord),
  };
}

/**
 * `op` with a `{ query }` target turned into the ids it picks, when the caller gave what the
 * query may need beyond the images (`has:near-duplicates`); the same images, in the same order.
 */
function withQueryResolved(
  images: ReadonlyMap<string, TaggableImage>,
  op: TagOp,
  context: QueryContext | undefined,
): TagOp {
  if (context === undefined || !('target' in op) || !('query' in op.target)) return op;
  const picked = resolveTarget(images, op.target, op.type === 'restore', context);
  return { ...op, target: { ids: picked.map((image) => image.id) } } as TagOp;
}

function applyExclusion(
  images: ReadonlyMap<string, TaggableImage>,
  op: ExcludeOp | RestoreOp,
): TagOpResult {
  const excluded = op.type === 'exclude';
  const changed = resolveTarget(images, op.target, !excluded).filter(
    (image) => image.excluded !== excluded,
  );
  if (changed.length === 0) return { changes: [], inverse: [] };
  return {
    changes: changed.map((image) => tagChange(image, [...image.tags], excluded)),
    inverse: [
      { type: excluded ? 'restore' : 'exclude', target: { ids: changed.map((image) => image.id) } },
    ],
  };
}
