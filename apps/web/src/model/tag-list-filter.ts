import type { TagCount } from '@civtag/api-models';
import { foldTag } from '@civtag/tags';

const foldedLists = new WeakMap<readonly TagCount[], string[]>();

function foldedOf(counts: readonly TagCount[]): string[] {
  let folded = foldedLists.get(counts);
  if (folded === undefined) {
    folded = counts.map((entry) => foldTag(entry.tag));
    foldedLists.set(counts, folded);
  }
  return folded;
}

/**
 * Finds the tags of the sidebar that contain what was typed, per keystroke over tens of
 * thousands of tags: each list is folded once (`foldTag`: case, underscores and spaces do not
 * count), and a search that extends the last one (typing on) looks only through the last
 * matches. The order of the counts (most used first) is kept.
 */
export class TagListFilter {
  private last: { counts: readonly TagCount[]; needle: string; matches: number[] } | null = null;

  /** The entries of `counts` whose tag contains `search` (all of them for a blank search). */
  filter(counts: readonly TagCount[], search: string): readonly TagCount[] {
    const needle = foldTag(search);
    if (needle === '') return counts;
    const folded = foldedOf(counts);
    const last = this.last;
    const candidates =
      last !== null && last.counts === counts && needle.includes(last.needle) ? last.matches : null;
    const matches: number[] = [];
    if (candidates === null) {
      for (let index = 0; index < folded.length; index += 1)
        if (folded[index]!.includes(needle)) matches.push(index);
    } else {
      for (const index of candidates) if (folded[index]!.includes(needle)) matches.push(index);
    }
    this.last = { counts, needle, matches };
    return matches.map((index) => counts[index]!);
  }
}
