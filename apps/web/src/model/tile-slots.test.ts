import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TileSlots } from './tile-slots.js';

/** The slot of each position in `positions` (slot → position). */
function slotsByPosition(positions: number[]): Map<number, number> {
  const slots = new Map<number, number>();
  for (const [slot, position] of positions.entries())
    if (position !== -1) slots.set(position, slot);
  return slots;
}

describe('tile slots', () => {
  it('draws the row that scrolls in on the slots of the row that scrolled out', () => {
    const slots = new TileSlots();
    const top = slotsByPosition(slots.assign(0, 12));
    const scrolled = slotsByPosition(slots.assign(4, 16));
    for (let position = 4; position < 12; position += 1)
      expect(scrolled.get(position)).toBe(top.get(position));
    expect([12, 13, 14, 15].map((position) => scrolled.get(position))).toEqual(
      [0, 1, 2, 3].map((position) => top.get(position)),
    );
  });

  it('keeps every position that stays rendered in its slot, gives each its own, and needs no more slots than the widest window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 60 })), {
          minLength: 1,
          maxLength: 40,
        }),
        (windows) => {
          const slots = new TileSlots();
          let before = new Map<number, number>();
          let widest = 0;
          for (const [start, size] of windows) {
            const positions = slots.assign(start, start + size);
            widest = Math.max(widest, size);
            expect(positions.length).toBeLessThanOrEqual(widest);
            const now = slotsByPosition(positions);
            expect([...now.keys()].sort((left, right) => left - right)).toEqual(
              Array.from({ length: size }, (_, offset) => start + offset),
            );
            for (const [position, slot] of now)
              if (before.has(position)) expect(slot).toBe(before.get(position));
            expect(slots.assign(start, start + size)).toEqual(positions);
            before = now;
          }
        },
      ),
    );
  });
});
