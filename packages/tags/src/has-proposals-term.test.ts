import { CivtagError } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { compileQuery } from './compile-query.js';
import { formatQuery, formatTagTerm } from './format-query.js';
import { parseQuery } from './parse-query.js';
import type { TaggableImage } from './taggable-image.js';

const general = (tag: string, score: number) => ({ tag, score, category: 'general' as const });

const images: TaggableImage[] = [
  // Pending: `red` is proposed and not held.
  { id: 'pending', tags: ['solo'], excluded: false, proposals: [general('red', 0.9)] },
  // Every proposal held already, in another form.
  { id: 'held', tags: ['Long_Hair'], excluded: false, proposals: [general('long hair', 0.8)] },
  // Every proposal rejected.
  {
    id: 'rejected',
    tags: [],
    excluded: false,
    proposals: [general('blue', 0.7)],
    rejected: ['blue'],
  },
  // Never scored; its tag merely looks like the term.
  { id: 'never', tags: ['has:proposals'], excluded: false },
];

function matching(query: string): string[] {
  return images.filter(compileQuery(query)).map((image) => image.id);
}

describe('the has:proposals term of filter queries', () => {
  it('finds the images with proposals still waiting for a decision, and only those', () => {
    expect(matching('has:proposals')).toEqual(['pending']);
    expect(matching('HAS:Proposals')).toEqual(['pending']);
    expect(matching('NOT has:proposals')).toEqual(['held', 'rejected', 'never']);
    expect(matching('has:proposals solo')).toEqual(['pending']);
    expect(matching('has:proposals OR untagged')).toEqual(['pending', 'rejected']);
  });

  it('parses to its own node and formats back to the same text', () => {
    expect(parseQuery('has:proposals')).toEqual({ type: 'has', what: 'proposals' });
    expect(formatQuery({ type: 'has', what: 'proposals' })).toBe('has:proposals');
    const node = parseQuery('NOT has:proposals AND (a OR b)');
    expect(parseQuery(formatQuery(node))).toEqual(node);
  });

  it('keeps a tag that starts with "has:" reachable in quotes', () => {
    expect(parseQuery('"has:proposals"')).toEqual({ type: 'tag', tag: 'has:proposals' });
    expect(matching('"has:proposals"')).toEqual(['never']);
    expect(formatTagTerm('has:hat')).toBe('"has:hat"');
    expect(formatTagTerm('HAS:proposals')).toBe('"HAS:proposals"');
  });

  it('refuses has: with anything but proposals, and says where and what to do', () => {
    for (const query of ['has:', 'solo has:tags', 'has:proposal']) {
      let caught: unknown;
      try {
        parseQuery(query);
      } catch (error) {
        caught = error;
      }
      expect(CivtagError.hasCode(caught, 'VALIDATION'), query).toBe(true);
      expect((caught as Error).message).toContain('has:proposals');
      expect((caught as Error).message).toContain('in quotes');
    }
  });
});
