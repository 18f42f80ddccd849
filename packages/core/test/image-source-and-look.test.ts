import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDataset, type Dataset, openDataset } from '../src/index.js';
import { decodeState } from '../src/state-codec.js';
import { corpusDir, makeTempDir } from './fixtures.js';

let temp: { dir: string; remove: () => Promise<void> };
let source: string;
let target: string;
let dataset: Dataset | undefined;

const LANDSCAPE = path.join(corpusDir(), 'exif-orientation', 'Landscape_1.jpg');
const PORTRAIT = path.join(corpusDir(), 'exif-orientation', 'Portrait_1.jpg');
const PHOTO = path.join(corpusDir(), 'sharp-fixtures', '2569067123_aca715a2ee_o.jpg');

/** Real pictures of the corpus, one of them twice: the second a smaller WebP in a subfolder. */
async function writeSource(): Promise<void> {
  await mkdir(path.join(source, 'trip', 'day one'), { recursive: true });
  await copyFile(LANDSCAPE, path.join(source, 'landscape.jpg'));
  await copyFile(PORTRAIT, path.join(source, 'trip', 'portrait.jpg'));
  await copyFile(PHOTO, path.join(source, 'trip', 'day one', 'photo.jpg'));
  await sharp(LANDSCAPE)
    .resize(1200)
    .webp({ quality: 80 })
    .toFile(path.join(source, 'trip', 'day one', 'landscape small.webp'));
}

async function importSource(): Promise<Dataset> {
  await writeSource();
  dataset = await createDataset(target, { prefix: 'sakura' });
  const result = await dataset.import(source, { recursive: true }).done;
  expect(result).toMatchObject({ state: 'done', done: 4, failed: 0 });
  return dataset;
}

function ids(found: Dataset, q: string): string[] {
  return found.query({ q }).images.map((image) => image.file);
}

beforeEach(async () => {
  temp = await makeTempDir('source-look');
  source = path.join(temp.dir, 'photos');
  target = path.join(temp.dir, 'dataset');
});

afterEach(async () => {
  await dataset?.close();
  dataset = undefined;
  await temp.remove();
});

describe('what an import records of each image', () => {
  it('keeps the source file name and its path inside the import folder', async () => {
    const imported = await importSource();
    const sources = imported.images().map((image) => [image.file, image.source]);
    expect(sources).toEqual([
      ['sakura_0001.jpg', { name: 'landscape.jpg', path: 'landscape.jpg' }],
      [
        'sakura_0002.webp',
        { name: 'landscape small.webp', path: 'trip/day one/landscape small.webp' },
      ],
      ['sakura_0003.jpg', { name: 'photo.jpg', path: 'trip/day one/photo.jpg' }],
      ['sakura_0004.jpg', { name: 'portrait.jpg', path: 'trip/portrait.jpg' }],
    ]);
    // Reopened from its snapshot, the records are the same.
    await imported.close();
    dataset = await openDataset(target);
    expect(dataset.images().map((image) => image.source)).toEqual(sources.map(([, s]) => s));
  });

  it('gives each image a perceptual hash, and groups the smaller copy with its original', async () => {
    const imported = await importSource();
    for (const image of imported.images()) expect(image.phash).toMatch(/^[0-9a-f]{16}$/);
    expect(imported.nearDuplicateGroups()).toEqual([
      [imported.images()[0]?.id, imported.images()[1]?.id],
    ]);
    expect(imported.pendingPerceptualHashes).toBe(0);
    // An excluded image leaves its group, which then has one image: no group.
    await imported.apply({
      type: 'exclude',
      target: { ids: [imported.images()[1]?.id as string] },
    });
    expect(imported.nearDuplicateGroups()).toEqual([]);
  });
});

describe('filtering by what an image is', () => {
  it('finds images by source, name, size, format, exclusion and near-duplicates', async () => {
    const imported = await importSource();
    expect(ids(imported, 'source:"day one/"')).toEqual(['sakura_0002.webp', 'sakura_0003.jpg']);
    expect(ids(imported, 'source:portrait*')).toEqual(['sakura_0004.jpg']);
    expect(ids(imported, 'name:0003')).toEqual(['sakura_0003.jpg']);
    expect(ids(imported, 'format:webp')).toEqual(['sakura_0002.webp']);
    expect(ids(imported, 'width<1500')).toEqual(['sakura_0002.webp', 'sakura_0004.jpg']);
    expect(ids(imported, 'height>=1800')).toEqual(['sakura_0003.jpg', 'sakura_0004.jpg']);
    expect(ids(imported, 'has:near-duplicates')).toEqual(['sakura_0001.jpg', 'sakura_0002.webp']);
    expect([...imported.matchPositions('has:near-duplicates')]).toEqual([0, 1]);
    await imported.apply({ type: 'exclude', target: { query: 'format:webp' } });
    expect(ids(imported, 'is:excluded')).toEqual(['sakura_0002.webp']);
    expect(ids(imported, 'has:near-duplicates')).toEqual([]);
  });

  it('applies a change to the images has:near-duplicates finds, and undoes it', async () => {
    const imported = await importSource();
    const applied = await imported.apply({
      type: 'add',
      target: { query: 'has:near-duplicates' },
      tags: ['copy'],
    });
    expect(applied.count).toBe(2);
    expect(ids(imported, 'copy')).toEqual(['sakura_0001.jpg', 'sakura_0002.webp']);
    await imported.undo();
    expect(ids(imported, 'copy')).toEqual([]);
  });
});

describe('a dataset made before images kept their look and source', () => {
  it('gets the perceptual hashes in the background after it is opened, and keeps them', async () => {
    const imported = await importSource();
    const expected = imported.images().map((image) => image.phash);
    await imported.close();
    dataset = undefined;
    // Take the hashes and sources out, as an older civtag saved the state.
    const file = path.join(target, '.civtag', 'session.json');
    const snapshot = JSON.parse(await readFile(file, 'utf8'));
    snapshot.state = decodeState(snapshot.state);
    for (const image of Object.values(snapshot.state.images) as Record<string, unknown>[]) {
      delete image.phash;
      delete image.source;
    }
    snapshot.version = 2;
    delete snapshot.stateSha256;
    delete snapshot.stateLength;
    await writeFile(file, JSON.stringify(snapshot));

    dataset = await openDataset(target);
    // Opening does not wait for the hashes.
    expect(dataset.images().every((image) => image.phash === undefined)).toBe(true);
    expect(dataset.pendingPerceptualHashes).toBe(4);
    await dataset.hashed();
    expect(dataset.images().map((image) => image.phash)).toEqual(expected);
    expect(dataset.pendingPerceptualHashes).toBe(0);
    expect(dataset.nearDuplicateGroups()).toHaveLength(1);
    expect(dataset.images().every((image) => image.source === undefined)).toBe(true);

    await dataset.close();
    dataset = await openDataset(target);
    expect(dataset.images().map((image) => image.phash)).toEqual(expected);
  });
});
