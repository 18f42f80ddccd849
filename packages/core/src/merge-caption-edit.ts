import { foldTag } from '@civtag/tags';

/**
 * The tags of an image once an edit of its caption file and civtag's own changes since that
 * file was written are both kept: a three-way merge of tag sets, with `base` the tags the file
 * held when civtag last wrote it, `theirs` the file's tags now, `ours` the state's tags now.
 * Every tag the edit added or kept stays unless civtag's changes removed it; every tag civtag's
 * changes added stays unless the edit removed it; a tag both removed is gone. The order is the
 * file's, then civtag's additions in its order. Tags are compared by `foldTag`.
 *
 * @example
 * mergeCaptionEdit(['cat', 'sky'], ['sky', 'dog'], ['cat', 'sky', 'sun']) // ['sky', 'dog', 'sun']
 */
export function mergeCaptionEdit(
  base: readonly string[],
  theirs: readonly string[],
  ours: readonly string[],
): string[] {
  const inBase = new Set(base.map(foldTag));
  const inOurs = new Set(ours.map(foldTag));
  const inTheirs = new Set(theirs.map(foldTag));
  const merged = theirs.filter((tag) => inOurs.has(foldTag(tag)) || !inBase.has(foldTag(tag)));
  for (const tag of ours) {
    const folded = foldTag(tag);
    if (!inBase.has(folded) && !inTheirs.has(folded)) merged.push(tag);
  }
  return merged;
}
