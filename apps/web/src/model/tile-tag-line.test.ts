import { describe, expect, it } from 'vitest';
import { tileTagLine } from './tile-tag-line.js';

describe('tileTagLine', () => {
  it('names the first tags in caption order, without the trigger word', () => {
    expect(tileTagLine(['sks', 'portrait', 'solo'], 'sks')).toBe('portrait, solo');
    expect(tileTagLine(['portrait', 'solo'], undefined)).toBe('portrait, solo');
    expect(tileTagLine([], 'sks')).toBe('');
  });

  it('names at most eight', () => {
    const tags = Array.from({ length: 12 }, (_, index) => `t${index}`);
    expect(tileTagLine(tags, undefined).split(', ')).toHaveLength(8);
  });
});
