import { describe, expect, it } from 'vitest';
import { ProgressRate } from './progress-rate.js';

describe('the pace of a long job', () => {
  it('says nothing of a pace before half a second of progress, then items a second and the time left', () => {
    const rate = new ProgressRate(0);
    expect(rate.sample(0, 100, 0)).toEqual({ elapsedMs: 0 });
    expect(rate.sample(5, 100, 400)).toEqual({ elapsedMs: 400 });
    expect(rate.sample(20, 100, 2000)).toEqual({
      elapsedMs: 2000,
      perSecond: 10,
      remainingMs: 8000,
    });
  });

  it('does not count the items done before it started (a resumed job) in the pace', () => {
    const rate = new ProgressRate(0);
    rate.sample(900, 1000, 0);
    expect(rate.sample(950, 1000, 5000)).toMatchObject({ perSecond: 10, remainingMs: 5000 });
  });

  it('follows the pace of the last ten seconds, not the average since the start', () => {
    const rate = new ProgressRate(0);
    rate.sample(0, 1000, 0);
    rate.sample(500, 1000, 10_000);
    // Then it slows to 5 a second.
    for (let second = 11; second <= 30; second += 1)
      rate.sample(500 + (second - 10) * 5, 1000, second * 1000);
    const pace = rate.sample(600, 1000, 30_000);
    expect(pace.perSecond).toBeCloseTo(5, 0);
    expect(pace.remainingMs).toBeCloseTo(80_000, -4);
  });

  it('says no time is left once every item is done', () => {
    const rate = new ProgressRate(0);
    rate.sample(0, 3, 0);
    expect(rate.sample(3, 3, 100)).toEqual({ elapsedMs: 100, remainingMs: 0 });
  });

  it('writes the pace into a progress, removing what it cannot say any more', () => {
    const rate = new ProgressRate(0);
    const progress: { done: number; total: number; perSecond?: number; remainingMs?: number } = {
      done: 0,
      total: 10,
      perSecond: 99,
      remainingMs: 99,
    };
    rate.stamp(progress, 0);
    expect(progress).toEqual({ done: 0, total: 10, elapsedMs: 0 });
    progress.done = 5;
    rate.stamp(progress, 1000);
    expect(progress).toEqual({
      done: 5,
      total: 10,
      elapsedMs: 1000,
      perSecond: 5,
      remainingMs: 1000,
    });
  });
});
