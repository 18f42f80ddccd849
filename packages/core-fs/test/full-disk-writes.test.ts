import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mountTmpfs, type TestDisk } from '@civtag/test-disk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  copyIntoDataset,
  DirectWriteBuffers,
  freeSpace,
  stageCopy,
  writeFileAtomic,
  writeThumbnailWithHash,
} from '../src/index.js';
import { corpusPath } from './corpus.js';

/** Bytes larger than any space a filled tmpfs has left. */
const LARGE = new Uint8Array(256 * 1024).fill(7);
/** An image whose thumbnail is larger than any space a filled tmpfs has left. */
const IMAGE = corpusPath('exif-orientation', 'Landscape_1.jpg');
/** What an import writes its copies with: past the page cache where the disk takes that. */
const copyBuffers = () => new DirectWriteBuffers(2, 32 * 1024 * 1024);

describe('writes on a full or read-only disk', () => {
  let disk: TestDisk;
  let folder: string;
  let source: string;

  beforeAll(async () => {
    disk = await mountTmpfs({ sizeBytes: 2 * 1024 * 1024 });
    folder = path.join(disk.dir, 'dataset');
    source = path.join(disk.dir, 'source.png');
  });

  afterAll(async () => {
    await disk?.unmount();
  });

  it('tells the free space of the disk as statfs does', async () => {
    expect(await freeSpace(disk.dir)).toBe(await disk.freeBytes());
    await expect(freeSpace(path.join(disk.dir, 'missing'))).rejects.toMatchObject({
      code: 'IO_ERROR',
    });
  });

  it('fails with DISK_FULL, keeps the old content and leaves no temporary file', async () => {
    await mkdir(folder);
    const caption = path.join(folder, 'a.txt');
    await writeFile(caption, 'old, tags');
    await writeFile(source, LARGE);
    await disk.fill();
    try {
      const atomic = writeFileAtomic(caption, LARGE, { fsync: false });
      await expect(atomic).rejects.toMatchObject({
        code: 'DISK_FULL',
        details: { path: caption, systemCode: 'ENOSPC' },
      });
      await expect(atomic).rejects.toThrow(/The disk holding .*dataset is full: free some space/);
      for (const buffers of [undefined, copyBuffers()]) {
        await expect(stageCopy(LARGE, folder, { name: 'b.png', buffers })).rejects.toMatchObject({
          code: 'DISK_FULL',
        });
      }
      await expect(
        writeThumbnailWithHash(IMAGE, path.join(folder, 'thumb.webp'), { size: 1024 }),
      ).rejects.toMatchObject({ code: 'DISK_FULL', details: { systemCode: 'ENOSPC' } });
      await expect(copyIntoDataset(source, path.join(folder, 'c.png'))).rejects.toMatchObject({
        code: 'DISK_FULL',
      });
      expect(await readFile(caption, 'utf8')).toBe('old, tags');
      expect((await readdir(folder)).sort()).toEqual(['a.txt']);
    } finally {
      await disk.free();
    }
    await writeFileAtomic(caption, 'new, tags');
    expect(await readFile(caption, 'utf8')).toBe('new, tags');
  });

  it('fails with NOT_WRITABLE on a read-only disk, naming the folder to make writable', async () => {
    const caption = path.join(folder, 'a.txt');
    await disk.setReadOnly(true);
    try {
      const atomic = writeFileAtomic(caption, 'other, tags', { fsync: false });
      await expect(atomic).rejects.toMatchObject({
        code: 'NOT_WRITABLE',
        details: { systemCode: 'EROFS' },
      });
      await expect(atomic).rejects.toThrow(/dataset cannot be written .*make it writable/);
      for (const buffers of [undefined, copyBuffers()]) {
        await expect(stageCopy(LARGE, folder, { buffers })).rejects.toMatchObject({
          code: 'NOT_WRITABLE',
        });
      }
      await expect(
        writeThumbnailWithHash(IMAGE, path.join(folder, 'thumb.webp')),
      ).rejects.toMatchObject({ code: 'NOT_WRITABLE' });
    } finally {
      await disk.setReadOnly(false);
    }
    expect(await readFile(caption, 'utf8')).toBe('new, tags');
    expect((await readdir(folder)).sort()).toEqual(['a.txt']);
  });
});
