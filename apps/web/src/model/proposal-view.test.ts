import type { ImageRecord, Proposal } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { formatScore, pendingOf, proposalName, withoutRejected } from './proposal-view.js';

const red: Proposal = { tag: 'red', score: 0.91, category: 'general' };
const hero: Proposal = { tag: 'hero_(series)', score: 0.88, category: 'character' };
const dark: Proposal = { tag: 'dark', score: 0.4, category: 'general' };

function record(tags: string[], proposals?: Proposal[]): ImageRecord {
  return {
    id: 'a',
    file: 'a.png',
    hash: 'h',
    width: 64,
    height: 64,
    format: 'png',
    tags,
    rev: 3,
    excluded: false,
    ...(proposals === undefined ? {} : { proposals }),
  };
}

describe('pending proposals of a record', () => {
  it('lists them highest score first, and none for an image never auto-tagged', () => {
    expect(pendingOf(record([], [dark, red, hero])).map((p) => p.tag)).toEqual([
      'red',
      'hero_(series)',
      'dark',
    ]);
    expect(pendingOf(record(['x']))).toEqual([]);
  });

  it('hides a proposal once the image holds its tag in any form, and shows it again when the tag goes', () => {
    const proposals = [red, hero, dark];
    expect(pendingOf(record(['Hero (series)', 'red'], proposals)).map((p) => p.tag)).toEqual([
      'dark',
    ]);
    expect(pendingOf(record(['red'], proposals)).map((p) => p.tag)).toEqual([
      'hero_(series)',
      'dark',
    ]);
  });
});

describe('proposal labels', () => {
  it('says a score as a whole percentage and names character proposals', () => {
    expect(formatScore(0.873)).toBe('87%');
    expect(formatScore(1)).toBe('100%');
    expect(proposalName(red)).toBe('red, proposed, 91%');
    expect(proposalName(hero)).toBe('hero_(series), proposed, character, 88%');
  });
});

describe('a rejection shown before the server confirms it', () => {
  it('hides rejected proposals by their fold at once', () => {
    const shown = withoutRejected(record([], [red, hero, dark]), ['hero (series)']);
    expect(shown.proposals?.map((p) => p.tag)).toEqual(['red', 'dark']);
  });
});
