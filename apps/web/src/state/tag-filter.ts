import { parseQuery } from '@civtag/tags';

/**
 * The filter query that finds every image with `tag`. The tag alone when the query parser
 * reads it back as that very tag (`long_hair`, `hatsune_miku_(cosplay)`), else quoted with
 * `\` before `"` and `\` (`"long hair"`, `"AND"`).
 */
export function tagFilter(tag: string): string {
  try {
    const node = parseQuery(tag);
    if (node.type === 'tag' && node.tag === tag) return tag;
  } catch {
    // Not readable unquoted (an unclosed quote, a stray parenthesis…): quote it below.
  }
  return `"${tag.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
}
