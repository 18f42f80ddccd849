import { type ClientFrame, clientFrameSchemas } from './client-frames.js';
import { type DecodeOptions, decodeFrame, type FrameInput } from './decode-frame.js';

/**
 * Decodes a frame a client sent (what a server calls).
 *
 * @throws ProtocolError `TOO_LARGE` over `maxBytes` (default 1 MiB); `PROTOCOL` when it is not
 *   UTF-8 JSON, speaks another protocol version, has an unknown type or the wrong shape.
 *   For a malformed `op`, `details.frameId` holds the op id when it could be read.
 */
export function decodeClientFrame(input: FrameInput, options?: DecodeOptions): ClientFrame {
  return decodeFrame<ClientFrame>(input, clientFrameSchemas, 'client', options);
}
