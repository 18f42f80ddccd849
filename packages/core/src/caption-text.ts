import { createHash } from 'node:crypto';

// The caption's form has one home, `@civtag/tags`, shared with the web editor's caption view.
export { type CaptionStyle, captionStyle, captionText, captionToFormat } from '@civtag/tags';

/**
 * A short fingerprint of caption text, kept per image as what was last written; `''` for
 * no text (no caption file). 64 bits of sha256 tell a dataset's own versions apart.
 */
export function textHash(text: string): string {
  if (text === '') return '';
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
