import { describe, expect, it } from 'vitest';
import { decodeClientFrame } from './decode-client-frame.js';
import { decodeServerFrame } from './decode-server-frame.js';
import { encodeFrame } from './encode-frame.js';
import { ProtocolError } from './protocol-error.js';

function caught(decode: () => unknown): ProtocolError {
  try {
    decode();
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new TypeError('expected the decoder to throw');
}

describe('decoding a frame that is wrong', () => {
  it('says the text is not JSON, and keeps the parser error as cause', () => {
    const error = caught(() => decodeClientFrame('{"v":1,'));
    expect(error.code).toBe('PROTOCOL');
    expect(error.message).toMatch(/^The client frame is not valid JSON: /);
    expect(error.details.problem).toBe('json');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('says which protocol version the frame speaks', () => {
    const error = caught(() => decodeServerFrame('{"v":2,"type":"pong","data":{}}'));
    expect(error.code).toBe('PROTOCOL');
    expect(error.message).toBe(
      'The server frame speaks protocol version 2; this side speaks version 1. Update or reload the older side.',
    );
    expect(error.details).toEqual({ problem: 'version', frameType: 'pong' });
  });

  it('names an unknown type and lists the known ones', () => {
    const error = caught(() => decodeClientFrame('{"v":1,"type":"welcome","data":{}}'));
    expect(error.message).toBe(
      'Unknown client frame type "welcome"; expected one of hello, op, ping.',
    );
    expect(error.details.problem).toBe('type');
    expect(caught(() => decodeClientFrame('{"v":1,"type":"__proto__"}')).details.problem).toBe(
      'type',
    );
  });

  it('names the field of an op that breaks its schema, and the op id', () => {
    const text =
      '{"v":1,"type":"op","id":"op-7","data":{"op":{"type":"set","imageId":"a","tags":[""]}}}';
    const error = caught(() => decodeClientFrame(text));
    expect(error.code).toBe('PROTOCOL');
    expect(error.message).toMatch(/^Invalid op frame: data\.op\.tags\[0\]: /);
    expect(error.details).toMatchObject({ problem: 'shape', frameType: 'op', frameId: 'op-7' });
  });

  it('refuses something that is not an object, and bytes that are not UTF-8', () => {
    expect(caught(() => decodeServerFrame('[1,2]')).details.problem).toBe('envelope');
    expect(caught(() => decodeServerFrame('null')).details.problem).toBe('envelope');
    const bytes = new Uint8Array([0x7b, 0xff, 0x7d]);
    expect(caught(() => decodeServerFrame(bytes)).details.problem).toBe('encoding');
  });

  it('refuses a frame over the byte limit, counting UTF-8 bytes rather than characters', () => {
    const frame = { v: 1, type: 'hello', data: { clientId: 'c' } } as const;
    const text = encodeFrame(frame);
    expect(decodeClientFrame(text, { maxBytes: text.length })).toEqual(frame);
    const error = caught(() => decodeClientFrame(text, { maxBytes: text.length - 1 }));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toContain(`limit of ${text.length - 1} bytes`);
    // 12 characters that take 3 bytes each: under a 30-byte limit by length, over it by bytes.
    const wide = `{"v":1,"type":"ping","data":{},"x":"${'語'.repeat(12)}"}`;
    expect(caught(() => decodeClientFrame(wide, { maxBytes: wide.length + 20 })).code).toBe(
      'TOO_LARGE',
    );
  });

  it('refuses to encode a frame over the limit, naming its type and id', () => {
    const frame = { v: 1, type: 'ack', id: 'op-1', data: { revision: 1 } } as const;
    const error = caught(() => encodeFrame(frame, { maxBytes: 10 }));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.details).toMatchObject({ frameType: 'ack', frameId: 'op-1', maxBytes: 10 });
  });
});

describe('decoding a frame whose version or type is hostile', () => {
  // Found by the server's socket fuzz test (seed 20261130, case 100): a `type` nested thousands
  // of arrays deep overflowed the stack while the error message quoted it, and the server
  // answered INTERNAL instead of saying what was wrong.
  it('says what is wrong with a deeply nested type or version, without quoting it whole', () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const type = caught(() => decodeClientFrame(`{"v":1,"type":${deep},"data":{}}`));
    expect(type.details).toMatchObject({ problem: 'type' });
    expect(type.message).toContain('an array');
    const version = caught(() => decodeClientFrame(`{"v":${deep},"type":"ping","data":{}}`));
    expect(version.details).toMatchObject({ problem: 'version', frameType: 'ping' });
    expect(version.message.length).toBeLessThan(300);
  });

  it('quotes a long type or version only in part', () => {
    const long = 'x'.repeat(300_000);
    const type = caught(() => decodeClientFrame(`{"v":1,"type":"${long}","data":{}}`));
    expect(type.message.length).toBeLessThan(300);
    expect(type.message).toContain(`"${'x'.repeat(40)}`);
    const version = caught(() => decodeClientFrame(`{"v":"${long}","type":"ping","data":{}}`));
    expect(version.message.length).toBeLessThan(300);
  });
});
