import { createHash } from 'node:crypto';
import type { CaptionOptions } from '@civtag/api-models';
import { formatCaption } from '@civtag/tags';

/** What an image's caption file should contain; `''` means no caption file at all. */
export function captionText(
  caption: { tags: readonly string[]; extraLines?: readonly string[] | undefined },
  options: Partial<CaptionOptions>,
): string {
  const value: { tags: readonly string[]; extraLines?: readonly string[] } = { tags: caption.tags };
  if (caption.extraLines !== undefined) value.extraLines = caption.extraLines;
  return formatCaption(value, options);
}

/**
 * A short fingerprint of caption text, kept per image as what was last written; `''` for
 * no text (no caption file). 64 bits of sha256 tell a dataset's own versions apart.
 */
export function textHash(text: string): string {
  if (text === '') return '';
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
