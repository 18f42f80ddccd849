import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeThumbnail } from '../src/make-thumbnail.js';
import { probeImage } from '../src/probe-image.js';
import { copyCorpusFolder, makeTemporaryFolder, removeTemporaryFolder } from './corpus.js';

/** Mean absolute difference, 0–255, between two pictures scaled to 32×32 greyscale. */
async function pictureDifference(left: Uint8Array, right: Uint8Array): Promise<number> {
  const tiny = (image: Uint8Array) =>
    sharp(image).greyscale().resize(32, 32, { fit: 'fill' }).raw().toBuffer();
  const [a, b] = await Promise.all([tiny(left), tiny(right)]);
  let total = 0;
  for (let index = 0; index < a.length; index += 1) total += Math.abs(a[index]! - b[index]!);
  return total / a.length;
}

/** Below this the two thumbnails show the same picture the same way up. */
const SAME_PICTURE = 12;

let folder: string;
let corpus: string;

beforeAll(async () => {
  folder = await makeTemporaryFolder();
  corpus = await copyCorpusFolder('exif-orientation', folder);
});
afterAll(() => removeTemporaryFolder(folder));

describe.each(['Landscape', 'Portrait'])('%s thumbnails under every EXIF orientation', (shape) => {
  let upright: Uint8Array;

  beforeAll(async () => {
    upright = await makeThumbnail(path.join(corpus, `${shape}_1.jpg`));
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8])(
    `come out upright from ${shape}_%i.jpg`,
    async (orientation) => {
      const file = path.join(corpus, `${shape}_${orientation}.jpg`);
      const thumbnail = await makeThumbnail(file);
      expect(await pictureDifference(thumbnail, upright)).toBeLessThan(SAME_PICTURE);
      const [probe, reference] = await Promise.all([
        probeImage(file),
        probeImage(path.join(corpus, `${shape}_1.jpg`)),
      ]);
      expect([probe.width, probe.height]).toEqual([reference.width, reference.height]);
      expect(probe.orientation).toBe(Math.max(orientation, 1));
      const { width, height } = await sharp(thumbnail).metadata();
      expect(Math.max(width ?? 0, height ?? 0)).toBe(256);
      expect((width ?? 0) > (height ?? 0)).toBe(shape === 'Landscape');
    },
  );

  it('tells a wrongly turned picture apart (the comparison can fail)', async () => {
    const raw = await sharp(path.join(corpus, `${shape}_1.jpg`))
      .resize(256, 256, { fit: 'inside' })
      .toBuffer();
    for (const wrong of [
      await sharp(raw).rotate(180).toBuffer(),
      await sharp(raw).flop().toBuffer(),
      await sharp(raw).flip().toBuffer(),
      await sharp(raw).rotate(90).toBuffer(),
    ]) {
      expect(await pictureDifference(wrong, upright)).toBeGreaterThan(SAME_PICTURE * 2);
    }
    expect(await pictureDifference(raw, upright)).toBeLessThan(SAME_PICTURE);
  });
});
