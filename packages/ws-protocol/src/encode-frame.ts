import { ErrorCode } from '@civtag/api-models';
import type { ClientFrame } from './client-frames.js';
import { ProtocolError } from './protocol-error.js';
import type { ServerFrame } from './server-frames.js';
import { isOverByteLimit } from './utf8-length.js';
import { DEFAULT_MAX_FRAME_BYTES } from './version.js';

/** Options of {@link encodeFrame}. */
export interface EncodeOptions {
  /** Frames longer than this many UTF-8 bytes are refused with `TOO_LARGE`. Default 1 MiB. */
  maxBytes?: number;
}

/**
 * Encodes a frame as the JSON text to send. The frame is trusted to match its type (the
 * types make sure of that); it is not validated again, so encoding stays cheap for broadcasts.
 *
 * @throws ProtocolError `TOO_LARGE` when the text is over `maxBytes` (default 1 MiB).
 * @example encodeFrame({ v: PROTOCOL_VERSION, type: 'ack', id: 'op-1', data: { revision: 7 } })
 */
export function encodeFrame(frame: ClientFrame | ServerFrame, options: EncodeOptions = {}): string {
  const text = JSON.stringify(frame);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (isOverByteLimit(text, maxBytes)) {
    throw new ProtocolError(
      ErrorCode.TOO_LARGE,
      `The ${frame.type} frame is larger than the limit of ${maxBytes} bytes; send less per frame (bulk data belongs on HTTP).`,
      {
        details: {
          problem: 'size',
          frameType: frame.type,
          ...('id' in frame && { frameId: frame.id }),
          maxBytes,
        },
      },
    );
  }
  return text;
}
