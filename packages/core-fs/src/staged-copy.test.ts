import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTemporaryFolder, removeTemporaryFolder } from '../test/corpus.js';
import { stageCopy } from './staged-copy.js';
import { sweepTempFiles } from './sweep-temp-files.js';
import { syncFolder } from './sync-folder.js';

let folder: string;
let dataset: string;
const bytes = new TextEncoder().encode('the bytes of an image');

beforeEach(async () => {
  folder = await makeTemporaryFolder();
  dataset = path.join(folder, 'dataset');
  await mkdir(dataset);
});
afterEach(() => removeTemporaryFolder(folder));

describe('stageCopy', () => {
  it('waits under a hidden temporary name, then takes its final name with nothing left behind', async () => {
    const copy = await stageCopy(bytes, dataset, { name: 'photo.png' });
    const [waiting] = await readdir(dataset);
    expect(waiting).toMatch(/^\.photo\.png\.[0-9a-f]{12}\.civtag-tmp$/);
    await copy.claim(path.join(dataset, 'sakura_0001.png'));
    await syncFolder(dataset);
    expect(await readdir(dataset)).toEqual(['sakura_0001.png']);
    expect(new Uint8Array(await readFile(path.join(dataset, 'sakura_0001.png')))).toEqual(bytes);
    // Once named, a discard leaves the file.
    await copy.discard();
    expect(await readdir(dataset)).toEqual(['sakura_0001.png']);
  });

  it('never takes a name in use: CONFLICT, the file untouched, and the copy can take another', async () => {
    const taken = path.join(dataset, 'sakura_0001.png');
    await writeFile(taken, 'a file civtag did not make');
    const copy = await stageCopy(bytes, dataset, { fsync: false });
    const error = await copy.claim(taken).catch((caught: unknown) => caught);
    expect(CivtagError.hasCode(error, 'CONFLICT')).toBe(true);
    expect(await readFile(taken, 'utf8')).toBe('a file civtag did not make');
    await copy.claim(path.join(dataset, 'sakura_0002.png'));
    expect((await readdir(dataset)).sort()).toEqual(['sakura_0001.png', 'sakura_0002.png']);
  });

  it('refuses a name outside its folder', async () => {
    const copy = await stageCopy(bytes, dataset);
    const error = await copy.claim(path.join(folder, 'elsewhere.png')).catch((caught) => caught);
    expect(CivtagError.hasCode(error, 'IO_ERROR')).toBe(true);
    await copy.discard();
    expect(await readdir(folder)).toEqual(['dataset']);
    expect(await readdir(dataset)).toEqual([]);
  });

  it('is removed by a discard, or by the sweep after a crash', async () => {
    const discarded = await stageCopy(bytes, dataset);
    await discarded.discard();
    expect(await readdir(dataset)).toEqual([]);
    await stageCopy(bytes, dataset);
    await stageCopy(bytes, dataset);
    expect(await sweepTempFiles(dataset)).toBe(2);
    expect(await readdir(dataset)).toEqual([]);
  });

  it('says IO_ERROR when the folder does not exist, and leaves nothing', async () => {
    const error = await stageCopy(bytes, path.join(folder, 'missing')).catch((caught) => caught);
    expect(CivtagError.hasCode(error, 'IO_ERROR')).toBe(true);
    expect(await readdir(folder)).toEqual(['dataset']);
  });
});
