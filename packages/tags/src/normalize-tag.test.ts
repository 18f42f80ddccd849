import { CivtagError, Limits } from '@civtag/api-models';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REAL_TAGS } from '../test/arbitraries.js';
import { findTagProblem, normalizeTag, tryNormalizeTag } from './normalize-tag.js';

function validationError(run: () => unknown): CivtagError {
  try {
    run();
  } catch (error) {
    if (CivtagError.hasCode(error, 'VALIDATION')) return error;
    throw error;
  }
  throw new Error('expected a VALIDATION error');
}

describe('normalizeTag', () => {
  it('accepts real booru tags as they are', () => {
    for (const tag of REAL_TAGS) expect(normalizeTag(tag)).toBe(tag);
  });

  it('trims and collapses inner whitespace, tabs and line breaks included', () => {
    expect(normalizeTag('  long   hair ')).toBe('long hair');
    expect(normalizeTag('looking\tat\r\nviewer')).toBe('looking at viewer');
    expect(normalizeTag('\u3000初音ミク\u00a0')).toBe('初音ミク');
  });

  it('composes to NFC so that two spellings of é are one tag', () => {
    expect(normalizeTag('poke\u0301mon')).toBe('pok\u00e9mon');
  });

  it('unescapes parentheses written the A1111 way', () => {
    expect(normalizeTag('photo \\(medium\\)')).toBe('photo (medium)');
    expect(normalizeTag('hatsune miku \\\\(cosplay\\)')).toBe('hatsune miku (cosplay)');
    expect(normalizeTag('\\m/')).toBe('\\m/');
  });

  it('rejects an empty tag', () => {
    expect(validationError(() => normalizeTag('   ')).message).toMatch(/cannot be empty/);
  });

  it('rejects a comma, which would split the tag in a caption', () => {
    const error = validationError(() => normalizeTag('red, blue'));
    expect(error.message).toContain('"red, blue"');
    expect(error.message).toMatch(/comma/);
  });

  it('rejects control characters and unpaired surrogates', () => {
    expect(validationError(() => normalizeTag('bad\u0000tag')).message).toMatch(/control/);
    expect(validationError(() => normalizeTag('bad\u0085tag')).code).toBe('VALIDATION');
    expect(validationError(() => normalizeTag('half \ud83c')).message).toMatch(/surrogate/);
  });

  it('rejects a tag over the length limit and names the limit', () => {
    const error = validationError(() => normalizeTag('a'.repeat(Limits.tagLength + 1)));
    expect(error.message).toContain(String(Limits.tagLength));
    expect(normalizeTag('a'.repeat(Limits.tagLength))).toHaveLength(Limits.tagLength);
  });

  it('offers a non-throwing form and an explanation', () => {
    expect(tryNormalizeTag(' solo ')).toBe('solo');
    expect(tryNormalizeTag('a,b')).toBeUndefined();
    expect(findTagProblem('solo')).toBeUndefined();
    expect(findTagProblem('')).toMatch(/empty/);
  });

  it('is idempotent on any text', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc
        .array(fc.constantFrom(...' \t\n\\()e\u0301_^,\u00a0\ufeffミ'), { maxLength: 30 })
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (input) => {
        const once = tryNormalizeTag(input);
        return once === undefined || normalizeTag(once) === once;
      }),
      { numRuns: 500 },
    );
  });

  it('throws nothing but VALIDATION errors', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (input) => {
        try {
          normalizeTag(input);
        } catch (error) {
          return CivtagError.hasCode(error, 'VALIDATION');
        }
        return true;
      }),
    );
  });
});
