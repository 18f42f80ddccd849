import type { Proposal, TagOp } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { applyTagOp } from './apply-tag-op.js';
import { pendingProposals } from './pending-proposals.js';
import type { TaggableImage } from './taggable-image.js';

const SPACE = { separator: 'space', escapeParentheses: false } as const;

function proposal(tag: string, score: number): Proposal {
  return { tag, score, category: 'general' };
}

function images(): Map<string, TaggableImage> {
  return new Map<string, TaggableImage>([
    [
      'a',
      {
        id: 'a',
        tags: ['sakura', 'Long Hair'],
        excluded: false,
        proposals: [proposal('long_hair', 0.95), proposal('blue_eyes', 0.9), proposal('solo', 0.5)],
      },
    ],
    [
      'b',
      {
        id: 'b',
        tags: ['sakura'],
        excluded: false,
        proposals: [proposal('smile', 0.8)],
        rejected: ['solo'],
      },
    ],
    ['c', { id: 'c', tags: ['hand'], excluded: false }],
  ]);
}

/** Applies `op`, then commits its changes to a copy of the images. */
function applied(
  start: Map<string, TaggableImage>,
  op: TagOp,
  restoring = false,
): { after: Map<string, TaggableImage>; inverse: TagOp[] } {
  const result = applyTagOp(start, op, { triggerWord: 'sakura', tagStyle: SPACE, restoring });
  const after = new Map(start);
  for (const change of result.changes) {
    const image = after.get(change.imageId) as TaggableImage;
    after.set(change.imageId, {
      ...image,
      tags: change.after.tags,
      excluded: change.after.excluded,
      rejected: change.after.rejected ?? image.rejected,
    });
  }
  return { after, inverse: result.inverse };
}

function undone(start: Map<string, TaggableImage>, inverse: TagOp[]): Map<string, TaggableImage> {
  let current = start;
  for (const op of inverse) current = applied(current, op, true).after;
  return current;
}

describe('proposals', () => {
  it('are pending only when the image holds no form of the tag and did not reject it', () => {
    const start = images();
    expect(pendingProposals(start.get('a') as TaggableImage).map((p) => p.tag)).toEqual([
      'blue_eyes',
      'solo',
    ]);
    expect(pendingProposals(start.get('c') as TaggableImage)).toEqual([]);
  });

  it('accepts pending proposals after the tags, in the tag style, and the inverse takes them back', () => {
    const start = images();
    const { after, inverse } = applied(start, {
      type: 'accept-proposals',
      target: { all: true },
      minScore: 0.6,
    });
    expect(after.get('a')?.tags).toEqual(['sakura', 'Long Hair', 'blue eyes']);
    expect(after.get('b')?.tags).toEqual(['sakura', 'smile']);
    expect(pendingProposals(after.get('a') as TaggableImage).map((p) => p.tag)).toEqual(['solo']);
    const back = undone(after, inverse);
    expect([...back.values()].map((image) => image.tags)).toEqual(
      [...start.values()].map((image) => image.tags),
    );
  });

  it('accepts only named tags, and only on untagged images when asked', () => {
    const start = images();
    const named = applied(start, {
      type: 'accept-proposals',
      target: { ids: ['a'] },
      tags: ['Solo'],
    }).after;
    expect(named.get('a')?.tags).toEqual(['sakura', 'Long Hair', 'solo']);
    const untagged = applied(start, {
      type: 'accept-proposals',
      target: { all: true },
      onlyUntagged: true,
    }).after;
    expect(untagged.get('a')?.tags).toEqual(['sakura', 'Long Hair']);
    expect(untagged.get('b')?.tags).toEqual(['sakura', 'smile']);
  });

  it('rejects and restores proposals without touching tags, each the inverse of the other', () => {
    const start = images();
    const rejected = applied(start, { type: 'reject-proposals', target: { ids: ['a', 'b'] } });
    expect(rejected.after.get('a')?.rejected).toEqual(['blue eyes', 'solo']);
    expect(rejected.after.get('a')?.tags).toEqual(start.get('a')?.tags);
    expect(pendingProposals(rejected.after.get('b') as TaggableImage)).toEqual([]);
    const back = undone(rejected.after, rejected.inverse);
    expect(back.get('a')?.rejected ?? []).toEqual([]);
    expect(back.get('b')?.rejected).toEqual(['solo']);
    const restored = applied(start, { type: 'restore-proposals', target: { all: true } });
    expect(restored.after.get('b')?.rejected).toEqual([]);
    expect(undone(restored.after, restored.inverse).get('b')?.rejected).toEqual(['solo']);
  });
});
