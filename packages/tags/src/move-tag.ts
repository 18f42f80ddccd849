import { CivtagError, ErrorCode } from '@civtag/api-models';
import { quoteForMessage } from './normalize-tag.js';
import { indexOfTag } from './tag-context.js';
import type { TaggableImage } from './taggable-image.js';

/**
 * The tags of `image` with its tag that folds like `tag` moved to `index` (past the end means
 * last). Another tag
 * moved to index 0 lands behind a trigger word that is first; the trigger word itself goes
 * where it is asked to.
 *
 * @throws CivtagError `NOT_FOUND` when the image does not have `tag`.
 */
export function moveTag(
  image: TaggableImage,
  tag: string,
  index: number,
  triggerWord: string | undefined,
): string[] {
  const from = indexOfTag(image.tags, tag);
  if (from < 0) {
    throw new CivtagError(
      ErrorCode.NOT_FOUND,
      `Image "${image.id}" has no tag ${quoteForMessage(tag)} to move; nothing was changed.`,
      { details: { imageId: image.id, tag } },
    );
  }
  const moved = image.tags[from] as string;
  const rest = image.tags.filter((_, position) => position !== from);
  const floor =
    triggerWord !== undefined && moved !== triggerWord && image.tags[0] === triggerWord ? 1 : 0;
  rest.splice(Math.max(floor, Math.min(index, rest.length)), 0, moved);
  return rest;
}
