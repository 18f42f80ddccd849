import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeTemporaryFolder, removeTemporaryFolder } from '../test/corpus.js';
import { sweepTempFiles } from './sweep-temp-files.js';
import { temporaryFileName, temporaryNameMark } from './temporary-file-name.js';

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

it('spares the temporary files this process made since a mark, and removes older ones', async () => {
  const older = temporaryFileName('a.txt', 'tmp');
  const mark = temporaryNameMark();
  const mine = [temporaryFileName('a.txt', 'tmp'), temporaryFileName('b.txt', 'old')];
  // What another process left: a name from a sequence that is not this one's.
  const theirs = '.c.txt.000000000001.civtag-tmp';
  for (const name of [older, ...mine, theirs]) await writeFile(path.join(folder, name), 'x');
  expect(await sweepTempFiles(folder, { spareMadeSince: mark })).toBe(2);
  expect((await readdir(folder)).sort()).toEqual([...mine].sort());
  expect(await sweepTempFiles(folder)).toBe(2);
  expect(await readdir(folder)).toEqual([]);
});

it('finds nothing to sweep in a folder that does not exist', async () => {
  expect(await sweepTempFiles(path.join(folder, 'missing'))).toBe(0);
});

it('keeps temporary names recognisable and short for very long file names', () => {
  const name = temporaryFileName(`${'é'.repeat(200)}.txt`, 'tmp');
  expect(Buffer.byteLength(name)).toBeLessThan(255);
  expect(name).toMatch(/^\.é+\.[0-9a-f]{12}\.civtag-tmp$/);
});

it('with olderThanMs, removes only the temporary files not modified for that long', async () => {
  const stale = temporaryFileName('a.txt', 'tmp');
  const fresh = temporaryFileName('b.txt', 'tmp');
  for (const name of [stale, fresh]) await writeFile(path.join(folder, name), 'x');
  const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
  await utimes(path.join(folder, stale), hourAgo, hourAgo);
  expect(await sweepTempFiles(folder, { olderThanMs: 10 * 60 * 1000 })).toBe(1);
  expect(await readdir(folder)).toEqual([fresh]);
});
