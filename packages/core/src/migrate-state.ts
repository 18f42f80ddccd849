import { DEFAULT_KOHYA_REPEATS, type TagStyle } from '@civtag/api-models';
import { detectTagStyle, foldTag, styleTag } from '@civtag/tags';

/** The caption options of a version 1 state: applied when captions were written. */
interface CaptionOptionsOfVersion1 {
  escapeParentheses?: boolean;
  underscoresToSpaces?: boolean;
  lowercase?: boolean;
}

interface StateOfVersion1 {
  settings: { triggerWord?: string; caption?: CaptionOptionsOfVersion1 };
  images: Record<string, { tags: string[] }>;
}

/**
 * Version 1 → 2: the caption options become the dataset's tag style, and stored tags take the
 * form version 1 wrote them in, so the caption files stay as they are:
 * - `underscoresToSpaces` → separator `space`, and stored tags get spaces (kohya's rule);
 *   without it, the separator most stored tags use (tags keep their form until a `normalize`);
 * - `lowercase` → stored tags in lower case (the option is gone: case is the user's);
 * - `escapeParentheses` stays; `kohyaRepeats` is 10;
 * - an image that held two forms of one tag keeps the first (one tag, one form).
 * The trigger word is kept exactly as set. The result is validated by the session.
 */
export function migrateVersion1To2(old: unknown): unknown {
  const state = old as StateOfVersion1;
  const caption = state.settings.caption ?? {};
  const triggerWord = state.settings.triggerWord;
  const images = Object.values(state.images);
  const tagStyle: TagStyle = {
    separator: caption.underscoresToSpaces
      ? 'space'
      : (detectTagStyle(images.map((image) => image.tags.join(', ')))?.separator ?? 'space'),
    escapeParentheses: caption.escapeParentheses ?? false,
  };
  for (const image of images) {
    const seen = new Set<string>();
    const tags: string[] = [];
    for (const tag of image.tags) {
      let stored = tag;
      if (tag !== triggerWord) {
        if (caption.lowercase) stored = stored.toLowerCase();
        if (caption.underscoresToSpaces) stored = styleTag(stored, tagStyle);
      }
      const folded = foldTag(stored);
      if (seen.has(folded)) continue;
      seen.add(folded);
      tags.push(stored);
    }
    image.tags = tags;
  }
  const { caption: _dropped, ...settings } = state.settings;
  return { ...state, settings: { ...settings, tagStyle, kohyaRepeats: DEFAULT_KOHYA_REPEATS } };
}

/**
 * Version 2 → 3: nothing changes in the state itself, only how the snapshot stores it (see
 * `state-codec.ts`); the first snapshot written after the open is in the new form.
 */
export function migrateVersion2To3(old: unknown): unknown {
  return old;
}
