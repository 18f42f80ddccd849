import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { corpusPath, makeTemporaryFolder, removeTemporaryFolder } from '../test/corpus.js';
import { makeThumbnail, makeThumbnailWithHash, writeThumbnailWithHash } from './make-thumbnail.js';
import { probeImage } from './probe-image.js';

describe('makeThumbnail', () => {
  it('takes the bytes of a file as well as its path, and honours the size', async () => {
    const bytes = await readFile(corpusPath('exif-orientation', 'Portrait_6.jpg'));
    const thumbnail = await makeThumbnail(new Uint8Array(bytes), { size: 64 });
    const metadata = await sharp(thumbnail).metadata();
    expect(metadata).toMatchObject({ format: 'webp', height: 64 });
    expect(metadata.width).toBeLessThan(64);
  });

  it('does not enlarge a small image', async () => {
    const thumbnail = await makeThumbnail(corpusPath('pngsuite', 'basn2c08.png'));
    expect(await sharp(thumbnail).metadata()).toMatchObject({ width: 32, height: 32 });
  });

  it('refuses an image over a lowered pixel limit before decoding it', async () => {
    const file = corpusPath('exif-orientation', 'Landscape_1.jpg');
    // One at a time: a second promise made up front could reject before anyone awaits it.
    for (const attempt of [
      () => makeThumbnail(file, { limitInputPixels: 1000 }),
      () => probeImage(file, { limitInputPixels: 1000 }),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(CivtagError.hasCode(error, 'IMAGE_TOO_LARGE')).toBe(true);
      expect((error as Error).message).toMatch(/more than 1000 pixels/);
    }
  });

  it('says IMAGE_UNREADABLE for bytes that are no image', async () => {
    const error = await makeThumbnail(new TextEncoder().encode('not an image')).catch(
      (caught: unknown) => caught,
    );
    expect(CivtagError.hasCode(error, 'IMAGE_UNREADABLE')).toBe(true);
    expect((error as Error).message).toMatch(/in memory/);
  });
});

describe('writeThumbnailWithHash', () => {
  it('writes the same thumbnail and hash that makeThumbnailWithHash gives, over an older file, leaving nothing else', async () => {
    const folder = await makeTemporaryFolder();
    try {
      const target = path.join(folder, 'thumb.webp');
      await writeFile(target, 'an older thumbnail');
      for (const source of [
        corpusPath('exif-orientation', 'Portrait_6.jpg'),
        corpusPath('pngsuite', 'basn6a08.png'),
      ]) {
        const made = await makeThumbnailWithHash(source);
        const written = await writeThumbnailWithHash(source, target);
        expect(written.phash).toBe(made.phash);
        expect(new Uint8Array(await readFile(target))).toEqual(made.thumbnail);
        expect(await readdir(folder)).toEqual(['thumb.webp']);
      }
    } finally {
      await removeTemporaryFolder(folder);
    }
  });

  it('says IMAGE_UNREADABLE for bytes that are no image, and writes nothing', async () => {
    const folder = await makeTemporaryFolder();
    try {
      const error = await writeThumbnailWithHash(
        new TextEncoder().encode('not an image'),
        path.join(folder, 'thumb.webp'),
      ).catch((caught: unknown) => caught);
      expect(CivtagError.hasCode(error, 'IMAGE_UNREADABLE')).toBe(true);
      expect(await readdir(folder)).toEqual([]);
    } finally {
      await removeTemporaryFolder(folder);
    }
  });
});
