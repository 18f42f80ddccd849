import type { CaptionOptions, Settings } from '@civtag/api-models';
import { type CaptionContent, formatCaption } from './format-caption.js';

/**
 * How a dataset writes captions: its trigger word, which no option changes (it must match the
 * kohya folder name and the prompts), and the caption options: the tag style's
 * `escapeParentheses` (tags are already stored in the style's separator form), with an
 * export's overrides on top.
 */
export interface CaptionStyle extends Partial<CaptionOptions> {
  triggerWord?: string | undefined;
}

/** The caption style of a dataset's settings, with `overrides` (an export's) on top. */
export function captionStyle(
  settings: Pick<Settings, 'triggerWord' | 'tagStyle'> & Partial<Settings>,
  overrides: Partial<CaptionOptions> = {},
): CaptionStyle {
  return {
    escapeParentheses: settings.tagStyle.escapeParentheses,
    ...overrides,
    triggerWord: settings.triggerWord,
  };
}

/** A caption as `formatCaption` takes it, and the options to write it with. */
export function captionToFormat(
  caption: { tags: readonly string[]; extraLines?: readonly string[] | undefined },
  style: CaptionStyle,
): { content: CaptionContent; options: Partial<CaptionOptions> } {
  const { triggerWord, ...options } = style;
  const content: CaptionContent = { tags: caption.tags, triggerWord };
  if (caption.extraLines !== undefined) content.extraLines = caption.extraLines;
  return { content, options };
}

/**
 * What an image's caption file should contain, exactly as the dataset writes it (and a plain
 * export copies it); `''` means no caption file at all. The web editor shows it through this
 * same function.
 *
 * @example captionText({ tags: ['sks', 'photo (medium)'] }, captionStyle(settings))
 */
export function captionText(
  caption: { tags: readonly string[]; extraLines?: readonly string[] | undefined },
  style: CaptionStyle,
): string {
  const { content, options } = captionToFormat(caption, style);
  return formatCaption(content, options);
}
