import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, expect, it } from 'vitest';
import { demoFolder } from './demo-dataset.js';
import { writeDemoImages } from './demo-images.js';

const folder = await mkdtemp(path.join(tmpdir(), 'civtag-demo-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

it('writes 24 varied sample images, a few captions, and one image too small to train on', async () => {
  expect(await writeDemoImages(folder)).toBe(24);
  const files = await readdir(folder);
  const images = files.filter((file) => /\.(png|jpg)$/.test(file));
  expect(images).toHaveLength(24);
  const sizes = await Promise.all(
    images.map(async (file) => (await sharp(path.join(folder, file)).metadata()).width),
  );
  expect(new Set(sizes).size).toBeGreaterThan(3);
  expect(Math.min(...sizes)).toBe(48);
  const captions = files.filter((file) => file.endsWith('.txt'));
  expect(captions.length).toBeGreaterThanOrEqual(6);
  expect(await readFile(path.join(folder, 'red-circle.txt'), 'utf8')).toBe(
    'red circle, simple background, geometric\n',
  );
});

it('keeps the demo in the cache folder, honouring XDG_CACHE_HOME', () => {
  expect(demoFolder({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/civtag/demo');
  expect(demoFolder({})).toMatch(/\.cache\/civtag\/demo$/);
});
