import { readFile } from 'node:fs/promises';
import { CivtagError } from '@civtag/api-models';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../test/corpus.js';
import { perceptualHash } from './perceptual-hash.js';

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
});
