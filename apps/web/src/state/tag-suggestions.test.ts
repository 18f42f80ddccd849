import { describe, expect, it } from 'vitest';
import { TagSuggestions } from './tag-suggestions.js';

const counts = [
  { tag: 'long hair', count: 40 },
  { tag: 'hair ornament', count: 12 },
  { tag: 'long sleeves', count: 7 },
  { tag: 'solo', count: 55 },
];

describe('tag suggestions', () => {
  it('ranks dataset tags by their count in the whole dataset, prefix matches first', () => {
    const suggestions = new TagSuggestions().suggest('long', counts);
    expect(suggestions.map((entry) => [entry.tag, entry.count])).toEqual([
      ['long hair', 40],
      ['long sleeves', 7],
    ]);
    const hair = new TagSuggestions().suggest('hair', counts);
    expect(hair.map((entry) => entry.tag)).toEqual(['hair ornament', 'long hair']);
  });

  it('adds vocabulary tags after dataset tags and leaves out tags already on the image', () => {
    const suggestions = new TagSuggestions();
    suggestions.setVocabulary([{ tag: 'long legs', category: 0, count: 90_000, aliases: [] }]);
    const found = suggestions.suggest('long', counts, { exclude: ['long hair'] });
    expect(found.map((entry) => [entry.tag, entry.source])).toEqual([
      ['long sleeves', 'dataset'],
      ['long legs', 'vocabulary'],
    ]);
  });

  it("offers a vocabulary tag in the dataset's tag style, the form it will be inserted in", () => {
    const suggestions = new TagSuggestions();
    suggestions.setVocabulary([
      { tag: 'long_hair', category: 0, count: 90_000, aliases: [] },
      { tag: 'blue eyes', category: 0, count: 80_000, aliases: [] },
      { tag: '^_^', category: 0, count: 5_000, aliases: [] },
    ]);
    const spaces = { separator: 'space', escapeParentheses: false } as const;
    const underscores = { separator: 'underscore', escapeParentheses: true } as const;
    expect(suggestions.suggest('long', [], { tagStyle: spaces }).map((entry) => entry.tag)).toEqual(
      ['long hair'],
    );
    expect(
      suggestions.suggest('blue', [], { tagStyle: underscores }).map((entry) => entry.tag),
    ).toEqual(['blue_eyes']);
    expect(suggestions.suggest('^', [], { tagStyle: spaces }).map((entry) => entry.tag)).toEqual([
      '^_^',
    ]);
  });

  it('suggests a tag once when the dataset and the vocabulary hold it in two forms', () => {
    const suggestions = new TagSuggestions();
    suggestions.setVocabulary([
      { tag: 'long_hair', category: 0, count: 90_000, aliases: [] },
      { tag: 'Long Sleeves', category: 0, count: 30_000, aliases: [] },
    ]);
    const found = suggestions.suggest('long', counts, {
      tagStyle: { separator: 'space', escapeParentheses: false },
    });
    expect(found.map((entry) => [entry.tag, entry.source])).toEqual([
      ['long hair', 'dataset'],
      ['long sleeves', 'dataset'],
    ]);
  });

  it('leaves out a tag the image holds in another form', () => {
    const suggestions = new TagSuggestions();
    suggestions.setVocabulary([{ tag: 'long_legs', category: 0, count: 90_000, aliases: [] }]);
    const found = suggestions.suggest('long', counts, {
      exclude: ['Long_Hair', 'long legs'],
      tagStyle: { separator: 'space', escapeParentheses: false },
    });
    expect(found.map((entry) => entry.tag)).toEqual(['long sleeves']);
  });

  it('suggests nothing for blank input', () => {
    expect(new TagSuggestions().suggest('  ', counts)).toEqual([]);
  });
});

describe('tag suggestions from prepared indexes', () => {
  it('answers the same once the counts and the vocabulary are indexed in slices', async () => {
    const vocabulary = [
      { tag: 'long_legs', category: 0, count: 90_000, aliases: ['legs_long'] },
      { tag: 'hair_bun', category: 0, count: 80_000, aliases: [] },
    ];
    const direct = new TagSuggestions();
    direct.setVocabulary(vocabulary);
    const prepared = new TagSuggestions();
    await Promise.all([prepared.loadVocabulary(vocabulary), prepared.prepareCounts(counts)]);
    for (const input of ['long', 'hair', 'legs', 'o', 'zz']) {
      expect(prepared.suggest(input, counts, { exclude: ['solo'] })).toEqual(
        direct.suggest(input, counts, { exclude: ['solo'] }),
      );
    }
    expect(prepared.suggest('legs', counts)[0]).toMatchObject({
      tag: 'long_legs',
      alias: 'legs_long',
    });
  });
});
