import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOverByteLimit, utf8Length } from './utf8-length.js';

describe('utf8Length', () => {
  it('counts exactly the bytes TextEncoder writes, lone surrogates included', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), fc.string(), (a, b) => {
        const text = `${a}\ud800${b}\udfff`;
        expect(utf8Length(a)).toBe(encoder.encode(a).byteLength);
        expect(utf8Length(text)).toBe(encoder.encode(text).byteLength);
      }),
    );
  });

  it('tells whether a string is over a byte limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.nat(200), (text, limit) => {
        expect(isOverByteLimit(text, limit)).toBe(utf8Length(text) > limit);
      }),
    );
  });
});
