import { describe, expect, it } from 'vitest';
import { drawAnchor, growDrawn, keepDrawn, type TileRange } from './drawn-range.js';

const everythingLoaded = () => true;

/** Grows `drawn` frame by frame until it stops, returning every range it went through. */
function growUntilDone(
  drawn: TileRange,
  settled: TileRange,
  growth: { count: number; isLoaded: (index: number) => boolean },
): TileRange[] {
  const steps = [drawn];
  for (let next = growDrawn(drawn, settled, growth); next !== steps.at(-1); ) {
    steps.push(next);
    next = growDrawn(next, settled, growth);
  }
  return steps;
}

describe('drawing the settled rows a row per frame', () => {
  it('draws a newly settled view from its first row in view down, then the rows above', () => {
    const settled = { start: 70, end: 140 };
    const start = keepDrawn({ start: 0, end: 0 }, settled, 84);
    expect(start).toEqual({ start: 84, end: 84 });
    const steps = growUntilDone(start, settled, { count: 7, isLoaded: everythingLoaded });
    expect(steps.map((range) => [range.start, range.end])).toEqual([
      [84, 84],
      [84, 91],
      [84, 98],
      [84, 105],
      [84, 112],
      [84, 119],
      [84, 126],
      [84, 133],
      [84, 140],
      [77, 140],
      [70, 140],
    ]);
  });

  it('never draws more than one step of tiles in a frame', () => {
    const settled = { start: 0, end: 1000 };
    const steps = growUntilDone({ start: 500, end: 500 }, settled, {
      count: 9,
      isLoaded: everythingLoaded,
    });
    for (const [index, range] of steps.entries()) {
      if (index === 0) continue;
      const before = steps[index - 1]!;
      expect(before.start - range.start + (range.end - before.end)).toBeLessThanOrEqual(9);
    }
    expect(steps.at(-1)).toEqual(settled);
  });

  it('keeps the rows already drawn when the view moves on by a row', () => {
    const kept = keepDrawn({ start: 70, end: 140 }, { start: 77, end: 147 }, 91);
    expect(kept).toEqual({ start: 77, end: 140 });
    expect(
      growDrawn(kept, { start: 77, end: 147 }, { count: 7, isLoaded: everythingLoaded }),
    ).toEqual({ start: 77, end: 147 });
  });

  it('starts over at the view when it settles where nothing was drawn', () => {
    expect(keepDrawn({ start: 70, end: 140 }, { start: 7000, end: 7070 }, 7014)).toEqual({
      start: 7014,
      end: 7014,
    });
    // A view flown away from: nothing settled, nothing drawn.
    expect(keepDrawn({ start: 70, end: 140 }, { start: 0, end: 0 }, 7014)).toEqual({
      start: 0,
      end: 0,
    });
  });

  it('waits for the records of the next row rather than drawing past them', () => {
    const loaded = (index: number) => index < 100;
    const settled = { start: 70, end: 140 };
    const steps = growUntilDone({ start: 84, end: 84 }, settled, { count: 7, isLoaded: loaded });
    // Down to the last loaded record, then the rows above; the rest once its page comes.
    expect(steps.at(-1)).toEqual({ start: 70, end: 100 });
    const done = steps.at(-1)!;
    expect(growDrawn(done, settled, { count: 7, isLoaded: loaded })).toBe(done);
    expect(growDrawn(done, settled, { count: 7, isLoaded: everythingLoaded })).toEqual({
      start: 70,
      end: 107,
    });
  });

  it('starts at the focused tile when it is in view, and at the top of the view otherwise', () => {
    const view = { firstInView: 700, endOfView: 742, columns: 7 };
    // End: the last tile, at the bottom of the view, is drawn first, then the rows above it.
    expect(drawAnchor(view, 740)).toBe(735);
    const settled = { start: 686, end: 742 };
    const first = growDrawn(keepDrawn({ start: 0, end: 0 }, settled, 735), settled, {
      count: 7,
      isLoaded: everythingLoaded,
    });
    expect(first).toEqual({ start: 735, end: 742 });
    expect(drawAnchor(view, 12)).toBe(700);
    expect(drawAnchor(view, -1)).toBe(700);
  });
});
