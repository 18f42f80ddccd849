import type { CheckProblem, CheckReport } from '@civtag/api-models';
import { describe, expect, it } from 'vitest';
import { adviseOnCheck } from './check-advice.js';

function report(problems: CheckProblem[], imageCount = 20): CheckReport {
  return {
    ok: problems.every((problem) => problem.severity !== 'error'),
    imageCount,
    problems,
  };
}

const emptyCaptions: CheckProblem = {
  code: 'EMPTY_CAPTION',
  severity: 'warning',
  message:
    '2 files (e2e_0001.png, e2e_0002.png) have no tags (no caption file): tag them or exclude them.',
  imageIds: ['a', 'b'],
  files: ['e2e_0001.png', 'e2e_0002.png'],
};
const missingFile: CheckProblem = {
  code: 'FILE_MISSING',
  severity: 'error',
  message: 'e2e_0003.png is missing on disk: put the files back or exclude the images.',
  imageIds: ['c'],
  files: ['e2e_0003.png'],
};
const tooMany: CheckProblem = {
  code: 'TOO_MANY_FOR_CIVITAI',
  severity: 'warning',
  message: "1234 images are more than Civitai's trainer takes (1000): exclude some images.",
  files: ['1234 images'],
};

describe('adviseOnCheck', () => {
  it('says "Ready to train" for a report with no problem', () => {
    expect(adviseOnCheck(report([]))).toEqual({
      ready: true,
      headline: 'Ready to train',
      civitaiNote: null,
      problems: [],
    });
  });

  it('never says "Ready to train" while a problem is an error, and lists the errors first', () => {
    const advice = adviseOnCheck(report([emptyCaptions, missingFile]));
    expect(advice.ready).toBe(false);
    expect(advice.headline).toBe('Not ready to train: fix the error below first');
    expect(advice.headline).not.toMatch(/^Ready/);
    expect(advice.problems.map((problem) => problem.code)).toEqual([
      'FILE_MISSING',
      'EMPTY_CAPTION',
    ]);
    const twoErrors = adviseOnCheck(
      report([missingFile, { ...missingFile, code: 'DUPLICATE_STEM' }]),
    );
    expect(twoErrors.headline).toBe('Not ready to train: fix the 2 errors below first');
  });

  it('does not trust a report that says ok beside an error', () => {
    expect(adviseOnCheck({ ...report([missingFile]), ok: true }).ready).toBe(false);
  });

  it('says what to do about each warning, with counts in the right noun form', () => {
    const advice = adviseOnCheck(report([emptyCaptions]));
    expect(advice.headline).toBe('Ready to train, with 1 warning worth a look');
    expect(advice.problems[0]).toMatchObject({
      what: '2 images have no tags',
      todo: 'Tag them, or exclude them from training.',
      imageIds: ['a', 'b'],
    });
    const one = adviseOnCheck(
      report([{ ...emptyCaptions, imageIds: ['a'], files: ['e2e_0001.png'] }, missingFile]),
    );
    expect(one.problems.map((problem) => problem.what)).toEqual([
      '1 image is missing on disk',
      '1 image has no tags',
    ]);
    expect(one.problems[1]?.todo).toBe('Tag it, or exclude it from training.');
  });

  it('names the trigger word an image does not start with', () => {
    const advice = adviseOnCheck(
      report([
        { code: 'TRIGGER_NOT_FIRST', severity: 'warning', message: '', imageIds: ['a', 'b', 'c'] },
      ]),
      'sakura_style',
    );
    expect(advice.problems[0]?.what).toBe(
      '3 images do not start with the trigger word "sakura_style"',
    );
  });

  it('says that Civitai takes at most 1,000 images and that the kohya export has no such limit', () => {
    const advice = adviseOnCheck(report([tooMany], 1234));
    expect(advice.ready).toBe(true);
    expect(advice.headline).toBe('Ready to train with kohya; too many images for Civitai');
    expect(advice.problems[0]).toMatchObject({
      what: `${(1234).toLocaleString()} images: Civitai's trainer takes at most ${(1000).toLocaleString()}`,
      todo: 'For Civitai, exclude 234 images first; or use the kohya export, which has no such limit.',
      imageIds: [],
    });
    expect(advice.civitaiNote).toBe(
      `Civitai's trainer takes at most ${(1000).toLocaleString()} images and this dataset has ${(1234).toLocaleString()}: exclude 234 images first, or use the kohya export.`,
    );
    expect(adviseOnCheck(report([tooMany], 1001)).problems[0]?.todo).toMatch(
      /exclude 1 image first/,
    );
  });

  it('says captions waiting for a full disk are an error, with the server’s reason and fix', () => {
    const message =
      '2 captions (e2e_0001.txt, e2e_0002.txt) are still waiting to be written: the disk holding /data/e2e is full (DISK_FULL). Free some space there: they are written automatically once space is freed.';
    const advice = adviseOnCheck(
      report([
        {
          code: 'CAPTIONS_WAITING',
          severity: 'error',
          message,
          imageIds: ['a', 'b'],
          files: ['e2e_0001.txt', 'e2e_0002.txt'],
        },
      ]),
    );
    expect(advice.ready).toBe(false);
    expect(advice.problems[0]).toMatchObject({
      what: '2 caption files are still waiting to be written',
      todo: message,
    });
  });
});
