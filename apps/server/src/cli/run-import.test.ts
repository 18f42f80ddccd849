import type { ImportProgress } from '@civtag/api-models';
import { expect, it } from 'vitest';
import { importDetail } from './run-import.js';

const progress: ImportProgress = {
  jobId: 'j',
  state: 'running',
  done: 40,
  total: 1000,
  failed: 0,
  failures: [],
  duplicates: [],
};

it('says the import’s pace and time left before the file it is on', () => {
  expect(importDetail(progress)).toBeUndefined();
  expect(importDetail({ ...progress, elapsedMs: 3000 })).toBe('3s so far');
  expect(
    importDetail({
      ...progress,
      current: 'holiday/IMG_0042.JPG',
      elapsedMs: 3000,
      perSecond: 34.5,
      remainingMs: 80_000,
    }),
  ).toBe('35 files/s · 1m20s left · IMG_0042.JPG');
});
