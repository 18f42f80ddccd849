import { randomBytes } from 'node:crypto';

const SUFFIX = /\.([0-9a-f]{12})\.civtag-(?:tmp|old)$/;
/** Long enough to recognise the file, short enough to stay under the 255-byte name limit. */
const MAX_STEM_CHARACTERS = 80;

/**
 * The name of a temporary file beside `baseName`: hidden, unique, and recognisable by
 * {@link isTemporaryFileName} so that a sweep can remove what a crash left behind.
 * `kind` is `tmp` for new content, `old` for a second name of the content being replaced.
 */
export function temporaryFileName(baseName: string, kind: 'tmp' | 'old'): string {
  const stem = Array.from(baseName).slice(0, MAX_STEM_CHARACTERS).join('');
  return `.${stem}.${nextTag()}.civtag-${kind}`;
}

/**
 * 12 hex digits, different on every call: a random start for this process, counted up. One
 * random draw per process instead of one per file (a bulk write makes 100,000 of these);
 * files are created exclusively, so even a clash with another process fails safe.
 */
const TAG_SPACE = 2 ** 48;
let lastTag = randomBytes(6).readUIntBE(0, 6);

function nextTag(): string {
  lastTag = (lastTag + 1) % TAG_SPACE;
  return lastTag.toString(16).padStart(12, '0');
}

/** True for a name made by {@link temporaryFileName}. */
export function isTemporaryFileName(name: string): boolean {
  return name.startsWith('.') && SUFFIX.test(name);
}

/**
 * Where this process's sequence of temporary names stands now: the names it makes from now on
 * are told apart by {@link isTemporaryFileNameMadeSince}, so that a sweep running beside this
 * process's own writes leaves them alone.
 */
export function temporaryNameMark(): number {
  return lastTag;
}

/** True for a temporary name that this process made after `mark` ({@link temporaryNameMark}). */
export function isTemporaryFileNameMadeSince(name: string, mark: number): boolean {
  const match = name.startsWith('.') ? SUFFIX.exec(name) : null;
  if (match === null) return false;
  const tag = Number.parseInt(match[1] as string, 16);
  const made = (lastTag - mark + TAG_SPACE) % TAG_SPACE;
  const offset = (tag - mark + TAG_SPACE) % TAG_SPACE;
  return offset >= 1 && offset <= made;
}
