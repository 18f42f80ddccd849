import { describe, expect, it } from 'vitest';
import { ImportProgressSchema } from './http.js';
import { describePace, formatDuration } from './progress-pace.js';

describe('the pace of a long job, in words', () => {
  it('says durations as a progress line does', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(41_600)).toBe('42s');
    expect(formatDuration(65_000)).toBe('1m05s');
    expect(formatDuration(7_380_000)).toBe('2h03m');
  });

  it('says the rate and the time left, or how long it has run before there is a pace', () => {
    expect(describePace({ perSecond: 34.46, remainingMs: 80_000 }, 'files')).toBe(
      '34 files/s · 1m20s left',
    );
    expect(describePace({ perSecond: 2.25, remainingMs: 0 }, 'images')).toBe('2.3 images/s');
    expect(describePace({ elapsedMs: 12_000 }, 'files')).toBe('12s so far');
    expect(describePace({}, 'files')).toBeUndefined();
  });

  it('is carried by an import’s progress, and refused when negative', () => {
    const progress = {
      jobId: 'j',
      state: 'running',
      done: 1,
      total: 2,
      failed: 0,
      failures: [],
      duplicates: [],
      elapsedMs: 1500,
      perSecond: 0.7,
      remainingMs: 1400,
    };
    expect(ImportProgressSchema.parse(progress)).toEqual(progress);
    expect(ImportProgressSchema.safeParse({ ...progress, remainingMs: -1 }).success).toBe(false);
  });
});
