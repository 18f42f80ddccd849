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

/**
 * Whether `tag` can fold to `folded`, decided from its first character where that is cheap: an
 * ASCII letter or digit not followed by a combining mark folds to itself in lower case, so a
 * different first character rules the tag out without folding it. Bulk ops compare every tag
 * of every image they target, and most tags start differently from the one looked for.
 */
export function mayFoldTo(tag: string, folded: string): boolean {
  const first = tag.charCodeAt(0);
  const upper = first >= 65 && first <= 90;
  const asciiLetterOrDigit = upper || (first >= 97 && first <= 122) || (first >= 48 && first <= 57);
  if (!asciiLetterOrDigit || tag.charCodeAt(1) >= 0x300) return true;
  return (upper ? first + 32 : first) === folded.charCodeAt(0);
}

/** Whether `tag` folds to `folded`: {@link mayFoldTo} first, then the fold itself. */
export function foldsTo(tag: string, folded: string): boolean {
  return mayFoldTo(tag, folded) && foldTag(tag) === folded;
}
