import { describe, expect, it } from 'vitest';
import { ImageRecordSchema } from './image.js';
import { parseOrThrow } from './validation.js';

const record = {
  id: 'a1',
  file: 'sakura_0001.png',
  hash: 'ab'.repeat(32),
  width: 640,
  height: 480,
  format: 'png',
  tags: [],
  rev: 1,
  excluded: false,
};

describe('ImageRecordSchema', () => {
  it('takes a record with its source and perceptual hash, and one without (an older dataset)', () => {
    const full = {
      ...record,
      source: { name: 'IMG_01.png', path: 'trip/IMG_01.png' },
      phash: 'c3d1a0f0e1e2e3e4',
    };
    expect(parseOrThrow(ImageRecordSchema, full, 'image')).toEqual(full);
    expect(parseOrThrow(ImageRecordSchema, { ...full, phash: '' }, 'image').phash).toBe('');
    expect(parseOrThrow(ImageRecordSchema, record, 'image')).toEqual(record);
  });

  it('refuses a perceptual hash that is not 16 lowercase hex digits, naming the field', () => {
    expect(() => parseOrThrow(ImageRecordSchema, { ...record, phash: 'C3D1' }, 'image')).toThrow(
      /phash: must be 16 lowercase hex digits or empty/,
    );
  });
});
