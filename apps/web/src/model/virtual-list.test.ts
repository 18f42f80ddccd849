import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { virtualRange } from './virtual-list.js';

describe('virtualRange', () => {
  it('renders the rows in view and a few either side', () => {
    expect(
      virtualRange({ scrollTop: 2800, viewportHeight: 560, rowHeight: 28, count: 50_000 }),
    ).toEqual({ start: 94, end: 126, offsetTop: 94 * 28, totalHeight: 50_000 * 28 });
  });

  it('starts at the top and stops at the last row', () => {
    expect(virtualRange({ scrollTop: 0, viewportHeight: 280, rowHeight: 28, count: 5 })).toEqual({
      start: 0,
      end: 5,
      offsetTop: 0,
      totalHeight: 140,
    });
    expect(virtualRange({ scrollTop: 0, viewportHeight: 280, rowHeight: 28, count: 0 })).toEqual({
      start: 0,
      end: 0,
      offsetTop: 0,
      totalHeight: 0,
    });
  });

  it('shows the last rows when the list shrank under the scroll position', () => {
    const range = virtualRange({
      scrollTop: 90_000,
      viewportHeight: 280,
      rowHeight: 28,
      count: 40,
    });
    expect(range.end).toBe(40);
    expect(range.start).toBeLessThanOrEqual(30);
  });

  it('always covers the whole viewport with a bounded number of rows', () => {
    fc.assert(
      fc.property(
        fc.nat(2_000_000),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 10, max: 60 }),
        fc.nat(100_000),
        (scrollTop, viewportHeight, rowHeight, count) => {
          const range = virtualRange({ scrollTop, viewportHeight, rowHeight, count });
          const top = Math.max(0, Math.min(scrollTop, count * rowHeight - viewportHeight));
          const firstVisible = Math.floor(top / rowHeight);
          const lastVisible = Math.min(count, Math.ceil((top + viewportHeight) / rowHeight));
          expect(range.start).toBeLessThanOrEqual(Math.min(firstVisible, count));
          expect(range.end).toBeGreaterThanOrEqual(lastVisible);
          expect(range.end - range.start).toBeLessThanOrEqual(
            Math.ceil(viewportHeight / rowHeight) + 13,
          );
        },
      ),
    );
  });
});
