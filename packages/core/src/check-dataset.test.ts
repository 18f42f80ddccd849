import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CivtagError, Limits } from '@civtag/api-models';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDataset } from './check-dataset.js';
import type { DatasetState } from './state-schema.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'civtag-check-'));
  await mkdir(path.join(dir, '.civtag', 'trash'), { recursive: true });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function stateWith(count: number): DatasetState {
  const state: DatasetState = {
    id: 'dataset',
    settings: {
      prefix: 'p',
      tagStyle: { separator: 'space', escapeParentheses: false },
      kohyaRepeats: 10,
    },
    revision: 1,
    images: {},
    imports: [],
    undo: [],
    redo: [],
  };
  for (let number = 1; number <= count; number += 1) {
    const file = `p_${String(number).padStart(4, '0')}.png`;
    state.images[`image${number}`] = {
      id: `image${number}`,
      file,
      hash: `hash${number}`,
      size: 1,
      width: 512,
      height: 512,
      format: 'png',
      tags: ['cat'],
      rev: 1,
      excluded: false,
      written: '',
    };
  }
  return state;
}

describe('checkDataset', () => {
  it("warns when there are more images than Civitai's trainer takes", async () => {
    const state = stateWith(Limits.civitaiMaxImages + 1);
    await Promise.all(
      Object.values(state.images).map(async (image) => {
        await writeFile(path.join(dir, image.file), 'x');
        await writeFile(path.join(dir, image.file.replace('.png', '.txt')), 'cat');
      }),
    );
    const report = await checkDataset(dir, state);
    expect(report.problems.map((problem) => problem.code)).toEqual(['TOO_MANY_FOR_CIVITAI']);
    expect(report.ok).toBe(true);
    expect(report.problems[0]?.message).toContain(`${Limits.civitaiMaxImages + 1} images`);
  }, 60_000);

  it('reports a missing caption as out of date and a missing image as an error', async () => {
    const state = stateWith(2);
    await writeFile(path.join(dir, 'p_0001.png'), 'x');
    await writeFile(path.join(dir, 'p_0002.txt'), 'cat');
    const report = await checkDataset(dir, state);
    const found = new Map(report.problems.map((problem) => [problem.code, problem]));
    expect(found.get('CAPTION_OUT_OF_DATE')?.files).toEqual(['p_0001.txt']);
    expect(found.get('FILE_MISSING')?.imageIds).toEqual(['image2']);
    expect(report.ok).toBe(false);
  });

  it('reports captions the writer could not write yet by their cause, apart from those edited by hand', async () => {
    const state = stateWith(3);
    const [first, second, third] = Object.values(state.images);
    if (first === undefined || second === undefined || third === undefined)
      throw new Error('no images');
    for (const image of [first, second, third]) {
      await writeFile(path.join(dir, image.file), 'x');
      await writeFile(path.join(dir, image.file.replace('.png', '.txt')), 'dog');
    }
    const report = await checkDataset(dir, state, {
      waiting: [
        { image: first, error: new CivtagError('DISK_FULL', 'no space') },
        { image: second, error: new Error('EIO: i/o error, write.') },
      ],
    });
    const messages = report.problems.map((problem) => problem.message);
    expect(report.ok).toBe(false);
    expect(messages).toContain(
      `The caption p_0001.txt is still waiting to be written: the disk holding ${dir} is full (DISK_FULL). Free some space there: it is written automatically once space is freed.`,
    );
    expect(messages).toContain(
      'The caption p_0002.txt is still waiting to be written: the last try failed (IO_ERROR: EIO: i/o error, write). It is tried again automatically.',
    );
    expect(messages).toContain(
      'p_0003.txt has a caption file that differs from the dataset: reopen the dataset so civtag takes in or rewrites the caption.',
    );
  });
});
