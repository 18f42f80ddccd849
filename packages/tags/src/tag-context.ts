import type { TagStyle } from '@civtag/api-models';
import { foldsTo, foldTag } from './fold-tag.js';
import { normalizeTag } from './normalize-tag.js';
import { styleTag } from './tag-style.js';

/** What applying an op knows of its dataset: the trigger word and the form new tags take. */
export interface TagContext {
  triggerWord: string | undefined;
  tagStyle: TagStyle | undefined;
  restoring: boolean;
}

/**
 * A tag an op brings, in the form it is stored in: normalised, then the trigger word where it
 * folds to it, otherwise in the tag style (unless restoring, when forms are kept exactly).
 *
 * @throws CivtagError `VALIDATION` for an invalid tag.
 */
export function incomingTag(tag: string, context: TagContext): string {
  const normalized = normalizeTag(tag);
  if (context.restoring) return normalized;
  const { triggerWord, tagStyle } = context;
  if (triggerWord !== undefined && foldTag(normalized) === foldTag(triggerWord)) return triggerWord;
  return tagStyle === undefined ? normalized : styleTag(normalized, tagStyle);
}

/** The tags an op brings, each in its stored form, one per fold (the first place wins). */
export function incomingTagList(tags: readonly string[], context: TagContext): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const tag of tags) {
    const stored = incomingTag(tag, context);
    const folded = foldTag(stored);
    if (seen.has(folded)) continue;
    seen.add(folded);
    out.push(stored);
  }
  return out;
}

/** The index of the tag of `tags` that folds to `folded`, or -1. */
export function indexOfFold(tags: readonly string[], folded: string): number {
  for (let index = 0; index < tags.length; index += 1) {
    if (foldsTo(tags[index] as string, folded)) return index;
  }
  return -1;
}

/** The index of `tag` in `tags`, or of the tag that folds like it, or -1. */
export function indexOfTag(tags: readonly string[], tag: string): number {
  const exact = tags.indexOf(tag);
  return exact >= 0 ? exact : indexOfFold(tags, foldTag(tag));
}
