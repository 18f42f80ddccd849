import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeTemporaryFolder, removeTemporaryFolder } from '../test/corpus.js';
import { hashFile, hashFileWithLimit } from './hash-file.js';

let folder: string;
beforeEach(async () => {
  folder = await makeTemporaryFolder();
});
afterEach(() => removeTemporaryFolder(folder));

it('gives the hex SHA-256 of the content, read whole or streamed', async () => {
  const file = path.join(folder, 'abc.bin');
  await writeFile(file, 'abc');
  const expected = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
  expect(await hashFile(file)).toBe(expected);
  expect(await hashFileWithLimit(file, 0)).toBe(expected);
});

it('gives the same hash for a multi-megabyte file streamed or read whole', async () => {
  const file = path.join(folder, 'big.bin');
  await writeFile(file, Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a));
  expect(await hashFileWithLimit(file, 0)).toBe(await hashFile(file));
});

it('throws NOT_FOUND naming a missing file', async () => {
  const missing = path.join(folder, 'missing.png');
  const error = await hashFile(missing).catch((caught: unknown) => caught);
  expect(CivtagError.hasCode(error, 'NOT_FOUND')).toBe(true);
  expect((error as Error).message).toContain(missing);
});
