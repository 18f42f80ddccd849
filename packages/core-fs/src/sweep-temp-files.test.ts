import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeTemporaryFolder, removeTemporaryFolder } from '../test/corpus.js';
import { sweepTempFiles } from './sweep-temp-files.js';
import { temporaryFileName } from './temporary-file-name.js';

let folder: string;
beforeEach(async () => {
  folder = await makeTemporaryFolder();
});
afterEach(() => removeTemporaryFolder(folder));

it('removes the temporary files a crash left and nothing else', async () => {
  const leftovers = [temporaryFileName('a.txt', 'tmp'), temporaryFileName('a.txt', 'old')];
  const kept = [
    'a.txt',
    '.hidden',
    'b.civtag-tmp',
    '.x.0123456789ab.civtag-tmpx',
    'sakura_0001.png',
  ];
  for (const name of [...leftovers, ...kept]) await writeFile(path.join(folder, name), 'x');
  await mkdir(path.join(folder, 'sub'));
  await writeFile(path.join(folder, 'sub', temporaryFileName('b.txt', 'tmp')), 'x');
  expect(await sweepTempFiles(folder)).toBe(2);
  expect((await readdir(folder)).sort()).toEqual([...kept, 'sub'].sort());
  expect(await sweepTempFiles(folder)).toBe(0);
});

it('finds nothing to sweep in a folder that does not exist', async () => {
  expect(await sweepTempFiles(path.join(folder, 'missing'))).toBe(0);
});

it('keeps temporary names recognisable and short for very long file names', () => {
  const name = temporaryFileName(`${'é'.repeat(200)}.txt`, 'tmp');
  expect(Buffer.byteLength(name)).toBeLessThan(255);
  expect(name).toMatch(/^\.é+\.[0-9a-f]{12}\.civtag-tmp$/);
});
