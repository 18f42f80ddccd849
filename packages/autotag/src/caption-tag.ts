import { DEFAULT_TAG_STYLE } from '@civtag/api-models';
import { KAOMOJI_TAGS, styleTag } from '@civtag/tags';

/** The kaomoji whose underscores stay (the set `@civtag/tags` keeps in every tag style). */
export { KAOMOJI_TAGS };

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
