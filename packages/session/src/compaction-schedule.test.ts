import { describe, expect, it } from 'vitest';
import { CompactionSchedule } from './compaction-schedule.js';

describe('CompactionSchedule', () => {
  it('is due at the entry bound, then a whole bound later if nothing was compacted', () => {
    const schedule = new CompactionSchedule(0, 3, 1_000_000);
    const due: boolean[] = [];
    for (let entry = 1; entry <= 7; entry += 1) {
      schedule.appended();
      due.push(schedule.takeDue(entry * 10));
    }
    expect(due).toEqual([false, false, true, false, false, true, false]);
  });

  it('is due at the byte bound, and not again on every entry after a failed compaction', () => {
    const schedule = new CompactionSchedule(0, 1_000, 100);
    schedule.appended();
    expect(schedule.takeDue(150)).toBe(true);
    schedule.appended();
    expect(schedule.takeDue(160)).toBe(false);
    schedule.appended();
    expect(schedule.takeDue(250)).toBe(true);
  });

  it('starts over once compacted, counting entries the journal held on open', () => {
    const schedule = new CompactionSchedule(5, 5, 1_000);
    expect(schedule.takeDue(0)).toBe(true);
    schedule.compacted();
    schedule.appended();
    expect(schedule.takeDue(10)).toBe(false);
  });
});
