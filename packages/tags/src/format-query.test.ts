import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REAL_TAGS, tagArbitrary } from '../test/arbitraries.js';
import { formatQuery, formatTagTerm } from './format-query.js';
import { parseQuery } from './parse-query.js';
import type { QueryNode } from './query-node.js';

const leaf: fc.Arbitrary<QueryNode> = fc.oneof(
  fc
    .oneof(
      tagArbitrary,
      fc.constantFrom(
        'AND',
        'untagged',
        'tags<5',
        'id:invaded',
        'has:proposals',
        'width<768',
        'is:excluded',
        'format:png',
        'name:x',
        'source:y',
        'a "quoted" \\ tag',
        '*',
      ),
    )
    .map((tag) => ({ type: 'tag' as const, tag })),
  fc
    .constantFrom('long_*', '*hair', '*girl*', 'hatsune_miku_(*)')
    .map((pattern) => ({ type: 'wildcard' as const, pattern })),
  fc.record({
    type: fc.constant('tagCount' as const),
    operator: fc.constantFrom(
      '<' as const,
      '<=' as const,
      '>' as const,
      '>=' as const,
      '=' as const,
      '!=' as const,
    ),
    value: fc.nat(999),
  }),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/).map((id) => ({ type: 'imageId' as const, id })),
  fc.constantFrom(
    { type: 'has' as const, what: 'proposals' as const },
    { type: 'has' as const, what: 'near-duplicates' as const },
    { type: 'is' as const, what: 'excluded' as const },
  ),
  fc.record({
    type: fc.constant('size' as const),
    dimension: fc.constantFrom('width' as const, 'height' as const),
    operator: fc.constantFrom('<' as const, '<=' as const, '>=' as const, '!=' as const),
    value: fc.nat(99999),
  }),
  fc
    .constantFrom('png' as const, 'jpeg' as const, 'webp' as const, 'avif' as const)
    .map((format) => ({ type: 'format' as const, format })),
  fc.record({
    type: fc.constant('text' as const),
    field: fc.constantFrom('name' as const, 'source' as const),
    pattern: fc.oneof(tagArbitrary, fc.constantFrom('a "b" \\ c', 'x*y', '(1)')),
  }),
);

const { node: queryArbitrary } = fc.letrec<{ node: QueryNode }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'query' },
    leaf,
    fc.record({ type: fc.constant('not' as const), operand: tie('node') }),
    fc.record({
      type: fc.constantFrom('and' as const, 'or' as const),
      operands: fc.array(tie('node'), { minLength: 2, maxLength: 3 }),
    }),
  ),
}));

describe('formatQuery', () => {
  it('writes a query that parses back to the same query', () => {
    fc.assert(
      fc.property(queryArbitrary, (node) => {
        expect(parseQuery(formatQuery(node))).toEqual(node);
      }),
      { numRuns: 500 },
    );
  });

  it('quotes only tags that would read as syntax', () => {
    expect(formatTagTerm('1girl')).toBe('1girl');
    expect(formatTagTerm('^_^')).toBe('^_^');
    expect(formatTagTerm('long hair')).toBe('"long hair"');
    expect(formatTagTerm('photo (medium)')).toBe('"photo (medium)"');
    expect(formatTagTerm('OR')).toBe('"OR"');
    expect(formatTagTerm('tags>3')).toBe('"tags>3"');
    for (const tag of REAL_TAGS)
      expect(parseQuery(formatTagTerm(tag))).toEqual({ type: 'tag', tag });
  });

  it('writes nested groups with the parentheses they need', () => {
    expect(formatQuery(parseQuery('a OR b c NOT (d OR e)'))).toBe('a OR b AND c AND NOT (d OR e)');
    expect(formatQuery({ type: 'all' })).toBe('');
  });
});
