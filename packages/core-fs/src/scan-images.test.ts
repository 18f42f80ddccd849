import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CivtagError } from '@civtag/api-models';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { corpusPath, makeTemporaryFolder, removeTemporaryFolder } from '../test/corpus.js';
import { scanImages } from './scan-images.js';

let base: string;
let root: string;
const png = corpusPath('pngsuite', 'basn2c08.png');
const jpeg = corpusPath('exif-orientation', 'Landscape_1.jpg');

beforeEach(async () => {
  base = await makeTemporaryFolder();
  root = path.join(base, 'source');
  await mkdir(root);
});
afterEach(() => removeTemporaryFolder(base));

async function put(relativePath: string, source: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, relativePath)), { recursive: true });
  await copyFile(source, path.join(root, relativePath));
}

describe('scanImages', () => {
  it('lists images in natural order, by content rather than extension', async () => {
    for (const name of ['img10.png', 'img2.png', 'IMG1.png', 'img2b.png', 'img02.png'])
      await put(name, png);
    await put('photo.PNG', jpeg);
    await writeFile(path.join(root, 'notes.txt'), 'not an image');
    const { images, problems } = await scanImages(root);
    expect(images.map((image) => image.relativePath)).toEqual([
      'IMG1.png',
      'img02.png',
      'img2.png',
      'img2b.png',
      'img10.png',
      'photo.PNG',
    ]);
    expect(images.find((image) => image.relativePath === 'photo.PNG')).toMatchObject({
      format: 'jpeg',
      path: path.join(root, 'photo.PNG'),
    });
    expect(images[0]!.size).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('skips hidden files, hidden folders and .civtag, and looks into subfolders only when recursive', async () => {
    await put('a.png', png);
    await put('.civtag/thumbs/b.png', png);
    await put('.hidden/c.png', png);
    await put('._d.png', png);
    await put('sub/e.png', png);
    await put('sub/deeper/f.png', png);
    expect((await scanImages(root)).images.map((image) => image.relativePath)).toEqual(['a.png']);
    const recursive = await scanImages(root, { recursive: true });
    expect(recursive.images.map((image) => image.relativePath)).toEqual([
      'a.png',
      'sub/deeper/f.png',
      'sub/e.png',
    ]);
  });

  it('survives symlink loops and lists a folder reached twice once', async () => {
    await put('sub/a.png', png);
    await symlink(root, path.join(root, 'sub', 'loop'));
    await symlink(path.join(root, 'sub'), path.join(root, 'again'));
    await symlink('self.png', path.join(root, 'self.png'));
    const { images, problems } = await scanImages(root, { recursive: true });
    expect(images.map((image) => image.relativePath)).toHaveLength(1);
    expect(problems).toEqual([
      expect.objectContaining({ path: path.join(root, 'self.png'), code: 'IO_ERROR' }),
    ]);
    expect(problems[0]!.message).toMatch(/ELOOP|symbolic links/);
  });

  it('reports broken links, links out of the folder and files that are not images, and goes on', async () => {
    await put('good.png', png);
    await symlink(path.join(base, 'missing.png'), path.join(root, 'broken.png'));
    await mkdir(path.join(base, 'source-outside'));
    await copyFile(png, path.join(base, 'source-outside', 'secret.png'));
    await symlink(path.join(base, 'source-outside', 'secret.png'), path.join(root, 'outside.png'));
    await writeFile(path.join(root, 'fake.jpg'), 'GIF? no, just text');
    await writeFile(path.join(root, 'empty.webp'), '');
    const { images, problems } = await scanImages(root);
    expect(images.map((image) => image.relativePath)).toEqual(['good.png']);
    expect(problems.map((problem) => [path.basename(problem.path), problem.code])).toEqual([
      ['broken.png', 'IO_ERROR'],
      ['empty.webp', 'IMAGE_UNREADABLE'],
      ['fake.jpg', 'IMAGE_UNREADABLE'],
      ['outside.png', 'PATH_OUTSIDE_ROOT'],
    ]);
  });

  it('recognises every image format of the corpus by its first bytes', async () => {
    const fixtures = [
      'animated-loop-3.gif',
      'animated-loop-3.webp',
      'pitm.avif',
      'truncated.jpg',
      'grey-8bit-alpha.png',
    ];
    for (const name of fixtures) await put(name, corpusPath('sharp-fixtures', name));
    const { images } = await scanImages(root);
    expect(images.map((image) => image.format)).toEqual(['gif', 'webp', 'png', 'avif', 'jpeg']);
  });

  it('throws NOT_FOUND for a folder that does not exist', async () => {
    const error = await scanImages(path.join(base, 'missing')).catch((caught: unknown) => caught);
    expect(CivtagError.hasCode(error, 'NOT_FOUND')).toBe(true);
  });
});
