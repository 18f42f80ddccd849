import { CivtagError, ErrorCode, Limits } from '@civtag/api-models';

const WHITESPACE_RUN = /\s+/gu;
/** A backslash (or several) right before a parenthesis is an escape, never part of the tag. */
const PARENTHESIS_ESCAPE = /\\+(?=[()])/g;
/** C0/C1 control characters and lone surrogates cannot be written to a UTF-8 caption. */
const FORBIDDEN_CHARACTER = /[\p{Cc}\p{Cs}]/u;

/**
 * Brings a tag to its stored form: Unicode NFC, parenthesis escapes (`\(`, `\)`) removed,
 * whitespace runs collapsed to one space, leading and trailing whitespace trimmed.
 *
 * Every real booru tag is valid: `1girl`, `^_^`, `>_<`, `:d`, `re:zero`, `photo (medium)`,
 * `初音ミク`. A tag only fails when it cannot survive a caption file.
 *
 * The result is a fixed point: `normalizeTag(normalizeTag(x)) === normalizeTag(x)`.
 *
 * @throws CivtagError `VALIDATION` when the tag is empty, contains a comma (the caption
 *   separator), a control character or an unpaired surrogate, or is longer than
 *   {@link Limits.tagLength} UTF-16 code units after normalisation.
 * @example normalizeTag('  long   hair ') // 'long hair'
 * @example normalizeTag('photo \\(medium\\)') // 'photo (medium)'
 */
export function normalizeTag(input: string): string {
  if (isPlainNormalizedTag(input)) return input;
  const normalized = normalizeWithoutChecks(input);
  const problem = problemOfNormalized(normalized);
  if (problem !== undefined) {
    throw new CivtagError(
      ErrorCode.VALIDATION,
      `Invalid tag ${quoteForMessage(input)}: ${problem}`,
      {
        details: { tag: input.slice(0, Limits.tagLength + 16), rule: problem },
      },
    );
  }
  return normalized;
}

/**
 * Like {@link normalizeTag}, but returns `undefined` instead of throwing. Useful when reading
 * untrusted text (captions, prompts) where a bad entry is reported rather than fatal.
 */
export function tryNormalizeTag(input: string): string | undefined {
  if (isPlainNormalizedTag(input)) return input;
  const normalized = normalizeWithoutChecks(input);
  return problemOfNormalized(normalized) === undefined ? normalized : undefined;
}

/** Explains why `input` is not a valid tag, or returns `undefined` when it is one. */
export function findTagProblem(input: string): string | undefined {
  if (isPlainNormalizedTag(input)) return undefined;
  return problemOfNormalized(normalizeWithoutChecks(input));
}

/**
 * Printable ASCII other than comma and backslash, single spaces between words: such a tag is
 * already in normal form. Most booru tags are, and checking this is far cheaper than NFC.
 */
const PLAIN_TAG = /^[!-+\--[\]-~](?:[!-+\--[\]-~]| (?=[!-+\--[\]-~]))*$/;

function isPlainNormalizedTag(input: string): boolean {
  return input.length <= Limits.tagLength && PLAIN_TAG.test(input);
}

function problemOfNormalized(normalized: string): string | undefined {
  // Forbidden characters are looked for after whitespace has collapsed: a tab or a newline is
  // whitespace, so it becomes a space rather than an error.
  if (normalized === '') return 'a tag cannot be empty';
  if (normalized.includes(','))
    return 'a tag cannot contain a comma (it separates tags in a caption)';
  if (FORBIDDEN_CHARACTER.test(normalized)) {
    return 'a tag cannot contain control characters or unpaired surrogates';
  }
  if (normalized.length > Limits.tagLength) {
    return `a tag can be at most ${Limits.tagLength} characters long (this one has ${normalized.length})`;
  }
  return undefined;
}

function normalizeWithoutChecks(input: string): string {
  // `normalize` keeps lone surrogates as they are, so the check above still sees them.
  return input.normalize('NFC').replace(PARENTHESIS_ESCAPE, '').replace(WHITESPACE_RUN, ' ').trim();
}

/** Quotes a value for an error message, shortened so a huge input cannot flood a log. */
export function quoteForMessage(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}…` : value;
  return JSON.stringify(shown);
}
