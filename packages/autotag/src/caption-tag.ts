import { DEFAULT_TAG_STYLE } from '@civtag/api-models';
import { styleTag } from '@civtag/tags';

/**
 * The kaomoji in the WD taggers' vocabularies, whose underscores are their eyes and mouth, not
 * word separators (the list SmilingWolf's tagger app keeps). The short ones are also safe under
 * kohya's rule (only tags longer than 3 characters are converted); `(o)_(o)`, `<o>_<o>`,
 * `<|>_<|>` and `||_||` are not, so they are listed here.
 */
export const KAOMOJI_TAGS: ReadonlySet<string> = new Set([
  '0_0',
  '(o)_(o)',
  '+_+',
  '+_-',
  '._.',
  '<o>_<o>',
  '<|>_<|>',
  '=_=',
  '>_<',
  '3_3',
  '6_9',
  '>_o',
  '@_@',
  '^_^',
  'o_o',
  'u_u',
  'x_x',
  '|_|',
  '||_||',
]);

/**
 * The caption form of a tag as the model names it: underscores become spaces
 * (`long_hair` → `long hair`, `hatsune_miku_(cosplay)` → `hatsune miku (cosplay)`), except in
 * kaomoji (`^_^`, `>_<`, `(o)_(o)`), which stay as they are. Taggers leave this to the caller,
 * because a dataset may keep underscores.
 *
 * @example toCaptionTag('long_hair') // 'long hair'
 * @example toCaptionTag('^_^') // '^_^'
 */
export function toCaptionTag(name: string): string {
  if (KAOMOJI_TAGS.has(name)) return name;
  return styleTag(name, { ...DEFAULT_TAG_STYLE, separator: 'space' });
}
