import { CivtagError, ErrorCode, Limits } from '@civtag/api-models';
import { normalizeTag } from './normalize-tag.js';
import type { ImageTagChange, TaggableImage } from './taggable-image.js';

/** The change that gives `image` the tags `after` (its exclusion unchanged unless given). */
export function tagChange(
  image: TaggableImage,
  after: string[],
  excluded: boolean = image.excluded,
): ImageTagChange {
  return {
    imageId: image.id,
    before: { tags: [...image.tags], excluded: image.excluded },
    after: { tags: after, excluded },
  };
}

/** Normalises the tags of an op, dropping repeats (the first place wins). */
export function normalizeTagList(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const tag of tags) {
    const normalized = normalizeTag(tag);
    if (seen.has(normalized)) continue;
    seen.add(normalized);
    out.push(normalized);
  }
  return out;
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
