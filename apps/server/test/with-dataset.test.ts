import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { createDataset, openDataset } from '@civtag/core';
import { mountTmpfs, type TestDisk } from '@civtag/test-disk';
import { afterEach, expect, it } from 'vitest';
import { withDataset } from '../src/cli/dataset-folder.js';

let disk: TestDisk | undefined;
afterEach(async () => {
  await disk?.unmount();
  disk = undefined;
});

it('keeps the work’s error when closing the dataset fails too (a full disk fails both)', async () => {
  disk = await mountTmpfs({ sizeBytes: 8 * 1024 * 1024 });
  const dataset = await createDataset(path.join(disk.dir, 'dataset'), { prefix: 'full' });
  const full = disk;
  const workError = new CivtagError('DISK_FULL', 'The import stopped: the disk is full.');
  const thrown = await withDataset(dataset, async (open) => {
    // Journaled, so that closing compacts, which needs room the disk no longer has.
    await open.apply({ type: 'settings', changes: { triggerWord: 'sks' } });
    await full.fill(0);
    throw workError;
  }).catch((error: unknown) => error);
  expect(thrown).toBe(workError);
  // The close failed for lack of room, but it released the dataset: it opens again once freed.
  await disk.free();
  const reopened = await openDataset(path.join(disk.dir, 'dataset'));
  expect(reopened.settings.triggerWord).toBe('sks');
  await reopened.close();
});
