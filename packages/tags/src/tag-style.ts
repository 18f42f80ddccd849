import { DEFAULT_TAG_STYLE, type TagStyle } from '@civtag/api-models';
import { joinsWords } from './format-caption.js';
import { normalizeTag } from './normalize-tag.js';

const WHITESPACE_RUN = /\s+/gu;

/**
 * A stored tag in a dataset's tag style: words joined by the style's separator. Only tags
 * longer than 3 characters are converted (kohya's rule), and never the kaomoji of
 * `KAOMOJI_TAGS`, so `^_^`, `>_<`, `o_o` and `(o)_(o)` are never rewritten. Case and
 * parentheses are left as they are (parentheses are escaped when captions are written, see
 * `TagStyle.escapeParentheses`). The result folds to the same form as the input (`foldTag`),
 * and styling it again changes nothing.
 *
 * @throws CivtagError `VALIDATION` when `tag` is not a valid tag (see `normalizeTag`).
 * @example styleTag('blue_eyes', { separator: 'space', escapeParentheses: false }) // 'blue eyes'
 * @example styleTag('^_^', { separator: 'space', escapeParentheses: false }) // '^_^'
 */
export function styleTag(tag: string, style: TagStyle): string {
  const normalized = normalizeTag(tag);
  if (!joinsWords(normalized)) return normalized;
  if (style.separator === 'space') {
    if (!normalized.includes('_')) return normalized;
    // `foo_` would end in a space: normalising trims it, as folding does.
    return normalizeTag(normalized.replaceAll('_', ' '));
  }
  return normalized.includes(' ') ? normalized.replace(WHITESPACE_RUN, '_') : normalized;
}

const TAG_LINE_SEPARATOR = ',';
const ESCAPED_PARENTHESIS = /\\[()]/;
const PARENTHESIS = /[()]/;

/**
 * The tag style that existing captions were written in, from the text of their caption files:
 * `separator` is `underscore` when more of their tags (longer than 3 characters) join words
 * with `_` than with a space, otherwise `space`; `escapeParentheses` is true when more of
 * their tags with parentheses escape them (`\(`) than not. Only the first line of each
 * caption counts (later lines are kohya's wildcard alternatives).
 *
 * @returns `undefined` when the captions hold no tag at all, so there is nothing to go by.
 * @example detectTagStyle(['long hair, photo \\(medium\\)', 'short_hair']) // { separator: 'space', escapeParentheses: true }
 */
export function detectTagStyle(captions: Iterable<string>): TagStyle | undefined {
  let tags = 0;
  let withUnderscore = 0;
  let withSpace = 0;
  let escaped = 0;
  let unescaped = 0;
  for (const caption of captions) {
    const firstLine = caption.split(/\r\n|\r|\n/, 1)[0] ?? '';
    for (const entry of firstLine.split(TAG_LINE_SEPARATOR)) {
      const text = entry.trim();
      if (text === '') continue;
      tags += 1;
      if (PARENTHESIS.test(text)) {
        if (ESCAPED_PARENTHESIS.test(text)) escaped += 1;
        else unescaped += 1;
      }
      if (!joinsWords(text)) continue;
      if (text.includes('_')) withUnderscore += 1;
      if (text.includes(' ')) withSpace += 1;
    }
  }
  if (tags === 0) return undefined;
  return {
    separator: withUnderscore > withSpace ? 'underscore' : DEFAULT_TAG_STYLE.separator,
    escapeParentheses: escaped > unescaped,
  };
}
