import { CivtagError, ErrorCode, type TagStyle } from '@civtag/api-models';
import { foldTag } from './fold-tag.js';
import { styleTag } from './tag-style.js';
import type { ImageTagChange, ImageTagState, TaggableImage } from './taggable-image.js';

/** How {@link TagStats} shows a tag: in the dataset's style, the trigger word as set. */
export interface TagStatsOptions {
  tagStyle?: TagStyle | undefined;
  triggerWord?: string | undefined;
}

/** The forms of one tag (one fold) and how many images hold each. */
interface FoldEntry {
  count: number;
  forms: Map<string, number>;
}

/** A tag and the number of images that have it. */
export interface TagCountEntry {
  tag: string;
  count: number;
}

/**
 * How many non-excluded images have each tag, kept up to date from changes so that one
 * edit on a 100,000-image dataset never needs a full recount.
 *
 * One entry per tag, whatever its forms: `blue_eyes` and `Blue eyes` are one tag (`foldTag`),
 * shown in its most used form brought to the tag style (the trigger word as set), counting the
 * images that hold it in any form. Excluded images are not counted: they are out of the
 * dataset until restored.
 */
export class TagStats {
  private readonly counts = new Map<string, number>();
  private readonly folds = new Map<string, FoldEntry>();
  private sortedCache: TagCountEntry[] | undefined;
  private options: TagStatsOptions = {};

  /** Counts the tags of every non-excluded image. */
  static fromImages(images: Iterable<TaggableImage>, options: TagStatsOptions = {}): TagStats {
    const stats = new TagStats();
    stats.options = { ...options };
    const deltas = new Map<string, number>();
    for (const image of images) {
      if (image.excluded) continue;
      for (const tag of image.tags) deltas.set(tag, (deltas.get(tag) ?? 0) + 1);
    }
    for (const [tag, delta] of deltas) stats.addToForm(tag, delta);
    return stats;
  }

  /** Shows tags in another style or with another trigger word from now on (counts stay). */
  setOptions(options: TagStatsOptions): void {
    this.options = { ...options };
    this.sortedCache = undefined;
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
      this.addToForm(tag, delta);
    }
  }

  /** How many non-excluded images have `tag`, in any form (0 when none). */
  count(tag: string): number {
    return this.folds.get(foldTag(tag))?.count ?? 0;
  }

  /** Every tag with its count, most used first; ties in code-point order of the tag. */
  sorted(): TagCountEntry[] {
    if (this.sortedCache === undefined) {
      this.sortedCache = [...this.folds.values()]
        .map((entry) => ({ tag: this.shownForm(entry), count: entry.count }))
        .sort((left, right) => right.count - left.count || compareText(left.tag, right.tag));
    }
    return this.sortedCache.map((entry) => ({ ...entry }));
  }

  /** The number of distinct tags (forms of one tag count once). */
  get size(): number {
    return this.folds.size;
  }

  private addToForm(tag: string, delta: number): void {
    const count = (this.counts.get(tag) ?? 0) + delta;
    if (count === 0) this.counts.delete(tag);
    else this.counts.set(tag, count);
    const folded = foldTag(tag);
    let entry = this.folds.get(folded);
    if (entry === undefined) {
      entry = { count: 0, forms: new Map() };
      this.folds.set(folded, entry);
    }
    entry.count += delta;
    if (count === 0) entry.forms.delete(tag);
    else entry.forms.set(tag, count);
    if (entry.count === 0) this.folds.delete(folded);
    this.sortedCache = undefined;
  }

  private shownForm(entry: FoldEntry): string {
    let shown = '';
    let most = 0;
    for (const [form, count] of entry.forms) {
      if (count > most || (count === most && compareForms(form, shown) < 0)) {
        shown = form;
        most = count;
      }
    }
    const { tagStyle, triggerWord } = this.options;
    if (triggerWord !== undefined && foldTag(shown) === foldTag(triggerWord)) return triggerWord;
    if (tagStyle === undefined) return shown;
    return styleTag(shown, tagStyle);
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

/** Between forms used equally often, lower case first, then code-point order: not history. */
function compareForms(left: string, right: string): number {
  return compareText(left.toLowerCase(), right.toLowerCase()) || compareText(left, right);
}

function compareText(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
