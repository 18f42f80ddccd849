import type { TagOp } from '@civtag/api-models';

/**
 * Where an insertion at `position` lands in `tags`: `start` and small indices stay behind a
 * trigger word that is first; an index past the end means the end.
 */
export function insertionIndex(
  tags: readonly string[],
  position: 'start' | 'end' | number,
  triggerWord: string | undefined,
): number {
  const floor = triggerWord !== undefined && tags[0] === triggerWord ? 1 : 0;
  if (position === 'end') return tags.length;
  const wanted = position === 'start' ? 0 : Math.min(position, tags.length);
  return Math.max(floor, wanted);
}

/** True when the image holds the trigger word but not in first place (made before the word was set). */
export function hasTriggerElsewhere(
  tags: readonly string[],
  triggerWord: string | undefined,
): boolean {
  return triggerWord !== undefined && tags[0] !== triggerWord && tags.includes(triggerWord);
}

/** A copy of `tags` with the trigger word moved to the front when it is present. */
export function withTriggerFirst(
  tags: readonly string[],
  triggerWord: string | undefined,
): string[] {
  if (triggerWord === undefined || tags[0] === triggerWord) return [...tags];
  const index = tags.indexOf(triggerWord);
  if (index < 0) return [...tags];
  return [triggerWord, ...tags.slice(0, index), ...tags.slice(index + 1)];
}

/** True when two tag lists hold the same tags in the same order. */
export function sameTags(left: readonly string[], right: readonly string[]): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index += 1) {
    if (left[index] !== right[index]) return false;
  }
  return true;
}

/**
 * Ops that bring one image back to `tags` exactly, whatever its tags are now: a `set`, and
 * when the trigger word was not first, a `move` of the trigger word back to its place
 * (`set` always puts it first).
 */
export function restoreTagsOps(
  imageId: string,
  tags: readonly string[],
  triggerWord: string | undefined,
): TagOp[] {
  const ops: TagOp[] = [{ type: 'set', imageId, tags: [...tags] }];
  if (triggerWord !== undefined) {
    const index = tags.indexOf(triggerWord);
    if (index > 0) ops.push({ type: 'move', imageId, tag: triggerWord, index });
  }
  return ops;
}

/** Collects image ids under a key, keeping first-seen key order. */
export class IdGroups<Value> {
  private readonly groups = new Map<string, { value: Value; ids: string[] }>();

  add(key: string, value: Value, imageId: string): void {
    const group = this.groups.get(key);
    if (group === undefined) this.groups.set(key, { value, ids: [imageId] });
    else group.ids.push(imageId);
  }

  entries(): { value: Value; ids: string[] }[] {
    return [...this.groups.values()];
  }
}
