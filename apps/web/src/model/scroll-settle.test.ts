import { describe, expect, it } from 'vitest';
import { ScrollSettle } from './scroll-settle.js';

describe('ScrollSettle', () => {
  it('loads a frame after a lone jump, however far', () => {
    const settle = new ScrollSettle({ jumpMs: 20 });
    expect(settle.scrolled(1000, 0, 900)).toBe(20);
    expect(settle.scrolled(5000, 4_000_000, 900)).toBe(20);
  });

  it('waits for a rest while flying through, and loads at once while scrolling slowly', () => {
    const flying = new ScrollSettle();
    let top = 0;
    expect(flying.scrolled(0, top, 900)).toBe(24);
    for (let time = 16; time <= 320; time += 16) {
      top += 900;
      expect(flying.scrolled(time, top, 900)).toBe(90);
    }
    const reading = new ScrollSettle();
    top = 0;
    reading.scrolled(0, top, 900);
    for (let time = 16; time <= 320; time += 16) {
      top += 20;
      expect(reading.scrolled(time, top, 900)).toBe(0);
    }
  });

  it('treats the first scroll after a pause as a jump again', () => {
    const settle = new ScrollSettle();
    settle.scrolled(0, 0, 900);
    expect(settle.scrolled(16, 5000, 900)).toBe(90);
    expect(settle.scrolled(600, 90_000, 900)).toBe(24);
  });
});
