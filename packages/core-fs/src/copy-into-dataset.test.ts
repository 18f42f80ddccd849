import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { corpusPath, makeTemporaryFolder, removeTemporaryFolder } from '../test/corpus.js';
import { copyIntoDataset } from './copy-into-dataset.js';

let folder: string;
let source: string;
let dataset: string;

beforeEach(async () => {
  folder = await makeTemporaryFolder();
  source = path.join(folder, 'source.jpg');
  await writeFile(source, await readFile(corpusPath('exif-orientation', 'Landscape_3.jpg')));
  dataset = path.join(folder, 'dataset');
  await mkdir(dataset);
});
afterEach(() => removeTemporaryFolder(folder));

describe('copyIntoDataset', () => {
  it('copies the bytes under the new name, leaves the source as it was and nothing else behind', async () => {
    const before = await stat(source);
    await copyIntoDataset(source, path.join(dataset, 'sakura_0001.jpg'));
    expect(await readFile(path.join(dataset, 'sakura_0001.jpg'))).toEqual(await readFile(source));
    expect(await readdir(dataset)).toEqual(['sakura_0001.jpg']);
    expect((await stat(source)).mtimeMs).toBe(before.mtimeMs);
  });

  it('never overwrites an existing file: CONFLICT, the file untouched, no temporary file', async () => {
    const existing = path.join(dataset, 'sakura_0001.jpg');
    await writeFile(existing, 'a file civtag did not make');
    const error = await copyIntoDataset(source, existing, { fsync: false }).catch(
      (caught: unknown) => caught,
    );
    expect(CivtagError.hasCode(error, 'CONFLICT')).toBe(true);
    expect((error as Error).message).toContain(existing);
    expect(await readFile(existing, 'utf8')).toBe('a file civtag did not make');
    expect(await readdir(dataset)).toEqual(['sakura_0001.jpg']);
  });

  it('gives one copy to one of two racing copies to the same name, and CONFLICT to the other', async () => {
    const target = path.join(dataset, 'sakura_0002.jpg');
    const results = await Promise.allSettled([
      copyIntoDataset(source, target, { fsync: false }),
      copyIntoDataset(source, target, { fsync: false }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await readdir(dataset)).toEqual(['sakura_0002.jpg']);
  });

  it('throws NOT_FOUND for a missing source and leaves nothing behind', async () => {
    const error = await copyIntoDataset(
      path.join(folder, 'missing.png'),
      path.join(dataset, 'x.png'),
    ).catch((caught: unknown) => caught);
    expect(CivtagError.hasCode(error, 'NOT_FOUND')).toBe(true);
    expect(await readdir(dataset)).toEqual([]);
  });
});
