import { constants } from 'node:fs';
import { open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTemporaryFolder, removeTemporaryFolder } from '../test/corpus.js';
import { DirectWriteBuffers, writeNewFileFlushed } from './direct-write.js';

let folder: string;

beforeEach(async () => {
  folder = await makeTemporaryFolder();
});
afterEach(() => removeTemporaryFolder(folder));

/** Bytes of `length` that differ from one position to the next, and from one call to the next. */
function pattern(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index += 1) bytes[index] = (index * 31 + seed * 7) & 0xff;
  return bytes;
}

/** Whether the test folder's file system takes files opened with `O_DIRECT`. */
async function diskTakesDirectWrites(): Promise<boolean> {
  const probe = path.join(folder, 'probe');
  try {
    const handle = await open(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_DIRECT);
    await handle.close();
    return true;
  } catch {
    return false;
  } finally {
    await unlink(probe).catch(() => undefined);
  }
}

describe('writeNewFileFlushed', () => {
  it('writes every length exactly past the cache, reusing its buffers with nothing of an earlier file showing', async () => {
    const buffers = new DirectWriteBuffers(2, 32 * 1024 * 1024);
    // Lengths around a block's edge, then a large file before smaller ones that reuse its buffer.
    const lengths = [1, 4095, 4096, 4097, 3 * 1024 * 1024 + 5, 5000, 10, 1024 * 1024 - 1];
    for (const [index, length] of lengths.entries()) {
      const bytes = pattern(length, index);
      const file = path.join(folder, `copy-${index}`);
      await writeNewFileFlushed(file, bytes, { fsync: true, buffers });
      expect((await stat(file)).size).toBe(length);
      // Compared whole: element by element, a few megabytes take the matcher seconds.
      expect(Buffer.compare(await readFile(file), bytes)).toBe(0);
    }
    expect(buffers.writtenPastCache).toBe((await diskTakesDirectWrites()) ? lengths.length : 0);
  });

  it('writes through the cache without buffers, without a flush, with an empty file, or once refused', async () => {
    const refused = new DirectWriteBuffers(2, 32 * 1024 * 1024);
    refused.refuse();
    const small = new DirectWriteBuffers(2, 1024);
    const cases = [
      { name: 'plain', options: { fsync: true } },
      { name: 'unflushed', options: { fsync: false, buffers: small } },
      { name: 'refused', options: { fsync: true, buffers: refused } },
      { name: 'too-large', options: { fsync: true, buffers: small } },
    ];
    for (const [index, { name, options }] of cases.entries()) {
      const bytes = pattern(5000 + index, index);
      await writeNewFileFlushed(path.join(folder, name), bytes, options);
      expect(new Uint8Array(await readFile(path.join(folder, name)))).toEqual(bytes);
    }
    await writeNewFileFlushed(path.join(folder, 'empty'), new Uint8Array(0), {
      fsync: true,
      buffers: new DirectWriteBuffers(2, 1024),
    });
    expect((await stat(path.join(folder, 'empty'))).size).toBe(0);
    expect(refused.writtenPastCache + small.writtenPastCache).toBe(0);
  });

  it('never writes over a file that exists', async () => {
    const file = path.join(folder, 'taken');
    await writeNewFileFlushed(file, pattern(100, 1), { fsync: false });
    for (const buffers of [undefined, new DirectWriteBuffers(2, 32 * 1024 * 1024)]) {
      await expect(
        writeNewFileFlushed(file, pattern(9000, 2), { fsync: true, buffers }),
      ).rejects.toMatchObject({ code: 'EEXIST' });
    }
    expect(new Uint8Array(await readFile(file))).toEqual(pattern(100, 1));
    expect(await readdir(folder)).toEqual(['taken']);
  });
});
