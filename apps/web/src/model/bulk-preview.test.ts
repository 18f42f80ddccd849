import type { ImageRecord } from '@civtag/api-models';
import { tagOpOptions } from '@civtag/tags';
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
  it('counts the proposals an accept with a minimum score takes, over the images it changes', () => {
    const proposed = (tag: string, score: number) => ({ tag, score, category: 'general' as const });
    const withProposals = [
      { ...record('a', ['solo']), proposals: [proposed('red', 0.9), proposed('dark', 0.6)] },
      { ...record('b', []), proposals: [proposed('red', 0.95), proposed('sky', 0.8)] },
      // Holds `red` already: only its other proposal is pending.
      { ...record('c', ['Red']), proposals: [proposed('red', 0.99), proposed('dark', 0.4)] },
      record('d', ['solo']),
    ];
    const preview = previewBulkOp(withProposals, {
      type: 'accept-proposals',
      target: { ids: ['a', 'b', 'c', 'd'] },
      minScore: 0.75,
    });
    expect(preview.changed).toBe(2);
    expect(preview.tagsAdded).toBe(3);
    expect(preview.samples[0]).toEqual({ imageId: 'a', before: ['solo'], after: ['solo', 'red'] });
  });

  it('counts only the images an add would change', () => {
    const preview = previewBulkOp(records, {
      type: 'add',
      target: { query: 'solo' },
      tags: ['smile'],
    });
    expect(preview.changed).toBe(1);
    expect(preview.samples).toEqual([{ imageId: 'b', before: ['solo'], after: ['solo', 'smile'] }]);
  });

  it('counts a change over a filter on the images themselves (size, format, name, source)', () => {
    const mixed = [
      { ...record('a', ['solo']), width: 1024, source: { name: 'a.jpg', path: 'trip/a.jpg' } },
      { ...record('b', ['solo']), format: 'webp' as const },
      record('c', ['solo']),
    ];
    const count = (query: string) =>
      previewBulkOp(mixed, { type: 'add', target: { query }, tags: ['x'] }).changed;
    expect(count('width>=1024')).toBe(1);
    expect(count('format:webp')).toBe(1);
    expect(count('name:c.png')).toBe(1);
    expect(count('source:trip/')).toBe(1);
  });

  it('counts a change over the grid’s filter when the records are its matches, near-duplicates too', () => {
    // The two images the server found alike: every page of `has:near-duplicates`.
    const alike = [record('a', ['solo']), record('b', ['duo'])];
    const op = { type: 'add' as const, target: { query: 'has:near-duplicates' }, tags: ['x'] };
    expect(previewBulkOp(alike, op).problem).toBeDefined();
    expect(previewBulkOp(alike, op, { recordsMatchQuery: true })).toMatchObject({
      changed: 2,
      considered: 2,
    });
    expect(previewBulkOp([], op, { recordsMatchQuery: true }).changed).toBe(0);
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
      { tagOpOptions: { triggerWord: 'sakura' } },
    );
    expect(preview.samples[0]?.after).toEqual(['sakura', 'new', 'solo']);
  });

  it("shows an added tag in the dataset's tag style, as the server will store it", () => {
    const spaces = tagOpOptions({ tagStyle: { separator: 'space', escapeParentheses: false } });
    const preview = previewBulkOp(
      [record('a', ['solo'])],
      { type: 'add', target: { all: true }, tags: ['Blue_Eyes'] },
      { tagOpOptions: spaces },
    );
    expect(preview.samples[0]?.after).toEqual(['solo', 'Blue Eyes']);
    const underscores = tagOpOptions({
      tagStyle: { separator: 'underscore', escapeParentheses: false },
    });
    const renamed = previewBulkOp(
      [record('a', ['solo'])],
      { type: 'replace', target: { all: true }, from: 'solo', to: 'looking at viewer' },
      { tagOpOptions: underscores },
    );
    expect(renamed.samples[0]?.after).toEqual(['looking_at_viewer']);
  });

  it('counts no change for a second form of a tag an image already holds', () => {
    const preview = previewBulkOp(
      [record('a', ['blue eyes']), record('b', ['solo'])],
      { type: 'add', target: { all: true }, tags: ['blue_eyes'] },
      {
        tagOpOptions: tagOpOptions({ tagStyle: { separator: 'space', escapeParentheses: false } }),
      },
    );
    expect(preview.changed).toBe(1);
    expect(preview.samples).toEqual([
      { imageId: 'b', before: ['solo'], after: ['solo', 'blue eyes'] },
    ]);
  });

  it("previews a normalise: the images whose tags are not all in the dataset's form", () => {
    const preview = previewBulkOp(
      [
        record('a', ['blue_eyes', 'solo']),
        record('b', ['Blue eyes']),
        record('c', ['blue eyes']),
        record('d', ['solo']),
      ],
      { type: 'normalize', target: { all: true } },
      {
        tagOpOptions: tagOpOptions({ tagStyle: { separator: 'space', escapeParentheses: false } }),
      },
    );
    expect(preview.changed).toBe(2);
    expect(preview.samples.map((sample) => sample.after)).toEqual([
      ['blue eyes', 'solo'],
      ['blue eyes'],
    ]);
  });

  it('reports an op the tag rules refuse instead of throwing', () => {
    const preview = previewBulkOp(records, { type: 'add', target: { all: true }, tags: ['a, b'] });
    expect(preview.changed).toBe(0);
    expect(preview.problem).toBeTypeOf('string');
  });
});
