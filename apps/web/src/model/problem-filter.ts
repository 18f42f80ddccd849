import { Limits } from '@civtag/api-models';
import { formatQuery } from '@civtag/tags';

/** A filter query that shows the images a check problem names. */
export interface ProblemFilter {
  /** `id:… OR id:…`, in the query language of `@civtag/tags`. */
  query: string;
  /** How many of the images the query shows: all of them, unless the query would be too long. */
  shown: number;
  total: number;
}

const SEPARATOR = ' OR ';

/**
 * The filter that shows exactly the images with these ids (`id:a OR id:b`), or null for none.
 * A filter query holds at most `Limits.queryLength` characters, about 170 ids: past that it
 * shows the first ones that fit, and `shown` says how many.
 */
export function problemFilter(imageIds: readonly string[]): ProblemFilter | null {
  const unique = [...new Set(imageIds)];
  if (unique.length === 0) return null;
  const terms: string[] = [];
  let length = 0;
  for (const id of unique) {
    const term = formatQuery({ type: 'imageId', id });
    const added = (terms.length === 0 ? 0 : SEPARATOR.length) + term.length;
    if (length + added > Limits.queryLength) break;
    terms.push(term);
    length += added;
  }
  return { query: terms.join(SEPARATOR), shown: terms.length, total: unique.length };
}
