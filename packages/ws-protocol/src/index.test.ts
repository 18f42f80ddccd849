import { expect, it } from 'vitest';

it('exports exactly the public API', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toMatchInlineSnapshot(`
    [
      "AckFrameSchema",
      "CaptionsFrameSchema",
      "ChangeFrameSchema",
      "CivtagError",
      "ClientFrameSchema",
      "CloseCode",
      "DEFAULT_MAX_FRAME_BYTES",
      "ErrorCode",
      "ErrorFrameSchema",
      "FINAL_CLOSE_CODES",
      "HelloFrameSchema",
      "OpFrameSchema",
      "PROTOCOL_VERSION",
      "PingFrameSchema",
      "PongFrameSchema",
      "ProgressFrameSchema",
      "ProtocolError",
      "RETRYABLE_ERROR_CODES",
      "RejectFrameSchema",
      "ReloadFrameSchema",
      "ServerFrameSchema",
      "ShutdownFrameSchema",
      "TaggingFrameSchema",
      "WelcomeFrameSchema",
      "decodeClientFrame",
      "decodeServerFrame",
      "encodeFrame",
      "isFinalCloseCode",
      "utf8Length",
    ]
  `);
});
