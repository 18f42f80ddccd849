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

  it('suggests nothing for blank input', () => {
    expect(new TagSuggestions().suggest('  ', counts)).toEqual([]);
  });
});
