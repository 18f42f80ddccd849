import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { mountTmpfs, type TestDisk } from '@civtag/test-disk';
import { afterEach, expect, it } from 'vitest';
import { makeFolder } from '../src/index.js';

let disk: TestDisk | undefined;
afterEach(async () => {
  await disk?.setReadOnly(false).catch(() => undefined);
  await disk?.unmount();
  disk = undefined;
});

it('makes missing parents, and is quiet when the folder exists', async () => {
  disk = await mountTmpfs({ sizeBytes: 1024 * 1024 });
  const folder = path.join(disk.dir, 'a', 'b', 'c');
  await makeFolder(folder);
  await makeFolder(folder);
  expect((await stat(folder)).isDirectory()).toBe(true);
});

it('says a read-only disk is read-only, naming the first folder it could not make (not ENOENT)', async () => {
  disk = await mountTmpfs({ sizeBytes: 1024 * 1024 });
  await mkdir(path.join(disk.dir, 'kept'));
  await disk.setReadOnly(true);
  const error = await makeFolder(path.join(disk.dir, 'kept', 'dataset', '.civtag')).catch(
    (caught: unknown) => caught,
  );
  expect(error).toMatchObject({
    code: 'NOT_WRITABLE',
    details: { path: path.join(disk.dir, 'kept', 'dataset'), systemCode: 'EROFS' },
  });
  expect((error as Error).message).toContain(
    `${path.join(disk.dir, 'kept')} cannot be written (a read-only disk or no permission): make it writable.`,
  );
});
