import { describe, expect, it } from 'vitest';
import { CloseCode, isFinalCloseCode } from './close-code.js';

describe('close codes', () => {
  it('keeps their numbers: they are part of the protocol', () => {
    expect(CloseCode).toMatchInlineSnapshot(`
      {
        "ABNORMAL": 1006,
        "GOING_AWAY": 1001,
        "HELLO_TIMEOUT": 4000,
        "INTERNAL_ERROR": 1011,
        "MESSAGE_TOO_BIG": 1009,
        "NORMAL": 1000,
        "POLICY_VIOLATION": 1008,
        "PROTOCOL_VERSION_MISMATCH": 4002,
        "REPLACED": 4004,
        "TOO_SLOW_READER": 4003,
        "UNAUTHORIZED": 4001,
      }
    `);
  });

  it('tells a client to stop for good only where reconnecting cannot help', () => {
    const final = Object.values(CloseCode).filter(isFinalCloseCode);
    expect(final).toEqual([
      CloseCode.POLICY_VIOLATION,
      CloseCode.PROTOCOL_VERSION_MISMATCH,
      CloseCode.REPLACED,
    ]);
  });
});
