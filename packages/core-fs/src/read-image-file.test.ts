import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { corpusPath, makeTemporaryFolder, removeTemporaryFolder } from '../test/corpus.js';
import { hashFile } from './hash-file.js';
import { makeThumbnail } from './make-thumbnail.js';
import { probeImage } from './probe-image.js';
import { readImageFile } from './read-image-file.js';

let folder: string;
beforeEach(async () => {
  folder = await makeTemporaryFolder();
});
afterEach(() => removeTemporaryFolder(folder));

describe('readImageFile', () => {
  it('gives the bytes, the hash of hashFile and the probe of probeImage, from one read', async () => {
    for (const file of [
      corpusPath('exif-orientation', 'Portrait_6.jpg'),
      corpusPath('pngsuite', 'basn2c08.png'),
    ]) {
      const image = await readImageFile(file);
      expect(image.bytes).toEqual(await readFile(file));
      expect(image.hash).toBe(await hashFile(file));
      expect(image.probe).toEqual(await probeImage(file));
    }
  });

  it('reads into a buffer it is given when the file fits, and into its own when not', async () => {
    const file = corpusPath('exif-orientation', 'Portrait_6.jpg');
    const whole = await readFile(file);
    const roomy = Buffer.alloc(whole.length + 100, 0xee);
    const into = await readImageFile(file, { buffer: roomy });
    expect(into.bytes.buffer).toBe(roomy.buffer);
    expect(into.bytes).toEqual(whole);
    expect(into.hash).toBe(await hashFile(file));
    const tight = Buffer.alloc(whole.length, 0xee);
    const own = await readImageFile(file, { buffer: tight });
    expect(own.bytes.buffer).not.toBe(tight.buffer);
    expect(own.bytes).toEqual(whole);
    // Bytes left in a reused buffer from a larger file are not part of the next one.
    const reused = await readImageFile(corpusPath('pngsuite', 'basn0g01.png'), { buffer: roomy });
    expect(reused.bytes).toEqual(await readFile(corpusPath('pngsuite', 'basn0g01.png')));
    expect(reused.probe).toEqual(await probeImage(corpusPath('pngsuite', 'basn0g01.png')));
  });

  it('says NOT_FOUND for a missing file', async () => {
    const error = await readImageFile(path.join(folder, 'gone.png')).catch((caught) => caught);
    expect(CivtagError.hasCode(error, 'NOT_FOUND')).toBe(true);
  });

  it('refuses a PNG whose image data fails its checksum, which decoders would show', async () => {
    const file = path.join(folder, 'damaged.png');
    await writeFile(file, await readFile(corpusPath('pngsuite', 'xcsn0g01.png')));
    const error = await readImageFile(file).catch((caught) => caught);
    expect(CivtagError.hasCode(error, 'IMAGE_UNREADABLE')).toBe(true);
    expect((error as Error).message).toMatch(/damaged\.png: the checksum of the "IDAT" chunk/);
  });

  it('still checks the chunks of bytes handed to makeThumbnail as an image file it did not read', async () => {
    const bytes = await readFile(corpusPath('pngsuite', 'xcsn0g01.png'));
    const good = await readImageFile(corpusPath('pngsuite', 'basn0g01.png'));
    // Same shape as a checked image file, but bytes no readImageFile call has seen.
    const forged = { ...good, bytes, path: 'forged.png' };
    const error = await makeThumbnail(forged).catch((caught) => caught);
    expect(CivtagError.hasCode(error, 'IMAGE_UNREADABLE')).toBe(true);
    expect((error as Error).message).toMatch(/forged\.png: the checksum/);
  });
});
