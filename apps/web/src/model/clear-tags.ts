import { Limits, type RemoveOp, type Target } from '@civtag/api-models';
import { foldTag } from '@civtag/tags';

/** What "Clear tags" becomes: the op, or why it cannot be one op. */
export type ClearTagsPlan = { op: RemoveOp } | { op: null; problem: string } | { op: null };

/**
 * "Clear tags" on images, keeping the trigger word: one `remove` op of every tag they hold
 * but the trigger word (in any form), so it is one undo step that puts every tag back where it
 * was. `{ op: null }` when there is nothing to clear; a `problem` when the images hold more
 * different tags than one op may name (`Limits.tagsPerImage`).
 */
export function planClearTags(
  target: Target,
  records: Iterable<{ tags: readonly string[] }>,
  triggerWord: string | undefined,
): ClearTagsPlan {
  const kept = triggerWord === undefined ? null : foldTag(triggerWord);
  const byFold = new Map<string, string>();
  for (const record of records) {
    for (const tag of record.tags) {
      const folded = foldTag(tag);
      if (folded !== kept && !byFold.has(folded)) byFold.set(folded, tag);
    }
  }
  if (byFold.size === 0) return { op: null };
  if (byFold.size > Limits.tagsPerImage) {
    return {
      op: null,
      problem: `These images hold ${byFold.size.toLocaleString()} different tags, more than the ${Limits.tagsPerImage.toLocaleString()} one edit may name: clear a smaller selection at a time.`,
    };
  }
  return { op: { type: 'remove', target, tags: [...byFold.values()] } };
}
