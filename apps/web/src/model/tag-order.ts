import type { TagCount } from '@civtag/api-models';

/** How the tag list is ordered: most used first, least used first, or by name. */
export type TagSort = 'most' | 'least' | 'name';

export const TAG_SORTS: readonly { sort: TagSort; label: string }[] = [
  { sort: 'most', label: 'Most used' },
  { sort: 'least', label: 'Least used' },
  { sort: 'name', label: 'Name' },
];

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * The tag list in `sort` order. `counts` are the dataset's, most used first (as the server
 * sends them); `matching`, while a filter is active, holds the counts among the images it
 * matches. Then the tags of those images come first, ordered by their count in the filter,
 * and the rest after them, ordered by their count in the dataset: the list is about what is
 * filtered, and every tag stays one click away. Ties go by name.
 */
export function orderTags(
  counts: readonly TagCount[],
  matching: ReadonlyMap<string, number> | null,
  sort: TagSort,
): readonly TagCount[] {
  if (matching === null && sort === 'most') return counts;
  const inFilter = (entry: TagCount) => (matching === null ? 0 : (matching.get(entry.tag) ?? 0));
  const byName = (left: TagCount, right: TagCount) => collator.compare(left.tag, right.tag);
  const byCount = (left: TagCount, right: TagCount) => {
    const filtered = inFilter(left) - inFilter(right);
    return filtered !== 0 ? filtered : left.count - right.count;
  };
  const compare = {
    most: (left: TagCount, right: TagCount) => byCount(right, left) || byName(left, right),
    least: (left: TagCount, right: TagCount) => byCount(left, right) || byName(left, right),
    name: byName,
  }[sort];
  if (matching === null) return [...counts].sort(compare);
  const present = counts.filter((entry) => inFilter(entry) > 0).sort(compare);
  const absent = counts.filter((entry) => inFilter(entry) === 0).sort(compare);
  return [...present, ...absent];
}
