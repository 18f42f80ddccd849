import { CivtagError, ErrorCode } from '@civtag/api-models';
import type { ImageTagChange, ImageTagState, TaggableImage } from './taggable-image.js';

/** A tag and the number of images that have it. */
export interface TagCountEntry {
  tag: string;
  count: number;
}

/**
 * How many non-excluded images have each tag, kept up to date from changes so that one
 * edit on a 100,000-image dataset never needs a full recount.
 *
 * Excluded images are not counted: they are out of the dataset until restored.
 */
export class TagStats {
  private readonly counts = new Map<string, number>();
  private sortedCache: TagCountEntry[] | undefined;

  /** Counts the tags of every non-excluded image. */
  static fromImages(images: Iterable<TaggableImage>): TagStats {
    const stats = new TagStats();
    for (const image of images) {
      if (image.excluded) continue;
      for (const tag of image.tags) stats.counts.set(tag, (stats.counts.get(tag) ?? 0) + 1);
    }
    return stats;
  }

  /**
   * Updates the counts from the changes of an op (as `applyTagOp` returns them), in time
   * proportional to the tags of the changed images only.
   *
   * @throws CivtagError `INTERNAL` when a change removes a tag these counts never saw, which
   *   means the counts and the images have drifted apart; the counts are left as they were.
   */
  applyChanges(changes: readonly ImageTagChange[]): void {
    const deltas = new Map<string, number>();
    for (const change of changes) addChangeDeltas(deltas, change);
    for (const [tag, delta] of deltas) {
      if ((this.counts.get(tag) ?? 0) + delta < 0) {
        throw new CivtagError(
          ErrorCode.INTERNAL,
          `Tag statistics are out of step with the images: the tag "${tag}" would be counted below zero. Rebuild them with TagStats.fromImages.`,
          { details: { tag, count: this.counts.get(tag) ?? 0, delta } },
        );
      }
    }
    for (const [tag, delta] of deltas) {
      if (delta === 0) continue;
      const count = (this.counts.get(tag) ?? 0) + delta;
      if (count === 0) this.counts.delete(tag);
      else this.counts.set(tag, count);
      this.sortedCache = undefined;
    }
  }

  /** How many non-excluded images have `tag` (0 when none). */
  count(tag: string): number {
    return this.counts.get(tag) ?? 0;
  }

  /** Every tag with its count, most used first; ties in code-point order of the tag. */
  sorted(): TagCountEntry[] {
    if (this.sortedCache === undefined) {
      this.sortedCache = [...this.counts]
        .map(([tag, count]) => ({ tag, count }))
        .sort((left, right) => right.count - left.count || compareText(left.tag, right.tag));
    }
    return this.sortedCache.map((entry) => ({ ...entry }));
  }

  /** The number of distinct tags. */
  get size(): number {
    return this.counts.size;
  }
}

function addChangeDeltas(deltas: Map<string, number>, change: ImageTagChange): void {
  const { before, after } = change;
  if (before.excluded || after.excluded) {
    addDeltas(deltas, before, 0, -1);
    addDeltas(deltas, after, 0, 1);
    return;
  }
  // Counts move by `after − before` as multisets, so the common prefix and suffix cancel out;
  // an op touches a few tags in the middle, and only those are counted.
  let start = 0;
  const shorter = Math.min(before.tags.length, after.tags.length);
  while (start < shorter && before.tags[start] === after.tags[start]) start += 1;
  let fromEnd = 0;
  while (
    fromEnd < shorter - start &&
    before.tags[before.tags.length - 1 - fromEnd] === after.tags[after.tags.length - 1 - fromEnd]
  ) {
    fromEnd += 1;
  }
  addDeltas(deltas, before, start, -1, fromEnd);
  addDeltas(deltas, after, start, 1, fromEnd);
}

function addDeltas(
  deltas: Map<string, number>,
  state: ImageTagState,
  start: number,
  sign: 1 | -1,
  skipAtEnd = 0,
): void {
  if (state.excluded) return;
  for (let index = start; index < state.tags.length - skipAtEnd; index += 1) {
    const tag = state.tags[index] as string;
    deltas.set(tag, (deltas.get(tag) ?? 0) + sign);
  }
}

function compareText(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
