import fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTemporaryFolder, removeTemporaryFolder } from '../test/corpus.js';
import { nodeAtomicFileSystem as files, WRITE_HERE_BYTES } from './atomic-file-system.js';

let folder: string;

beforeEach(async () => {
  folder = await makeTemporaryFolder();
});

afterEach(() => removeTemporaryFolder(folder));

/** Bytes that differ from one position to the next, so that a misplaced slice shows. */
function pattern(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index += 1) bytes[index] = (index * 31 + (index >> 8)) & 0xff;
  return bytes;
}

describe('nodeAtomicFileSystem', () => {
  it('writes a small file on the calling thread: its bytes are there before the promise is awaited', async () => {
    for (const data of [pattern(1), pattern(700), pattern(WRITE_HERE_BYTES), 'tags, é, 🙂']) {
      const file = path.join(folder, `small-${typeof data === 'string' ? 'text' : data.length}`);
      const open = await files.openExclusive(file, undefined);
      try {
        const writing = files.writeAll(open, data);
        expect(fs.readFileSync(file).equals(Buffer.from(data))).toBe(true);
        await writing;
      } finally {
        await files.closeFile(open);
      }
    }
  });

  it('writes larger data whole and exact, through the thread pool', async () => {
    for (const length of [WRITE_HERE_BYTES + 1, 3 * 1024 * 1024 + 17]) {
      const file = path.join(folder, `large-${length}`);
      const data = pattern(length);
      const open = await files.openExclusive(file, undefined);
      try {
        await files.writeAll(open, data);
        expect((await files.statFile(open)).size).toBe(length);
      } finally {
        await files.closeFile(open);
      }
      expect((await readFile(file)).equals(data)).toBe(true);
    }
  });

  it('gives the status of the open file, not of a path', async () => {
    const file = path.join(folder, 'moved-away');
    const open = await files.openExclusive(file, 0o640);
    try {
      await files.writeAll(open, 'long hair, smile');
      await files.rename(file, path.join(folder, 'elsewhere'));
      const status = await files.statFile(open);
      expect(status.size).toBe('long hair, smile'.length);
      expect(status.mode & 0o7777).toBe(0o640);
    } finally {
      await files.closeFile(open);
    }
  });

  it('rejects, and never throws at the call, when a step on this thread fails', async () => {
    const open = await files.openExclusive(path.join(folder, 'closed'), undefined);
    await files.closeFile(open);
    let writing: Promise<void> | undefined;
    let status: Promise<fs.Stats> | undefined;
    expect(() => {
      writing = files.writeAll(open, 'smile');
      status = files.statFile(open);
    }).not.toThrow();
    await expect(writing).rejects.toMatchObject({ code: 'EBADF' });
    await expect(status).rejects.toMatchObject({ code: 'EBADF' });
  });
});
