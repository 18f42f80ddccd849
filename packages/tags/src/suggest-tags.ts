import { foldTag } from './fold-tag.js';
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
}

/** Where suggestions come from. */
export interface SuggestionSources {
  /** The dataset's own tags. */
  stats?: TagStats;
  /** A tag vocabulary (see `parseVocabularyCsv`). */
  vocabulary?: readonly VocabularyEntry[];
}

interface FoldedEntry {
  entry: VocabularyEntry;
  tag: string;
  aliases: string[];
}

const foldedVocabularies = new WeakMap<readonly VocabularyEntry[], FoldedEntry[]>();

/**
 * Suggests tags for what has been typed so far, as a tag autocomplete does.
 *
 * Matching ignores case, and underscores versus spaces (`long_h` finds `long hair`).
 * Tags that start with the input come before tags that merely contain it; within each,
 * the dataset's own tags come first, then vocabulary tags, each by count (highest first).
 * A vocabulary tag also matches through its aliases. A tag is suggested once.
 *
 * @param limit - most suggestions to return; default 10.
 * @returns `[]` for blank input.
 * @example suggestTags('long', { stats, vocabulary }, 5)
 */
export function suggestTags(
  input: string,
  sources: SuggestionSources,
  limit = 10,
): TagSuggestion[] {
  const wanted = foldTag(input);
  if (wanted === '' || limit <= 0) return [];
  const ranked: { suggestion: TagSuggestion; rank: number }[] = [];
  const seen = new Set<string>();
  for (const { tag, count } of sources.stats?.sorted() ?? []) {
    const folded = foldTag(tag);
    const rank = matchRank(folded, wanted);
    if (rank === undefined || seen.has(folded)) continue;
    seen.add(folded);
    ranked.push({ suggestion: { tag, count, source: 'dataset' }, rank: rank * 2 });
  }
  for (const { entry, tag: folded, aliases } of foldVocabulary(sources.vocabulary ?? [])) {
    if (seen.has(folded)) continue;
    let rank = matchRank(folded, wanted);
    let alias: string | undefined;
    if (rank === undefined) {
      const aliasIndex = aliases.findIndex((candidate) => matchRank(candidate, wanted) === 0);
      if (aliasIndex < 0) continue;
      rank = 0;
      alias = entry.aliases[aliasIndex];
    }
    seen.add(folded);
    const suggestion: TagSuggestion = { tag: entry.tag, count: entry.count, source: 'vocabulary' };
    if (alias !== undefined) suggestion.alias = alias;
    ranked.push({ suggestion, rank: rank * 2 + 1 });
  }
  return ranked
    .sort((left, right) => left.rank - right.rank || right.suggestion.count - left.suggestion.count)
    .slice(0, limit)
    .map(({ suggestion }) => suggestion);
}

/** 0 for a prefix match, 1 for a match elsewhere, `undefined` for none. */
function matchRank(folded: string, wanted: string): 0 | 1 | undefined {
  if (folded.startsWith(wanted)) return 0;
  return folded.includes(wanted) ? 1 : undefined;
}

function foldVocabulary(vocabulary: readonly VocabularyEntry[]): FoldedEntry[] {
  let folded = foldedVocabularies.get(vocabulary);
  if (folded === undefined) {
    folded = vocabulary.map((entry) => ({
      entry,
      tag: foldTag(entry.tag),
      aliases: entry.aliases.map(foldTag),
    }));
    foldedVocabularies.set(vocabulary, folded);
  }
  return folded;
}
