import { describe, expect, it } from 'vitest';
import { ReadBuffers } from './reused-buffers.js';

describe('ReadBuffers', () => {
  it('lends a buffer with room for the file and lends it again once given back', () => {
    const buffers = new ReadBuffers(2, 64 * 1024 * 1024);
    const first = buffers.take(1_900_000);
    expect(first?.length).toBeGreaterThan(1_900_000);
    // While lent, another image gets another buffer.
    const second = buffers.take(1_000);
    expect(second === first).toBe(false);
    buffers.give(first);
    expect(buffers.take(1_500_000) === first).toBe(true);
    // A file larger than any free buffer gets a new one.
    buffers.give(second);
    const larger = buffers.take(3_000_000);
    expect(larger === second || (larger?.length ?? 0) <= 3_000_000).toBe(false);
  });

  it('keeps at most the given number of free buffers, the largest ones', () => {
    const buffers = new ReadBuffers(2, 64 * 1024 * 1024);
    const [small, middle, large] = [1_000, 2_500_000, 5_000_000].map((size) => buffers.take(size));
    buffers.give(middle);
    buffers.give(small);
    buffers.give(large);
    const kept = [buffers.take(10), buffers.take(10)];
    // Identity only: a failure must not print megabytes of buffer.
    expect(kept.includes(middle) && kept.includes(large)).toBe(true);
    const next = buffers.take(10);
    expect(next === small || next === middle || next === large).toBe(false);
  });

  it('lends nothing for a file too large to keep a buffer for', () => {
    const buffers = new ReadBuffers(4, 8 * 1024 * 1024);
    expect(buffers.take(8 * 1024 * 1024)).toBeUndefined();
    buffers.give(undefined);
    expect(buffers.take(10)?.length).toBeGreaterThan(10);
  });
});
