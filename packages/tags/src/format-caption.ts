import {
  type CaptionOptions,
  CivtagError,
  DEFAULT_CAPTION_OPTIONS,
  ErrorCode,
} from '@civtag/api-models';
import { KAOMOJI_TAGS } from './kaomoji.js';
import { quoteForMessage } from './normalize-tag.js';

/** What a caption file holds: the tags of its first line and any lines after it. */
export interface CaptionContent {
  tags: readonly string[];
  /** Written verbatim after the tag line, one per line. */
  extraLines?: readonly string[];
  /**
   * The dataset's trigger word: written exactly as given wherever it is among `tags`, never
   * changed by the caption options, so that it matches the kohya folder name and the prompt.
   */
  triggerWord?: string | undefined;
}

const UNWRITABLE = /[,\r\n]/;

/**
 * Writes a caption the way kohya sd-scripts and Civitai's trainer read it: tags joined by
 * `", "` on one line, then any extra lines verbatim, no trailing newline, no byte-order mark.
 *
 * Options (all `false` by default, see `DEFAULT_CAPTION_OPTIONS`) change only what is written,
 * never the stored tags:
 * - `lowercase`: `Hatsune Miku` → `hatsune miku`;
 * - `underscoresToSpaces`: `long_hair` → `long hair`, only for tags longer than 3 characters
 *   (kohya's rule) that are not kaomoji, so `^_^`, `>_<` and `(o)_(o)` survive;
 * - `escapeParentheses`: `photo (medium)` → `photo \(medium\)`.
 * The trigger word (`caption.triggerWord`) is written as it is, whatever the options.
 * Two tags that become the same once written are written once, at the first one's place.
 *
 * @returns `''` when there is nothing to write (no tags and no extra lines): kohya refuses an
 *   empty caption file, so a caller removes the file instead.
 * @throws CivtagError `VALIDATION` when a tag contains a comma or a line break, which would
 *   silently turn it into other tags.
 */
export function formatCaption(
  caption: CaptionContent,
  options: Partial<CaptionOptions> = {},
): string {
  const settings: CaptionOptions = { ...DEFAULT_CAPTION_OPTIONS, ...options };
  const written: string[] = [];
  const seen = new Set<string>();
  for (const tag of caption.tags) {
    if (UNWRITABLE.test(tag)) {
      throw new CivtagError(
        ErrorCode.VALIDATION,
        `Cannot write the tag ${quoteForMessage(tag)} to a caption: it contains a comma or a line break. Normalise tags with normalizeTag first.`,
        { details: { tag } },
      );
    }
    const text = tag === caption.triggerWord ? tag : formatTag(tag, settings);
    if (seen.has(text)) continue;
    seen.add(text);
    written.push(text);
  }
  const extraLines = caption.extraLines ?? [];
  if (written.length === 0 && extraLines.length === 0) return '';
  return [written.join(', '), ...extraLines].join('\n');
}

/** Writes one tag with the caption options applied (see {@link formatCaption}). */
export function formatTag(tag: string, options: CaptionOptions): string {
  let text = tag;
  if (options.lowercase) text = text.toLowerCase();
  if (options.underscoresToSpaces && text.includes('_') && joinsWords(text)) {
    text = text.replaceAll('_', ' ');
  }
  if (options.escapeParentheses && (text.includes('(') || text.includes(')'))) {
    text = text.replace(/[()]/g, '\\$&');
  }
  return text;
}

/** kohya counts characters (code points), not UTF-16 units: `ミ_ク` has 3. */
/**
 * True when the underscores or spaces of `text` join words, so a tag style may convert them:
 * tags longer than 3 characters (kohya's rule) that are not kaomoji ({@link KAOMOJI_TAGS}).
 */
export function joinsWords(text: string): boolean {
  return longerThanThreeCharacters(text) && !KAOMOJI_TAGS.has(text);
}

export function longerThanThreeCharacters(text: string): boolean {
  if (text.length <= 3) return false;
  if (text.length >= 8) return true;
  let characters = 0;
  for (const _ of text) characters += 1;
  return characters > 3;
}
