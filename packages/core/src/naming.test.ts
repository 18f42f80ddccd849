import { describe, expect, it } from 'vitest';
import {
  captionFileName,
  fileStem,
  imageFileName,
  imageNumber,
  normalizeExtension,
} from './naming.js';

describe('imageFileName', () => {
  it('pads to four digits and grows past 9999', () => {
    expect(imageFileName('sakura', 1, '.png')).toBe('sakura_0001.png');
    expect(imageFileName('sakura', 9999, '.png')).toBe('sakura_9999.png');
    expect(imageFileName('sakura', 10000, '.png')).toBe('sakura_10000.png');
  });

  it('writes .jpeg as .jpg and lower-cases extensions', () => {
    expect(imageFileName('a', 2, '.JPEG')).toBe('a_0002.jpg');
    expect(imageFileName('a', 2, '.PNG')).toBe('a_0002.png');
    expect(normalizeExtension('.WebP')).toBe('.webp');
  });

  it('reads back the number of a name it made, and nothing else', () => {
    for (const number of [1, 42, 9999, 10000, 123456]) {
      expect(imageNumber('sakura', imageFileName('sakura', number, '.png'))).toBe(number);
    }
    expect(imageNumber('sakura', 'sakura_01.png')).toBeUndefined();
    expect(imageNumber('sakura', 'other_0001.png')).toBeUndefined();
    expect(imageNumber('sakura', 'sakura_00001.png')).toBeUndefined();
    expect(imageNumber('sakura', 'sakura_x_0001.png')).toBeUndefined();
    expect(imageNumber('Sakura', 'Sakura_0007.png')).toBe(7);
  });

  it('names the caption after the image stem', () => {
    expect(captionFileName('sakura_0001.png')).toBe('sakura_0001.txt');
    expect(fileStem('a.b.png')).toBe('a.b');
  });
});
