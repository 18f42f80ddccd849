import { closeSync, openSync, writeSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError, type ImportProgress } from '@civtag/api-models';
import { mountTmpfs, type TestDisk } from '@civtag/test-disk';
import { describe, expect, it } from 'vitest';
import { createDataset, type Dataset, openDataset } from '../src/index.js';
import { cleanUpAfterEach, makePng, makeTempDir } from './fixtures.js';
import { bindMount } from './split-disk.js';

/** Source images of about 300 KB each (uncompressed pixels), with a caption each. */
const IMAGE_SIDE = 320;
const IMAGE_COUNT = 24;
/** Bound on a test: it writes some 20 MB and thumbnails 50 images. */
const TEST_TIMEOUT_MS = 60_000;

const cleanUps = cleanUpAfterEach();

async function mount(sizeBytes: number): Promise<TestDisk> {
  const disk = await mountTmpfs({ sizeBytes });
  cleanUps.push(() => disk.unmount());
  return disk;
}

async function sourceFolder(): Promise<string> {
  const { dir, remove } = await makeTempDir('full-disk-source');
  cleanUps.push(remove);
  for (let index = 0; index < IMAGE_COUNT; index += 1) {
    const name = `photo-${String(index + 1).padStart(2, '0')}`;
    await writeFile(
      path.join(dir, `${name}.png`),
      makePng(IMAGE_SIDE, IMAGE_SIDE, index, { stored: true }),
    );
    await writeFile(path.join(dir, `${name}.txt`), `tag${index + 1}, blue sky`);
  }
  return dir;
}

/**
 * Fills the disk at once, leaving `leaveBytes`: written without yielding, so no step of the
 * import runs between the moment it is called and the moment the disk is full.
 */
function fillNow(disk: TestDisk, leaveBytes: number, freeBytes: number): void {
  const handle = openSync(path.join(disk.dir, '.ballast-now'), 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let left = freeBytes - leaveBytes; left > 0; left -= chunk.length) {
      writeSync(handle, chunk, 0, Math.min(chunk.length, left));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(handle);
  }
}

/** Every file under `dir` whose name marks a temporary file of civtag, at any depth. */
async function temporaryFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.civtag-(tmp|old)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

async function rejection(promise: Promise<unknown>): Promise<CivtagError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!CivtagError.isInstance(error)) throw new Error(`expected a CivtagError, got ${error}`);
  return error;
}

describe('an import onto a disk without room', () => {
  it(
    'refuses before copying anything when the disk clearly cannot hold the images',
    async () => {
      const disk = await mount(2 * 1024 * 1024);
      const source = await sourceFolder();
      const dir = path.join(disk.dir, 'dataset');
      const dataset = await createDataset(dir, { prefix: 'sky' });
      try {
        const error = await rejection(dataset.import(source).done);
        expect(error.code).toBe('DISK_FULL');
        const details = error.details as { path: string; bytesNeeded: number; bytesFree: number };
        expect(details.path).toBe(dir);
        expect(details.bytesNeeded).toBeGreaterThan(IMAGE_COUNT * IMAGE_SIDE * IMAGE_SIDE * 3);
        expect(details.bytesFree).toBeLessThan(2 * 1024 * 1024);
        expect(error.message).toContain(dir);
        expect(error.message).toMatch(/needs about [\d.]+ MB and [\d.]+ (MB|KB) are free/);
        expect(error.message.split('\n')).toHaveLength(1);
        expect(dataset.imageCount).toBe(0);
        expect((await readdir(dir)).filter((name) => name !== '.civtag')).toEqual([]);
      } finally {
        await dataset.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stops with DISK_FULL when the disk fills, tears nothing, and resumes to every image once',
    async () => {
      const disk = await mount(16 * 1024 * 1024);
      const source = await sourceFolder();
      const dir = path.join(disk.dir, 'dataset');
      let dataset: Dataset = await createDataset(dir, { prefix: 'sky' });
      cleanUps.push(() => dataset.close());
      const free = await disk.freeBytes();
      // Once the first images are journaled, the disk is full but for room for the journal and
      // a few captions: every copy after that fails.
      let filled = false;
      dataset.on('change', (change) => {
        if (filled || (change.added?.length ?? 0) === 0) return;
        filled = true;
        fillNow(disk, 160 * 1024, free);
      });
      const job = dataset.import(source);
      const error = await rejection(job.done);
      expect(filled).toBe(true);
      expect(error.code).toBe('DISK_FULL');
      const details = error.details as { path: string; bytesNeeded: number; bytesFree: number };
      expect(details.path).toBe(dir);
      const imported = dataset.imageCount;
      expect(imported).toBeGreaterThan(0);
      expect(imported).toBeLessThan(IMAGE_COUNT);
      // Roughly what the images not imported need: their files and then some.
      const left = IMAGE_COUNT - imported;
      expect(details.bytesNeeded).toBeGreaterThanOrEqual(left * IMAGE_SIDE * IMAGE_SIDE * 3);
      expect(details.bytesFree).toBeLessThan(details.bytesNeeded);
      expect(error.message).toMatch(
        new RegExp(`disk holding the dataset ${dir} is full, with ${left} images still to import`),
      );
      expect(error.message).toContain('run the same import again');
      // The job's status says it in one line, and names the files that could not be written.
      const progress: ImportProgress = job.progress();
      expect(progress.state).toBe('failed');
      expect(progress.failures.at(-1)).toMatchObject({ path: dir, code: 'DISK_FULL' });
      expect(
        progress.failures.filter((failure) => failure.code === 'DISK_FULL').length,
      ).toBeGreaterThan(1);
      // Nothing torn: no temporary file, every image file in the folder is one the dataset has.
      expect(await temporaryFiles(dir)).toEqual([]);
      const images = (await readdir(dir)).filter((name) => name.endsWith('.png')).sort();
      expect(images).toEqual(
        dataset
          .images()
          .map((image) => image.file)
          .sort(),
      );

      // The session is consistent: reopened (still full), the images imported are there with
      // the tags of their captions. The close compacts the journal, which the full disk may
      // refuse (how much room the import's last writes left varies): that loses nothing, the
      // journal stays as it is, and the close says why.
      await dataset.close().catch((closeError: unknown) => {
        expect(closeError).toMatchObject({ code: 'DISK_FULL' });
        expect(String(closeError)).toContain(path.join(dir, '.civtag'));
      });
      dataset = await openDataset(dir);
      expect(dataset.imageCount).toBe(imported);
      for (const image of dataset.images()) expect(image.tags).toContain('blue sky');

      await disk.free();
      const resumed = await dataset.import(source).done;
      expect(resumed.state).toBe('done');
      expect(dataset.imageCount).toBe(IMAGE_COUNT);
      const hashes = new Set(dataset.images().map((image) => image.hash));
      expect(hashes.size).toBe(IMAGE_COUNT);
      const tags = dataset
        .images()
        .flatMap((image) => image.tags.filter((tag) => tag !== 'blue sky'));
      expect(tags.sort()).toEqual(
        Array.from({ length: IMAGE_COUNT }, (_, index) => `tag${index + 1}`).sort(),
      );
      const files = (await readdir(dir)).filter((name) => name.endsWith('.png'));
      expect(files).toHaveLength(IMAGE_COUNT);
      await dataset.captionsWritten();
      for (const image of dataset.images()) {
        const caption = await readFile(
          path.join(dir, image.file.replace(/\.png$/, '.txt')),
          'utf8',
        );
        expect(caption).toContain('blue sky');
      }
      expect(await temporaryFiles(dir)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'names the images whose thumbnails could not be written, and serves thumbnails all the same',
    async () => {
      const disk = await mount(32 * 1024 * 1024);
      const thumbs = await mount(4 * 1024 * 1024);
      const source = await sourceFolder();
      const dir = path.join(disk.dir, 'dataset');
      const dataset = await createDataset(dir, { prefix: 'sky' });
      cleanUps.push(() => dataset.close());
      cleanUps.push(await bindMount(thumbs.dir, path.join(dir, '.civtag', 'thumbs')));
      await thumbs.fill();
      const job = dataset.import(source);
      const error = await rejection(job.done);
      expect(error.code).toBe('DISK_FULL');
      const failures = job.progress().failures;
      const thumbnailFailures = failures.filter((failure) =>
        /Its thumbnail .*\.civtag\/thumbs\/\w+\.webp could not be written/.test(failure.message),
      );
      expect(thumbnailFailures.length).toBeGreaterThan(0);
      for (const failure of thumbnailFailures) {
        expect(failure.code).toBe('DISK_FULL');
        expect(failure.path).toMatch(/photo-\d\d\.png$/);
      }
      expect(await temporaryFiles(dir)).toEqual([]);

      // Room for the images but none for thumbnails: a thumbnail asked for is made and served.
      await thumbs.free();
      const done = await dataset.import(source).done;
      expect(done.state).toBe('done');
      const image = dataset.images()[0];
      if (image === undefined) throw new Error('no image imported');
      await rm(path.join(dir, '.civtag', 'thumbs', `${image.hash}.webp`));
      await thumbs.fill();
      const bytes = await dataset.thumbnail(image.id);
      expect(Buffer.from(bytes.subarray(8, 12)).toString('latin1')).toBe('WEBP');
      expect(await readdir(path.join(dir, '.civtag', 'thumbs'))).not.toContain(
        `${image.hash}.webp`,
      );
    },
    TEST_TIMEOUT_MS,
  );
});
