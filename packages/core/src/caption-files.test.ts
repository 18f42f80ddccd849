import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_KOHYA_REPEATS, DEFAULT_TAG_STYLE } from '@civtag/api-models';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageState, makeTempDir } from '../test/fixtures.js';
import { captionPath, fileStamp } from './caption-files.js';
import { captionStyle } from './caption-text.js';
import { CaptionWriter } from './caption-writer.js';
import type { ImageState } from './state-schema.js';

let temp: { dir: string; remove: () => Promise<void> };

beforeEach(async () => {
  temp = await makeTempDir('caption-files');
});

afterEach(() => temp.remove());

const style = captionStyle({
  prefix: 'image',
  tagStyle: DEFAULT_TAG_STYLE,
  kohyaRepeats: DEFAULT_KOHYA_REPEATS,
});

function image(index: number, tags: string[]): ImageState {
  return imageState(`image_${index}.png`, tags, `image-${index}`);
}

/** Writes the captions of `images` as the dataset does: through a caption writer. */
function writeCaptions(dir: string, images: ImageState[], caption: typeof style) {
  return new CaptionWriter(dir, () => caption).write(images);
}

describe('caption writes', () => {
  it('records the stamp that the next open finds, for new and rewritten captions', async () => {
    const images = Array.from({ length: 40 }, (_, index) => image(index, ['cat', `tag ${index}`]));
    await writeCaptions(temp.dir, images, style);
    for (const each of images) each.tags = [...each.tags, 'a longer second tag'];
    await writeCaptions(temp.dir, images, style);
    for (const each of images) {
      const file = captionPath(temp.dir, each);
      expect(await readFile(file, 'utf8')).toBe(each.tags.join(', '));
      expect(each.seen).toBe(await fileStamp(file));
    }
  });

  it('records no caption file for an image whose tags were all removed', async () => {
    const cleared = image(1, ['cat']);
    await writeCaptions(temp.dir, [cleared], style);
    cleared.tags = [];
    await writeCaptions(temp.dir, [cleared], style);
    expect(cleared.seen).toBe('none');
    expect(await readdir(temp.dir)).toEqual([]);
  });

  it('writes nothing it was asked before drop(), and what it is asked after', async () => {
    const writer = new CaptionWriter(temp.dir, () => style);
    const [dropped, kept] = [image(1, ['cat']), image(2, ['dog'])] as [ImageState, ImageState];
    await writer.pause();
    const first = writer.write([dropped]);
    writer.drop();
    const second = writer.write([kept]);
    writer.resume();
    await Promise.all([first, second]);
    expect(await readdir(temp.dir)).toEqual(['image_2.txt']);
    expect(writer.progress()).toEqual({ pending: 0, failed: 0 });
  });

  it('keeps the permission bits of each caption it rewrites', async () => {
    const images = [image(1, ['cat']), image(2, ['dog'])];
    await writeFile(captionPath(temp.dir, images[0] as ImageState), 'old');
    await chmod(captionPath(temp.dir, images[0] as ImageState), 0o600);
    await writeCaptions(temp.dir, images, style);
    const [kept, created] = images.map((each) => captionPath(temp.dir, each));
    expect((await stat(kept as string)).mode & 0o777).toBe(0o600);
    expect(await readFile(kept as string, 'utf8')).toBe('cat');
    expect(path.basename(created as string)).toBe('image_2.txt');
  });
});
