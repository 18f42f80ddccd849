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

  it('holds no more weight than its bound: entries after a heavy one are still answered', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(50), { maxLength: 60 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 60 }),
        (weights, bound, since) => {
          const feed = new ChangeFeed<number, number>(1_000, (weight) => weight, bound);
          weights.forEach((weight, index) => {
            feed.push({ revision: index + 1, entry: index + 1, result: weight });
          });
          const count = weights.length;
          // The oldest entry held: the newest ones whose weights fit in the bound together.
          let held = 0;
          let total = 0;
          for (let index = count - 1; index >= 0; index -= 1) {
            total += weights[index] ?? 0;
            if (total > bound) break;
            held += 1;
          }
          const answer = feed.since(since, count);
          if (since > count) {
            expect(answer).toEqual({ reload: true });
          } else if (since === count || since >= count - held) {
            const revisions = answer.reload ? null : answer.entries.map((entry) => entry.result);
            expect(revisions).toEqual(weights.slice(since));
          } else {
            expect(answer).toEqual({ reload: true });
          }
        },
      ),
    );
  });
});
