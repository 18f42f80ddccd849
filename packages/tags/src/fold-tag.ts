const PARENTHESIS_ESCAPE = /\\+(?=[()])/g;
const SPACE_OR_UNDERSCORE_RUN = /[\s_]+/gu;
/** Printable ASCII without `_`, `\` or upper case, single spaces inside: already folded. */
const FOLDED_PLAIN = /^[!-@[\]^`-~](?:[!-@[\]^`-~]| (?=[!-@[\]^`-~]))*$/;
/** Folds are asked for every tag of every image an op targets; most tags repeat. */
const CACHE_LIMIT = 50_000;
const cache = new Map<string, string>();

/**
 * The form in which two tags are the same tag: NFC, lower case, parenthesis escapes dropped,
 * and runs of underscores and spaces as one space, so `Blue_Eyes`, `blue eyes` and
 * `blue__eyes` are one tag, and `photo \(medium\)` is `photo (medium)`.
 *
 * Every rule that compares tags uses it: add skips a tag whose fold an image has, remove and
 * replace match by it, an image never holds two tags with one fold, statistics count by it
 * and filters match by it. Stored tags are never rewritten to this form: a dataset keeps its
 * tags in its tag style (see `styleTag`).
 */
export function foldTag(text: string): string {
  if (FOLDED_PLAIN.test(text)) return text;
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const folded = text
    .normalize('NFC')
    .replace(PARENTHESIS_ESCAPE, '')
    .replace(SPACE_OR_UNDERSCORE_RUN, ' ')
    .trim()
    .toLowerCase();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, folded);
  return folded;
}
