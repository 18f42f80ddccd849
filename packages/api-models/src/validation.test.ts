import { describe, expect, it } from 'vitest';
import { CivtagError } from './errors.js';
import { OpRequestSchema } from './http.js';
import { SettingsSchema } from './settings.js';
import { TagOpSchema } from './tag-op.js';
import { parseOrThrow } from './validation.js';

function validationError(run: () => unknown): CivtagError {
  try {
    run();
  } catch (error) {
    if (CivtagError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a VALIDATION error');
}

describe('parseOrThrow', () => {
  it('returns the parsed value when it is valid', () => {
    const op = parseOrThrow(
      TagOpSchema,
      { type: 'add', target: { all: true }, tags: ['1girl'] },
      'tag op',
    );
    expect(op).toEqual({ type: 'add', target: { all: true }, tags: ['1girl'] });
  });

  it('names the field path and the rule broken', () => {
    const error = validationError(() =>
      parseOrThrow(
        OpRequestSchema,
        { op: { type: 'add', target: { ids: ['sakura_0001'] }, tags: ['ok', ''] } },
        'op request',
      ),
    );
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(
      /^Invalid op request: op\.tags\[1\]: must have at least 1 characters$/,
    );
    expect(error.details).toEqual({
      issues: [expect.objectContaining({ path: 'op.tags[1]' })],
    });
  });

  it('names a bad prefix and what a prefix may be', () => {
    const error = validationError(() =>
      parseOrThrow(
        SettingsSchema,
        {
          prefix: '../evil',
          tagStyle: { separator: 'space', escapeParentheses: false },
          kohyaRepeats: 10,
        },
        'settings',
      ),
    );
    expect(error.message).toContain('prefix: must be 1–64 letters, digits, "_" or "-"');
  });

  it('refuses unknown op types and extra fields, saying which', () => {
    expect(() => parseOrThrow(TagOpSchema, { type: 'delete-everything' }, 'tag op')).toThrow(
      'Invalid tag op: type: has no known "type"',
    );
    expect(() =>
      parseOrThrow(TagOpSchema, { type: 'set', imageId: 'a', tags: [], path: '/etc' }, 'tag op'),
    ).toThrow('Invalid tag op: unknown field "path"');
    expect(() => parseOrThrow(TagOpSchema, { type: 'set', imageId: 'a', tags: 'x' }, 'op')).toThrow(
      'Invalid op: tags: expected array, got string',
    );
    expect(() => parseOrThrow(TagOpSchema, { type: 'set', imageId: 'a' }, 'op')).toThrow(
      'Invalid op: tags: is required (array)',
    );
  });

  it('accepts real booru tags and refuses ids that could be paths', () => {
    const tags = ['1girl', 'photo (medium)', '^_^', '>_<', 'score:9', 'ハート'];
    expect(
      parseOrThrow(TagOpSchema, { type: 'set', imageId: 'sakura_0001', tags }, 'op').type,
    ).toBe('set');
    expect(() =>
      parseOrThrow(TagOpSchema, { type: 'set', imageId: '../../etc/passwd', tags }, 'op'),
    ).toThrow(/imageId/);
  });
});
