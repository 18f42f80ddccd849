/**
 * Where a dragged tag chip lands, as the index of a `move` op. The trigger word stays first:
 * nothing can be dropped before it and it cannot be moved. Returns `null` when the drop
 * changes nothing or is not allowed.
 */
export function dropIndex(
  tags: readonly string[],
  drag: { tag: string; overIndex: number },
  triggerWord?: string,
): number | null {
  const from = tags.indexOf(drag.tag);
  if (from < 0) return null;
  const pinned = triggerWord !== undefined && tags[0] === triggerWord;
  if (pinned && from === 0) return null;
  const lowest = pinned ? 1 : 0;
  const index = Math.max(lowest, Math.min(tags.length - 1, drag.overIndex));
  return index === from ? null : index;
}

/** Whether a chip may be dragged: every tag but a pinned trigger word. */
export function isPinned(tags: readonly string[], tag: string, triggerWord?: string): boolean {
  return triggerWord !== undefined && tags[0] === triggerWord && tag === triggerWord;
}
