import { foldTag } from './fold-tag.js';

/** One tag a {@link TagSearchIndex} can find: its count ranks it, its aliases lead to it too. */
export interface SearchableTag {
  tag: string;
  count: number;
  aliases?: readonly string[];
}

/** One tag found by a {@link TagSearchIndex}, and the alias that led to it when the tag did not. */
export interface TagSearchHit<Entry extends SearchableTag> {
  entry: Entry;
  alias?: string;
}

/** Matches kept beyond a search's limit, so that typing on can narrow them without a new scan. */
const SEARCH_SPARE = 64;

/** A separator that no folded tag contains (folding turns every run of white space into one space). */
const SEPARATOR = '\n';

/**
 * Folded keys one after another in one string, each after a separator, so that a prefix search is
 * one native `indexOf` of separator + prefix, and a substring search one `indexOf` of the
 * substring: no key is visited that does not match.
 */
class KeyText {
  readonly text: string;
  /** Where key `slot` starts in `text`; one more entry holds the end of the text + 1. */
  private readonly starts: Int32Array;

  constructor(keys: readonly string[]) {
    this.text = `${SEPARATOR}${keys.join(SEPARATOR)}${SEPARATOR}`;
    this.starts = new Int32Array(keys.length + 1);
    let offset = 1;
    keys.forEach((key, slot) => {
      this.starts[slot] = offset;
      offset += key.length + 1;
    });
    this.starts[keys.length] = offset;
  }

  /** The slot of the key that holds `offset` of the text. */
  slotAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 2;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** Visits the slots whose key starts with `prefix`, in slot order, until `visit` returns false. */
  eachPrefixed(prefix: string, visit: (slot: number) => boolean): void {
    const needle = SEPARATOR + prefix;
    for (let at = this.text.indexOf(needle); at !== -1; at = this.text.indexOf(needle, at + 1)) {
      if (!visit(this.slotAt(at + 1))) return;
    }
  }

  /** Visits the slots whose key contains `part`, in slot order, until `visit` returns false. */
  eachContaining(part: string, visit: (slot: number) => boolean): void {
    for (let at = this.text.indexOf(part, 1); at !== -1; ) {
      const slot = this.slotAt(at);
      if (!visit(slot)) return;
      at = this.text.indexOf(part, this.starts[slot + 1]!);
    }
  }
}

interface FoldedKeys {
  folded: string[];
  aliasKeys: string[];
  aliasOwners: number[];
  aliasNames: string[];
}

function emptyKeys(): FoldedKeys {
  return { folded: [], aliasKeys: [], aliasOwners: [], aliasNames: [] };
}

/** Most counted first; ties keep the order they were given in (`sort` is stable). */
function byCount<Entry extends SearchableTag>(entries: readonly Entry[]): Entry[] {
  // Tag lists usually come sorted (the tagcomplete CSVs, GET /api/tags): check before sorting.
  for (let index = 1; index < entries.length; index += 1) {
    if (entries[index]!.count > entries[index - 1]!.count) {
      return [...entries].sort((left, right) => right.count - left.count);
    }
  }
  return [...entries];
}

/** Folds the tags and aliases of `sorted[start … end-1]` into `keys`. */
function foldKeys(
  sorted: readonly SearchableTag[],
  start: number,
  end: number,
  keys: FoldedKeys,
): void {
  for (let position = start; position < end; position += 1) {
    const entry = sorted[position]!;
    keys.folded.push(foldTag(entry.tag));
    for (const alias of entry.aliases ?? []) {
      keys.aliasKeys.push(foldTag(alias));
      keys.aliasOwners.push(position);
      keys.aliasNames.push(alias);
    }
  }
}

/**
 * A list of tags that answers "which tags start with, or contain, what was typed" per keystroke,
 * most counted first, however long the list: a 140,000-tag booru vocabulary answers in well under
 * a millisecond for most inputs. Built once (one fold per tag and alias, one sort by count); the
 * entries are never changed afterwards, so build a new index for a new list.
 *
 * Matching is by `foldTag`: case, underscores versus spaces and parenthesis escapes do not count.
 *
 * @example
 * const index = TagSearchIndex.build(parseVocabularyCsv(csv));
 * index.startingWith(foldTag('long_h'), 5); // long hair, long hair between eyes, …
 */
export class TagSearchIndex<Entry extends SearchableTag> {
  /** The entries, most counted first (ties keep the order they were given in). */
  private readonly entries: Entry[];
  private readonly folded: string[];
  /**
   * Each fold's entry (its position; the most counted of a fold), built on the first `has` or
   * `find`: a vocabulary is rarely asked, a dataset's tags on every keystroke.
   */
  private byFold: Map<string, number> | null = null;
  private readonly tagText: KeyText;
  private readonly aliasText: KeyText;
  /** The entry (its position in `entries`) of each alias slot, and the alias as given. */
  private readonly aliasOwners: Int32Array;
  private readonly aliasNames: string[];
  private readonly aliasKeys: string[];
  /**
   * The last search of each kind that found every match: typing on narrows it, so the next
   * keystroke looks through those matches instead of the whole text.
   */
  private lastPrefixed: { folded: string; tags: number[]; aliasSlots: number[] } | null = null;
  private lastContaining: { folded: string; positions: number[] } | null = null;

  private constructor(sorted: Entry[], keys: FoldedKeys) {
    this.entries = sorted;
    this.folded = keys.folded;
    this.tagText = new KeyText(keys.folded);
    this.aliasText = new KeyText(keys.aliasKeys);
    this.aliasKeys = keys.aliasKeys;
    this.aliasOwners = Int32Array.from(keys.aliasOwners);
    this.aliasNames = keys.aliasNames;
  }

  /** Indexes `entries` (not copied: keep them unchanged). */
  static build<Entry extends SearchableTag>(entries: readonly Entry[]): TagSearchIndex<Entry> {
    const sorted = byCount(entries);
    const keys = emptyKeys();
    foldKeys(sorted, 0, sorted.length, keys);
    return new TagSearchIndex(sorted, keys);
  }

  /**
   * {@link build} in slices of `sliceSize` entries (default 5,000), awaiting `pause` between
   * them, so that a page indexing a 140,000-tag vocabulary stays responsive: no slice takes
   * much longer than a few milliseconds. `pause` defaults to the next macrotask.
   */
  static async buildInSlices<Entry extends SearchableTag>(
    entries: readonly Entry[],
    options: { sliceSize?: number; pause?: () => Promise<void> } = {},
  ): Promise<TagSearchIndex<Entry>> {
    const sliceSize = options.sliceSize ?? 5000;
    const pause = options.pause ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
    const sorted = byCount(entries);
    await pause();
    const keys = emptyKeys();
    for (let start = 0; start < sorted.length; start += sliceSize) {
      foldKeys(sorted, start, Math.min(sorted.length, start + sliceSize), keys);
      await pause();
    }
    return new TagSearchIndex(sorted, keys);
  }

  /** How many tags the index holds. */
  get size(): number {
    return this.entries.length;
  }

  /** Whether the index holds a tag whose fold is `folded`. */
  has(folded: string): boolean {
    return this.positionsByFold().has(folded);
  }

  /** The entry whose tag folds to `folded` (the most counted, when several do). */
  find(folded: string): Entry | undefined {
    const position = this.positionsByFold().get(folded);
    return position === undefined ? undefined : this.entries[position];
  }

  private positionsByFold(): Map<string, number> {
    if (this.byFold === null) {
      this.byFold = new Map();
      for (let position = this.folded.length - 1; position >= 0; position -= 1) {
        this.byFold.set(this.folded[position]!, position);
      }
    }
    return this.byFold;
  }

  /**
   * Up to `limit` entries whose tag, or one of whose aliases, starts with `folded` (a `foldTag`
   * result), leaving out those `accept` refuses: the tags that start with it first, most counted
   * first, then those found only through an alias (which the hit names), most counted first:
   * what is typed is more often the start of the tag meant than of another spelling of it.
   */
  startingWith(
    folded: string,
    limit: number,
    accept: (entry: Entry) => boolean = () => true,
  ): TagSearchHit<Entry>[] {
    if (folded === '' || limit <= 0) return [];
    const found = this.prefixMatches(folded, limit + SEARCH_SPARE);
    const hits = this.acceptedPrefixHits(found, limit, accept);
    if (hits.length === limit || found.exhaustive) return hits;
    // Too many refused among the matches found: look through every match.
    return this.acceptedPrefixHits(
      this.prefixMatches(folded, Number.POSITIVE_INFINITY),
      limit,
      accept,
    );
  }

  /**
   * The entries (by position) whose tag starts with `folded`, and the alias slots that do: all
   * of them when there are fewer than `enough` of each, else at least `enough` tags, and the
   * aliases of entries counted at least as much as the last of those.
   */
  private prefixMatches(
    folded: string,
    enough: number,
  ): { tags: number[]; aliasSlots: number[]; exhaustive: boolean } {
    const last = this.lastPrefixed;
    if (last !== null && folded.startsWith(last.folded)) {
      const tags = last.tags.filter((position) => this.folded[position]!.startsWith(folded));
      const aliasSlots = last.aliasSlots.filter((slot) => this.aliasKeys[slot]!.startsWith(folded));
      this.lastPrefixed = { folded, tags, aliasSlots };
      return { tags, aliasSlots, exhaustive: true };
    }
    const tags: number[] = [];
    let exhaustive = true;
    this.tagText.eachPrefixed(folded, (position) => {
      tags.push(position);
      if (tags.length < enough) return true;
      exhaustive = false;
      return false;
    });
    const lowest = exhaustive ? Number.POSITIVE_INFINITY : tags.at(-1)!;
    const aliasSlots: number[] = [];
    this.aliasText.eachPrefixed(folded, (slot) => {
      if (this.aliasOwners[slot]! > lowest) return false;
      aliasSlots.push(slot);
      if (aliasSlots.length < enough) return true;
      exhaustive = false;
      return false;
    });
    this.lastPrefixed = exhaustive ? { folded, tags, aliasSlots } : null;
    return { tags, aliasSlots, exhaustive };
  }

  /**
   * Up to `limit` hits of `found` that `accept` takes: tags that start with the input, then
   * entries found through an alias, each most counted first.
   */
  private acceptedPrefixHits(
    found: { tags: number[]; aliasSlots: number[] },
    limit: number,
    accept: (entry: Entry) => boolean,
  ): TagSearchHit<Entry>[] {
    const aliases = new Map<number, string>();
    const byTag = new Set(found.tags);
    for (const slot of found.aliasSlots) {
      const position = this.aliasOwners[slot]!;
      if (!byTag.has(position) && !aliases.has(position))
        aliases.set(position, this.aliasNames[slot]!);
    }
    const byPosition = (left: number, right: number) => left - right;
    const positions = [
      ...[...found.tags].sort(byPosition),
      ...[...aliases.keys()].sort(byPosition),
    ];
    const hits: TagSearchHit<Entry>[] = [];
    for (const position of positions) {
      const entry = this.entries[position]!;
      if (!accept(entry)) continue;
      const alias = aliases.get(position);
      hits.push(alias === undefined ? { entry } : { entry, alias });
      if (hits.length === limit) break;
    }
    return hits;
  }

  /**
   * Up to `limit` entries whose tag contains `folded` but does not start with it (those are
   * {@link startingWith}'s), most counted first, leaving out those `accept` refuses.
   */
  containing(
    folded: string,
    limit: number,
    accept: (entry: Entry) => boolean = () => true,
  ): TagSearchHit<Entry>[] {
    if (folded === '' || limit <= 0) return [];
    const hits: TagSearchHit<Entry>[] = [];
    const take = (position: number) => {
      const entry = this.entries[position]!;
      if (accept(entry)) hits.push({ entry });
      return hits.length < limit;
    };
    const last = this.lastContaining;
    if (last !== null && folded.includes(last.folded)) {
      const positions = last.positions.filter((position) =>
        this.folded[position]!.includes(folded),
      );
      this.lastContaining = { folded, positions };
      for (const position of positions) {
        if (!this.folded[position]!.startsWith(folded) && !take(position)) break;
      }
      return hits;
    }
    // Every match (those starting with it too) is kept while there are few, so that typing on
    // narrows them.
    const positions: number[] = [];
    let exhaustive = true;
    this.tagText.eachContaining(folded, (position) => {
      positions.push(position);
      if (this.folded[position]!.startsWith(folded)) return true;
      if (hits.length < limit) take(position);
      if (positions.length < limit + SEARCH_SPARE || hits.length < limit) return true;
      exhaustive = false;
      return false;
    });
    this.lastContaining = exhaustive ? { folded, positions } : null;
    return hits;
  }
}
