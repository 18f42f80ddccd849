import { CivtagError, ErrorCode, Limits } from '@civtag/api-models';
import type { ImageTagChange, TaggableImage } from './taggable-image.js';

/** The change that gives `image` the tags `after` (its exclusion unchanged unless given). */
export function tagChange(
  image: TaggableImage,
  after: string[],
  excluded: boolean = image.excluded,
): ImageTagChange {
  return {
    imageId: image.id,
    // Not copied: a tag list is never changed in place (a change replaces it), so the list
    // the image holds now is what it held before.
    before: { tags: image.tags as string[], excluded: image.excluded },
    after: { tags: after, excluded },
  };
}

/** @throws CivtagError `VALIDATION` when an image would hold more tags than {@link Limits.tagsPerImage}. */
export function checkTagCount(imageId: string, count: number): void {
  if (count <= Limits.tagsPerImage) return;
  throw new CivtagError(
    ErrorCode.VALIDATION,
    `Image "${imageId}" would have ${count} tags, more than the limit of ${Limits.tagsPerImage}; nothing was changed. Remove some tags first.`,
    { details: { imageId, count, limit: Limits.tagsPerImage } },
  );
}
