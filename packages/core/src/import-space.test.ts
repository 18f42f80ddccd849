import { describe, expect, it } from 'vitest';
import {
  BYTES_PER_IMAGE_BESIDES_ITS_FILE,
  formatBytes,
  importBytesNeeded,
} from './import-space.js';

describe('import space', () => {
  it('counts each image with its thumbnail, caption and journal line', () => {
    expect(importBytesNeeded([])).toBe(0);
    expect(importBytesNeeded([{ size: 1_000 }, { size: 2_000 }])).toBe(
      3_000 + 2 * BYTES_PER_IMAGE_BESIDES_ITS_FILE,
    );
  });

  it('says sizes as disk tools do', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500)).toBe('1.5 KB');
    expect(formatBytes(512_000)).toBe('512 KB');
    expect(formatBytes(12_345_678)).toBe('12.3 MB');
    expect(formatBytes(3_000_000_000)).toBe('3.0 GB');
  });
});
