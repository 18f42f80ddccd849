import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { foldTag, normalizeTag } from '@civtag/tags';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTemporaryFolder, removeTemporaryFolder } from '../test/corpus.js';
import { decodeWindows1252 } from './caption-text.js';
import { MAX_SIDECAR_BYTES, readSidecar, writeSidecar } from './sidecar.js';

let folder: string;
let caption: string;
beforeEach(async () => {
  folder = await makeTemporaryFolder();
  caption = path.join(folder, 'sakura_0001.txt');
});
afterEach(() => removeTemporaryFolder(folder));

describe('readSidecar', () => {
  it('accepts a BOM, CRLF, stray spaces, empty entries and trailing commas', async () => {
    await writeFile(caption, '\uFEFF 1girl ,, solo,  photo \\(medium\\),\r\nalternative line\r\n');
    expect(await readSidecar(caption)).toEqual({
      tags: ['1girl', 'solo', 'photo (medium)'],
      extraLines: ['alternative line'],
      encoding: 'utf-8',
      hadBom: true,
      warnings: [],
      text: ' 1girl ,, solo,  photo \\(medium\\),\r\nalternative line\r\n',
    });
  });

  it('reads a file that is not UTF-8 as Windows-1252, with a warning naming it', async () => {
    // "café, naïve, €, “quoted”" as an old Windows tagger saved it.
    await writeFile(
      caption,
      Buffer.from('636166e92c206e61ef76652c20802c209371756f74656494', 'hex'),
    );
    const read = await readSidecar(caption);
    expect(read?.encoding).toBe('windows-1252');
    expect(read?.tags).toEqual(['café', 'naïve', '€', '“quoted”']);
    expect(read?.warnings.join(' ')).toMatch(/sakura_0001\.txt is not valid UTF-8.*Windows-1252/);
  });

  it('reads UTF-16 with its BOM, as Windows Notepad saves "Unicode"', async () => {
    await writeFile(
      caption,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('blue sky, 雲', 'utf16le')]),
    );
    expect(await readSidecar(caption)).toMatchObject({
      tags: ['blue sky', '雲'],
      encoding: 'utf-16le',
      hadBom: true,
    });
  });

  it('gives null for a missing file and refuses a huge one', async () => {
    expect(await readSidecar(caption)).toBeNull();
    await writeFile(caption, Buffer.alloc(MAX_SIDECAR_BYTES + 1, 'a'));
    const error = await readSidecar(caption).catch((caught: unknown) => caught);
    expect(CivtagError.hasCode(error, 'TOO_LARGE')).toBe(true);
  });
});

describe('writeSidecar', () => {
  it('writes UTF-8 without a BOM, tags joined by ", ", extra lines kept, and reads back the same', async () => {
    expect(
      await writeSidecar(caption, {
        tags: ['sakura', 'photo (medium)', 'café'],
        extraLines: ['alt'],
      }),
    ).toBe('written');
    expect(await readFile(caption, 'utf8')).toBe('sakura, photo (medium), café\nalt');
    expect(await readSidecar(caption)).toMatchObject({
      tags: ['sakura', 'photo (medium)', 'café'],
      extraLines: ['alt'],
    });
    await writeSidecar(
      caption,
      { tags: ['photo (medium)'] },
      { escapeParentheses: true, fsync: true },
    );
    expect(await readFile(caption, 'utf8')).toBe('photo \\(medium\\)');
  });

  it('removes the file instead of writing an empty caption', async () => {
    await writeFile(caption, 'old');
    expect(await writeSidecar(caption, { tags: [] })).toBe('removed');
    expect(await readdir(folder)).toEqual([]);
    expect(await writeSidecar(caption, { tags: [], extraLines: [] })).toBe('removed');
  });

  it('keeps writes and removals of one caption in call order', async () => {
    const calls = [
      writeSidecar(caption, { tags: ['a'] }),
      writeSidecar(caption, { tags: [] }),
      writeSidecar(caption, { tags: ['b'] }),
      writeSidecar(caption, { tags: [] }),
    ];
    expect(await Promise.all(calls)).toEqual(['written', 'removed', 'written', 'removed']);
    expect(await readdir(folder)).toEqual([]);
    await Promise.all([
      writeSidecar(caption, { tags: [] }),
      writeSidecar(caption, { tags: ['c'] }),
    ]);
    expect(await readFile(caption, 'utf8')).toBe('c');
  });

  it('refuses a tag that would turn into two, leaving the file as it was', async () => {
    await writeFile(caption, 'old, tags');
    const error = await writeSidecar(caption, { tags: ['a, b'] }).catch(
      (caught: unknown) => caught,
    );
    expect(CivtagError.hasCode(error, 'VALIDATION')).toBe(true);
    expect(await readFile(caption, 'utf8')).toBe('old, tags');
  });
});

describe('decodeWindows1252', () => {
  it('maps every byte of 0x80–0x9F the way Windows does', () => {
    const high = decodeWindows1252(Uint8Array.from({ length: 32 }, (_, index) => 0x80 + index));
    expect(high).toBe('€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ');
    expect(decodeWindows1252(Uint8Array.from([0x41, 0xe9, 0xff]))).toBe('Aéÿ');
  });
});

describe('a caption written and read back', () => {
  it('gives the same tags and extra lines for any normalised tags', async () => {
    const tag = fc
      .string({
        unit: fc.constantFrom('a', 'B', ' ', '_', '(', ')', '\\', 'é', '桜', ':', '1', '-'),
        minLength: 1,
        maxLength: 12,
      })
      .filter((text) => /[^\s\\]/.test(text))
      .map((text) => {
        try {
          return normalizeTag(text);
        } catch {
          return 'fallback';
        }
      });
    await fc.assert(
      fc.asyncProperty(
        // One tag, one form: a caption keeps one of two forms of a tag (`)` and `)_`).
        fc.uniqueArray(tag, { maxLength: 8, selector: foldTag }),
        fc.array(fc.constantFrom('alt one', 'x, y'), { maxLength: 2 }),
        async (tags, extraLines) => {
          const outcome = await writeSidecar(caption, { tags, extraLines });
          const read = await readSidecar(caption);
          if (tags.length === 0 && extraLines.length === 0) {
            expect(outcome).toBe('removed');
            expect(read).toBeNull();
            return;
          }
          expect(read?.extraLines).toEqual(extraLines);
          expect(read?.tags).toEqual(tags);
        },
      ),
      { numRuns: 60 },
    );
  });
});
