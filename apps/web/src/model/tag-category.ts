import type { TagCount } from '@civtag/api-models';
import { foldTag, tagCategoryName } from '@civtag/tags';

/**
 * The CSS class that colours a tag by its vocabulary category (`category-character`…), or ''
 * when the vocabulary does not hold the tag or names no category for it.
 */
export function categoryClass(category: number | undefined): string {
  const name = category === undefined ? undefined : tagCategoryName(category);
  return name === undefined ? '' : `category-${name}`;
}

const lookups = new WeakMap<readonly TagCount[], ReadonlyMap<string, number>>();

/**
 * The category of a dataset tag, in any form, from the counts of `GET /api/tags` (which carry
 * the vocabulary's category); the map is made once per list of counts.
 */
export function categoryOf(counts: readonly TagCount[], tag: string): number | undefined {
  let byFold = lookups.get(counts);
  if (byFold === undefined) {
    const made = new Map<string, number>();
    for (const entry of counts) {
      if (entry.category !== undefined) made.set(foldTag(entry.tag), entry.category);
    }
    byFold = made;
    lookups.set(counts, byFold);
  }
  return byFold.size === 0 ? undefined : byFold.get(foldTag(tag));
}
