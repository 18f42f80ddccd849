import type { TagCount, TagStyle } from '@civtag/api-models';
import {
  foldTag,
  type SearchableTag,
  styleTag,
  suggestTags,
  TagSearchIndex,
  type TagSuggestion,
  type VocabularyEntry,
} from '@civtag/tags';

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
 * holds in any form is not suggested. Both lists are searched through a `TagSearchIndex`, built
 * in slices when the list arrives ({@link loadVocabulary}, {@link prepareCounts}) so that neither
 * the build nor a keystroke holds the page up: a 140,000-tag vocabulary answers in a millisecond
 * or so.
 */
export class TagSuggestions {
  private vocabulary: readonly VocabularyEntry[] | TagSearchIndex<VocabularyEntry> = [];
  private prepared: { counts: readonly TagCount[]; index: TagSearchIndex<SearchableTag> } | null =
    null;
  private preparing: readonly TagCount[] | null = null;

  /** Uses `entries` as the vocabulary at once (indexed on the next keystroke). */
  setVocabulary(entries: readonly VocabularyEntry[]): void {
    this.vocabulary = entries;
  }

  /**
   * Indexes `entries` in slices and then uses them; until it resolves, suggestions come from the
   * dataset's tags (and any vocabulary set before).
   */
  async loadVocabulary(entries: readonly VocabularyEntry[]): Promise<void> {
    this.vocabulary = await TagSearchIndex.buildInSlices(entries);
  }

  /** Indexes the dataset's tag counts in slices, so the next keystroke need not build it. */
  async prepareCounts(counts: readonly TagCount[]): Promise<void> {
    if (this.prepared?.counts === counts || this.preparing === counts) return;
    this.preparing = counts;
    const index = await TagSearchIndex.buildInSlices(counts);
    if (this.preparing === counts) this.prepared = { counts, index };
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
    const limit = options.limit ?? 8;
    const exclude = new Set((options.exclude ?? []).map(foldTag));
    const tags = this.prepared?.counts === counts ? this.prepared.index : counts;
    return suggestTags(input, { tags, vocabulary: this.vocabulary }, limit + exclude.size)
      .filter((suggestion) => !exclude.has(foldTag(suggestion.tag)))
      .slice(0, limit)
      .map((suggestion) => inStyle(suggestion, options.tagStyle));
  }
}
