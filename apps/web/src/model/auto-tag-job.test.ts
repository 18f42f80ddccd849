import type { AutoTagProgress } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import {
  autoTagFraction,
  autoTagRequest,
  DEFAULT_AUTO_TAG_FORM,
  describeAutoTagProgress,
  laterProgress,
  orphaned,
  parseMaxTags,
  parseThreshold,
} from './auto-tag-job.js';

const progress: AutoTagProgress = {
  jobId: 'job1',
  state: 'running',
  total: 120,
  done: 40,
  scored: 39,
  skipped: 3,
  failed: [{ imageId: 'img1', file: 'a.png', code: 'DECODE', message: 'not an image' }],
  tagged: 0,
};

describe('the auto-tag form', () => {
  it('reads thresholds as percentages or mcut, and refuses anything else', () => {
    expect(parseThreshold('35')).toBe(0.35);
    expect(parseThreshold(' 85 % ')).toBe(0.85);
    expect(parseThreshold('12.5')).toBe(0.125);
    expect(parseThreshold('MCut')).toBe('mcut');
    expect(parseThreshold('101')).toBeNull();
    expect(parseThreshold('0.3x')).toBeNull();
    expect(parseThreshold('')).toBeNull();
  });

  it('sends the defaults over the filter with no exclude list and no rescore', () => {
    expect(autoTagRequest(DEFAULT_AUTO_TAG_FORM, { query: 'has:proposals' })).toEqual({
      request: {
        target: { query: 'has:proposals' },
        mode: 'propose',
        thresholds: { general: 0.35, character: 0.85 },
      },
    });
  });

  it('sends the exclude list once per tag, the mode and rescore', () => {
    const form = {
      mode: 'append' as const,
      general: 'mcut',
      character: '90',
      exclude: ' red, blue ,, red',
      maxTags: ' 12 ',
      rescore: true,
    };
    expect(autoTagRequest(form, { ids: ['img1'] })).toEqual({
      request: {
        target: { ids: ['img1'] },
        mode: 'append',
        thresholds: { general: 'mcut', character: 0.9 },
        exclude: ['red', 'blue'],
        maxTags: 12,
        rescore: true,
      },
    });
  });

  it('reads the most tags per image as a whole number from 1 to 1000, empty for no limit', () => {
    expect(parseMaxTags('')).toBeUndefined();
    expect(parseMaxTags(' 30 ')).toBe(30);
    expect(parseMaxTags('1000')).toBe(1000);
    for (const wrong of ['0', '1001', '2.5', '-3', 'ten']) expect(parseMaxTags(wrong)).toBeNull();
    const refused = autoTagRequest({ ...DEFAULT_AUTO_TAG_FORM, maxTags: '0' }, { all: true });
    expect(refused).toEqual({ error: expect.stringContaining('most tags per image') });
  });

  it('says which threshold is wrong instead of sending', () => {
    const wrong = autoTagRequest({ ...DEFAULT_AUTO_TAG_FORM, character: 'high' }, { all: true });
    expect(wrong).toEqual({ error: expect.stringContaining('character threshold') });
  });
});

describe('a job’s progress', () => {
  it('says how far it is, what was skipped and what failed', () => {
    expect(describeAutoTagProgress(progress)).toBe(
      'Tagging: 40 of 120 images · 3 skipped (scored before) · 1 failed',
    );
    expect(
      describeAutoTagProgress({
        ...progress,
        state: 'done',
        done: 120,
        skipped: 0,
        failed: [],
        tagged: 1,
      }),
    ).toBe('Tagging done: 120 of 120 images · 1 caption changed');
    expect(describeAutoTagProgress({ ...progress, state: 'cancelled' })).toMatch(
      /^Tagging cancelled: 40 of 120 images/,
    );
  });

  it('says its pace while it runs, and not once it has ended', () => {
    const paced = { ...progress, perSecond: 2.5, remainingMs: 32_000, elapsedMs: 16_000 };
    expect(describeAutoTagProgress(paced)).toBe(
      'Tagging: 40 of 120 images · 3 skipped (scored before) · 1 failed · 2.5 images/s · 32s left',
    );
    expect(describeAutoTagProgress({ ...paced, state: 'cancelled' })).not.toContain('images/s');
  });

  it('fills its bar by images done, a job with nothing to do full', () => {
    expect(autoTagFraction(progress)).toBeCloseTo(1 / 3);
    expect(autoTagFraction({ ...progress, total: 0, done: 0 })).toBe(1);
  });
});

describe('progress from the socket and from GET /api/autotag', () => {
  it('never goes back on the same job, and takes another job at once', () => {
    const later = { ...progress, done: 60 };
    expect(laterProgress(later, progress)).toBe(later);
    expect(laterProgress(progress, later)).toBe(later);
    const ended = { ...progress, state: 'cancelled' as const };
    expect(laterProgress(ended, later)).toBe(ended);
    expect(laterProgress(later, ended)).toBe(ended);
    const next = { ...progress, jobId: 'job2', done: 0 };
    expect(laterProgress(ended, next)).toBe(next);
    expect(laterProgress(null, next)).toBe(next);
  });
});

describe('a job the restarted server no longer knows', () => {
  it('ends a running one with what happened and what to do; leaves an ended one as it was', () => {
    expect(orphaned(progress)).toMatchObject({
      jobId: 'job1',
      done: 40,
      state: 'failed',
      error: { message: expect.stringContaining('start tagging again') },
    });
    const ended = { ...progress, state: 'done' as const };
    expect(orphaned(ended)).toBe(ended);
    expect(orphaned(null)).toBeNull();
  });
});
