import type { TagCount } from '@civtag/api-models';

/**
 * The form the sidebar's search compares: lower case, underscores as spaces. Lighter than
 * `foldTag` (no Unicode normalisation, no escapes), because it is made for every tag of the
 * dataset; the tags come from the server in one tag style anyway.
 */
function searchForm(text: string): string {
  return text.toLowerCase().replaceAll('_', ' ');
}

/** Every tag's search form in one string, one a line, and where each starts. */
interface SearchText {
  text: string;
  /** Where tag `index` starts in `text`; one more entry: the end of the text + 1. */
  starts: Int32Array;
}

const searchTexts = new WeakMap<readonly TagCount[], SearchText>();

function searchTextOf(counts: readonly TagCount[]): SearchText {
  let found = searchTexts.get(counts);
  if (found === undefined) {
    // One native pass over one string, not a string per tag (a tag holds no line break).
    const text = searchForm(counts.map((entry) => entry.tag).join('\n'));
    const starts = new Int32Array(counts.length + 1);
    let start = 0;
    for (let index = 0; index < counts.length; index += 1) {
      starts[index] = start;
      const end = text.indexOf('\n', start);
      start = end === -1 ? text.length + 1 : end + 1;
    }
    starts[counts.length] = text.length + 1;
    found = { text, starts };
    searchTexts.set(counts, found);
  }
  return found;
}

/** The tags a search found, in the order of the counts; only the rows in view are read. */
export interface TagMatches {
  readonly length: number;
  /** The matches `start … end-1`. */
  slice(start: number, end: number): TagCount[];
}

/**
 * Finds the tags of the sidebar that contain what was typed, per keystroke over tens of
 * thousands of tags: the tags are brought to their search form once, in one string, so a search
 * is a native `indexOf` from match to match, and the matches are positions in a typed array (no
 * object per match). The order of the counts (most used first) is kept.
 */
export class TagListFilter {
  /** Prepares `counts` for searching (a text box getting the focus), so the first key need not. */
  prepare(counts: readonly TagCount[]): void {
    searchTextOf(counts);
  }

  /** The entries of `counts` whose tag contains `search` (all of them for a blank search). */
  filter(counts: readonly TagCount[], search: string): TagMatches {
    const needle = searchForm(search.trim()).replaceAll('\n', '');
    if (needle === '') {
      return { length: counts.length, slice: (start, end) => counts.slice(start, end) };
    }
    const { text, starts } = searchTextOf(counts);
    const found = new Int32Array(counts.length);
    let length = 0;
    let index = 0;
    for (let at = text.indexOf(needle); at !== -1; ) {
      while (starts[index + 1]! <= at) index += 1;
      found[length++] = index;
      index += 1;
      if (index >= counts.length) break;
      at = text.indexOf(needle, starts[index]!);
    }
    const matches = found.subarray(0, length);
    return {
      length,
      slice: (start, end) =>
        Array.from(
          matches.subarray(Math.max(0, start), Math.min(length, end)),
          (position) => counts[position]!,
        ),
    };
  }
}
