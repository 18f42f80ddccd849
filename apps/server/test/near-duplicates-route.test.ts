import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ImagesPage, NearDuplicatesResponse } from '@civtag/api-models';
import { createDataset, type Dataset } from '@civtag/core';
import { corpusPath } from '@civtag/test-corpus';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchFolder, startServer } from './harness.js';

const cleanUps: (() => Promise<void>)[] = [];
let base: string;
let dataset: Dataset;

beforeAll(async () => {
  const root = await scratchFolder(cleanUps);
  const source = path.join(root, 'source');
  await mkdir(path.join(source, 'phone'), { recursive: true });
  const landscape = corpusPath('exif-orientation', 'Landscape_1.jpg');
  await copyFile(landscape, path.join(source, 'landscape.jpg'));
  await copyFile(
    corpusPath('exif-orientation', 'Portrait_1.jpg'),
    path.join(source, 'phone', 'portrait.jpg'),
  );
  // The same picture, smaller and re-encoded, as a second download of it would be.
  await sharp(landscape)
    .resize(900)
    .webp({ quality: 75 })
    .toFile(path.join(source, 'phone', 'landscape-small.webp'));
  dataset = await createDataset(path.join(root, 'dataset'), { prefix: 'test' });
  cleanUps.push(() => dataset.close());
  const result = await dataset.import(source, { recursive: true }).done;
  expect(result.failed).toBe(0);
  ({ base } = await startServer(dataset, cleanUps));
});

afterAll(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

async function getJson<T>(route: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${route}`);
  return { status: response.status, body: (await response.json()) as T };
}

describe('GET /api/near-duplicates', () => {
  it('answers the groups of images that look alike, with the revision', async () => {
    const { status, body } = await getJson<NearDuplicatesResponse>('/api/near-duplicates');
    expect(status).toBe(200);
    const files = (ids: string[]) => ids.map((id) => dataset.image(id)?.file);
    expect(body.groups.map(files)).toEqual([['test_0001.jpg', 'test_0002.webp']]);
    expect(body).toMatchObject({ revision: dataset.revision, pending: 0 });
  });

  it('shows each image with its source and perceptual hash, and filters by them', async () => {
    const { body } = await getJson<ImagesPage>(
      `/api/images?q=${encodeURIComponent('source:phone/ has:near-duplicates')}`,
    );
    expect(body.images.map((image) => [image.file, image.source])).toEqual([
      ['test_0002.webp', { name: 'landscape-small.webp', path: 'phone/landscape-small.webp' }],
    ]);
    expect(body.images[0]?.phash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('answers a malformed new filter term with 400 and where it is wrong', async () => {
    const { status, body } = await getJson<{ error: { code: string; message: string } }>(
      `/api/images?q=${encodeURIComponent('width<abc')}`,
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.message).toMatch(/whole number of pixels after "width<"/);
  });

  it('leaves an image out once it is excluded', async () => {
    const copy = dataset.images().find((image) => image.format === 'webp');
    await dataset.apply({ type: 'exclude', target: { ids: [copy?.id as string] } });
    const { body } = await getJson<NearDuplicatesResponse>('/api/near-duplicates');
    expect(body.groups).toEqual([]);
  });
});
