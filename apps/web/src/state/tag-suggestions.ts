import type { TagCount, TagStyle } from '@civtag/api-models';
import {
  foldTag,
  styleTag,
  suggestTags,
  type TaggableImage,
  TagStats,
  type TagSuggestion,
  type VocabularyEntry,
} from '@civtag/tags';

/**
 * Builds `TagStats` holding exactly the counts of `GET /api/tags`, without the records (most
 * are not loaded in a large dataset): stand-in image `i` carries every tag used more than `i`
 * times, so tag `t` is on `count(t)` of them.
 */
function statsFromCounts(counts: readonly TagCount[]): TagStats {
  const highest = counts.reduce((most, entry) => Math.max(most, entry.count), 0);
  const byCount = [...counts].sort((left, right) => right.count - left.count);
  function* standIns(): Generator<TaggableImage> {
    let used = byCount.length;
    for (let index = 0; index < highest; index += 1) {
      while (used > 0 && byCount[used - 1]!.count <= index) used -= 1;
      yield {
        id: `s${index}`,
        tags: byCount.slice(0, used).map((entry) => entry.tag),
        excluded: false,
      };
    }
  }
  return TagStats.fromImages(standIns());
}

/** A suggestion in the dataset's tag style; a tag the rules refuse is left as the CSV has it. */
function inStyle(suggestion: TagSuggestion, tagStyle: TagStyle | undefined): TagSuggestion {
  if (tagStyle === undefined || suggestion.source === 'dataset') return suggestion;
  try {
    return { ...suggestion, tag: styleTag(suggestion.tag, tagStyle) };
  } catch {
    return suggestion;
  }
}

/**
 * Autocomplete for the tag inputs: `suggestTags` from `@civtag/tags` over the dataset's tag
 * counts and the vocabulary CSV the server was started with. A vocabulary tag is offered in
 * the dataset's tag style (`long_hair` as `long hair` in a dataset of spaces), the form it is
 * inserted and stored in; tags compare by fold, so a tag is suggested once and a tag the image
 * holds in any form is not suggested. The stats are rebuilt only when the counts change, and
 * only when someone types.
 */
export class TagSuggestions {
  private stats: TagStats | null = null;
  private statsFrom: readonly TagCount[] | null = null;
  private vocabulary: readonly VocabularyEntry[] = [];

  setVocabulary(entries: readonly VocabularyEntry[]): void {
    this.vocabulary = entries;
  }

  /**
   * Up to `limit` (default 8) suggestions for `input`, leaving out the tags in `exclude` (in
   * any form), in `tagStyle` (default: as the vocabulary writes them).
   */
  suggest(
    input: string,
    counts: readonly TagCount[],
    options: { limit?: number; exclude?: readonly string[]; tagStyle?: TagStyle } = {},
  ): TagSuggestion[] {
    if (input.trim() === '') return [];
    if (this.statsFrom !== counts || this.stats === null) {
      this.stats = statsFromCounts(counts);
      this.statsFrom = counts;
    }
    const limit = options.limit ?? 8;
    const exclude = new Set((options.exclude ?? []).map(foldTag));
    return suggestTags(
      input,
      { stats: this.stats, vocabulary: this.vocabulary },
      limit + exclude.size,
    )
      .filter((suggestion) => !exclude.has(foldTag(suggestion.tag)))
      .slice(0, limit)
      .map((suggestion) => inStyle(suggestion, options.tagStyle));
  }
}
