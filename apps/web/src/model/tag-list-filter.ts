import type { TagCount } from '@civtag/api-models';

/**
 * The form the sidebar's search compares: lower case, underscores as spaces. Lighter than
 * `foldTag` (no Unicode normalisation, no escapes), because it runs over every tag of the
 * dataset each time the counts change; the tags come from the server in one tag style anyway.
 */
function searchForm(text: string): string {
  return text.toLowerCase().replaceAll('_', ' ');
}

const searchForms = new WeakMap<readonly TagCount[], string[]>();

function searchFormsOf(counts: readonly TagCount[]): string[] {
  let forms = searchForms.get(counts);
  if (forms === undefined) {
    forms = counts.map((entry) => searchForm(entry.tag));
    searchForms.set(counts, forms);
  }
  return forms;
}

/** The tags a search found, in the order of the counts; only the rows in view are read. */
export interface TagMatches {
  readonly length: number;
  /** The matches `start … end-1`. */
  slice(start: number, end: number): TagCount[];
}

/**
 * Finds the tags of the sidebar that contain what was typed, per keystroke over tens of
 * thousands of tags: each list is brought to its search form once, the matches are positions
 * in one typed array (no object per match), and a search that extends the last one (typing on)
 * looks only through the last matches. The order of the counts (most used first) is kept.
 */
export class TagListFilter {
  private last: { counts: readonly TagCount[]; needle: string; matches: Int32Array } | null = null;

  /** The entries of `counts` whose tag contains `search` (all of them for a blank search). */
  filter(counts: readonly TagCount[], search: string): TagMatches {
    const needle = searchForm(search.trim());
    if (needle === '')
      return { length: counts.length, slice: (start, end) => counts.slice(start, end) };
    const forms = searchFormsOf(counts);
    const last = this.last;
    const narrowing = last !== null && last.counts === counts && needle.includes(last.needle);
    const candidates = narrowing ? last.matches : null;
    const found = new Int32Array(candidates?.length ?? forms.length);
    let length = 0;
    if (candidates === null) {
      for (let index = 0; index < forms.length; index += 1)
        if (forms[index]!.includes(needle)) found[length++] = index;
    } else {
      for (const index of candidates) if (forms[index]!.includes(needle)) found[length++] = index;
    }
    const matches = found.subarray(0, length);
    this.last = { counts, needle, matches };
    return {
      length,
      slice: (start, end) =>
        Array.from(
          matches.subarray(Math.max(0, start), Math.min(length, end)),
          (index) => counts[index]!,
        ),
    };
  }
}
