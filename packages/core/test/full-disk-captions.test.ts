import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CaptionProgress } from '@civtag/api-models';
import { mountTmpfs, type TestDisk } from '@civtag/test-disk';
import { describe, expect, it } from 'vitest';
import { createDataset, type Dataset, openDataset } from '../src/index.js';
import { cleanUpAfterEach, makePng, makeTempDir } from './fixtures.js';
import { moveStateToOwnDisk } from './split-disk.js';

const IMAGE_COUNT = 30;
/** Bound on a test: the writer's retry waits 1 s, then 2 s, 4 s… after a failure. */
const TEST_TIMEOUT_MS = 60_000;

const cleanUps = cleanUpAfterEach();

/**
 * A dataset of 30 tagged images whose captions lie on `disk` while its journal lies on a disk
 * of its own: the captions' disk can fill or turn read-only while ops are still journaled.
 */
async function splitDataset(): Promise<{ disk: TestDisk; dir: string; dataset: Dataset }> {
  const disk = await mountTmpfs({ sizeBytes: 8 * 1024 * 1024 });
  cleanUps.push(() => disk.unmount());
  const { dir: source, remove } = await makeTempDir('full-disk-captions');
  cleanUps.push(remove);
  for (let index = 0; index < IMAGE_COUNT; index += 1) {
    const name = `photo-${String(index + 1).padStart(2, '0')}`;
    await writeFile(path.join(source, `${name}.png`), makePng(64, 64, index));
    await writeFile(path.join(source, `${name}.txt`), `tag${index + 1}`);
  }
  const dir = path.join(disk.dir, 'dataset');
  const made = await createDataset(dir, { prefix: 'sky' });
  await made.import(source).done;
  await made.close();
  const state = await moveStateToOwnDisk(dir);
  cleanUps.push(state.release);
  const dataset = await openDataset(dir);
  await dataset.reconciled();
  let open = true;
  cleanUps.push(async () => {
    if (open) await dataset.close();
    open = false;
  });
  const close = dataset.close.bind(dataset);
  dataset.close = async (options) => {
    open = false;
    await close(options);
  };
  return { disk, dir, dataset };
}

async function captions(dir: string, dataset: Dataset): Promise<string[]> {
  return Promise.all(
    dataset
      .images()
      .map((image) => readFile(path.join(dir, image.file.replace(/\.png$/, '.txt')), 'utf8')),
  );
}

/** Resolves once the dataset says no caption waits to be written. */
function allCaptionsWritten(dataset: Dataset): Promise<void> {
  return new Promise((resolve) => {
    const settled = (progress: CaptionProgress) => {
      if (progress.pending > 0) return;
      stop();
      resolve();
    };
    const stop = dataset.on('captions', settled);
    settled(dataset.captionProgress());
  });
}

describe('caption writes on a disk without room', () => {
  it(
    'accepts the op with captions pending, keeps every caption whole, and writes them once space is freed',
    async () => {
      const { disk, dir, dataset } = await splitDataset();
      const before = await captions(dir, dataset);
      await disk.fill();
      const applied = await dataset.apply({
        type: 'add',
        target: { all: true },
        tags: ['blue sky'],
      });
      expect(applied.count).toBe(IMAGE_COUNT);
      expect(applied.captionsPending).toBe(IMAGE_COUNT);
      expect(dataset.captionProgress()).toMatchObject({
        pending: IMAGE_COUNT,
        failed: IMAGE_COUNT,
        error: { code: 'DISK_FULL' },
      });
      // Old or new, never torn or empty.
      const during = await captions(dir, dataset);
      for (const [index, text] of during.entries())
        expect([before[index], `${before[index]}, blue sky`]).toContain(text);
      expect(during).toEqual(before);

      const report = await dataset.check();
      const waiting = report.problems.find((problem) => problem.message.includes('still waiting'));
      expect(waiting).toMatchObject({ code: 'CAPTIONS_WAITING', severity: 'error' });
      expect(waiting?.files).toHaveLength(IMAGE_COUNT);
      expect(waiting?.message).toMatch(
        /^30 captions \(sky_0001\.txt, sky_0002\.txt, sky_0003\.txt, sky_0004\.txt, sky_0005\.txt and 25 more\) are still waiting to be written: the disk holding .* is full \(DISK_FULL\)\. Free some space there: they are written automatically once space is freed\.$/,
      );
      expect(JSON.stringify(report)).not.toContain('reopen');

      // No further op, no reopen: the writer's retry writes them once the disk has room.
      await disk.free();
      await allCaptionsWritten(dataset);
      expect(await captions(dir, dataset)).toEqual(before.map((text) => `${text}, blue sky`));
      const after = (await dataset.check()).problems.map((problem) => problem.code);
      expect(after).not.toContain('CAPTIONS_WAITING');
      expect(after).not.toContain('CAPTION_OUT_OF_DATE');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'closes while the disk is still full; reopened on it, takes in edits and waits to write the captions',
    async () => {
      const { disk, dir, dataset } = await splitDataset();
      const before = await captions(dir, dataset);
      await disk.fill();
      const [first, second] = dataset.images();
      if (first === undefined || second === undefined) throw new Error('the import lost images');
      const applied = await dataset.apply({
        type: 'add',
        target: { ids: [first.id] },
        tags: ['rain'],
      });
      expect(applied.captionsPending).toBe(1);
      await dataset.close();
      // Edited by hand while closed, in the block the file had.
      await writeFile(path.join(dir, second.file.replace(/\.png$/, '.txt')), 'fog');
      const again = await openDataset(dir);
      try {
        await again.reconciled();
        await again.captionsWritten();
        expect(again.image(second.id)?.tags).toEqual(['fog']);
        const waiting = (await again.check()).problems.find((problem) =>
          problem.message.includes('still waiting'),
        );
        expect(waiting?.message).toMatch(/^The caption sky_0001\.txt is still waiting .*DISK_FULL/);
        await disk.free();
        await allCaptionsWritten(again);
        const after = await captions(dir, again);
        expect(after.filter((text, index) => text !== before[index])).toEqual([
          `${before[0]}, rain`,
          'fog',
        ]);
      } finally {
        await again.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports captions of a folder turned read-only as NOT_WRITABLE, naming the folder, and writes them once it is writable',
    async () => {
      const { disk, dir, dataset } = await splitDataset();
      const before = await captions(dir, dataset);
      await disk.setReadOnly(true);
      try {
        const applied = await dataset.apply({
          type: 'add',
          target: { ids: [dataset.images()[0]?.id ?? ''] },
          tags: ['rain'],
        });
        expect(applied.captionsPending).toBe(1);
        expect(dataset.captionProgress().error?.code).toBe('NOT_WRITABLE');
        const report = await dataset.check();
        const waiting = report.problems.find((problem) =>
          problem.message.includes('still waiting'),
        );
        expect(waiting?.message).toBe(
          `The caption sky_0001.txt is still waiting to be written: the folder ${dir} cannot be written (NOT_WRITABLE: a read-only disk or no permission). Make ${dir} writable: it is written automatically once it is.`,
        );
        expect(await captions(dir, dataset)).toEqual(before);
      } finally {
        await disk.setReadOnly(false);
      }
      await allCaptionsWritten(dataset);
      expect((await captions(dir, dataset))[0]).toBe(`${before[0]}, rain`);
    },
    TEST_TIMEOUT_MS,
  );
});
