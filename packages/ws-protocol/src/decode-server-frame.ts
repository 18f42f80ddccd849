import { type DecodeOptions, decodeFrame, type FrameInput } from './decode-frame.js';
import { type ServerFrame, serverFrameSchemas } from './server-frames.js';

/**
 * Decodes a frame the server sent (what a client calls).
 *
 * @throws ProtocolError `TOO_LARGE` over `maxBytes` (default 1 MiB); `PROTOCOL` when it is not
 *   UTF-8 JSON, speaks another protocol version, has an unknown type or the wrong shape.
 */
export function decodeServerFrame(input: FrameInput, options?: DecodeOptions): ServerFrame {
  return decodeFrame<ServerFrame>(input, serverFrameSchemas, 'server', options);
}
