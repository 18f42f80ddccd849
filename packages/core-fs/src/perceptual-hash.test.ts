import { readFile } from 'node:fs/promises';
import { CivtagError } from '@civtag/api-models';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../test/corpus.js';
import { makeThumbnailWithHash } from './make-thumbnail.js';
import { perceptualHash, perceptualHashOfPixels } from './perceptual-hash.js';

/** How many bits two hex hashes differ in. */
function bitsApart(left: string, right: string): number {
  let difference = BigInt(`0x${left}`) ^ BigInt(`0x${right}`);
  let count = 0;
  while (difference > 0n) {
    count += Number(difference & 1n);
    difference >>= 1n;
  }
  return count;
}

describe('perceptualHash', () => {
  it('gives a re-encoded, resized or cropped copy a hash a few bits from the original', async () => {
    const original = await readFile(corpusPath('sharp-fixtures', '2569067123_aca715a2ee_o.jpg'));
    const hash = await perceptualHash(original);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    const copies = [
      await sharp(original).jpeg({ quality: 70 }).toBuffer(),
      await sharp(original).resize(1362).webp({ quality: 80 }).toBuffer(),
      await sharp(original).extract({ left: 80, top: 60, width: 2565, height: 2105 }).toBuffer(),
    ];
    for (const copy of copies) expect(bitsApart(await perceptualHash(copy), hash)).toBeLessThan(8);
  });

  it('reads the EXIF orientation, so a picture stored sideways hashes as the upright one', async () => {
    const upright = await perceptualHash(
      await readFile(corpusPath('exif-orientation', 'Landscape_1.jpg')),
    );
    const sideways = await perceptualHash(
      await readFile(corpusPath('exif-orientation', 'Landscape_6.jpg')),
    );
    expect(bitsApart(upright, sideways)).toBeLessThan(4);
  });

  it('gives different pictures hashes far apart', async () => {
    const names = [
      ['exif-orientation', 'Landscape_1.jpg'],
      ['exif-orientation', 'Portrait_1.jpg'],
      ['sharp-fixtures', '2569067123_aca715a2ee_o.jpg'],
      ['sharp-fixtures', 'Channel_digital_image_CMYK_color_no_profile.jpg'],
      ['pngsuite', 'PngSuite.png'],
    ] as const;
    const hashes = await Promise.all(
      names.map(async (name) => perceptualHash(await readFile(corpusPath(...name)))),
    );
    for (const [index, hash] of hashes.entries()) {
      for (const other of hashes.slice(index + 1))
        expect(bitsApart(hash, other)).toBeGreaterThan(16);
    }
  });

  it('gives no hash for an image too small or too plain to compare', async () => {
    const tiny = await readFile(corpusPath('pngsuite', 's02n3p01.png'));
    const plain = await sharp({
      create: { width: 300, height: 200, channels: 3, background: '#3366cc' },
    })
      .png()
      .toBuffer();
    expect(await perceptualHash(tiny)).toBe('');
    expect(await perceptualHash(plain)).toBe('');
  });

  it('says IMAGE_UNREADABLE for bytes that are no image', async () => {
    const error = await perceptualHash(new TextEncoder().encode('not an image')).catch(
      (caught: unknown) => caught,
    );
    expect(CivtagError.hasCode(error, 'IMAGE_UNREADABLE')).toBe(true);
  });

  it('hashes the thumbnail an import makes as it makes it, as a later hash of that thumbnail does', async () => {
    for (const file of ['2569067123_aca715a2ee_o.jpg', 'Landscape_5.jpg']) {
      const folder = file.startsWith('Landscape') ? 'exif-orientation' : 'sharp-fixtures';
      const original = await readFile(corpusPath(folder, file));
      const { thumbnail, phash } = await makeThumbnailWithHash(original);
      // The same picture whether hashed from the pixels before encoding or from the WebP file.
      expect(bitsApart(phash, await perceptualHash(thumbnail))).toBeLessThanOrEqual(2);
      expect(bitsApart(phash, await perceptualHash(original))).toBeLessThanOrEqual(4);
    }
  });

  it('reads grey, grey with alpha, RGB and RGBA pixels, transparency as white', () => {
    const side = 16;
    const make = (channels: number, pixel: (x: number, y: number) => number[]) => {
      const data = new Uint8Array(side * side * channels);
      for (let y = 0; y < side; y += 1) {
        for (let x = 0; x < side; x += 1) data.set(pixel(x, y), (y * side + x) * channels);
      }
      return perceptualHashOfPixels(data, { width: side, height: side, channels });
    };
    // A pattern of ink on white, four ways: its grey values, as RGB, and with the white as
    // transparent pixels.
    const ink = (x: number, y: number) =>
      (x * 37 + y * y * 11) % 7 === 0 ? undefined : (x * 13 + y * 5) % 200;
    const grey = make(1, (x, y) => [ink(x, y) ?? 255]);
    expect(grey).toMatch(/^[0-9a-f]{16}$/);
    const rgb = make(3, (x, y) => {
      const value = ink(x, y) ?? 255;
      return [value, value, value];
    });
    const greyAlpha = make(2, (x, y) => {
      const value = ink(x, y);
      return value === undefined ? [0, 0] : [value, 255];
    });
    const rgba = make(4, (x, y) => {
      const value = ink(x, y);
      return value === undefined ? [0, 0, 0, 0] : [value, value, value, 255];
    });
    for (const other of [rgb, greyAlpha, rgba]) expect(bitsApart(other, grey)).toBe(0);
    expect(make(1, () => [128])).toBe('');
  });

  it('hashes a 16-bit image as the same picture in 8 bits', async () => {
    const original = await readFile(corpusPath('exif-orientation', 'Landscape_1.jpg'));
    const eight = await sharp(original).rotate().png().toBuffer();
    const sixteen = await sharp(original).rotate().toColourspace('rgb16').png().toBuffer();
    expect((await sharp(sixteen).metadata()).depth).toBe('ushort');
    expect(
      bitsApart(await perceptualHash(sixteen), await perceptualHash(eight)),
    ).toBeLessThanOrEqual(2);
  });
});
