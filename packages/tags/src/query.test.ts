import { CivtagError } from '@civtag/api-models';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileQuery } from './compile-query.js';
import { parseQuery } from './parse-query.js';
import type { TaggableImage } from './taggable-image.js';

const images: TaggableImage[] = [
  { id: 'a', tags: ['1girl', 'solo', 'long hair', 'smile'], excluded: false },
  { id: 'b', tags: ['2girls', 'long_hair', 'hatsune miku (cosplay)'], excluded: false },
  { id: 'c', tags: ['1boy', 'solo', 'short hair', '^_^'], excluded: false },
  { id: 'd', tags: [], excluded: false },
  { id: 'e', tags: ['Landscape'], excluded: false },
];

function matching(query: string): string[] {
  const matches = compileQuery(query);
  return images.filter(matches).map((image) => image.id);
}

function syntaxError(query: string): CivtagError {
  try {
    parseQuery(query);
  } catch (error) {
    if (CivtagError.hasCode(error, 'VALIDATION')) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(query)} to be refused`);
}

describe('filter queries', () => {
  it('finds images by tag, ignoring case and underscore versus space', () => {
    expect(matching('solo')).toEqual(['a', 'c']);
    expect(matching('long_hair')).toEqual(['a', 'b']);
    expect(matching('landscape')).toEqual(['e']);
    expect(matching('^_^')).toEqual(['c']);
  });

  it('takes parenthesised booru tags without quotes, and quoted tags with spaces', () => {
    expect(matching('hatsune_miku_(cosplay)')).toEqual(['b']);
    expect(matching('"long hair" "smile"')).toEqual(['a']);
    expect(matching('(hatsune_miku_(cosplay) OR smile)')).toEqual(['a', 'b']);
  });

  it('matches * wildcards anywhere in a tag', () => {
    expect(matching('*hair')).toEqual(['a', 'b', 'c']);
    expect(matching('*girl*')).toEqual(['a', 'b']);
    expect(matching('"*hair"')).toEqual([]);
  });

  it('combines terms with AND, OR, NOT, implicit AND and parentheses', () => {
    expect(matching('solo AND smile')).toEqual(['a']);
    expect(matching('solo smile')).toEqual(['a']);
    expect(matching('1girl OR 1boy')).toEqual(['a', 'c']);
    expect(matching('NOT solo')).toEqual(['b', 'd', 'e']);
    expect(matching('solo NOT (smile OR ^_^)')).toEqual([]);
    expect(matching('2girls OR solo smile')).toEqual(['a', 'b']);
    expect(matching('(2girls OR solo) NOT smile')).toEqual(['b', 'c']);
  });

  it('treats lower-case and, or, not as tags', () => {
    expect(parseQuery('not')).toEqual({ type: 'tag', tag: 'not' });
  });

  it('filters on the number of tags', () => {
    expect(matching('tags<3')).toEqual(['d', 'e']);
    expect(matching('tags>=4')).toEqual(['a', 'c']);
    expect(matching('tags=0')).toEqual(['d']);
    expect(matching('untagged')).toEqual(['d']);
    expect(matching('tags!=0 tags<=1')).toEqual(['e']);
    expect(matching('NOT untagged tags>3')).toEqual(['a', 'c']);
  });

  it('matches everything with an empty query', () => {
    expect(matching('   ')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(parseQuery('')).toEqual({ type: 'all' });
  });

  it('says where a syntax error is, with a caret under it', () => {
    const error = syntaxError('solo AND ');
    expect(error.details).toMatchObject({ position: 9 });
    expect(error.message).toBe(
      'Filter query error at column 10: expected a tag after "AND".\n  solo AND \n           ^',
    );
  });

  it('explains each kind of syntax error', () => {
    expect(syntaxError('(solo OR smile').message).toMatch(
      /expected "\)" to close the "\(" at column 1/,
    );
    expect(syntaxError('solo )').details).toMatchObject({ position: 5 });
    expect(syntaxError('"long hair').details).toMatchObject({ position: 0 });
    expect(syntaxError('tags<five').message).toMatch(/whole number after "tags<"/);
    expect(syntaxError('OR solo').details).toMatchObject({ position: 0 });
    expect(syntaxError('solo ()').message).toMatch(/empty parentheses/);
    expect(syntaxError('NOT').message).toMatch(/after "NOT"/);
    expect(syntaxError('""').message).toMatch(/cannot be empty/);
    expect(syntaxError('('.repeat(100)).message).toMatch(/nested more than 64/);
    expect(syntaxError('a '.repeat(3000)).message).toMatch(/at most 4096/);
  });

  it('shows a window of a long query around the error', () => {
    const query = `${'solo '.repeat(20)}) ${'smile '.repeat(20)}`;
    const [, excerpt, caret] = syntaxError(query).message.split('\n');
    expect(excerpt?.startsWith('  …')).toBe(true);
    expect(excerpt?.[caret?.indexOf('^') ?? -1]).toBe(')');
  });

  it('throws nothing but VALIDATION errors on arbitrary text', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc
        .array(
          fc.constantFrom(
            '(',
            ')',
            '"',
            '\\',
            '*',
            ' ',
            'AND',
            'OR',
            'NOT',
            'tags<',
            'tags>=',
            '3',
            'untagged',
            'id:',
            'Qm9v',
            'solo',
            'ミ',
            '\ud800',
            '\n',
          ),
          { maxLength: 30 },
        )
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (query) => {
        try {
          compileQuery(query)({ id: 'x', tags: ['solo', 'ミ'], excluded: false });
        } catch (error) {
          return (
            CivtagError.hasCode(error, 'VALIDATION') && typeof error.details?.position === 'number'
          );
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  });
});
