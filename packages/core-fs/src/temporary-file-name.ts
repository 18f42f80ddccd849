import { randomBytes } from 'node:crypto';

const SUFFIX = /\.[0-9a-f]{12}\.civtag-(?:tmp|old)$/;
/** Long enough to recognise the file, short enough to stay under the 255-byte name limit. */
const MAX_STEM_CHARACTERS = 80;

/**
 * The name of a temporary file beside `baseName`: hidden, unique, and recognisable by
 * {@link isTemporaryFileName} so that a sweep can remove what a crash left behind.
 * `kind` is `tmp` for new content, `old` for a second name of the content being replaced.
 */
export function temporaryFileName(baseName: string, kind: 'tmp' | 'old'): string {
  const stem = Array.from(baseName).slice(0, MAX_STEM_CHARACTERS).join('');
  return `.${stem}.${randomBytes(6).toString('hex')}.civtag-${kind}`;
}

/** True for a name made by {@link temporaryFileName}. */
export function isTemporaryFileName(name: string): boolean {
  return name.startsWith('.') && SUFFIX.test(name);
}
