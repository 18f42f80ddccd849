import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChangeFeed } from './change-feed.js';

describe('ChangeFeed', () => {
  it('returns exactly the entries after a revision while it holds them, else reload', () => {
    fc.assert(
      fc.property(
        fc.nat(20),
        fc.nat(100),
        fc.integer({ min: -2, max: 110 }),
        (capacity, count, since) => {
          const feed = new ChangeFeed<number, number>(capacity);
          for (let revision = 1; revision <= count; revision += 1) {
            feed.push({ revision, entry: revision, result: revision * 2 });
          }
          const answer = feed.since(since, count);
          const oldestHeld = Math.max(1, count - capacity + 1);
          const answerable =
            since >= 0 && since <= count && (since === count || since + 1 >= oldestHeld);
          if (!answerable) {
            expect(answer).toEqual({ reload: true });
            return;
          }
          expect(answer.reload).toBe(false);
          const revisions = answer.reload ? [] : answer.entries.map((entry) => entry.revision);
          expect(revisions).toEqual(
            Array.from({ length: count - since }, (_, index) => since + index + 1),
          );
        },
      ),
    );
  });
});
