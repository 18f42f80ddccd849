import path from 'node:path';
import { mountTmpfs, type TestDisk } from '@civtag/test-disk';
import { afterEach, expect, it } from 'vitest';
import { scratchFolder, writeImages } from './harness.js';
import { runCliInProcess } from './run-cli-in-process.js';

const cleanUps: (() => Promise<void>)[] = [];
let disk: TestDisk | undefined;
afterEach(async () => {
  await disk?.setReadOnly(false).catch(() => undefined);
  await disk?.unmount();
  disk = undefined;
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

it('an import into a folder on a read-only disk says so in one line, naming the folder', async () => {
  const source = path.join(await scratchFolder(cleanUps), 'source');
  await writeImages(source, 2);
  disk = await mountTmpfs({ sizeBytes: 4 * 1024 * 1024 });
  await disk.setReadOnly(true);
  const out = path.join(disk.dir, 'dataset');
  const run = await runCliInProcess(['import', source, '--out', out]);
  expect(run.code).toBe(1);
  expect(run.stderr).not.toContain('unexpected error');
  expect(run.stderr.trim().split('\n')).toEqual([
    `civtag import: Could not make the folder ${out}: EROFS: read-only file system, mkdir '${out}'. ${disk.dir} cannot be written (a read-only disk or no permission): make it writable.`,
  ]);
});
