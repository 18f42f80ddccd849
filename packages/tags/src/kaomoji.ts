/**
 * The kaomoji of the booru vocabularies whose underscores are eyes and mouth, not word
 * separators (the list the WD taggers' reference app keeps). The short ones are safe under
 * kohya's rule anyway (only tags longer than 3 characters are converted); `(o)_(o)`,
 * `<o>_<o>`, `<|>_<|>` and `||_||` are longer, and would become `(o) (o)` without this list.
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
