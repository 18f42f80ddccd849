import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOverByteLimit, utf8Length } from './utf8-length.js';

describe('utf8Length', () => {
  it('counts exactly the bytes TextEncoder writes, lone surrogates included', () => {
    const encoder = new TextEncoder();
    fc.assert(
      // One string cut in two, rather than two string arbitraries: much faster to generate.
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), fc.nat(100), (whole, cut) => {
        const text = `${whole.slice(0, cut)}\ud800${whole.slice(cut)}\udfff`;
        expect(utf8Length(whole)).toBe(encoder.encode(whole).byteLength);
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
