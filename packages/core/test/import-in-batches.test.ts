import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDataset } from '../src/index.js';
import { corpusDir, listTree, makePng, makeTempDir } from './fixtures.js';

let temp: { dir: string; remove: () => Promise<void> };
let source: string;
let target: string;

beforeEach(async () => {
  temp = await makeTempDir('batches');
  source = path.join(temp.dir, 'source');
  target = path.join(temp.dir, 'dataset');
  await mkdir(source);
});
afterEach(() => temp.remove());

/** The files of the dataset folder, without `.civtag/`. */
async function datasetFiles(): Promise<string[]> {
  return (await listTree(target)).filter((file) => !file.startsWith('.civtag'));
}

describe('an import that journals images in batches', () => {
  it('keeps the first of each content, whether its duplicate comes in the same batch or a later one, and merges captions', async () => {
    const PAIRS = 16;
    for (let index = 0; index < PAIRS; index += 1) {
      const bytes = makePng(48, 48, 1000 + index);
      const stem = `shot-${String(index).padStart(2, '0')}`;
      await writeFile(path.join(source, `${stem}-a.png`), bytes);
      await writeFile(path.join(source, `${stem}-b.png`), bytes);
      await writeFile(path.join(source, `${stem}-b.txt`), `tag ${index}`);
    }
    // One damaged PNG in their midst: refused from the one read, its copy never named.
    await copyFile(
      path.join(corpusDir(), 'pngsuite', 'xcsn0g01.png'),
      path.join(source, 'shot-07-c.png'),
    );
    const dataset = await createDataset(target, { prefix: 'pair' });
    try {
      const result = await dataset.import(source).done;
      expect(result).toMatchObject({ state: 'done', done: PAIRS * 2 + 1, failed: 1 });
      expect(result.failures).toEqual([
        expect.objectContaining({
          path: path.join(source, 'shot-07-c.png'),
          code: 'IMAGE_UNREADABLE',
        }),
      ]);
      const images = dataset.images();
      expect(images.map((image) => image.file)).toEqual(
        Array.from(
          { length: PAIRS },
          (_, index) => `pair_${String(index + 1).padStart(4, '0')}.png`,
        ),
      );
      expect(images.map((image) => image.tags)).toEqual(
        Array.from({ length: PAIRS }, (_, index) => [`tag ${index}`]),
      );
      expect(result.duplicates).toEqual(
        Array.from({ length: PAIRS }, (_, index) => {
          const stem = `shot-${String(index).padStart(2, '0')}`;
          const image = images[index];
          return {
            path: path.join(source, `${stem}-b.png`),
            duplicateOf: path.join(source, `${stem}-a.png`),
            tagsMergedInto: { imageId: image?.id, file: image?.file },
          };
        }),
      );
      for (const [index, image] of images.entries()) {
        const stem = `shot-${String(index).padStart(2, '0')}`;
        expect(await readFile(path.join(target, image.file))).toEqual(
          await readFile(path.join(source, `${stem}-a.png`)),
        );
      }
    } finally {
      await dataset.close();
    }
    // Exactly the images and their captions: no staged copy of a duplicate or a damaged file.
    expect(await datasetFiles()).toEqual(
      Array.from({ length: PAIRS }, (_, index) => {
        const stem = `pair_${String(index + 1).padStart(4, '0')}`;
        return [`${stem}.png`, `${stem}.txt`];
      })
        .flat()
        .sort(),
    );
  });

  it('leaves no staged copy behind when cancelled, and the next import takes up the rest', async () => {
    for (let index = 0; index < 30; index += 1) {
      await writeFile(
        path.join(source, `photo-${String(index).padStart(2, '0')}.png`),
        makePng(64, 64, 2000 + index),
      );
    }
    const dataset = await createDataset(target, { prefix: 'cut', triggerWord: 'cut_style' });
    try {
      const controller = new AbortController();
      dataset.on('change', (change) => {
        if ((change.added?.length ?? 0) > 0) controller.abort();
      });
      const cancelled = await dataset.import(source, { signal: controller.signal }).done;
      expect(cancelled.state).toBe('cancelled');
      const kept = dataset.images().map((image) => image.file);
      expect(kept.length).toBeLessThan(30);
      expect(await datasetFiles()).toEqual(
        kept.flatMap((file) => [file, file.replace('.png', '.txt')]).sort(),
      );
      const rest = await dataset.import(source).done;
      expect(rest).toMatchObject({ state: 'done', failed: 0, done: 30 });
      expect(dataset.images()).toHaveLength(30);
    } finally {
      await dataset.close();
    }
    expect(await datasetFiles()).toHaveLength(60);
  });
});
