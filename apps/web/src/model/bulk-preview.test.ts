import type { ImageRecord } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { previewBulkOp } from './bulk-preview.js';

function record(id: string, tags: string[], excluded = false): ImageRecord {
  return {
    id,
    file: `${id}.png`,
    hash: id,
    width: 512,
    height: 512,
    format: 'png',
    tags,
    rev: 1,
    excluded,
  };
}

const records = [
  record('a', ['solo', 'smile']),
  record('b', ['solo']),
  record('c', ['duo']),
  record('d', ['solo'], true),
];

describe('bulk preview', () => {
  it('counts only the images an add would change', () => {
    const preview = previewBulkOp(records, {
      type: 'add',
      target: { query: 'solo' },
      tags: ['smile'],
    });
    expect(preview.changed).toBe(1);
    expect(preview.samples).toEqual([{ imageId: 'b', before: ['solo'], after: ['solo', 'smile'] }]);
  });

  it('counts a rename over a selection of ids', () => {
    const preview = previewBulkOp(records, {
      type: 'replace',
      target: { ids: ['a', 'b', 'c'] },
      from: 'solo',
      to: 'alone',
    });
    expect(preview.changed).toBe(2);
    expect(preview.considered).toBe(4);
  });

  it('keeps the trigger word first in the previewed captions', () => {
    const preview = previewBulkOp(
      [record('a', ['sakura', 'solo'])],
      { type: 'add', target: { all: true }, tags: ['new'], position: 'start' },
      { triggerWord: 'sakura' },
    );
    expect(preview.samples[0]?.after).toEqual(['sakura', 'new', 'solo']);
  });

  it('reports an op the tag rules refuse instead of throwing', () => {
    const preview = previewBulkOp(records, { type: 'add', target: { all: true }, tags: ['a, b'] });
    expect(preview.changed).toBe(0);
    expect(preview.problem).toBeTypeOf('string');
  });
});
