import { Limits } from '@civtag/api-models';

/** A tag and what a pattern makes of it (`''`: the tag goes). */
export interface TagRename {
  from: string;
  to: string;
}

/**
 * What replacing `pattern` (a JavaScript regular expression, every match) with `replacement`
 * (`$1` and `$<name>` name groups) does to each of `tags`: the renames for a `rename-tags` op,
 * in the order of `tags`. A tag that becomes empty is removed. `null` for an empty pattern; an
 * error for a pattern that does not compile or that renames more tags than one op takes.
 * It runs here, in the page, over the tags shown: the server never runs a pattern.
 */
export function patternRenames(
  tags: Iterable<string>,
  pattern: string,
  replacement: string,
  options: { ignoreCase: boolean },
): { renames: TagRename[] } | { error: string } | null {
  if (pattern === '') return null;
  let expression: RegExp;
  try {
    expression = new RegExp(pattern, options.ignoreCase ? 'giu' : 'gu');
  } catch (error) {
    const why =
      error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : '';
    return {
      error: `The pattern is not a regular expression (${why}). Escape ( ) [ ] . * + ? with \\.`,
    };
  }
  const renames: TagRename[] = [];
  const seen = new Set<string>();
  for (const tag of tags) {
    if (seen.has(tag)) continue;
    seen.add(tag);
    expression.lastIndex = 0;
    if (!expression.test(tag)) continue;
    expression.lastIndex = 0;
    const to = tag.replace(expression, replacement).trim();
    if (to !== tag) renames.push({ from: tag, to });
  }
  if (renames.length > Limits.renamesPerOp) {
    return {
      error: `The pattern renames ${renames.length.toLocaleString()} tags; one change takes at most ${Limits.renamesPerOp.toLocaleString()}. Narrow the pattern or the filter.`,
    };
  }
  return { renames };
}
