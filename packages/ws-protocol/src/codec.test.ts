import { CivtagError, ErrorCode } from '@civtag/api-models';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientFrame, frameLikeText, serverFrame } from '../test/frame-arbitraries.js';
import { decodeClientFrame } from './decode-client-frame.js';
import { decodeServerFrame } from './decode-server-frame.js';
import { encodeFrame } from './encode-frame.js';
import { ProtocolError } from './protocol-error.js';

function expectOnlyProtocolErrors(decode: () => unknown): void {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    expect(CivtagError.isInstance(error)).toBe(true);
    expect([ErrorCode.PROTOCOL, ErrorCode.TOO_LARGE]).toContain((error as ProtocolError).code);
  }
}

describe('the codec, for any frame', () => {
  it('gives back every client frame it encoded, as text and as bytes', () => {
    fc.assert(
      fc.property(clientFrame, (frame) => {
        const text = encodeFrame(frame);
        expect(decodeClientFrame(text)).toEqual(frame);
        expect(decodeClientFrame(new TextEncoder().encode(text))).toEqual(frame);
      }),
      { numRuns: 300 },
    );
  });

  it('gives back every server frame it encoded, as text and as bytes', () => {
    fc.assert(
      fc.property(serverFrame, (frame) => {
        const text = encodeFrame(frame);
        expect(decodeServerFrame(text)).toEqual(frame);
        expect(decodeServerFrame(new TextEncoder().encode(text).buffer)).toEqual(frame);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a frame meant for the other direction', () => {
    fc.assert(
      fc.property(clientFrame, serverFrame, (fromClient, fromServer) => {
        expect(() => decodeServerFrame(encodeFrame(fromClient))).toThrow(ProtocolError);
        expect(() => decodeClientFrame(encodeFrame(fromServer))).toThrow(ProtocolError);
      }),
      { numRuns: 100 },
    );
  });

  it('throws nothing but ProtocolError for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expectOnlyProtocolErrors(() => decodeClientFrame(text));
        expectOnlyProtocolErrors(() => decodeServerFrame(text, { maxBytes: 64 }));
      }),
      { numRuns: 500 },
    );
  });

  it('throws nothing but ProtocolError for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expectOnlyProtocolErrors(() => decodeClientFrame(bytes));
        expectOnlyProtocolErrors(() => decodeServerFrame(bytes, { maxBytes: 64 }));
      }),
      { numRuns: 500 },
    );
  });

  it('throws nothing but ProtocolError for frame-like JSON of any shape', () => {
    fc.assert(
      fc.property(frameLikeText, (text) => {
        expectOnlyProtocolErrors(() => decodeClientFrame(text));
        expectOnlyProtocolErrors(() => decodeServerFrame(text));
      }),
      { numRuns: 500 },
    );
  });
});
