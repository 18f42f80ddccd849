import type { DatasetResponse } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { applyChangeToDataset } from './dataset-change.js';

const dataset: DatasetResponse = {
  id: 'd1',
  revision: 7,
  imageCount: 3,
  settings: {
    prefix: 'sakura',
    triggerWord: 'sakura',
    tagStyle: { separator: 'space', escapeParentheses: false },
    kohyaRepeats: 10,
  },
};

describe('a change applied to the dataset', () => {
  it('takes the settings a change carries, so the trigger word and style follow in every tab', () => {
    const settings = {
      prefix: 'sakura',
      triggerWord: 'sakura_style',
      tagStyle: { separator: 'underscore', escapeParentheses: true },
      kohyaRepeats: 4,
    } as const;
    const next = applyChangeToDataset(dataset, { revision: 8, changes: [], settings });
    expect(next.settings).toEqual(settings);
    expect(next.revision).toBe(8);
  });

  it('keeps the settings for a change that did not alter them, and counts added images', () => {
    const next = applyChangeToDataset(dataset, {
      revision: 9,
      changes: [],
      added: [
        {
          id: 'new',
          file: 'sakura_0004.png',
          hash: 'h',
          width: 64,
          height: 64,
          format: 'png',
          tags: [],
          rev: 9,
          excluded: false,
        },
      ],
    });
    expect(next.settings).toBe(dataset.settings);
    expect(next.imageCount).toBe(4);
  });

  it('never goes back to an older revision', () => {
    expect(applyChangeToDataset(dataset, { revision: 5, changes: [] }).revision).toBe(7);
  });
});
