import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mcutThreshold, selectTags } from './select-tags.js';
import type { TaggerLabel } from './selected-tags-csv.js';

const labels: TaggerLabel[] = [
  { name: 'general', category: 'rating' },
  { name: 'sensitive', category: 'rating' },
  { name: 'long_hair', category: 'general' },
  { name: 'smile', category: 'general' },
  { name: '^_^', category: 'general' },
  { name: 'outdoors', category: 'general' },
  { name: 'hatsune_miku', category: 'character' },
  { name: 'kagamine_rin', category: 'character' },
  { name: 'some_artist', category: undefined },
];
const scores = [0.2, 0.7, 0.9, 0.36, 0.35, 0.1, 0.86, 0.4, 0.99];

describe('selectTags', () => {
  it('proposes tags at or above their category threshold, highest first, and the top rating', () => {
    expect(selectTags(labels, scores)).toEqual({
      proposals: [
        { tag: 'long_hair', score: 0.9, category: 'general' },
        { tag: 'hatsune_miku', score: 0.86, category: 'character' },
        { tag: 'smile', score: 0.36, category: 'general' },
        { tag: '^_^', score: 0.35, category: 'general' },
      ],
      rating: { label: 'sensitive', score: 0.7 },
    });
  });

  it('takes per-category thresholds', () => {
    const { proposals } = selectTags(labels, scores, {
      thresholds: { general: 0.5, character: 0.3 },
    });
    expect(proposals.map((proposal) => proposal.tag)).toEqual([
      'long_hair',
      'hatsune_miku',
      'kagamine_rin',
    ]);
  });

  it('excludes tags in any form civtag takes for the same tag', () => {
    const { proposals } = selectTags(labels, scores, { exclude: ['Long Hair', 'hatsune miku'] });
    expect(proposals.map((proposal) => proposal.tag)).toEqual(['smile', '^_^']);
  });

  it('keeps the best maxTags', () => {
    expect(selectTags(labels, scores, { maxTags: 1 }).proposals.map((p) => p.tag)).toEqual([
      'long_hair',
    ]);
  });

  it('has no rating when the model has none', () => {
    expect(selectTags(labels.slice(2), scores.slice(2)).rating).toBeUndefined();
  });

  it('cuts general tags at the largest gap with MCut', () => {
    // General scores 0.9, 0.36, 0.35, 0.1: the largest gap is 0.9 → 0.36.
    const { proposals } = selectTags(labels, scores, {
      thresholds: { general: 'mcut', character: 1 },
    });
    expect(proposals.map((proposal) => proposal.tag)).toEqual(['long_hair']);
  });
});

describe('mcutThreshold', () => {
  it('is the middle of the largest gap between sorted scores', () => {
    expect(mcutThreshold([0.9, 0.8, 0.2, 0.1])).toBeCloseTo(0.5);
    expect(mcutThreshold([0.1, 0.95, 0.9])).toBeCloseTo(0.5);
    expect(mcutThreshold([0.5])).toBe(0);
  });

  it('separates the scores so that every kept score is above every dropped one, keeping at least one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 2 }),
        (values) => {
          const cut = mcutThreshold(values);
          const kept = values.filter((value) => value >= cut);
          const dropped = values.filter((value) => value < cut);
          expect(kept.length).toBeGreaterThan(0);
          if (dropped.length > 0) {
            const gap = Math.min(...kept) - Math.max(...dropped);
            const sorted = [...values].sort((a, b) => b - a);
            const largest = Math.max(
              ...sorted.slice(1).map((value, index) => (sorted[index] as number) - value),
            );
            expect(gap).toBeCloseTo(largest, 6);
          }
        },
      ),
    );
  });
});
