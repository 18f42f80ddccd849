import {
  CivtagError,
  decodeClientFrame,
  ErrorCode,
  encodeFrame,
  PROTOCOL_VERSION,
  type TagOp,
} from '@civtag/ws-protocol';

/**
 * Encodes `op` as the `op` frame `opId`, and checks it the way the server will, so that a bad
 * op fails at once rather than after a round trip (or, queued offline, much later).
 *
 * @throws CivtagError `VALIDATION` naming the field that breaks the schema; `TOO_LARGE` over `maxBytes`.
 */
export function encodeOpFrame(opId: string, op: TagOp, maxBytes: number): string {
  const text = encodeFrame(
    { v: PROTOCOL_VERSION, type: 'op', id: opId, data: { op } },
    { maxBytes },
  );
  try {
    decodeClientFrame(text, { maxBytes });
  } catch (error) {
    const { message, details } = error as CivtagError;
    throw new CivtagError(
      ErrorCode.VALIDATION,
      `The op was not sent: ${message.replace(/^Invalid op frame: /, '')}`,
      { cause: error, details },
    );
  }
  return text;
}
