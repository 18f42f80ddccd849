import { describe, expect, it } from 'vitest';
import { computeGridLayout, moveIndex, scrollToReveal, tilePosition } from './grid-layout.js';

const base = {
  viewportWidth: 1000,
  viewportHeight: 600,
  scrollTop: 0,
  minTileWidth: 150,
  gap: 10,
  captionHeight: 30,
};

describe('grid layout', () => {
  it('renders only the rows in view plus the overscan, whatever the image count', () => {
    const layout = computeGridLayout({ ...base, itemCount: 100_000 });
    expect(layout.columns).toBe(6);
    expect(layout.startIndex).toBe(0);
    const rowsInView = Math.ceil(600 / layout.rowHeight) + 2;
    expect(layout.endIndex).toBe(rowsInView * layout.columns);
    expect(layout.totalHeight).toBe(Math.ceil(100_000 / 6) * layout.rowHeight + 10);
  });

  it('moves the rendered window with the scroll position', () => {
    const first = computeGridLayout({ ...base, itemCount: 100_000 });
    const scrolled = computeGridLayout({
      ...base,
      itemCount: 100_000,
      scrollTop: first.rowHeight * 1000,
    });
    expect(scrolled.startIndex).toBe((1000 - 2) * scrolled.columns);
    expect(scrolled.endIndex - scrolled.startIndex).toBeLessThanOrEqual(
      first.endIndex + 2 * first.columns,
    );
  });

  it('never renders past the last image', () => {
    const layout = computeGridLayout({ ...base, itemCount: 7, scrollTop: 5000 });
    expect(layout.endIndex).toBe(7);
    expect(layout.startIndex).toBeLessThanOrEqual(7);
  });

  it('keeps at least one column in a narrow viewport', () => {
    expect(computeGridLayout({ ...base, viewportWidth: 40, itemCount: 3 }).columns).toBe(1);
  });

  it('places tiles row by row', () => {
    const layout = computeGridLayout({ ...base, itemCount: 20 });
    expect(tilePosition(0, layout, 10)).toEqual({ top: 10, left: 10 });
    expect(tilePosition(7, layout, 10)).toEqual({
      top: 10 + layout.rowHeight,
      left: 10 + layout.tileWidth + 10,
    });
  });

  it('scrolls just enough to reveal a tile', () => {
    const layout = { columns: 5, rowHeight: 100 };
    expect(scrollToReveal(0, layout, { scrollTop: 0, viewportHeight: 300 })).toBe(0);
    expect(scrollToReveal(20, layout, { scrollTop: 0, viewportHeight: 300 })).toBe(200);
    expect(scrollToReveal(5, layout, { scrollTop: 250, viewportHeight: 300 })).toBe(100);
  });

  it('moves the keyboard position by one or by a row, clamped to the grid', () => {
    const grid = { columns: 4, itemCount: 10 };
    expect(moveIndex(-1, 'right', grid)).toBe(0);
    expect(moveIndex(0, 'left', grid)).toBe(0);
    expect(moveIndex(1, 'down', grid)).toBe(5);
    expect(moveIndex(8, 'down', grid)).toBe(9);
    expect(moveIndex(5, 'up', grid)).toBe(1);
    expect(moveIndex(3, 'last', grid)).toBe(9);
    expect(moveIndex(3, 'first', grid)).toBe(0);
    expect(moveIndex(0, 'right', { columns: 4, itemCount: 0 })).toBe(-1);
  });
});
