import { foldTag } from './fold-tag.js';
import { type SearchableTag, type TagSearchHit, TagSearchIndex } from './tag-search-index.js';
import type { TagStats } from './tag-stats.js';
import type { VocabularyEntry } from './vocabulary-csv.js';

/** One suggestion for a tag being typed. */
export interface TagSuggestion {
  tag: string;
  /** Images in the dataset with the tag (source `dataset`), or posts on the booru (`vocabulary`). */
  count: number;
  source: 'dataset' | 'vocabulary';
  /** The alias that matched what was typed, when the tag itself did not. */
  alias?: string;
  /**
   * For a dataset tag the vocabulary holds too (in any form): its count there, so a suggestion
   * can show both how often the dataset uses it and how common it is on the booru.
   */
  vocabularyCount?: number;
  /** The vocabulary's category of the tag (see `VocabularyEntry.category`), when it holds it. */
  category?: number;
}

/** Where suggestions come from. */
export interface SuggestionSources {
  /** The dataset's own tags. */
  stats?: TagStats;
  /**
   * The dataset's own tags as counts (`GET /api/tags`), instead of `stats`: an array is indexed
   * once (kept for as long as the array lives), or pass an index built beforehand.
   */
  tags?: readonly SearchableTag[] | TagSearchIndex<SearchableTag>;
  /**
   * A tag vocabulary (see `parseVocabularyCsv`): an array is indexed once (kept for as long as
   * the array lives), or pass an index built beforehand (`TagSearchIndex.buildInSlices`).
   */
  vocabulary?: readonly VocabularyEntry[] | TagSearchIndex<VocabularyEntry>;
}

const indexes = new WeakMap<readonly SearchableTag[], TagSearchIndex<SearchableTag>>();

function indexOf<Entry extends SearchableTag>(
  source: readonly Entry[] | TagSearchIndex<Entry>,
): TagSearchIndex<Entry> {
  if (source instanceof TagSearchIndex) return source;
  let index = indexes.get(source) as TagSearchIndex<Entry> | undefined;
  if (index === undefined) {
    index = TagSearchIndex.build(source);
    indexes.set(source, index);
  }
  return index;
}

/**
 * Suggests tags for what has been typed so far, as a tag autocomplete does.
 *
 * Matching ignores case, and underscores versus spaces (`long_h` finds `long hair`).
 * Tags that start with the input come before tags that merely contain it; within each,
 * the dataset's own tags come first, then vocabulary tags, each by count (highest first).
 * A vocabulary tag also matches through an alias that starts with the input, after the
 * vocabulary tags that start with it. A tag is suggested once; a dataset tag the vocabulary
 * holds carries the vocabulary's count and category too. Each source is searched through a `TagSearchIndex`, so a keystroke costs about the same
 * with a 140,000-tag vocabulary as with a small one.
 *
 * @param limit - most suggestions to return; default 10.
 * @returns `[]` for blank input.
 * @example suggestTags('long', { tags: counts, vocabulary }, 5)
 */
export function suggestTags(
  input: string,
  sources: SuggestionSources,
  limit = 10,
): TagSuggestion[] {
  const wanted = foldTag(input);
  if (wanted === '' || limit <= 0) return [];
  const dataset =
    sources.stats === undefined
      ? indexOf(sources.tags ?? [])
      : TagSearchIndex.build(sources.stats.sorted());
  const vocabulary = indexOf(sources.vocabulary ?? []);
  const suggestions: TagSuggestion[] = [];
  const seen = new Set<string>();
  const fresh = (tag: string) => {
    const folded = foldTag(tag);
    if (seen.has(folded)) return false;
    seen.add(folded);
    return true;
  };
  const fromDataset = (hit: TagSearchHit<SearchableTag>) => {
    const suggestion: TagSuggestion = {
      tag: hit.entry.tag,
      count: hit.entry.count,
      source: 'dataset',
    };
    const known = vocabulary.size === 0 ? undefined : vocabulary.find(foldTag(hit.entry.tag));
    if (known !== undefined) {
      suggestion.vocabularyCount = known.count;
      suggestion.category = known.category;
    }
    suggestions.push(suggestion);
  };
  const fromVocabulary = (hit: TagSearchHit<VocabularyEntry>) => {
    const suggestion: TagSuggestion = {
      tag: hit.entry.tag,
      count: hit.entry.count,
      source: 'vocabulary',
      category: hit.entry.category,
    };
    if (hit.alias !== undefined) suggestion.alias = hit.alias;
    suggestions.push(suggestion);
  };
  // A vocabulary tag the dataset holds in any form is the dataset's suggestion, or none.
  const newToDataset = (entry: VocabularyEntry) =>
    !dataset.has(foldTag(entry.tag)) && fresh(entry.tag);
  const left = () => limit - suggestions.length;
  dataset.startingWith(wanted, left(), (entry) => fresh(entry.tag)).forEach(fromDataset);
  vocabulary.startingWith(wanted, left(), newToDataset).forEach(fromVocabulary);
  dataset.containing(wanted, left(), (entry) => fresh(entry.tag)).forEach(fromDataset);
  vocabulary.containing(wanted, left(), newToDataset).forEach(fromVocabulary);
  return suggestions;
}
