import { describe, expect, it } from 'vitest';
import { RevisionTracker } from './revision-tracker.js';

describe('the revision seen', () => {
  it('takes the server revision at the first welcome when the app gave no since', () => {
    const revisions = new RevisionTracker(undefined);

    expect(revisions.welcome('d', 7)).toBe(false);
    expect(revisions.revision).toBe(7);
  });

  it('keeps since at welcome, so the replayed changes after it still count', () => {
    const revisions = new RevisionTracker(3);

    expect(revisions.welcome('d', 7)).toBe(false);
    expect(revisions.revision).toBe(3);
    expect([4, 5, 5, 3, 6, 7].map((revision) => revisions.advance(revision))).toEqual([
      true,
      true,
      false,
      false,
      true,
      true,
    ]);
    expect(revisions.revision).toBe(7);
  });

  it('starts over when the server is at another dataset or behind what was seen', () => {
    const revisions = new RevisionTracker(10);
    expect(revisions.welcome('d', 12)).toBe(false);

    expect(revisions.welcome('d', 4)).toBe(true);
    expect(revisions.revision).toBe(4);
    expect(revisions.welcome('other', 9)).toBe(true);
    expect(revisions.revision).toBe(9);
    expect(revisions.welcome('other', 9)).toBe(false);
  });

  it('jumps to the revision a reload names', () => {
    const revisions = new RevisionTracker(2);
    revisions.reload(50);

    expect(revisions.revision).toBe(50);
    expect(revisions.advance(50)).toBe(false);
    expect(revisions.advance(51)).toBe(true);
  });
});
